"""The agenda items of a whole minutes document, and the one a consultation concerns.

:func:`split_items` -- the agenda items
    Lines are read as plain text (Markdown heading marks, emphasis and escapes removed),
    so "# Punkt 6: ...", "## **Punkt 7: ...**" and a plain "Punkt 6: ..." are the same.
    An item heading is a line starting a paragraph (or a Markdown/bold heading) that reads
    "Punkt 6: Titel", "Punkt 6. Titel", "Punkt 6 – Titel", "Punkt 4 (Åben): Titel",
    "Pkt. 6 Titel", "Dagsordenspunkt 6: ...", "Sag 6: ..." or "Sag nr. 6 ..."; without a
    separator the title must start with a capital letter ("Punkt 3 i aftalen ..." is
    prose). Only when the document has none of these, "6. Titel" lines are headings: a
    Markdown/bold heading or a paragraph of at most two short lines, followed within
    four lines (before the next numbered line) by a KLE journal number or a
    "Sagsnr."/"J.nr." line -- so numbered lists in "Meddelelser" or "Indstilling" are
    not items. Table-of-contents lines (dot leaders, a tab and a page number) are never
    headings; a run of headings without any text between them that is followed by the
    same numbers again (a contents list without page numbers) is dropped. Numbers run
    1-99 and must increase; a heading whose number does not is text of the item before.
    A title may go on over the next line of its paragraph; an empty title ("Punkt 6"
    alone) is taken from the next line.

    Each item's text runs from its heading line to the next item. Its journal number is
    the first KLE number (``85.13.00-P00-1-23``; the facet may be a digit, as in
    ``27.00.00-000-1-23``) among the first four lines under the title, alone or after a
    label ("Sagsnr.", "J.nr.", "KLE"). Its earlier treatment is the first paragraph
    under a "Tidligere behandling" heading (or after "Tidligere behandling:" on the same
    line), plus any further paragraphs that also cite a meeting, one per line.

:func:`find_item` -- the item a consultation concerns; rules on the function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import takewhile

import snowballstemmer  # type: ignore[import-untyped]
from flask_babel import gettext as _

from hoering.consultations.minutes.markup import heading_of
from hoering.consultations.minutes.meeting import (
    find_dates,
    format_date,
    is_toc_line,
    line_text,
    name_keys,
    raw_lines,
)

KLE = r"\d{2}\.\d{2}\.\d{2}\s*-\s*[A-ZÆØÅ0-9]\d{2}\s*-\s*\d{1,6}\s*-\s*\d{2}(?:\d{2})?(?!\d)"


KLE_RE = re.compile(KLE, re.IGNORECASE)


_PUNKT_RE = re.compile(
    r"^(?P<kind>punkt|pkt\.?|dagsordenspunkt|sag(?:\s+nr\.?)?)\s*(?P<num>\d{1,2})(?!\d)"
    r"(?:\s*\((?P<tag>[^()]{1,30})\))?(?P<sep>\s*[:.–—-](?!\d))?\s*(?P<title>.*)$",
    re.IGNORECASE,
)


_NUMBERED_RE = re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<title>\S.*)$")


_CASE_LABEL = r"(?:sags?\s*(?:nr|nummer|id)|j\.?\s*nr|journal\s*(?:nr|nummer)|kle)\.?"


_CASE_LABEL_RE = re.compile(rf"^{_CASE_LABEL}\s*[:.]?", re.IGNORECASE)


_JOURNAL_LINE_RE = re.compile(rf"^(?:{_CASE_LABEL}\s*[:.]?\s*)?(?P<kle>{KLE})", re.IGNORECASE)


_EARLIER_RE = re.compile(
    r"^tidligere\s+(?:politisk\s+)?(?:behandling(?:er)?|beslutninger)\b\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


_PUNKT_NUMBER_RE = re.compile(r"\b(?:punkt|pkt\.?)\s*(?P<num>\d{1,3})\b", re.IGNORECASE)


_SECTION_RE = re.compile(
    r"(?:indhold|sammendrag|resumé|baggrund|sagsfremstilling|sagsbeskrivelse|beskrivelse"
    r"|problemstilling|formål|indstilling|beslutning|bilag|lovgrundlag|kommunikation"
    r"|økonomi|økonomiske\s+konsekvenser.*|beslutningen\s+træffes\s+af)\s*:?",
    re.IGNORECASE,
)


MAX_TITLE = 300


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: str  # without "Punkt 6:" and without markup
    journal_number: str | None  # "85.13.00-P00-1-23"
    earlier_treatment: str | None  # "Økonomiudvalget den 12. marts 2024 Punkt 11"
    text: str  # from the heading line to the next item, heading included


@dataclass(frozen=True)
class ItemMatch:
    item: AgendaItem | None  # None when none or several match
    candidates: list[AgendaItem]  # the items that could be meant, when several match
    how: str  # short Danish explanation


@dataclass(frozen=True)
class EarlierDecision:  # a decision on the case, e.g. the one that sent it to consultation
    body_name: str
    meeting_date: date
    agenda_item: int | None


@dataclass(frozen=True)
class _Line:
    raw: str
    text: str  # plain text
    heading: bool  # a Markdown heading or a line bold as a whole
    starts_paragraph: bool
    toc: bool


@dataclass(frozen=True)
class _Heading:
    index: int  # line index of the heading
    number: int
    title: str


def normalise_journal_number(text: str) -> str:
    """``85.13.00-p00-1-23`` and ``85.13.00 - P00 - 1 - 23`` as ``85.13.00-P00-1-23``."""
    return re.sub(r"\s+", "", text).upper()


def _read_lines(text: str) -> list[_Line]:
    raws = raw_lines(text)
    lines = []
    for index, raw in enumerate(raws):
        heading = bool(raw.strip()) and heading_of(raw) is not None
        previous = raws[index - 1] if index else ""
        starts = not previous.strip() or heading_of(previous) is not None
        lines.append(_Line(raw, line_text(raw), heading, starts, is_toc_line(raw)))
    return lines


def split_items(text: str) -> list[AgendaItem]:
    """The agenda items of a whole minutes document; rules in the module docstring."""
    lines = _read_lines(text)
    headings = _headings(lines, _punkt_heading) or _headings(lines, _numbered_heading)
    headings = _increasing(_drop_contents_run(headings))
    items = []
    for position, heading in enumerate(headings):
        end = headings[position + 1].index if position + 1 < len(headings) else len(lines)
        items.append(_item(lines, heading, end))
    return items


_Detector = Callable[[list[_Line], int], "_Heading | None"]


def _headings(lines: list[_Line], detect: _Detector) -> list[_Heading]:
    found = []
    for index, line in enumerate(lines):
        if line.text and not line.toc:
            heading = detect(lines, index)
            if heading is not None and 1 <= heading.number <= 99:
                found.append(heading)
    return found


def _punkt_heading(lines: list[_Line], index: int) -> _Heading | None:
    match = _PUNKT_RE.match(lines[index].text)
    if not match:
        return None
    kind = match["kind"].lower()
    title = match["title"].strip()
    marked = bool(match["sep"] or match["tag"])
    if kind.startswith("sag") and not (marked or "nr" in kind):
        return None
    line = lines[index]
    if not marked and not line.heading and title and not title[0].isupper():
        return None
    if not (line.heading or line.starts_paragraph or line.text[0].isupper()):
        return None
    title = _full_title(lines, index, title)
    if not title or len(title) > MAX_TITLE:
        return None
    return _Heading(index, int(match["num"]), title)


def _numbered_heading(lines: list[_Line], index: int) -> _Heading | None:
    line = lines[index]
    match = _NUMBERED_RE.match(line.text)
    if not match or not (line.heading or line.starts_paragraph):
        return None
    if not line.heading:
        paragraph = _paragraph(lines, index)
        if len(paragraph) > 2 or sum(len(part) for part in paragraph) > 200:
            return None
    if not _case_line_follows(lines, index):
        return None
    title = _full_title(lines, index, match["title"].strip())
    return _Heading(index, int(match["num"]), title) if title else None


def _paragraph(lines: list[_Line], index: int) -> list[str]:
    """The plain lines of the paragraph starting at ``index``."""
    paragraph = [lines[index].text]
    for line in lines[index + 1 :]:
        if not line.text or line.heading:
            break
        paragraph.append(line.text)
    return paragraph


def _case_line_follows(lines: list[_Line], index: int) -> bool:
    """A KLE number or a "Sagsnr." line within four lines, before the next numbered line."""
    seen = 0
    for line in lines[index + 1 :]:
        if not line.text:
            continue
        if _NUMBERED_RE.match(line.text) or _PUNKT_RE.match(line.text):
            return False
        if KLE_RE.search(line.text) or _CASE_LABEL_RE.match(line.text):
            return True
        seen += 1
        if seen >= 4:
            return False
    return False


def _full_title(lines: list[_Line], index: int, title: str) -> str:
    """``title`` with a second line of its paragraph, or the next line when it is empty."""
    if lines[index].heading:
        return title or _next_text(lines, index)
    tail = list(takewhile(lambda text: not _is_metadata(text), _paragraph(lines, index)[1:]))
    if not title:
        return tail[0] if tail else _next_text(lines, index)
    if len(tail) == 1 and not tail[0].endswith(".") and len(title) + len(tail[0]) < MAX_TITLE:
        return f"{title} {tail[0]}"
    return title


def _next_text(lines: list[_Line], index: int) -> str:
    """The next non-empty line after ``index`` if it can be a title, else ""."""
    line = next((line for line in lines[index + 1 :] if line.text), None)
    if line is None or line.toc or _is_metadata(line.text):
        return ""
    return line.text.rstrip(":").strip()


def _is_metadata(text: str) -> bool:
    return bool(
        KLE_RE.search(text)
        or _CASE_LABEL_RE.match(text)
        or _EARLIER_RE.match(text)
        or _PUNKT_RE.match(text)
        or _NUMBERED_RE.match(text)
    )


def _drop_contents_run(headings: list[_Heading]) -> list[_Heading]:
    """Without a leading run of headings with nothing between them (a contents list)."""
    run = 0
    while (
        run + 1 < len(headings)
        and headings[run + 1].index - headings[run].index <= 2
        and headings[run + 1].number > headings[run].number
    ):
        run += 1
    if run == 0:
        return headings
    rest = headings[run + 1 :]
    if rest and rest[0].number <= headings[run].number:
        return rest
    return headings


def _increasing(headings: list[_Heading]) -> list[_Heading]:
    kept: list[_Heading] = []
    for heading in headings:
        if not kept or heading.number > kept[-1].number:
            kept.append(heading)
    return kept


def _item(lines: list[_Line], heading: _Heading, end: int) -> AgendaItem:
    body = lines[heading.index + 1 : end]
    text = "\n".join(line.raw for line in lines[heading.index : end]).rstrip()
    return AgendaItem(
        number=heading.number,
        title=heading.title,
        journal_number=_journal_number(body),
        earlier_treatment=_earlier_treatment(body),
        text=text,
    )


def _journal_number(body: list[_Line]) -> str | None:
    seen = 0
    for line in body:
        if not line.text:
            continue
        match = _JOURNAL_LINE_RE.match(line.text)
        if match:
            return normalise_journal_number(match["kle"])
        seen += 1
        if seen >= 4:
            return None
    return None


def _earlier_treatment(body: list[_Line]) -> str | None:
    for index, line in enumerate(body):
        match = _EARLIER_RE.match(line.text)
        if match and (not match["rest"] or find_dates(match["rest"])):
            first = [match["rest"]] if match["rest"] else []
            return _citations(body[index + 1 :], first)
    return None


def _citations(lines: list[_Line], found: list[str]) -> str | None:
    """The paragraphs under "Tidligere behandling": the first, then those citing a meeting."""
    for line in lines:
        if not line.text:
            continue
        if line.heading or (found and not _cites_meeting(line.text)):
            break
        if not found and _SECTION_RE.fullmatch(line.text):
            break
        found.append(line.text)
    return "\n".join(found) if found else None


def _cites_meeting(text: str) -> bool:
    return bool(find_dates(text)) and len(text) <= 200


# --- which item the consultation concerns ---------------------------------------------

_STEMMER = snowballstemmer.stemmer("danish")


STOP_WORDS = frozenset(
    {"af", "og", "i", "at", "til", "på", "for", "med", "den", "det", "de", "en", "et", "om",
     "som", "er", "der", "fra", "ved", "samt", "vedr", "vedrørende", "under", "efter",
     "høring", "høringer", "høringssvar", "høringsudkast", "forslag", "udkast", "endelig",
     "godkendelse", "behandling", "drøftelse", "orientering", "sag", "punkt", "ny", "nye"}
)  # fmt: skip


MIN_SCORE = 0.5


CLOSE = 0.15


def find_item(
    items: list[AgendaItem],
    *,
    journal_number: str | None,
    title: str,
    decisions: Sequence[EarlierDecision] = (),
    item_number: int | None = None,
) -> ItemMatch:
    """The item of ``items`` a consultation concerns.

    ``item_number`` given (staff chose): that item, or none if it does not exist.
    Otherwise, in turn: the journal number (ignoring spaces and case; several items with
    it are candidates); an item whose "Tidligere behandling" cites one of ``decisions``
    (the body's name, the date in any Danish form and, when both give one, the item
    number); the title's words (Danish stems, stop words and "høring"/"forslag" left
    out, a word inside a compound counting when it has at least five letters): a score
    of at least 0.5 that beats the next by 0.15 wins, scores closer than that are
    candidates.
    """
    if not items:
        return ItemMatch(None, [], _("referatet har ingen dagsordenspunkter"))
    if item_number is not None:
        return _by_number(items, item_number)
    tried = []
    if journal_number and journal_number.strip():
        match = _by_journal_number(items, journal_number)
        if match.item or match.candidates:
            return match
        tried.append(match.how)
    if decisions:
        match = _by_decisions(items, decisions)
        if match.item or match.candidates:
            return match
        tried.append(match.how)
    match = _by_title(items, title)
    if match.item or match.candidates:
        return match
    tried.append(match.how)
    return ItemMatch(None, [], _("intet punkt fundet: %(tried)s", tried="; ".join(tried)))


def _by_number(items: list[AgendaItem], number: int) -> ItemMatch:
    for item in items:
        if item.number == number:
            return ItemMatch(item, [], _("punkt %(n)d valgt", n=number))
    numbers = ", ".join(str(item.number) for item in items)
    return ItemMatch(None, [], _("referatet har intet punkt %(n)d (punkterne er %(numbers)s)",
                                 n=number, numbers=numbers))


def _by_journal_number(items: list[AgendaItem], journal_number: str) -> ItemMatch:
    wanted = normalise_journal_number(journal_number)
    found = [item for item in items if item.journal_number == wanted]
    if len(found) == 1:
        return ItemMatch(found[0], [], _("journalnummer %(kle)s", kle=wanted))
    if found:
        numbers = ", ".join(str(item.number) for item in found)
        return ItemMatch(None, found, _("journalnummer %(kle)s står ved punkt %(numbers)s",
                                        kle=wanted, numbers=numbers))
    return ItemMatch(None, [], _("intet punkt har journalnummer %(kle)s", kle=wanted))


def _by_decisions(items: list[AgendaItem], decisions: Sequence[EarlierDecision]) -> ItemMatch:
    found: list[tuple[AgendaItem, EarlierDecision]] = []
    for item in items:
        decision = next((d for d in decisions if _cites(item.earlier_treatment, d)), None)
        if decision is not None:
            found.append((item, decision))
    if len(found) == 1:
        item, decision = found[0]
        return ItemMatch(item, [], _("tidligere behandling: %(citation)s",
                                     citation=_citation(decision)))
    if found:
        numbers = ", ".join(str(item.number) for item, _decision in found)
        how = _("tidligere behandling nævnt ved punkt %(numbers)s", numbers=numbers)
        return ItemMatch(None, [item for item, _decision in found], how)
    cited = ", ".join(_citation(decision) for decision in decisions)
    return ItemMatch(None, [], _("intet punkt er tidligere behandlet i %(cited)s", cited=cited))


def _citation(decision: EarlierDecision) -> str:
    text = f"{decision.body_name} den {format_date(decision.meeting_date)}"
    return text if decision.agenda_item is None else f"{text} punkt {decision.agenda_item}"


def _cites(earlier_treatment: str | None, decision: EarlierDecision) -> bool:
    """Whether one line of ``earlier_treatment`` cites ``decision``."""
    if not earlier_treatment:
        return False
    keys = name_keys(decision.body_name)
    for citation in re.split(r"\n|;", earlier_treatment):
        if not _names_body(citation, keys):
            continue
        if decision.meeting_date not in find_dates(citation):
            continue
        cited_item = _PUNKT_NUMBER_RE.search(citation)
        if decision.agenda_item is None or cited_item is None:
            return True
        if int(cited_item["num"]) == decision.agenda_item:
            return True
    return False


def _names_body(citation: str, keys: set[str]) -> bool:
    """Whether the words before the date of ``citation`` end with the body's name (and
    "Digitaliserings- og Teknologiudvalget" does not name "Teknologiudvalget")."""
    before = re.split(r"\s(?:den|d\.)\s|[,;(]|\s\d", citation, maxsplit=1)[0]
    words = before.split()
    for start in range(len(words)):
        if start and (words[start - 1].lower() in ("og", "&") or words[start - 1][-1] in "-/"):
            continue
        if name_keys(" ".join(words[start:])) & keys:
            return True
    return False


def title_stems(title: str) -> set[str]:
    """The stems of the content words of ``title``."""
    words = re.findall(r"[^\W_]+", title.lower())
    return {_STEMMER.stemWord(word) for word in words if word not in STOP_WORDS}


def _covered(stems: set[str], other: set[str]) -> int:
    """How many of ``stems`` occur in ``other``, as a word or inside a compound."""
    return sum(
        1
        for stem in stems
        if stem in other
        or any(len(s) >= 5 and (s in stem or stem in s) for s in other if len(stem) >= 5)
    )


def title_score(wanted: set[str], title: str) -> float:
    """The mean share of each title's stems found in the other (0 to 1)."""
    stems = title_stems(title)
    if not wanted or not stems:
        return 0.0
    return (_covered(wanted, stems) / len(wanted) + _covered(stems, wanted) / len(stems)) / 2


def _by_title(items: list[AgendaItem], title: str) -> ItemMatch:
    wanted = title_stems(title)
    scored = sorted(
        ((title_score(wanted, item.title), item) for item in items),
        key=lambda pair: -pair[0],
    )
    best = scored[0][0]
    if best < MIN_SCORE:
        return ItemMatch(None, [], _("ingen punkttitel ligner «%(title)s»", title=title))
    close = [item for score, item in scored if score >= MIN_SCORE and best - score < CLOSE]
    if len(close) == 1:
        return ItemMatch(close[0], [], _("titlens ord"))
    numbers = ", ".join(str(item.number) for item in close)
    return ItemMatch(None, close, _("titlens ord passer på punkt %(numbers)s", numbers=numbers))
