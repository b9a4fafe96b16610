"""The memo's fixed texts as generated: the title, the unit, Baggrund, the responses
heading and its intro sentence and the parts' headings. Staff may rewrite each per memo
(``Consultation.memo_*``); an empty field means the default made here. The defaults read
like the real memo of 8 June 2024 (``Notat om høring af de politiske principper ...``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from hoering.accounts.models import BodyKind
from hoering.core.clock import LOCAL_TZ
from hoering.core.formatting import danish_date_text
from hoering.policies.models import Section

GENERAL_KEY = "general"  # the key of the general part in ``Consultation.memo_part_headings``
GENERAL_HEADING = "Høringssvar med opmærksomhedspunkter generelt"
TITLE_LEAD = "Notat om høring af "
LATE_NOTE = "Høringssvar markeret »modtaget efter fristen« er indkommet efter høringsfristen."

# Definite forms of the usual names of a draft's first section.
_DEFINITE = {
    "rammesætning": "rammesætningen",
    "indledning": "indledningen",
    "baggrund": "baggrunden",
    "vision": "visionen",
    "forord": "forordet",
    "formål": "formålet",
}
# What a numbered section is called, with its plural definite form.
_NUMBERED_PLURAL = {
    "princip": "principperne",
    "tema": "temaerne",
    "afsnit": "afsnittene",
    "kapitel": "kapitlerne",
    "del": "delene",
    "indsatsområde": "indsatsområderne",
    "målsætning": "målsætningerne",
}
_NUMBERED = re.compile(r"^\s*(" + "|".join(_NUMBERED_PLURAL) + r")\s+(\d+)\b", re.IGNORECASE)
# Nouns whose definite form a title may take: "Kulturpolitik" → "kulturpolitikken".
_DEFINITE_ENDINGS = (("politik", "ken"), ("strategi", "en"), ("plan", "en"))
_COMPOUND_LEAD = re.compile(r"^(\S+-,?|og|eller)$")  # "Kultur-," "idræts-" "og" ...


def framing_name(heading: str) -> str:
    """"Rammesætning" → "rammesætningen"; anything else is quoted."""
    key = heading.strip().rstrip(":").casefold()
    return _DEFINITE.get(key, f"afsnittet »{heading.strip()}«")


def part_heading(section: Section) -> str:
    """The default heading of a section's part: "Høringssvar til princip 3"."""
    if section.position == 1:
        return f"Høringssvar til {framing_name(section.heading)} og overordnet"
    numbered = _NUMBERED.match(section.heading)
    if numbered:
        return f"Høringssvar til {numbered.group(1).lower()} {numbered.group(2)}"
    return f"Høringssvar til {section.heading.strip()}"


def default_part_headings(sections: list[Section]) -> dict[str, str]:
    """Every part's default heading by its key: the section id as text, or "general"."""
    headings = {str(section.id): part_heading(section) for section in sections}
    headings[GENERAL_KEY] = GENERAL_HEADING
    return headings


def policy_phrase(title: str) -> str:
    """The policy's title as a noun phrase with its article, for "Notat om høring af ...":
    a plural adjective and noun get "de" ("Politiske principper for ..." → "de politiske
    principper for ..."); a policy, strategy or plan its definite form ("Kultur-, idræts-
    og fritidspolitik for ..." → "kultur-, idræts- og fritidspolitikken for ..."); any
    other title stays as it is."""
    words = title.strip().split(" ")
    if len(words) >= 2 and _is_plural_pair(words[0], words[1]):
        return "de " + _lower_first(" ".join(words))
    for index, word in enumerate(words):
        ending = next((e for e in _DEFINITE_ENDINGS if word.casefold().endswith(e[0])), None)
        if ending is not None:
            words[index] = word + ending[1]
            return _lower_first(" ".join(words))
        if not _COMPOUND_LEAD.match(word):
            break
    return title.strip()


def _is_plural_pair(adjective: str, noun: str) -> bool:
    """"Politiske principper", "Nye retningslinjer": an adjective in -e, a noun in -er."""
    return (adjective.isalpha() and adjective.casefold().endswith("e")
            and noun.isalpha() and noun.islower() and noun.endswith("er"))


def _lower_first(text: str) -> str:
    """"Politiske principper" → "politiske principper", but "IT-strategi" and "KB" keep
    their capitals."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


class ConsulteeKinds(NamedTuple):
    """Who the consultees are, for the texts naming them."""

    heading: str  # "Høringssvar fra politiske fagudvalg"
    which: str  # "hvilket udvalg"


_COMMITTEES = ConsulteeKinds("Høringssvar fra politiske fagudvalg", "hvilket udvalg")
_COUNCILS = ConsulteeKinds("Høringssvar fra rådene", "hvilket råd")
_MIXED = ConsulteeKinds("Høringssvar fra høringsparterne", "hvilken høringspart")


def consultee_kinds(kinds: set[BodyKind], *, public: bool) -> ConsulteeKinds:
    """Committees (with works councils: Hoved-MED answers with the committees),
    councils, or a mix (also any public consultation)."""
    if public or not kinds:
        return _MIXED
    if BodyKind.COMMITTEE in kinds and kinds <= {BodyKind.COMMITTEE, BodyKind.WORKS_COUNCIL}:
        return _COMMITTEES
    if kinds == {BodyKind.COUNCIL}:
        return _COUNCILS
    return _MIXED


def responses_intro(sections: list[Section], kinds: ConsulteeKinds) -> str:
    """"Nedenfor er høringssvarene præsenteret efter om de omhandler rammesætningen, et
    specifikt princip eller opmærksomhedspunkter ved principperne efter de er vedtaget.
    Efter hvert høringssvar er det angivet hvilket udvalg, svaret kommer fra."""
    framing = framing_name(sections[0].heading) if sections else "rammesætningen"
    names = {match.group(1).lower() for s in sections[1:]
             if (match := _NUMBERED.match(s.heading))}
    if len(names) == 1:
        name = names.pop()
        specific = f"et specifikt {name} eller opmærksomhedspunkter ved " \
                   f"{_NUMBERED_PLURAL[name]} efter de er vedtaget"
    else:
        specific = "et specifikt afsnit eller opmærksomhedspunkter generelt"
    return (f"Nedenfor er høringssvarene præsenteret efter om de omhandler {framing}, "
            f"{specific}. Efter hvert høringssvar er det angivet {kinds.which}, svaret "
            f"kommer fra.")


@dataclass(frozen=True)
class BackgroundFacts:
    """What the default Baggrund says."""

    owner: str  # "Digitaliserings- og Teknologiudvalget (DTU)"
    policy: str  # the policy as a noun phrase
    bodies: list[str]  # the consultees' names, in the memo's order
    opens_on: date
    closes_at_local: date
    responded: int
    remarks: int
    public: int


def default_background(facts: BackgroundFacts) -> str:
    names = facts.bodies
    if not names:
        listed = "ingen høringsparter"
    elif len(names) == 1:
        listed = names[0]
    else:
        listed = ", ".join(names[:-1]) + " og " + names[-1]
    return (
        f"{facts.owner} har sendt {facts.policy} i høring hos {listed}. Høringsperioden "
        f"løb fra {danish_date_text(facts.opens_on)} til "
        f"{danish_date_text(facts.closes_at_local)}.\n\n"
        f"Der er modtaget høringssvar fra {facts.responded} af {len(names)} høringsparter"
        + (f" og {facts.public} høringssvar fra borgere og foreninger (offentlig høring)"
           if facts.public else "")
        + f" med i alt {facts.remarks} bemærkninger. Administrationen har behandlet hver "
        "bemærkning; administrationens bemærkninger står i kursiv under hver bemærkning."
    )


def local_date(moment: datetime) -> date:
    """The day of ``moment`` in Danish time."""
    return moment.astimezone(LOCAL_TZ).date()


@dataclass(frozen=True)
class MemoDefaults:
    """The generated texts: what an empty field of the memo's texts stands for."""

    title: str
    unit: str
    background: str
    responses_heading: str
    responses_intro: str
    part_headings: dict[str, str]  # by part key (section id as text, or "general")
