"""The command palette's fuzzy matcher (core/fuzzy.py): plain pytest, no Qt."""

from __future__ import annotations

import pytest

from supportdesk_qt.core import fuzzy


def titles(query: str, texts: list[str]) -> list[str]:
    return [t for t, _m in fuzzy.rank(query, texts, key=str)]


def test_a_subsequence_matches_and_reports_its_positions():
    m = fuzzy.match("clo tab", "Close tab")
    assert m is not None and m.positions == (0, 1, 2, 6, 7, 8)
    m = fuzzy.match("tko", "Take the oldest waiting chat")
    assert m is not None
    assert "".join("Take the oldest waiting chat"[i] for i in m.positions).casefold() == "tko"


@pytest.mark.parametrize("query, text", [
    ("xyz", "Close tab"),                 # letters that do not occur
    ("bat", "Close tab"),                 # all there, but not in this order
    ("tabs", "Close tab"),                # one letter more than the text has
    ("close zz", "Close tab"),            # every word must match
])
def test_no_match_is_none(query, text):
    assert fuzzy.match(query, text) is None
    assert fuzzy.score(query, text) is None


def test_case_and_script_do_not_matter():
    assert fuzzy.match("SETT", "Settings…") is not None
    assert fuzzy.match("чат", "Взять ЧАТ") is not None
    assert fuzzy.match("strasse", "Straße") is None         # folding never changes positions
    m = fuzzy.match("stra", "Straße")
    assert m is not None and m.positions == (0, 1, 2, 3)


def test_an_empty_query_matches_everything_with_no_positions():
    assert fuzzy.match("", "Anything") == fuzzy.Match(0.0, ())
    assert fuzzy.match("   ", "Anything") == fuzzy.Match(0.0, ())


def test_a_run_beats_scattered_letters():
    # "set" is a prefix of Settings, scattered in "Insert a pre-defined reply"
    assert titles("set", ["Insert a pre-defined reply…", "Settings…"]) == [
        "Settings…", "Insert a pre-defined reply…"]


def test_word_starts_beat_the_middle_of_words():
    # "ct" = Close Tab (two word starts) rather than the c and t of "chat"
    assert titles("ct", ["Take the oldest waiting chat", "Close tab"])[0] == "Close tab"
    # "wc" = Waiting Chats
    assert titles("wc", ["Network requests", "Waiting chats tab"])[0] == "Waiting chats tab"


def test_the_best_placement_is_found_not_the_first():
    # the greedy first "c" would be the one of "Forward": the word "chat" is the better match
    m = fuzzy.match("chat", "Forward the chat…")
    assert m is not None and m.positions == (12, 13, 14, 15)


def test_camel_case_and_separators_start_words():
    m = fuzzy.match("to", "chat.takeOldest")
    assert m is not None and m.positions == (5, 9)


def test_the_first_character_of_the_text_counts_most():
    assert titles("t", ["Next tab", "Tickets"])[0] == "Tickets"


def test_shorter_text_wins_a_tie_and_the_order_is_kept_otherwise():
    assert titles("tab", ["Close the tab now", "Close tab"]) == ["Close tab", "Close the tab now"]
    assert titles("", ["b", "a", "c"]) == ["b", "a", "c"]


def test_rank_keeps_only_matches():
    assert titles("log", ["Log out", "Notifications log", "Quit"]) == [
        "Log out", "Notifications log"]
