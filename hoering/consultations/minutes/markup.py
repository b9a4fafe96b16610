"""Markup shared by the steps: lines, Markdown and bold headings, list items, and the
cleaning of a remark's text (emphasis, escapes, whitespace, stray bullet glyphs)."""

from __future__ import annotations

import re

MD_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")


BOLD_LINE_RE = re.compile(r"^(\*\*|__)(?P<text>[^*_].*?)\1\s*:?\s*$")


PLAIN_LEVEL = 7  # deeper than any Markdown heading


ITEM_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:[-•*–—▪◦●■·]|\d{1,2}[.)]|[a-zA-Z]\))[ \t]+(?P<text>\S.*)$"
)


_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


_STAR_EMPHASIS_RE = re.compile(r"(?<![\w*\\])\*(?!\s)(.+?)(?<![\s\\])\*(?![\w*])")


_UNDERSCORE_EMPHASIS_RE = re.compile(r"(?<![\w_\\])_(?!\s)(.+?)(?<![\s\\])_(?![\w_])")


_TRAILING_BULLETS_RE = re.compile(r"(?:\s*[•▪◦●■·]|\s+[-–—])+$")


def split_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return [line.expandtabs(4).rstrip() for line in text.split("\n")]


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, text) of a Markdown heading or a line that is bold as a whole."""
    match = MD_HEADING_RE.match(line)
    if match:
        return len(match[1]), strip_emphasis(match[2] or "")
    match = BOLD_LINE_RE.match(line.strip())
    if match:
        return PLAIN_LEVEL, strip_emphasis(match["text"])
    return None


def strip_emphasis(text: str) -> str:
    """``text`` without ``**``/``__`` and without ``*``/``_`` around it."""
    text = text.replace("**", "").replace("__", "").strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    return text


def clean(text: str) -> str:
    text = text.replace("**", "").replace("__", "")
    text = _STAR_EMPHASIS_RE.sub(r"\1", text)
    text = _UNDERSCORE_EMPHASIS_RE.sub(r"\1", text)
    text = _ESCAPE_RE.sub(r"\1", text)
    text = " ".join(text.split())
    return _TRAILING_BULLETS_RE.sub("", text).strip()
