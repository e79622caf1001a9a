"""ChatAlert scheduling: when the new-chat sound plays and repeats, per-event switches, and
staying quiet (one log line) without an audio output. The audio itself is not asserted: CI machines
have no sound card; what matters is that the desk decides to alert at the right moments and never
crashes or floods the log when it cannot play."""

from __future__ import annotations

import logging
import wave

import pytest

from supportdesk_qt.core.settings import Preferences
from supportdesk_qt.platform.sound import SOUND_NAMES, ChatAlert, SoundEvent, sound_path
from tests.platform.conftest import MULTIMEDIA_NOISE

pytestmark = pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE)


@pytest.fixture
def prefs(tmp_path):
    return Preferences.load(tmp_path / "settings.json")


@pytest.fixture
def alert(prefs, qtbot):
    a = ChatAlert(prefs)
    played: list[str] = []
    a.played.connect(played.append)
    a.played_log = played  # type: ignore[attr-defined]
    yield a
    a.dispose()


def test_bundled_sounds_are_small_valid_wavs():
    for name in SOUND_NAMES:
        path = sound_path(name)
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
            assert 0.1 < w.getnframes() / w.getframerate() < 1.0
        assert path.stat().st_size < 32_000
    with pytest.raises(ValueError):
        sound_path("../../etc/passwd")


def test_new_waiting_chat_plays_and_repeats_until_taken(alert, prefs):
    assert alert.played_log == [] and not alert.is_repeating()
    alert.set_waiting(1)
    assert alert.played_log == ["new_chat"]
    assert alert.is_repeating()
    assert alert.repeat_timer.interval() == 30_000          # the default: every 30 s

    alert.set_waiting(2)                                     # another chat: play again now
    assert alert.played_log == ["new_chat", "new_chat"]
    alert.set_waiting(1)                                     # one taken, one still waits
    assert alert.played_log == ["new_chat", "new_chat"]
    assert alert.is_repeating()
    alert.set_waiting(0)                                     # all taken: silence
    assert not alert.is_repeating()


def test_repeat_fires_on_the_configured_interval(alert, prefs, qtbot):
    prefs.new_chat_sound_repeat_seconds = 1
    alert.set_waiting(1)
    assert alert.repeat_timer.interval() == 1000
    with qtbot.waitSignal(alert.played, timeout=3000) as blocker:
        pass
    assert blocker.args == ["new_chat"]
    assert alert.played_log == ["new_chat", "new_chat"]
    # changing the interval while chats wait applies at once
    prefs.new_chat_sound_repeat_seconds = 45
    assert alert.repeat_timer.interval() == 45_000 and alert.is_repeating()
    prefs.new_chat_sound_repeat_seconds = 0                  # 0: never repeat
    assert not alert.is_repeating()


def test_per_event_switches(alert, prefs):
    prefs.notify_new_chat_sound = False
    alert.set_waiting(1)
    assert alert.played_log == []
    assert alert.play(SoundEvent.MESSAGE) is True
    prefs.notify_message_sound = False
    assert alert.play(SoundEvent.MESSAGE) is False
    assert alert.play(SoundEvent.FORWARDED) is True
    assert alert.play(SoundEvent.FORWARD_RETURNED) is False  # off by default
    assert alert.played_log == ["message", "forwarded"]


def test_no_audio_output_is_quiet_and_logged_once(alert, caplog, qtbot):
    caplog.set_level(logging.WARNING, logger="supportdesk.sound")
    for n in range(1, 6):
        alert.set_waiting(n)
    # the decision to alert is still made every time
    assert alert.played_log == ["new_chat"] * 5
    if alert.audio_available is False:
        assert len([r for r in caplog.records if r.name == "supportdesk.sound"]) == 1
    else:  # a machine with a sound card: nothing to complain about
        assert not [r for r in caplog.records if r.name == "supportdesk.sound"]


# pytest-qt uses the closest qt_log_ignore mark only: repeat the module's patterns
@pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE,
                           r"Could not open media\. FFmpeg error description: Invalid data",
                           r"QSoundEffect: Error decoding source file:.*/broken\.wav$")
def test_a_sound_that_cannot_be_played_silences_alerts_once(prefs, qtbot, caplog, monkeypatch,
                                                            tmp_path):
    """The QSoundEffect error path (a device exists but playing fails): one log line, then quiet."""
    import supportdesk_qt.platform.sound as sound_mod

    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really")
    monkeypatch.setattr(sound_mod, "sound_path", lambda name: broken)
    monkeypatch.setattr(ChatAlert, "_probe_output", lambda self: True)
    caplog.set_level(logging.WARNING, logger="supportdesk.sound")
    a = ChatAlert(prefs)
    try:
        a.set_waiting(1)
        qtbot.waitUntil(lambda: a.audio_available is False, timeout=5000)
        for n in range(2, 5):
            a.set_waiting(n)
        assert len([r for r in caplog.records if r.name == "supportdesk.sound"]) == 1
    finally:
        a.dispose()
