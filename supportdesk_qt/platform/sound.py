"""Alert sounds: a new waiting chat (repeated while chats wait untaken) and one-shot event sounds.

Usage::

    alert = ChatAlert(prefs, parent=window)
    queue_model.waitingCountChanged.connect(alert.set_waiting)   # plays on a rise, repeats
    alert.play(SoundEvent.MESSAGE)                               # a message in a chat off screen
    alert.play(SoundEvent.FORWARDED)

Rules:

* ``set_waiting(count)``: when the count rises, a new chat is waiting: play the new-chat sound now
  and (re)start the repeat timer, so the next reminder comes a full interval after the newest
  chat. While the count stays above zero the sound repeats every
  ``new_chat_sound_repeat_seconds`` (0: never). At zero the repeat stops.
* Every event has its own on/off and sound choice in the preferences (``notify_<event>_sound``,
  ``<event>_sound``); ``sound_volume`` is the volume. Changes apply at once.
* No audio output (no device, no PulseAudio/PipeWire, a broken file) never raises and never spams:
  the first failure is logged once, then alerts stay silent (``audio_available`` False). The
  decision to alert is still signalled (``played``), so tests and the UI can follow it.

The WAVs are made by ``scripts/make_sounds.py`` and ship in ``resources/sounds`` (assets.py).
"""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supportdesk_qt import assets
from supportdesk_qt.qt import QObject, QTimer, QUrl, Signal, multimedia

if TYPE_CHECKING:
    from supportdesk_qt.core.settings import Preferences

log = logging.getLogger("supportdesk.sound")

SOUND_NAMES = ("chime", "bell", "ping")


class SoundEvent(StrEnum):
    NEW_CHAT = "new_chat"
    MESSAGE = "message"
    FORWARDED = "forwarded"
    FORWARD_RETURNED = "forward_returned"


# event -> (on/off option, which-sound option, default on, default sound) ; defaults used when
# there are no preferences (tests, tools)
_OPTIONS = {
    SoundEvent.NEW_CHAT: ("notify_new_chat_sound", "new_chat_sound", True, "chime"),
    SoundEvent.MESSAGE: ("notify_message_sound", "message_sound", True, "ping"),
    SoundEvent.FORWARDED: ("notify_forwarded_sound", "forwarded_sound", True, "bell"),
    SoundEvent.FORWARD_RETURNED: ("notify_forward_returned_sound", "forward_returned_sound",
                                  False, "ping"),
}
DEFAULT_REPEAT_SECONDS = 30


def sound_path(name: str) -> Path:
    """The bundled WAV called ``name`` (one of :data:`SOUND_NAMES`)."""
    if name not in SOUND_NAMES:
        raise ValueError(f"unknown sound {name!r}")
    return Path(str(assets.resource("sounds", f"{name}.wav")))


class ChatAlert(QObject):
    """Plays the alert sounds. See the module docstring.

    Signals:
        played(str): an alert for this ``SoundEvent`` value was due and enabled (emitted even
            when there is no audio output).
    """

    played = Signal(str)

    def __init__(self, prefs: Preferences | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._waiting = 0
        self._effects: dict[str, Any] = {}
        self._audio_ok: bool | None = None  # None: not probed yet
        self._repeat = QTimer(self)
        self._repeat.timeout.connect(self._on_repeat)
        self._unsubscribe = None
        if prefs is not None:
            self._unsubscribe = prefs.on_change(self._on_pref_changed)

    # -- API

    def set_waiting(self, count: int) -> None:
        """How many chats wait untaken. A rise plays the new-chat sound; above zero it repeats."""
        count = max(0, int(count))
        previous, self._waiting = self._waiting, count
        if count > previous:
            self.play(SoundEvent.NEW_CHAT)
            self._restart_repeat()
        elif count == 0:
            self._repeat.stop()

    def play(self, event: SoundEvent | str) -> bool:
        """Play the sound of ``event`` if enabled. True if it was due (even if silent)."""
        event = SoundEvent(event)
        enabled_opt, sound_opt, default_on, default_sound = _OPTIONS[event]
        if self._prefs is not None:
            enabled = bool(self._prefs.get(enabled_opt))
            name = str(self._prefs.get(sound_opt))
        else:
            enabled, name = default_on, default_sound
        if not enabled:
            return False
        self._play_file(name)
        self.played.emit(event.value)
        return True

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def repeat_timer(self) -> QTimer:
        """The reminder timer (active while chats wait; interval from the preferences)."""
        return self._repeat

    def is_repeating(self) -> bool:
        return self._repeat.isActive()

    @property
    def audio_available(self) -> bool | None:
        """False after the audio output failed; None until the first sound was tried."""
        return self._audio_ok

    def repeat_interval_ms(self) -> int:
        seconds = (self._prefs.new_chat_sound_repeat_seconds if self._prefs is not None
                   else DEFAULT_REPEAT_SECONDS)
        return int(seconds) * 1000

    def stop(self) -> None:
        """Stop reminders and any sound playing (shutdown, or the agent went Offline)."""
        self._repeat.stop()
        for effect in self._effects.values():
            effect.stop()

    def dispose(self) -> None:
        self.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    # -- internals

    def _restart_repeat(self) -> None:
        interval = self.repeat_interval_ms()
        if self._waiting > 0 and interval > 0:
            self._repeat.start(interval)
        else:
            self._repeat.stop()

    def _on_repeat(self) -> None:
        if self._waiting > 0:
            self.play(SoundEvent.NEW_CHAT)
        else:
            self._repeat.stop()

    def _on_pref_changed(self, name: str, _value: Any) -> None:
        if name == "new_chat_sound_repeat_seconds":
            self._restart_repeat()
        elif name == "sound_volume":
            for effect in self._effects.values():
                effect.setVolume(self._volume())

    def _volume(self) -> float:
        return (self._prefs.sound_volume if self._prefs is not None else 80) / 100.0

    def _play_file(self, name: str) -> None:
        if self._audio_ok is False:
            return
        if self._audio_ok is None and not self._probe_output():
            return
        effect = self._effects.get(name)
        if effect is None:
            try:
                path = sound_path(name)
            except ValueError:
                log.warning("unknown alert sound %r; playing the chime", name)
                path = sound_path("chime")
            effect = multimedia().QSoundEffect(self)
            effect.setObjectName(name)
            # a bound method (not a lambda): Qt drops it when this object is destroyed
            effect.statusChanged.connect(self._on_effect_status)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[name] = effect
        effect.setVolume(self._volume())
        effect.play()

    def _probe_output(self) -> bool:
        mm = multimedia()
        if not mm.QMediaDevices.audioOutputs():
            self._audio_off("no audio output device found: alert sounds are off "
                            "(notifications and the tray still show waiting chats)")
            return False
        self._audio_ok = True
        return True

    def _on_effect_status(self) -> None:
        effect = self.sender()
        if effect is not None and effect.status() == multimedia().QSoundEffect.Status.Error:
            self._audio_off(f"cannot play the alert sound {effect.objectName()!r} (no working "
                            f"audio output?): alert sounds are off")

    def _audio_off(self, why: str) -> None:
        if self._audio_ok is not False:
            log.warning("%s", why)   # once: afterwards every alert is silent
        self._audio_ok = False
