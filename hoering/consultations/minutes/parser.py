"""Read a committee's decision (beslutning) from pasted minutes and propose sections.

Staff record a response by pasting the committee's decision, or the whole minutes item,
from the minutes (referat). :func:`parse_minutes` turns it into remarks, each with the
section of the consulted policy version it most likely concerns and a short Danish
reason, for staff to confirm. It is pure: no I/O, no Flask, no database.

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

3. :func:`propose_section` -- the section a remark concerns
    References found in the remark, first mentioned wins:

    - a kind and a number: "princip 5", "princip nr. tre", "princip nr 3", "tema 2",
      "tema nr. to", "principperne 3 og 4" (a number word after "princip"/"tema";
      "en"/"et" only after "nr."). It maps to the heading carrying that kind and
      number ("Princip 3: ...", "Tema 2 – ...", "3. princip"); if no heading carries
      that kind with a number, to a heading numbered "3." / "3)"; if no heading carries
      a number at all, to the N-th section that is not framing-like (Indledning, Vision,
      Afslutning ...) after position 1. "afsnit N"/"kapitel N" count only if a heading
      is "Afsnit N ..."/"Kapitel N ..." -- "afsnit to" is usually a paragraph;
    - an ordinal and a kind: "det første princip", "andet princip", "tredje tema"
      ("et andet princip" is "another principle" and does not count);
    - a quoted heading: "Vi digitaliserer ambitiøst og inkluderende" (compared
      case-insensitively without "Princip 1:"), a quoted start ending with dots ("Vi
      bruger data..."), or a quote that contains every content word of exactly one
      heading ("Vi understøtter kommunens samfundsopgave via digitalisering");
    - a heading of at least three words written without quotes;
    - "temaet om idræt", "princippet om inddragelse": the words after "om" against the
      words of the headings (a shared stem of at least four letters);
    - a framing word: "rammesætningen", "den indledende rammesætning", "indledningen",
      "visionen", "afslutningen", "det indledende udsagn": the section whose heading
      contains the word, else position 1. "afslutningen af princip 3" is princip 3.

    A reference right after "ingen bemærkninger til" does not count.
    When references point at different sections the first one wins and the reason
    names the others. Without any reference, a remark about the policy as a whole
    ("principperne", "de fleste principper", "alle 5 principper", "politikken",
    "strategien", "udkastet") gets position 1 (framing/overall); anything else ``None``
    (general attention points).

4. :func:`parse_minutes` -- all three. A remark without a reference of its own inherits
    one from the paragraph introducing its list ("Ad princip 3:"). ``no_remarks`` is
    true when no remark is left and the decision said so ("Godkendt.", "Anbefales.").

Known limits: plain-text minutes whose next agenda item starts with just "7. Titel"
run on into that item; a remark that refers to a section only by its content
("I beskrivelsen af samfundsopgaven ...") gets no reference; a lost bullet inside a
paragraph that has blank lines around it is not split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- Public types ---------------------------------------------------------------------


@dataclass(frozen=True)
class SectionRef:
    """One section of the consulted policy version; position 1 is the framing text."""

    position: int
    heading: str


@dataclass(frozen=True)
class ParsedRemark:
    text: str
    section_position: int | None  # None = general attention points
    reason: str


@dataclass(frozen=True)
class ParsedMinutes:
    remarks: list[ParsedRemark]
    no_remarks: bool
    lead_in: str | None


FRAMING_POSITION = 1
REASON_GENERAL = "ingen henvisning – generelt"

# --- Vocabulary -----------------------------------------------------------------------

NUMBER_WORDS = {
    "en": 1, "et": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10,
}  # fmt: skip
ORDINALS = {
    "første": 1, "anden": 2, "andet": 2, "tredje": 3, "fjerde": 4, "femte": 5,
    "sjette": 6, "syvende": 7, "ottende": 8, "niende": 9, "tiende": 10,
}  # fmt: skip
_KINDS = ("princip", "tema", "afsnit", "kapitel")
_WEAK_KINDS = ("afsnit", "kapitel")  # only when a heading carries them with a number
_STOP_WORDS = frozenset(
    {"vi", "og", "i", "at", "til", "af", "på", "for", "med", "den", "det", "de", "en", "et",
     "om", "som", "er", "der", "skal", "kan", "vil", "os", "vores", "sig", "så", "men",
     "eller", "alle"}
)  # fmt: skip
_FRAMING_STEMS = ("rammesætning", "indledning", "vision", "afslutning", "forord")
_FRAMING_LIKE_RE = re.compile(
    r"rammesætning|indledning|introduktion|forord|vision|afslutning|afrunding|baggrund"
    r"|formål|resumé|sammenfatning|opsummering",
    re.IGNORECASE,
)

# --- Step 1: the decision -------------------------------------------------------------

_MD_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BOLD_LINE_RE = re.compile(r"^(\*\*|__)(?P<text>[^*_].*?)\1\s*:?\s*$")
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
    r"punkt\s+\d+\s*[:.–—-]|(?:afbud|fraværende)\s*(?::|$)|afbud\s+fra\b|bilag\s*\d*\s*:",
    re.IGNORECASE,
)
_BOLD_STOP_RE = re.compile(
    r"^\s*(?:\*\*|__)\s*(?:afbud|fraværende|bilag|punkt\s+\d+)\b", re.IGNORECASE
)
_PLAIN_LEVEL = 7  # deeper than any Markdown heading


def extract_decision(text: str) -> str:
    """The text under the first non-empty "Beslutning" heading, or ``text`` unchanged."""
    lines = _lines(text)
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


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return [line.expandtabs(4).rstrip() for line in text.split("\n")]


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a Markdown heading or a line that is bold as a whole."""
    match = _MD_HEADING_RE.match(line)
    if match:
        return len(match[1]), _strip_emphasis(match[2] or "")
    match = _BOLD_LINE_RE.match(line.strip())
    if match:
        return _PLAIN_LEVEL, _strip_emphasis(match["text"])
    return None


def _decision_start(line: str) -> tuple[int, str] | None:
    """(level, text on the same line) if ``line`` is a decision heading."""
    heading = _heading(line)
    if heading is not None:
        level, heading_text = heading
        if _DECISION_HEADING_RE.fullmatch(heading_text):
            return level, ""
        return None
    if _ITEM_RE.match(line):
        return None
    plain = _strip_emphasis(line)
    if _DECISION_HEADING_RE.fullmatch(plain) and not plain.endswith("."):
        return _PLAIN_LEVEL + 1, ""
    match = _DECISION_INLINE_RE.fullmatch(plain)
    if match:
        return _PLAIN_LEVEL + 1, match["rest"]
    return None


def _ends_decision(line: str, level: int) -> bool:
    heading = _heading(line)
    if heading is not None:
        heading_level, heading_text = heading
        if heading_level < _PLAIN_LEVEL and heading_level <= level:
            return True
        return bool(
            _MINUTES_HEADING_RE.fullmatch(heading_text)
            or _DECISION_HEADING_RE.fullmatch(heading_text)
            or re.match(r"punkt\s+\d+\b", heading_text, re.IGNORECASE)
        )
    if _BOLD_STOP_RE.match(line):
        return True
    plain = _strip_emphasis(line)
    return bool(_MINUTES_HEADING_RE.fullmatch(plain) or _STOP_START_RE.match(plain))


# --- Step 2: the remarks --------------------------------------------------------------

_ITEM_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:[-•*–—▪◦●■·]|\d{1,2}[.)]|[a-zA-Z]\))[ \t]+(?P<text>\S.*)$"
)
_ATTENDANCE_RE = re.compile(r"(?:afbud|fraværende|fravær)\s*(?::|$)|afbud\s+fra\b", re.IGNORECASE)
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
      | {_BODY}(?:havde|har|er|var)?\s*ingen\s+(?:yderligere\s+)?bemærkninger
            (?:\s+til\s+[^.,;:]{{1,120}})?
    )\s*[.!]?""",
    re.IGNORECASE | re.VERBOSE,
)
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_STAR_EMPHASIS_RE = re.compile(r"(?<![\w*\\])\*(?!\s)(.+?)(?<![\s\\])\*(?![\w*])")
_UNDERSCORE_EMPHASIS_RE = re.compile(r"(?<![\w_\\])_(?!\s)(.+?)(?<![\s\\])_(?![\w_])")
_TRAILING_BULLETS_RE = re.compile(r"(?:\s*[•▪◦●■·]|\s+[-–—])+$")


@dataclass
class _Unit:
    kind: str  # "item" or "para"
    indent: int
    lines: list[str]


@dataclass(frozen=True)
class _Remark:
    text: str
    context: str | None  # the paragraph introducing its list, if any


@dataclass(frozen=True)
class _Split:
    remarks: list[_Remark]
    lead_in: str | None
    said_no_remarks: bool


def split_remarks(decision_text: str) -> tuple[list[str], str | None]:
    """The remark texts of a decision and its dropped lead-in; rules in the docstring."""
    split = _split(decision_text)
    return [remark.text for remark in split.remarks], split.lead_in


def is_no_remarks(text: str) -> bool:
    """Whether ``text`` only says there are no remarks ("Godkendt.", "Anbefales.")."""
    sentences = [s for s in re.split(r"(?<=[.!])\s+", _clean(text)) if s]
    return bool(sentences) and all(_NO_REMARKS_RE.fullmatch(s) for s in sentences)


def _split(decision_text: str) -> _Split:
    units = _units(decision_text)
    remarks: list[_Remark] = []
    lead_in: str | None = None
    said_no_remarks = False
    context: str | None = None
    context_indent = -1  # items deeper than this inherit the context
    items_since_context = False
    for index, unit in enumerate(units):
        text = _clean(" ".join(unit.lines))
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
        remarks.append(_Remark(text, context))
    return _Split(remarks, lead_in, said_no_remarks)


def _units(text: str) -> list[_Unit]:
    """List items and paragraphs, each with its raw lines."""
    lines = [
        line
        for line in _lines(text)
        if not (_BOLD_ATTENDANCE_RE.match(line) or _ATTENDANCE_RE.match(_strip_emphasis(line)))
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
        item = _ITEM_RE.match(line)
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
    return _strip_emphasis(line).rstrip("\"'»”)").endswith((".", "!", "?"))


def _starts_sentence(line: str) -> bool:
    first = _strip_emphasis(line)[:1]
    return first.isupper() or first.isdigit() or first in "\"'«»„“”("


def _strip_emphasis(text: str) -> str:
    """``text`` without ``**``/``__`` and without ``*``/``_`` around it."""
    text = text.replace("**", "").replace("__", "").strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    return text


def _clean(text: str) -> str:
    text = text.replace("**", "").replace("__", "")
    text = _STAR_EMPHASIS_RE.sub(r"\1", text)
    text = _UNDERSCORE_EMPHASIS_RE.sub(r"\1", text)
    text = _ESCAPE_RE.sub(r"\1", text)
    text = " ".join(text.split())
    return _TRAILING_BULLETS_RE.sub("", text).strip()


# --- Step 3: the section --------------------------------------------------------------

_NUMBER = r"\d{1,2}|" + "|".join(NUMBER_WORDS)
_NUMBERED_REF_RE = re.compile(
    rf"""\b(?P<kind>princip(?:pet|perne|per)?|tema(?:et|erne|er)?|afsnit(?:tet)?
           |kapitel|kapitlet)
        \s+(?P<nr>(?:nr\.?|nummer)\s*)?(?P<num>{_NUMBER})\b(?!\s*%)""",
    re.IGNORECASE | re.VERBOSE,
)
_ORDINAL_REF_RE = re.compile(
    rf"""(?:\b(?P<article>det|den|et|en)\s+)?
        (?:\b(?P<ord>{"|".join(ORDINALS)})|(?<![\d.])(?P<digit>\d{{1,2}})\.)
        \s+(?P<kind>princip|tema|afsnit|kapitel)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_QUOTE_RE = re.compile(r'"([^"\n]{2,300})"|“([^”\n]{2,300})”|”([^”\n]{2,300})”'
                       r"|„([^“”\n]{2,300})[“”]|«([^»\n]{2,300})»")  # fmt: skip
_ABOUT_REF_RE = re.compile(
    r"\b(?P<kind>temaet|princippet|afsnittet|kapitlet)\s+om\s+"
    r"(?P<words>[\wæøå-]+(?:\s+[\wæøå-]+){0,3})",
    re.IGNORECASE,
)
_FRAMING_REF_RE = re.compile(
    r"\b(?:(?:den|det)\s+)?(?:indledende\s+)?(?P<word>rammesætning(?:en)?|indledningen"
    r"|visionen|afslutningen|forordet|indledende\s+(?:udsagn|tekst|del|beskrivelse))\b",
    re.IGNORECASE,
)
_PART_OF_RE = re.compile(r"\s+(?:af|til|i|på|under|for|om)\s+(?:(?:det|den)\s+)?$", re.I)
_NEGATED_RE = re.compile(
    r"\bingen\s+(?:yderligere\s+)?bemærkninger\s+til\s+(?:(?:det|den)\s+)?$", re.IGNORECASE
)
_OVERALL_RE = re.compile(
    r"(?:\b(?:alle|samtlige|de\s+fleste|flere|nogle|begge|de)\s+"
    rf"(?:(?:{_NUMBER})\s+)?)?"
    r"(?:principper(?:ne|nes)?|temaer(?:ne)?|politikken|politikkens|strategien"
    r"|strategiens|udkastet|udkastets|dokumentet)\b",
    re.IGNORECASE,
)
_HEADING_KIND_RE = re.compile(
    r"^(?:(?P<kind>princip|tema|afsnit|kapitel)\s*(?:nr\.?\s*)?(?P<num>\d{1,2})\b"
    r"|(?P<num2>\d{1,2})\.\s*(?P<kind2>princip|tema|afsnit|kapitel)\b)",
    re.IGNORECASE,
)
_HEADING_NUMBER_RE = re.compile(r"^(?P<num>\d{1,2})[.):]\s")
_HEADING_PREFIX_RE = re.compile(
    r"^(?:(?:princip|tema|afsnit|kapitel)\s*(?:nr\.?\s*)?\d{1,2}"
    r"|\d{1,2}\.\s*(?:princip|tema|afsnit|kapitel)|\d{1,2}[.)])\s*[:.–—-]?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Ref:
    start: int
    end: int
    position: int
    label: str  # what the remark says, for the reason
    reason: str


def propose_section(remark: str, sections: list[SectionRef]) -> tuple[int | None, str]:
    """The position of the section ``remark`` most likely concerns, and why."""
    ordered = sorted(sections, key=lambda section: section.position)
    reference = _reference(remark, ordered)
    if reference is not None:
        return reference
    overall = _OVERALL_RE.search(remark)
    if overall and ordered:
        phrase = " ".join(overall.group(0).lower().split())
        return _framing(ordered), f'omtaler "{phrase}" samlet – rammesætning/overordnet'
    return None, REASON_GENERAL


def parse_minutes(text: str, sections: list[SectionRef]) -> ParsedMinutes:
    """Decision → remarks → proposed sections."""
    split = _split(extract_decision(text))
    ordered = sorted(sections, key=lambda section: section.position)
    remarks = []
    for remark in split.remarks:
        proposal: tuple[int | None, str] | None = _reference(remark.text, ordered)
        if proposal is None and remark.context:
            inherited = _reference(remark.context, ordered)
            if inherited is not None:
                reason = f'listens indledning "{remark.context}" {inherited[1]}'
                proposal = (inherited[0], reason)
        if proposal is None:
            proposal = propose_section(remark.text, ordered)
        remarks.append(ParsedRemark(remark.text, *proposal))
    return ParsedMinutes(
        remarks=remarks,
        no_remarks=not remarks and split.said_no_remarks,
        lead_in=split.lead_in,
    )


def _reference(remark: str, ordered: list[SectionRef]) -> tuple[int, str] | None:
    """The first explicit reference in ``remark``, naming any other sections referenced."""
    if not ordered:
        return None
    strong = sorted(
        [
            *_numbered_refs(remark, ordered),
            *_ordinal_refs(remark, ordered),
            *_quoted_refs(remark, ordered),
            *_unquoted_heading_refs(remark, ordered),
            *_about_refs(remark, ordered),
        ],
        key=lambda ref: ref.start,
    )
    framing = [
        ref for ref in _framing_refs(remark, ordered)
        if not any(
            other.start > ref.start
            and _PART_OF_RE.fullmatch(" " + remark[ref.end : other.start])
            for other in strong
        )
    ]  # fmt: skip
    refs = sorted(
        (ref for ref in [*strong, *framing] if not _NEGATED_RE.search(remark[: ref.start])),
        key=lambda ref: ref.start,
    )
    if not refs:
        return None
    first = refs[0]
    others: list[str] = []
    seen = {first.position}
    for ref in refs[1:]:
        if ref.position not in seen:
            seen.add(ref.position)
            others.append(f'"{ref.label}"')
    reason = first.reason
    if others:
        reason += f" (nævner også {', '.join(others)})"
    return first.position, reason


def _label(text: str) -> str:
    return " ".join(text.split())


def _numbered_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    refs = []
    for match in _NUMBERED_REF_RE.finditer(remark):
        word = match["kind"].lower()
        num = match["num"].lower()
        if (
            not num.isdigit()
            and not match["nr"]
            and (num in ("en", "et", "én", "ét") or word not in _KINDS)
        ):
            continue  # "princip et sted", "princippet en gang", "temaer to steder"
        kind = next(k for k in _KINDS if word.startswith(k[:5]))
        number = int(num) if num.isdigit() else NUMBER_WORDS[num]
        position = _section_for_number(kind, number, ordered)
        if position is not None:
            label = _label(match.group(0))
            refs.append(_Ref(match.start(), match.end(), position, label, f'nævner "{label}"'))
    return refs


def _ordinal_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    refs = []
    for match in _ORDINAL_REF_RE.finditer(remark):
        article = (match["article"] or "").lower()
        if article in ("et", "en"):
            continue  # "et andet princip" = another principle
        kind = match["kind"].lower()
        number = int(match["digit"]) if match["digit"] else ORDINALS[match["ord"].lower()]
        position = _section_for_number(kind, number, ordered)
        if position is not None:
            label = _label(match.group(0))
            refs.append(_Ref(match.start(), match.end(), position, label, f'nævner "{label}"'))
    return refs


def _section_for_number(kind: str, number: int, ordered: list[SectionRef]) -> int | None:
    """The section "<kind> <number>" means, or None."""
    carrying_kind = []
    generic = []
    any_number = False
    for section in ordered:
        heading = _strip_emphasis(section.heading.strip())
        match = _HEADING_KIND_RE.match(heading)
        if match:
            any_number = True
            if (match["kind"] or match["kind2"]).lower() == kind:
                carrying_kind.append((int(match["num"] or match["num2"]), section.position))
            continue
        match = _HEADING_NUMBER_RE.match(heading)
        if match:
            any_number = True
            generic.append((int(match["num"]), section.position))
    for candidates in (carrying_kind, [] if kind in _WEAK_KINDS else generic):
        if candidates:
            return next((pos for num, pos in candidates if num == number), None)
    if any_number or kind in _WEAK_KINDS:
        return None
    body = [
        section.position for section in ordered[1:] if not _FRAMING_LIKE_RE.search(section.heading)
    ]
    return body[number - 1] if 0 < number <= len(body) else None


def _heading_body(heading: str) -> str:
    """The heading without "Princip 1:" etc., lower case, without end punctuation."""
    body = _HEADING_PREFIX_RE.sub("", _strip_emphasis(heading.strip()))
    return _normalise(body)


def _normalise(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .,;:!?–—-\"'”“»«")


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\wæøå]+", text.lower()) if w not in _STOP_WORDS]


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    shortest = min(len(a), len(b))
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return shortest >= 4 and common >= max(4, shortest - 3)


def _quoted_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    refs = []
    bodies = [(section.position, _heading_body(section.heading)) for section in ordered]
    full = [(section.position, _normalise(section.heading)) for section in ordered]
    for match in _QUOTE_RE.finditer(remark):
        raw = next(group for group in match.groups() if group is not None)
        quote = _normalise(raw.rstrip(". …"))
        truncated = raw.rstrip().endswith(("...", "…"))
        if len(quote) < 3:
            continue
        positions = [pos for pos, body in [*bodies, *full] if body and body == quote]
        how = "citerer overskriften"
        if not positions and truncated:
            positions = [pos for pos, body in bodies if body.startswith(quote)]
        if not positions:
            quote_words = _words(quote)
            positions = [
                pos
                for pos, body in bodies
                if len(_words(body)) >= 2
                and all(any(_same_word(w, q) for q in quote_words) for w in _words(body))
            ]
            how = "citat indeholder ordene fra overskriften"
        if len(set(positions)) == 1:
            label = f'"{_label(raw)}"'
            refs.append(
                _Ref(match.start(), match.end(), positions[0], _label(raw), f"{how} {label}")
            )
    return refs


def _unquoted_heading_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    refs = []
    lowered = remark.lower()
    for section in ordered:
        body = _heading_body(section.heading)
        if len(body.split()) < 3 or len(body) < 15:
            continue
        index = lowered.find(body)
        if index >= 0:
            label = _label(remark[index : index + len(body)])
            refs.append(
                _Ref(
                    index,
                    index + len(body),
                    section.position,
                    label,
                    f'nævner overskriften "{label}"',
                )
            )
    return refs


def _about_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    """ "temaet om idræt": the words after "om" against the words of the headings."""
    refs = []
    for match in _ABOUT_REF_RE.finditer(remark):
        words = [
            word
            for word in re.finditer(r"[\wæøå]+", match["words"])
            if word.group(0).lower() not in _STOP_WORDS
        ]
        matched: dict[int, list[int]] = {}  # position -> ends of the words it matched
        for section in ordered:
            heading_words = _words(_heading_body(section.heading))
            ends = [
                word.end()
                for word in words
                if any(_same_word(word.group(0).lower(), h) for h in heading_words)
            ]
            if ends:
                matched[section.position] = ends
        if not matched:
            continue
        best = max(len(ends) for ends in matched.values())
        winners = [pos for pos, ends in matched.items() if len(ends) == best]
        if len(winners) == 1:
            end = match.start("words") + max(matched[winners[0]])
            label = _label(remark[match.start() : end])
            refs.append(_Ref(match.start(), end, winners[0], label, f'nævner "{label}"'))
    return refs


def _framing_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    refs = []
    for match in _FRAMING_REF_RE.finditer(remark):
        word = match["word"].lower()
        stem = next((s for s in _FRAMING_STEMS if word.startswith(s)), "indledning")
        label = _label(match.group(0))
        position = next((s.position for s in ordered if stem in s.heading.lower()), None)
        if position is not None:
            reason = f'nævner "{label}"'
        else:
            position = _framing(ordered)
            reason = f'nævner "{label}" – rammesætning/overordnet'
        refs.append(_Ref(match.start(), match.end(), position, label, reason))
    return refs


def _framing(ordered: list[SectionRef]) -> int:
    positions = [section.position for section in ordered]
    return FRAMING_POSITION if FRAMING_POSITION in positions or not positions else positions[0]
