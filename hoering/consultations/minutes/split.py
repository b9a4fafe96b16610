"""Step: the remarks of a decision.

2. :func:`split_remarks` -- the remarks of the decision
    Lines saying who was absent ("Fraværende: ...", "Afbud: ...", "**Afbud** ...") are
    dropped. If the text has list items (``-``, ``•``, ``*``, ``–``, ``1.``, ``1)``,
    ``a)``), every item is a remark; a following line that does not start an item joins
    the item with a space (after a blank line only if it is indented more than the
    item). Other text is split into paragraphs at blank lines; when the text has no
    blank line at all (copied from Word) a line ending a sentence followed by a line
    starting like a sentence also starts a new paragraph. A paragraph ending with ":"
    introduces what follows ("Socialudvalget har følgende bemærkninger:", "Hoved-MED
    bemærker:") and is no remark; the first one is returned as the lead-in, and a later
    one ("Ad princip 3:") is dropped too. A paragraph that only says the decision has no
    remarks ("Godkendt.", "Taget til efterretning.", "Udvalget havde ingen
    bemærkninger.") is dropped. Each remark is cleaned: Markdown emphasis and escapes
    removed, inner whitespace normalised, trailing bullet glyphs stripped. The wording
    is otherwise kept ("Udvalget bemærker, at ..." stays as it is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoering.consultations.minutes.markup import ITEM_RE, clean, split_lines, strip_emphasis

# "Afbud: ...", "Fraværende", "Afbud fra ...", and "Afbud Kate Svarrer (Løsgænger)" as a
# PDF gives the bold "**Afbud** Kate Svarrer": the word, then a capitalised name.
_ATTENDANCE_RE = re.compile(
    r"(?:afbud|fraværende|fravær)\s*(?::|$)|afbud\s+fra\b"
    r"|(?:afbud|fraværende)\s+(?-i:[A-ZÆØÅ][\w.-]*\s+[A-ZÆØÅ(])",
    re.IGNORECASE,
)


_BOLD_ATTENDANCE_RE = re.compile(r"^\s*(?:\*\*|__)\s*(?:afbud|fraværende)\b", re.IGNORECASE)


_BODY = r"(?:[^\s.,:;!?]+\s+){0,4}?"


_NO_REMARKS_RE = re.compile(
    rf"""(?:
        (?:sagen\s+|orienteringen\s+|meddelelsen\s+|punktet\s+)?(?:blev\s+)?
            taget\s+til\s+efterretning
      | {_BODY}tog\s+(?:sagen\s+|orienteringen\s+|punktet\s+)?til\s+efterretning
      | (?:indstillingen\s+)?(?:blev\s+)?(?:godkendt|anbefales|anbefalet|tiltrådt)
            (?:\s+som\s+indstillet)?
      | drøftet | {_BODY}drøftede\s+(?:sagen|punktet|høringen|principperne|politikken)
      | {_BODY}drøftede\s+[\wæøå-]+
      | {_BODY}(?:drøftede\s+[^.!?:]{{1,120}}?\s+og\s+)?gav\s+(?:sit\s+|deres\s+)?input
            (?:\s+til\s+[^.!?:]{{1,150}})?
      | {_BODY}(?:havde|har|er|var)?\s*ingen\s+(?:yderligere\s+)?bemærkninger
            (?:\s+til\s+[^.,;:]{{1,120}})?
    )\s*[.!]?""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass
class _Unit:
    kind: str  # "item" or "para"
    indent: int
    lines: list[str]


@dataclass(frozen=True)
class SplitRemark:
    text: str
    context: str | None  # the paragraph introducing its list, if any


@dataclass(frozen=True)
class SplitDecision:
    remarks: list[SplitRemark]
    lead_in: str | None
    said_no_remarks: bool


def split_remarks(decision_text: str) -> tuple[list[str], str | None]:
    """The remark texts of a decision and its dropped lead-in; rules in the docstring."""
    split = split_decision(decision_text)
    return [remark.text for remark in split.remarks], split.lead_in


def is_no_remarks(text: str) -> bool:
    """Whether ``text`` only says there are no remarks ("Godkendt.", "Anbefales.")."""
    sentences = [s for s in re.split(r"(?<=[.!])\s+", clean(text)) if s]
    return bool(sentences) and all(_NO_REMARKS_RE.fullmatch(s) for s in sentences)


def split_decision(decision_text: str) -> SplitDecision:
    units = _units(decision_text)
    remarks: list[SplitRemark] = []
    lead_in: str | None = None
    said_no_remarks = False
    context: str | None = None
    context_indent = -1  # items deeper than this inherit the context
    items_since_context = False
    for index, unit in enumerate(units):
        text = clean(" ".join(unit.lines))
        if not re.search(r"\w", text):
            continue
        following = units[index + 1] if index + 1 < len(units) else None
        if unit.kind == "para" and is_no_remarks(text):
            said_no_remarks = True
            continue
        introduces = text.endswith(":") and (
            unit.kind == "para"
            or (following is not None and following.kind == "item"
                and following.indent > unit.indent)
        )  # fmt: skip
        if introduces:
            if lead_in is None:
                lead_in = text
            context, items_since_context = text, False
            context_indent = -1 if unit.kind == "para" else unit.indent
            continue
        if unit.kind == "item":
            if unit.indent <= context_indent:
                context = None
            items_since_context = True
        elif items_since_context:
            context = None
        remarks.append(SplitRemark(text, context))
    return SplitDecision(remarks, lead_in, said_no_remarks)


def _units(text: str) -> list[_Unit]:
    """List items and paragraphs, each with its raw lines."""
    lines = [
        line
        for line in split_lines(text)
        if not (_BOLD_ATTENDANCE_RE.match(line) or _ATTENDANCE_RE.match(strip_emphasis(line)))
    ]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    has_blank = any(not line.strip() for line in lines)
    line_mode = not has_blank  # a sentence ending a line also ends the paragraph
    units: list[_Unit] = []
    after_blank = True
    for line in lines:
        if not line.strip():
            after_blank, line_mode = True, not has_blank
            continue
        current = units[-1] if units else None
        item = ITEM_RE.match(line)
        content = line.strip()
        indent = len(line) - len(line.lstrip())
        if item:
            units.append(_Unit("item", len(item["indent"]), [item["text"].strip()]))
        elif current is None:
            units.append(_Unit("para", indent, [content]))
        elif current.kind == "item" and (not after_blank or indent > current.indent):
            if not after_blank and indent <= current.indent and is_no_remarks(content):
                units.append(_Unit("para", indent, [content]))
            else:
                current.lines.append(content)
        elif current.kind == "para" and not after_blank:
            previous = current.lines[-1]
            if previous.endswith(":"):
                line_mode = True
                units.append(_Unit("para", indent, [content]))
            elif line_mode and _ends_sentence(previous) and _starts_sentence(content):
                units.append(_Unit("para", indent, [content]))
            else:
                current.lines.append(content)
        else:
            units.append(_Unit("para", indent, [content]))
        after_blank = False
    return units


def _ends_sentence(line: str) -> bool:
    return strip_emphasis(line).rstrip("\"'»”)").endswith((".", "!", "?"))


def _starts_sentence(line: str) -> bool:
    first = strip_emphasis(line)[:1]
    return first.isupper() or first.isdigit() or first in "\"'«»„“”("
