"""The body and the date of the meeting a minutes document records.

:func:`read_meeting` -- the body and the meeting date
    Read from the document's head: its first 40 lines, up to the first agenda-item
    heading ("Punkt 1: ..."), without table-of-contents lines and without meeting
    citations ("Tidligere behandling" and the lines under it, "Økonomiudvalget den 12.
    marts 2024 Punkt 11"). The body comes from a title line ("REFERAT Socialudvalget d.
    09-04-2024", "Referat af møde i Socialudvalget", "Socialudvalget – referat") or a
    label ("Udvalg: Socialudvalget") or the line after a title that is only "Referat";
    failing that, from the most frequent body under
    "Beslutningen træffes af" in the whole document. The date comes from a labelled line
    ("Mødedato Tirsdag d. 9. april 2024 kl. 13:00", "Dato: 12. august 2025"), else from the
    title line, else from the first date in the head. Dates are read in the forms
    "9. april 2024", "9. apr. 2024", "09-04-2024", "09.04.2024", "9/4 2024", "9/4-2024" and
    "2024-04-09" (four-digit years only, so a KLE number such as 03.02.00-P22-1-23 is no
    date).

:func:`match_body` -- the registered body a name in the minutes means
    By name or abbreviation, ignoring case, spaces, hyphens and the spelling of æ/ø/å
    (æ=ae=a, ø=oe=o, å=aa=a), and the definite ending ("Socialudvalg" is
    "Socialudvalget"). Without a name, or when it matches nothing, the unique registered
    body named in the document's head. Ambiguous → ``None``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from markdown_it import MarkdownIt

from hoering.consultations.minutes.markup import MD_HEADING_RE, clean

HEAD_LINES = 40


MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip


MONTH_NAMES = (
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
)  # fmt: skip


_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))


_TEXT_DATE_RE = re.compile(
    rf"(?<![\d.])(?P<d>\d{{1,2}})\.?\s*(?P<m>{_MONTH_ALT})(?![a-zæøå])\.?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)


_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d.\-/])(?P<d>\d{1,2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d\-])"
)


_SLASH_DATE_RE = re.compile(r"(?<![\d.\-/])(?P<d>\d{1,2})/(?P<m>\d{1,2})[ \-]+(?P<y>\d{4})(?!\d)")


_ISO_DATE_RE = re.compile(r"(?<![\d.\-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d\-])")


TOC_RE = re.compile(r"(?:\.{3,}|…+)\s*\d{1,3}\s*$|\S(?:[ ]*\t\s*| {3,})\d{1,3}\s*$")


_ITEM_START_RE = re.compile(
    r"^(?:punkt|pkt\.?|dagsordenspunkt)\s*\d{1,2}\b|^sag\s+(?:nr\.?\s*)?\d{1,2}\s*[:.–—-]"
    r"|^(?:sags?\s*(?:nr|nummer)|j\.?\s*nr)\.?\s*:?|^\d{2}\.\d{2}\.\d{2}\s*-",
    re.IGNORECASE,
)


_CITATION_RE = re.compile(r"tidligere\s+(?:politisk\s+)?behandl|\bpunkt\s+\d", re.IGNORECASE)


_DATE_LABEL_RE = re.compile(
    r"^(?:møde\s*dato|mødetid(?:spunkt)?|dato|tidspunkt|tid|møde)\b\s*:?", re.IGNORECASE
)


_NOT_MEETING_DATE_RE = re.compile(
    r"udskrevet|offentliggjort|publiceret|udsendt|printet|godkendt", re.IGNORECASE
)


_ONE_KIND = r"(?:referat|dagsorden|beslutningsprotokol|protokol)"


_KIND = rf"(?:{_ONE_KIND}(?:\s*(?:og|/|&)\s*{_ONE_KIND})?)"


_TITLE_RE = re.compile(
    rf"^(?:åben\s+|offentlig\s+)?{_KIND}\b\s*[:\-–—]?\s*(?:(?:fra|af)\s+)?"
    r"(?:(?:det\s+)?(?:ordinære\s+|ekstraordinære\s+)?møde(?:t)?\s+(?:i|for)\s+)?"
    r"(?!\s*(?:og|/|&)\s)\s*(?P<body>\S.*)$",
    re.IGNORECASE,
)


_TITLE_AFTER_RE = re.compile(rf"^(?P<body>.+?)\s*[:\-–—,]\s*{_KIND}\b", re.IGNORECASE)


_BODY_LABEL_RE = re.compile(
    r"^(?:udvalg|mødeforum|forum|organ|råd)\s*:\s*(?P<body>.+)$", re.IGNORECASE
)


_BODY_END_RE = re.compile(
    r"\s+(?:d\.|den|kl\.|tirsdag|mandag|onsdag|torsdag|fredag|lørdag|søndag)(?:\s.*)?$"
    r"|\s*[,(–—].*$|\s+-\s.*$|\s+\d.*$",
    re.IGNORECASE,
)


_DECIDED_BY_RE = re.compile(r"^beslutningen\s+træffes\s+af\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


_MD = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Meeting:
    body_name: str | None  # "Socialudvalget"
    meeting_date: date | None  # 2024-04-09


@dataclass(frozen=True)
class KnownBody:
    id: int
    name: str
    abbreviation: str


def line_text(line: str) -> str:
    """The plain text of one line: no heading marks, emphasis, escapes, links or tags."""
    match = MD_HEADING_RE.match(line)
    if match:
        line = match[2] or ""
    if not line.strip():
        return ""
    parts = []
    for token in _MD.parseInline(line.strip())[0].children or []:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return clean("".join(parts))


def raw_lines(text: str) -> list[str]:
    """The lines of ``text`` as written (tabs kept, for the table of contents)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return [line.rstrip() for line in text.split("\n")]


def is_toc_line(raw: str) -> bool:
    """A table-of-contents line (as written): dot leaders, or a tab and a page number."""
    return bool(TOC_RE.search(raw))


def find_dates(text: str) -> list[date]:
    """The valid dates in ``text``, in the order they occur."""
    found: list[tuple[int, date]] = []
    for regex in (_TEXT_DATE_RE, _NUMERIC_DATE_RE, _SLASH_DATE_RE, _ISO_DATE_RE):
        for match in regex.finditer(text):
            month_text = match["m"]
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
            try:
                found.append((match.start(), date(int(match["y"]), month, int(match["d"]))))
            except ValueError:
                continue
    return [day for _, day in sorted(found, key=lambda pair: pair[0])]


def format_date(day: date) -> str:
    """``9. april 2024``."""
    return f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}"


def fold(text: str) -> str:
    """``text`` lowercased, without spaces or punctuation, æ/ø/å and ae/oe/aa as a/o/a."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = text.replace("é", "e").replace("ü", "u").replace("ö", "oe").replace("ä", "ae")
    text = re.sub(r"[^a-z0-9]", "", text)
    return text.replace("ae", "a").replace("oe", "o").replace("aa", "a")


def name_keys(name: str) -> set[str]:
    """The folded forms of a body's name: as written and without a definite ending."""
    key = fold(name)
    keys = {key} if key else set()
    if len(key) > 5 and key.endswith(("et", "en")):
        keys.add(key[:-2])
    return keys


def head_lines(text: str) -> list[str]:
    """The plain lines of the document's head; rules in the module docstring."""
    head: list[str] = []
    after_citation_label = False
    for raw in raw_lines(text)[:HEAD_LINES]:
        line = line_text(raw)
        if not line or is_toc_line(raw):
            continue
        if _ITEM_START_RE.match(line):
            break
        if re.match(r"tidligere\s+(?:politisk\s+)?behandl", line, re.IGNORECASE):
            after_citation_label = True
            continue
        if after_citation_label or _CITATION_RE.search(line):
            after_citation_label = False
            continue
        head.append(line)
    return head


def read_meeting(text: str) -> Meeting:
    """The body and the meeting date of a minutes document; rules in the module docstring."""
    head = head_lines(text)
    body = next((name for name in map(_body_in_line, head) if name), None)
    if body is None:
        body = _body_after_kind(head)
    return Meeting(body_name=body or _decided_by(text), meeting_date=_meeting_date(head))


def _body_in_line(line: str) -> str | None:
    if _DATE_LABEL_RE.match(line):
        return None
    for regex in (_BODY_LABEL_RE, _TITLE_AFTER_RE, _TITLE_RE):
        match = regex.match(line)
        if match:
            body = _BODY_END_RE.sub("", match["body"]).strip(" :.-–—")
            if body and len(body) <= 80 and not re.fullmatch(_KIND, body, re.IGNORECASE):
                return body
    return None


def _body_after_kind(head: list[str]) -> str | None:
    """The line after a title that is only "Referat" / "Dagsorden", if it names no date."""
    for index, line in enumerate(head[:-1]):
        if re.fullmatch(rf"(?:åbent\s+)?{_KIND}\s*:?", line, re.IGNORECASE):
            following = head[index + 1]
            if len(following) <= 80 and not find_dates(following):
                return following.strip(" :.")
    return None


def _meeting_date(head: list[str]) -> date | None:
    ranked: list[tuple[int, int, date]] = []
    for index, line in enumerate(head):
        if _NOT_MEETING_DATE_RE.search(line):
            continue
        dates = find_dates(line)
        if not dates:
            continue
        if _DATE_LABEL_RE.match(line):
            rank = 0
        elif _TITLE_RE.match(line) or _TITLE_AFTER_RE.match(line):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, index, dates[0]))
    return min(ranked)[2] if ranked else None


def _decided_by(text: str) -> str | None:
    """The most frequent body under "Beslutningen træffes af" (the first on a tie)."""
    lines = [line_text(raw) for raw in raw_lines(text)]
    names: list[str] = []
    for index, line in enumerate(lines):
        match = _DECIDED_BY_RE.match(line)
        if not match:
            continue
        rest = match["rest"] or next((later for later in lines[index + 1 :] if later), "")
        if rest and len(rest) <= 80:
            names.append(rest.strip(" .:"))
    if not names:
        return None
    return Counter(names).most_common(1)[0][0]


def match_body(
    text_name: str | None, bodies: Sequence[KnownBody], *, document_text: str = ""
) -> KnownBody | None:
    """The registered body ``text_name`` means; rules in the module docstring."""
    if text_name and text_name.strip():
        found = _by_name(text_name, bodies)
        if found is not None:
            return found
        if _matching(text_name, bodies):
            return None  # ambiguous
    return _named_in_head(document_text, bodies) if document_text else None


def _matching(text_name: str, bodies: Sequence[KnownBody]) -> list[KnownBody]:
    keys = name_keys(text_name)
    by_name = [body for body in bodies if keys & name_keys(body.name)]
    if by_name:
        return by_name
    key = fold(text_name)
    return [body for body in bodies if key and key == fold(body.abbreviation)]


def _by_name(text_name: str, bodies: Sequence[KnownBody]) -> KnownBody | None:
    for name in _name_variants(text_name):
        found = _matching(name, bodies)
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def _name_variants(text_name: str) -> Iterator[str]:
    """The name as written, then without and inside a parenthesis ("Socialudvalget (SOU)")."""
    yield text_name
    match = re.fullmatch(r"\s*(?P<outer>[^()]*?)\s*\((?P<inner>[^()]+)\)\s*", text_name)
    if match:
        yield match["outer"]
        yield match["inner"]


def _named_in_head(document_text: str, bodies: Sequence[KnownBody]) -> KnownBody | None:
    """The unique body named in the head; if several, the unique one in its first line."""
    head = head_lines(document_text)
    found = _bodies_in(" ".join(head), bodies)
    if len(found) == 1:
        return found[0]
    if not found:
        return None
    for line in head:
        in_line = _bodies_in(line, bodies)
        if in_line:
            return in_line[0] if len(in_line) == 1 else None
    return None


def _bodies_in(text: str, bodies: Sequence[KnownBody]) -> list[KnownBody]:
    """The bodies whose name occurs in ``text``, without those inside a longer found one."""
    folded = fold(text)
    found = {body.id: body for body in bodies if any(k in folded for k in name_keys(body.name))}
    keys = {body.id: min(name_keys(body.name), key=len) for body in found.values()}
    return [
        body
        for body in found.values()
        if not any(keys[body.id] in keys[other] and other != body.id for other in keys)
    ]
