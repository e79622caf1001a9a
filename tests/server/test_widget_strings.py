"""The widget's Russian texts (widget-ru.js) cover every English key of widget.js with the same
{placeholders}; each server sentence pattern matches what the server really writes."""

from __future__ import annotations

import re

from supportdesk_server.widget import STATIC_DIR

_PAIR = re.compile(r'^\s+(\w+): "((?:[^"\\]|\\.)*)",?$', re.M)


def _block(text: str, start: str, end: str) -> dict[str, str]:
    body = text.split(start, 1)[1].split(end, 1)[0]
    return dict(_PAIR.findall(body))


def test_every_english_text_has_a_russian_one_with_the_same_placeholders():
    en = _block((STATIC_DIR / "widget.js").read_text(encoding="utf-8"), "    en: {", "\n    },")
    ru = _block((STATIC_DIR / "widget-ru.js").read_text(encoding="utf-8"), "strings: {", "\n    },")
    assert len(en) > 60, "the English block was not found"
    assert sorted(set(en) - set(ru)) == [], "keys without a Russian text"
    assert sorted(set(ru) - set(en)) == [], "Russian texts of keys widget.js does not have"
    for key, text in en.items():
        assert sorted(re.findall(r"\{\w+\}", ru[key])) == sorted(re.findall(r"\{\w+\}", text)), key


def test_each_server_sentence_pattern_is_a_sentence_the_server_writes():
    """The English side of every pattern is found in the server's code (an edited sentence there
    would otherwise silently stay English in a Russian widget)."""
    from pathlib import Path
    import supportdesk_server
    code = (Path(supportdesk_server.__file__).parent / "services" / "client_area.py").read_text()
    code = re.sub(r'"\s*\n\s*(f?)"', "", code)                 # join implicit concatenations
    js = (STATIC_DIR / "widget-ru.js").read_text(encoding="utf-8")
    answers, system_lines = js.split("// system lines", 1)
    patterns = re.findall(r'\[/\^(.*?)\$/, "', answers)
    assert len(patterns) >= 20
    for pattern in patterns:
        literal = re.sub(r"\\(.)", r"\1", pattern)
        for piece in re.split(r"\((?:\.\+|\\?d\+)\)", literal):
            assert piece in code, f"not in client_area.py: {piece!r} (pattern {pattern!r})"
    # the transcript's line is written from pieces: a verb, then the rest
    assert len(re.findall(r'\[/\^', system_lines)) == 2
    for piece in ("Registered as a new client and logged in", "Logged in",
                  " to the client area as ", " (login "):
        assert piece in code and piece.replace("(", "\\(") in system_lines, piece
