"""Fuzzy matching for the command palette (Qt-free).

A query matches a text when every word of the query is found in the text as a *subsequence*
(its characters in order, not necessarily next to each other), ignoring case: ``"tko"`` matches
"Take the oldest waiting chat", ``"clo tab"`` matches "Close tab". The score says how good the
match is, so the best one comes first:

* a character right after the previous matched one (a run) counts much more than a scattered one;
* a character at the start of a word (after a space, ``.``, ``-``, ``_``, ``/``, ``#``, ``:``,
  ``(``, or a lower-to-upper case change) counts more, the very first character of the text most;
* every character skipped between two matched ones costs a little, and so does the length of
  the text (among equal matches the shorter text wins).

For each word the best placement is searched (dynamic programming over the positions, so
``"chat"`` in "Forward the chat…" scores the word "chat", not the "c" of "chat" and the "hat"
further on). :func:`match` returns the score and the matched positions (for bold letters in the
list); None when a word does not occur.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

SEPARATORS = frozenset(" .-_/#:()[],;@\t")

# the weights: only their ratios matter
FIRST_CHAR = 12          # the match starts the text
WORD_START = 8           # the match starts a word
RUN = 10                 # the match follows the previous matched character
CHAR = 1                 # any matched character
GAP = 1                  # each character skipped between two matched ones (capped)
GAP_CAP = 6
LEADING = 0.05           # each character before the first match, per word (capped)
LENGTH = 0.01            # each character of the text


@dataclass(frozen=True)
class Match:
    score: float
    positions: tuple[int, ...]      # indexes into the text, ascending, no duplicates


def _word_starts(text: str) -> list[bool]:
    """Where a word starts: the first character, after a separator or any other character
    that is not a letter or digit, and at a lower-to-upper case change ("takeOldest")."""
    starts = []
    prev = ""
    for i, ch in enumerate(text):
        starts.append(i == 0 or prev in SEPARATORS or not prev.isalnum()
                      or (prev.islower() and ch.isupper()))
        prev = ch
    return starts


def _best_word(word: str, folded: str, starts: list[bool]) -> tuple[float, list[int]] | None:
    """The best placement of ``word`` (already case-folded) as a subsequence of ``folded``.

    Only the positions where each character of the word occurs are tried (a few per
    character in a command name), so this is cheap enough to run over every entry on each
    keystroke."""
    occurrences = [[i for i, ch in enumerate(folded) if ch == wanted] for wanted in word]
    if not word or any(not occ for occ in occurrences):
        return (0.0, []) if not word else None

    def bonus(i: int) -> float:
        return CHAR + (FIRST_CHAR if i == 0 else WORD_START if starts[i] else 0)

    scores = {i: bonus(i) - min(i, 40) * LEADING for i in occurrences[0]}
    backs: list[dict[int, int]] = []
    for j in range(1, len(word)):
        current: dict[int, float] = {}
        back: dict[int, int] = {}
        for i in occurrences[j]:
            best, best_k = float("-inf"), -1
            for k, value in scores.items():
                if k >= i:
                    continue
                gap = i - k - 1
                candidate = value + (RUN if gap == 0 else -GAP * min(gap, GAP_CAP))
                if candidate > best:
                    best, best_k = candidate, k
            if best_k >= 0:
                current[i] = best + bonus(i)
                back[i] = best_k
        if not current:
            return None
        scores = current
        backs.append(back)
    end = max(scores, key=lambda i: (scores[i], -i))
    positions = [end]
    for back in reversed(backs):
        end = back[end]
        positions.append(end)
    positions.reverse()
    return scores[positions[-1]], positions


def match(query: str, text: str) -> Match | None:
    """How well ``query`` matches ``text``; None when a word of the query does not occur."""
    words = query.casefold().split()
    folded = text.casefold()
    if len(folded) != len(text):        # a character whose case folding is longer ("ß")
        folded = "".join(ch.casefold()[:1] or ch for ch in text)
    if not words:
        return Match(0.0, ())
    starts = _word_starts(text)
    total = 0.0
    positions: set[int] = set()
    for word in words:
        found = _best_word(word, folded, starts)
        if found is None:
            return None
        score, pos = found
        total += score
        positions.update(pos)
    return Match(total - len(text) * LENGTH, tuple(sorted(positions)))


def score(query: str, text: str) -> float | None:
    found = match(query, text)
    return found.score if found is not None else None


def rank(query: str, items: Iterable[T], key: Callable[[T], str]) -> list[tuple[T, Match]]:
    """The items whose ``key`` matches, best first (equal scores keep the items' order)."""
    scored = []
    for order, item in enumerate(items):
        found = match(query, key(item))
        if found is not None:
            scored.append((-found.score, order, item, found))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [(item, found) for _neg, _order, item, found in scored]
