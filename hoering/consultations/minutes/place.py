"""Step: the section a remark concerns.

3. :func:`place_remark` -- the section a remark concerns, why, and whether it is only a
    suggestion (:func:`propose_section` gives the position and the reason). In this order:

    a. **A named part.** References found in the remark, first mentioned wins:

    - a kind and a number: "princip 5", "princip nr. tre", "princip nr 3", "tema 2",
      "tema nr. to", "principperne 3 og 4" (a number word after "princip"/"tema";
      "en"/"et" only after "nr."). It maps to the heading carrying that kind and
      number ("Princip 3: ...", "Tema 3 – ...", "3. princip"), which need not be the
      third section; if no heading carries that kind with a number, to a heading
      numbered "3." / "3)"; if no heading carries a number at all, to the N-th section
      that is not framing-like (Indledning, Vision, Afslutning ...) after position 1.
      "afsnit N"/"kapitel N" are named parts only if a heading is "Afsnit N ..." /
      "Kapitel N ..." (see c. otherwise);
    - an ordinal and a kind: "det første princip", "andet princip", "tredje tema"
      ("et andet princip" is "another principle" and does not count);
    - a quoted heading, in "…", “…”, »…« or «…»: "Vi digitaliserer ambitiøst og
      inkluderende", temaet »Rum og rammer« (compared case-insensitively without
      "Princip 1:"/"Tema 4:"), a quoted start ending with dots ("Vi bruger data..."),
      or a quote that contains every content word of exactly one heading ("Vi
      understøtter kommunens samfundsopgave via digitalisering");
    - a heading without quotes: of at least three words anywhere, or any heading right
      after "temaet", "princippet", "afsnittet", "kapitlet" ("temaet Rum og rammer");
    - "temaet om idræt", "princippet om inddragelse": the words after "om" against the
      words of the headings (a shared stem of at least four letters);
    - a framing word: "rammesætningen", "den indledende rammesætning", "indledningen",
      "visionen", "afslutningen", "det indledende udsagn": the section whose heading
      contains the word, else position 1. "afslutningen af princip 3" is princip 3.

    A reference right after "ingen bemærkninger til" does not count. When references
    point at different sections the first one wins and the reason names the others.

    b. **Named beats counted.** A named part wins over a paragraph number: in "Under
    princip nr. to bør det overvejes, om afsnit 2 skal flyttes op" the remark is about
    princip 2 and "afsnit 2" is a paragraph inside it (the reason says so).

    c. **A counted section**, only when nothing is named (a. found nothing): "afsnit 4",
    "afsnit nr. 4", "kapitel 2", "kapitel to", "det andet kapitel" mean the N-th section
    of the version counted from position 1 (the introduction or framing counts: the
    culture draft's "syv afsnit" are Indledning, Vision, the four themes, Afslutning).
    "afsnit to" in words and "første afsnit" are read as a paragraph and do not count;
    nor does a number beyond the last section. In a list, the lead-in's reference ("Ad
    princip 3:") comes before the remark's own counted sections (``parse``).

    d. **The policy as a whole** goes to the framing/overall section (position 1): a remark
    about "principperne", "de fleste principper", "alle 5 principper", "temaerne",
    "politikken", "strategien", "udkastet", or about the wording "generelt" /
    "overordnet" / "gennemgående" ("Sproget bør generelt være enklere").

    e. **A suggestion from the remark's words** (:mod:`~hoering.consultations.minutes.suggest`),
    marked ``suggested`` with the words that matched, only when one section clearly
    stands out.

    f. Anything else: ``None`` (general attention points).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoering.consultations.minutes.markup import strip_emphasis
from hoering.consultations.minutes.results import FRAMING_POSITION, REASON_GENERAL, SectionRef
from hoering.consultations.minutes.suggest import suggest_section
from hoering.consultations.minutes.wording import _

NUMBER_WORDS = {
    "en": 1, "et": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
    "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10,
}  # fmt: skip


ORDINALS = {
    "første": 1, "anden": 2, "andet": 2, "tredje": 3, "fjerde": 4, "femte": 5,
    "sjette": 6, "syvende": 7, "ottende": 8, "niende": 9, "tiende": 10,
}  # fmt: skip


_KINDS = ("princip", "tema", "afsnit", "kapitel")


_WEAK_KINDS = ("afsnit", "kapitel")  # a heading's, or counted: only when nothing else is named


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
                       r"|„([^“”\n]{2,300})[“”]|«([^»\n]{2,300})»|»([^«»\n]{2,300})«")  # fmt: skip


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


_GENERALLY_RE = re.compile(
    r"\b(?:generelt|overordnet|gennemgående|overalt|hele\s+vejen\s+igennem"
    r"|i\s+det\s+hele\s+taget)\b",
    re.IGNORECASE,
)


_WORDING_RE = re.compile(
    r"\b(?:sprog(?:et|brug(?:en)?)?|formulering(?:en|er|erne)?|ordvalg(?:et)?|ordet|ordene"
    r"|tone(?:n)?|begreb(?:et|er|erne)?|læsbarhed(?:en)?|sætning(?:en|er|erne)?"
    r"|overskrift(?:en|er|erne)?|teksten|teksterne|vi-form(?:en)?)\b",
    re.IGNORECASE,
)


_KIND_BEFORE_RE = re.compile(r"\b(?:temaet|princippet|afsnittet|kapitlet|overskriften)\s+$", re.I)


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
    counted: bool = False  # "afsnit 4" counted through the sections: when nothing else is named


@dataclass(frozen=True)
class Placement:
    """Where a remark goes (``None``: general attention points), why, and whether only its
    words suggested it."""

    position: int | None
    reason: str
    suggested: bool = False


def place_remark(remark: str, sections: list[SectionRef]) -> Placement:
    """The section ``remark`` most likely concerns, why, and whether it is a suggestion."""
    ordered = sorted(sections, key=lambda section: section.position)
    reference = explicit_reference(remark, ordered)
    if reference is not None:
        return Placement(*reference)
    overall = _overall_reason(remark)
    if overall is not None and ordered:
        return Placement(_framing(ordered), overall)
    suggestion = suggest_section(remark, ordered)
    if suggestion is not None:
        return Placement(*suggestion, suggested=True)
    return Placement(None, _(REASON_GENERAL))


def propose_section(remark: str, sections: list[SectionRef]) -> tuple[int | None, str]:
    """The position of the section ``remark`` most likely concerns, and why."""
    placement = place_remark(remark, sections)
    return placement.position, placement.reason


def explicit_reference(
    remark: str, ordered: list[SectionRef], *, by_count: bool = True
) -> tuple[int, str] | None:
    """The first explicit reference in ``remark``, naming any other sections referenced.
    A section counted by its number ("afsnit 4") answers only when nothing else is
    named, and with ``by_count=False`` not at all (a list's lead-in goes first)."""
    if not ordered:
        return None
    refs = _references(remark, ordered)
    named = [ref for ref in refs if not ref.counted]
    counted = [ref for ref in refs if ref.counted]
    if named:
        return _first_with_others(named, counted)
    if counted and by_count:
        return _first_with_others(counted, [])
    return None


def _references(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    """Every reference in ``remark``, in order, except those it says nothing about."""
    strong = [
        *_numbered_refs(remark, ordered),
        *_ordinal_refs(remark, ordered),
        *_quoted_refs(remark, ordered),
        *_unquoted_heading_refs(remark, ordered),
        *_about_refs(remark, ordered),
    ]
    framing = [
        ref for ref in _framing_refs(remark, ordered)
        if not any(
            other.start > ref.start
            and _PART_OF_RE.fullmatch(" " + remark[ref.end : other.start])
            for other in strong
        )
    ]  # fmt: skip
    return sorted(
        (ref for ref in [*strong, *framing] if not _NEGATED_RE.search(remark[: ref.start])),
        key=lambda ref: ref.start,
    )


def _first_with_others(refs: list[_Ref], paragraphs: list[_Ref]) -> tuple[int, str]:
    """The first reference, its reason naming the other sections referenced and any
    paragraph number read as a paragraph inside it."""
    first = refs[0]
    others: list[str] = []
    seen = {first.position}
    for ref in refs[1:]:
        if ref.position not in seen:
            seen.add(ref.position)
            others.append(f'"{ref.label}"')
    reason = first.reason
    if others:
        reason += " " + _("(nævner også %(others)s)", others=", ".join(others))
    inside = [f'"{ref.label}"' for ref in paragraphs if ref.position != first.position]
    if inside:
        reason += " " + _("(%(refs)s læses som et afsnit i teksten)",
                          refs=", ".join(dict.fromkeys(inside)))
    return first.position, reason


def _overall_reason(remark: str) -> str | None:
    """Why ``remark`` is about the policy as a whole, or None."""
    overall = _OVERALL_RE.search(remark)
    if overall:
        phrase = " ".join(overall.group(0).lower().split())
        return str(_('omtaler "%(phrase)s" samlet – rammesætning/overordnet', phrase=phrase))
    generally = _GENERALLY_RE.search(remark)
    wording = _WORDING_RE.search(remark)
    if generally and wording:
        word = " ".join(generally.group(0).lower().split())
        return str(_('omtaler "%(wording)s" %(word)s – rammesætning/overordnet',
                     wording=wording.group(0).lower(), word=word))
    return None


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
        # "afsnit 4", "afsnit nr. 4", "kapitel to" count; "afsnit to" is a paragraph
        counts = kind == "kapitel" or num.isdigit() or bool(match["nr"])
        label = _label(match.group(0))
        ref = _ref_for_number(kind, number, ordered, counts, (match.start(), match.end(), label))
        if ref is not None:
            refs.append(ref)
    return refs


def _ordinal_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    refs = []
    for match in _ORDINAL_REF_RE.finditer(remark):
        article = (match["article"] or "").lower()
        if article in ("et", "en"):
            continue  # "et andet princip" = another principle
        kind = match["kind"].lower()
        number = int(match["digit"]) if match["digit"] else ORDINALS[match["ord"].lower()]
        # "det andet kapitel" counts; "første afsnit" is a paragraph
        label = _label(match.group(0))
        ref = _ref_for_number(
            kind, number, ordered, kind == "kapitel", (match.start(), match.end(), label)
        )
        if ref is not None:
            refs.append(ref)
    return refs


def _ref_for_number(
    kind: str, number: int, ordered: list[SectionRef], counts: bool, where: tuple[int, int, str]
) -> _Ref | None:
    """The reference "<kind> <number>" at ``where`` (start, end, label), or None. When no
    heading carries "afsnit"/"kapitel" with a number and ``counts``, "afsnit 4" is the
    version's 4th section, a counted reference."""
    start, end, label = where
    position = _section_for_number(kind, number, ordered)
    if position is not None:
        return _Ref(start, end, position, label, _('nævner "%(label)s"', label=label))
    if not counts or kind not in _WEAK_KINDS or _carries(kind, ordered):
        return None
    if not 0 < number <= len(ordered):
        return None
    reason = _('nævner "%(label)s" – versionens %(n)d. afsnit', label=label, n=number)
    return _Ref(start, end, ordered[number - 1].position, label, reason, counted=True)


def _carries(kind: str, ordered: list[SectionRef]) -> bool:
    """Whether a heading carries ``kind`` with a number ("Kapitel 2 ...", "2. afsnit")."""
    for section in ordered:
        match = _HEADING_KIND_RE.match(strip_emphasis(section.heading.strip()))
        if match and (match["kind"] or match["kind2"]).lower() == kind:
            return True
    return False


def _section_for_number(kind: str, number: int, ordered: list[SectionRef]) -> int | None:
    """The section "<kind> <number>" means, or None."""
    carrying_kind = []
    generic = []
    any_number = False
    for section in ordered:
        heading = strip_emphasis(section.heading.strip())
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
    body = _HEADING_PREFIX_RE.sub("", strip_emphasis(heading.strip()))
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
    """A heading of at least three words anywhere, or any heading right after "temaet",
    "princippet" ... ("temaet Rum og rammer")."""
    refs = []
    lowered = remark.lower()
    for section in ordered:
        body = _heading_body(section.heading)
        if len(body) < 4:
            continue
        if len(body.split()) >= 3 and len(body) >= 15:
            index = lowered.find(body)
        else:
            index = next(
                (
                    match.start()
                    for match in re.finditer(rf"(?<!\w){re.escape(body)}(?!\w)", lowered)
                    if _KIND_BEFORE_RE.search(lowered[: match.start()])
                ),
                -1,
            )
        if index >= 0:
            label = _label(remark[index : index + len(body)])
            refs.append(
                _Ref(
                    index,
                    index + len(body),
                    section.position,
                    label,
                    _('nævner overskriften "%(label)s"', label=label),
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
            refs.append(_Ref(match.start(), end, winners[0], label,
                             _('nævner "%(label)s"', label=label)))
    return refs


def _framing_refs(remark: str, ordered: list[SectionRef]) -> list[_Ref]:
    refs = []
    for match in _FRAMING_REF_RE.finditer(remark):
        word = match["word"].lower()
        stem = next((s for s in _FRAMING_STEMS if word.startswith(s)), "indledning")
        label = _label(match.group(0))
        position = next((s.position for s in ordered if stem in s.heading.lower()), None)
        if position is not None:
            reason = _('nævner "%(label)s"', label=label)
        else:
            position = _framing(ordered)
            reason = _('nævner "%(label)s" – rammesætning/overordnet', label=label)
        refs.append(_Ref(match.start(), match.end(), position, label, reason))
    return refs


def _framing(ordered: list[SectionRef]) -> int:
    positions = [section.position for section in ordered]
    return FRAMING_POSITION if FRAMING_POSITION in positions or not positions else positions[0]
