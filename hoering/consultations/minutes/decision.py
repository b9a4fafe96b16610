"""Step: the decision (beslutning) inside a minutes item or a pasted excerpt.

1. :func:`extract_decision` -- the decision inside a whole minutes item/document
    The first line that is a "Beslutning" heading with text under it: a Markdown
    heading (``## Beslutning``, ``### **Beslutning**``), a line that is bold as a whole
    (``**Beslutning**``) or "Beslutning" alone on a line; "Beslutning i Socialudvalget
    den 9. april 2024" and "Beslutning:" count too, and "**Beslutning:** Godkendt." keeps
    "Godkendt." as the decision ("Beslutningen træffes af" is not a decision heading).
    The decision runs to the next Markdown heading of the same or a higher level (for a
    bold or plain heading: the next Markdown heading of any level), the next
    "Beslutning" heading, or the next line that starts a known part of the minutes:
    "Bilag", "Afbud", "Fraværende", "Punkt 7: ...", "Indstilling", "Sagsfremstilling",
    "Beslutningen træffes af" ... (as a heading, a bold line or alone on a line;
    "**Afbud** André Amingsø (D)" and "Afbud: ..." too). Text without a decision heading
    is returned unchanged.
"""

from __future__ import annotations

import re

from hoering.consultations.minutes.markup import (
    ITEM_RE,
    PLAIN_LEVEL,
    heading_of,
    split_lines,
    strip_emphasis,
)

_DECISION_HEADING_RE = re.compile(
    r"beslutning(?:\s+(?:i|fra|på)\s+[^:]{1,100}|\s+[^:]{1,100}?\bden\s+\d[^:]{0,40})?\s*:?",
    re.IGNORECASE,
)


_DECISION_INLINE_RE = re.compile(r"beslutning\s*:\s*(?P<rest>\S.*)", re.IGNORECASE)


_MINUTES_HEADING_RE = re.compile(
    r"(?:bilag(?:sliste)?|afbud|fraværende|fravær|indstilling|sagsfremstilling"
    r"|beslutningen\s+træffes\s+af|tidligere\s+behandling|økonomiske\s+konsekvenser.*"
    r"|indhold|sammendrag|lovgrundlag|kommunikation|underskrift(?:er|side)?"
    r"|sags(?:nr|nummer|id)\.?.*)\s*:?",
    re.IGNORECASE,
)


_STOP_START_RE = re.compile(
    r"punkt\s+\d+\s*[:.–—-]|(?:afbud|fraværende)\s*(?::|$)|afbud\s+fra\b|bilag\s*\d*\s*:"
    r"|(?:afbud|fraværende)\s+(?-i:[A-ZÆØÅ][\w.-]*\s+[A-ZÆØÅ(])",
    re.IGNORECASE,
)


_BOLD_STOP_RE = re.compile(
    r"^\s*(?:\*\*|__)\s*(?:afbud|fraværende|bilag|punkt\s+\d+)\b", re.IGNORECASE
)


def extract_decision(text: str) -> str:
    """The text under the first non-empty "Beslutning" heading, or ``text`` unchanged."""
    lines = split_lines(text)
    found = False
    for index, line in enumerate(lines):
        start = _decision_start(line)
        if start is None:
            continue
        found = True
        level, rest = start
        body = [rest] if rest else []
        for following in lines[index + 1 :]:
            if _ends_decision(following, level):
                break
            body.append(following)
        decision = "\n".join(body).strip("\n")
        if decision.strip():
            return decision.strip()
    return "" if found else text


def _decision_start(line: str) -> tuple[int, str] | None:
    """(level, text on the same line) if ``line`` is a decision heading."""
    heading = heading_of(line)
    if heading is not None:
        level, heading_text = heading
        if _DECISION_HEADING_RE.fullmatch(heading_text):
            return level, ""
        return None
    if ITEM_RE.match(line):
        return None
    plain = strip_emphasis(line)
    if _DECISION_HEADING_RE.fullmatch(plain) and not plain.endswith("."):
        return PLAIN_LEVEL + 1, ""
    match = _DECISION_INLINE_RE.fullmatch(plain)
    if match:
        return PLAIN_LEVEL + 1, match["rest"]
    return None


def _ends_decision(line: str, level: int) -> bool:
    heading = heading_of(line)
    if heading is not None:
        heading_level, heading_text = heading
        if heading_level < PLAIN_LEVEL and heading_level <= level:
            return True
        return bool(
            _MINUTES_HEADING_RE.fullmatch(heading_text)
            or _DECISION_HEADING_RE.fullmatch(heading_text)
            or re.match(r"punkt\s+\d+\b", heading_text, re.IGNORECASE)
        )
    if _BOLD_STOP_RE.match(line):
        return True
    plain = strip_emphasis(line)
    return bool(_MINUTES_HEADING_RE.fullmatch(plain) or _STOP_START_RE.match(plain))
