"""Step: a section suggested by a remark's words, when the remark names no part.

:func:`suggest_section` is the last try of the placement step
(:func:`hoering.consultations.minutes.place.place_remark`), after the explicit references
and after remarks about the policy as a whole. It compares words, not meaning:

- the remark and each section (heading and text) are split into words, lower case; stop
  words ("og", "bør", "skal", "mere" ...) and the words for the parts of a policy
  ("princip", "tema", "afsnit" ...) are left out; the rest become Danish Snowball stems
  ("foreningerne" and "foreninger" are both "forening");
- a stem of the remark matches a stem of a section when they are equal, or at half weight
  when one is part of a compound of the other ("idræt" and "eliteidræt", "data" and
  "datasikkerhed": one starts or ends with the other, the shorter has at least four
  letters and the longer at least three more) -- in a text only when no section has the
  word itself ("musikskolen" is Tema 3's word, not part of "skolerne" elsewhere);
- a match counts :data:`HEADING_WEIGHT` in the heading and 1 in the text, divided by the
  number of sections the stem matches, so that a word found everywhere ("borgerne",
  "kommunen") says little;
- a section is suggested only when it clearly stands out: it matches at least
  :data:`MIN_WORDS` different words of the remark (or one word that is in its heading
  and in no other section: "samfundsopgaven"), its score is at least :data:`MIN_SCORE`,
  and at least :data:`RATIO` times the runner-up's. Otherwise there is no suggestion and
  the remark goes to the general attention points.

The reason names the remark's words that matched, the weightiest first: ``forslag ud fra
ordene "idræt", "bevægelse" – ingen direkte henvisning``. Words that mean the same but
stem differently are missed, and words that stem alike but mean different things
("brugerne" and "vi bruger") match: a suggestion is for staff to confirm. It is pure: no
I/O, no Flask, no database.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Protocol

import snowballstemmer  # type: ignore[import-untyped]  # no types published

from hoering.consultations.minutes.results import SectionRef
from hoering.consultations.minutes.wording import _

HEADING_WEIGHT = 3.0
MIN_WORDS = 2
MIN_SCORE = 1.25
RATIO = 2.0
_COMPOUND_WEIGHT = 0.5
_MAX_WORDS_IN_REASON = 4

_STOP_WORDS = frozenset(
    {
        "ad", "af", "al", "alle", "alt", "altid", "anden", "andet", "andre", "at", "bare",
        "begge", "blandt", "blev", "blive", "bliver", "bør", "da", "de", "dem", "den",
        "denne", "dens", "der", "deres", "derfor", "dermed", "det", "dette", "dig", "din",
        "disse", "dog", "du", "efter", "eller", "en", "end", "ene", "eneste", "enhver",
        "er", "et", "ethvert", "f", "fx", "for", "fordi", "fra", "få", "får", "gerne",
        "gjort", "god", "gode", "godt", "gør", "gøre", "gøres", "han", "hans", "har",
        "havde", "have", "hele", "hende", "hendes", "her", "herunder", "hos", "hun", "hvad",
        "hvem", "hver", "hvilke", "hvilken", "hvis", "hvor", "hvordan", "hvorfor",
        "hvornår", "i", "igen", "ikke", "ind", "ingen", "jeg", "jer", "jo", "kan", "kunne",
        "lidt", "lige", "man", "mange", "med", "meget", "men", "mere", "mest", "mig", "min",
        "mine", "mit", "mod", "må", "måske", "ned", "nogen", "noget", "nogle", "nok", "nu",
        "når", "og", "også", "om", "op", "os", "over", "på", "sig", "sin", "sine", "sit",
        "skal", "skulle", "som", "stadig", "så", "sådan", "thi", "til", "ud", "under",
        "var", "vi", "vil", "ville", "vor", "vores", "være", "været", "øvrigt", "bedre",
        "flere", "nye", "ny", "nyt", "særligt", "samt", "fordel", "eks", "blot", "ved",
        "før", "hvert",
    }
)  # fmt: skip

_GENERIC_WORDS = (  # the words of a remark, not of its subject
    "princip", "principper", "tema", "temaer", "afsnit", "kapitel", "politik", "strategi",
    "udkast", "dokument", "udvalg", "udvalget", "bemærkning", "bemærkninger", "formulering",
    "formuleringen", "sætning", "sætningen", "tekst", "teksten", "ord", "ordet", "overveje",
    "overvejes", "nævne", "nævnes", "tydelig", "tydeligere", "vigtig", "vigtigt", "fokus",
    "stå", "står", "ønske", "ønsker", "forslag", "opmærksomhed", "opmærksom", "mangler",
    "del", "prioritere", "prioriteres", "styrke", "styrkes", "sikre", "sikrer", "højere",
    "lave", "laves", "tage", "tages", "tænke", "tænkes", "medtage", "medtages", "indgå",
    "indgår",
)  # fmt: skip

_WORD_RE = re.compile(r"[^\W\d_]+")


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # noqa: N802 (snowballstemmer's name)


_local = threading.local()  # a Snowball stemmer keeps state between calls


def suggest_section(remark: str, ordered: list[SectionRef]) -> tuple[int, str] | None:
    """The section ``remark``'s words point at, when one clearly stands out, and why."""
    words = _stems(remark)
    if not words or not ordered:
        return None
    scores = _scores(words, ordered)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1][0], reverse=True)
    position, (score, matched) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
    only_here = len(ranked) == 1 and score >= HEADING_WEIGHT  # one word, in this heading
    if len(matched) < MIN_WORDS and not only_here:
        return None
    if score < MIN_SCORE or score < RATIO * runner_up:
        return None
    shown = ", ".join(f'"{word}"' for word in matched[:_MAX_WORDS_IN_REASON])
    if len(matched) > 1:
        return position, str(_("forslag ud fra ordene %(words)s – ingen direkte henvisning",
                               words=shown))
    return position, str(_("forslag ud fra ordet %(words)s – ingen direkte henvisning",
                           words=shown))


def _stemmer() -> _Stemmer:
    stemmer: _Stemmer | None = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("danish")
    return stemmer


@lru_cache(maxsize=1)
def _generic_stems() -> frozenset[str]:
    stemmer: _Stemmer = snowballstemmer.stemmer("danish")
    return frozenset(stemmer.stemWord(word) for word in _GENERIC_WORDS)


def _stems(text: str) -> list[tuple[str, str]]:
    """(stem, word) for the content words of ``text``, in order, each stem once."""
    stemmer = _stemmer()
    seen: dict[str, str] = {}
    for word in _WORD_RE.findall(text.lower()):
        if len(word) < 2 or word in _STOP_WORDS:
            continue
        stem = stemmer.stemWord(word)
        if stem not in _generic_stems() and stem not in seen:
            seen[stem] = word
    return list(seen.items())


@lru_cache(maxsize=512)
def _section_stems(heading: str, text: str) -> tuple[frozenset[str], frozenset[str]]:
    return (
        frozenset(stem for stem, _word in _stems(heading)),
        frozenset(stem for stem, _word in _stems(text)),
    )


def _compound(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return (
        len(short) >= 4
        and len(long) >= len(short) + 3
        and (long.startswith(short) or long.endswith(short))
    )


def _match(stem: str, stems: frozenset[str], compounds: bool) -> float:
    if stem in stems:
        return 1.0
    if compounds and any(_compound(stem, other) for other in stems):
        return _COMPOUND_WEIGHT
    return 0.0


def _hits(stem: str, stems: dict[int, tuple[frozenset[str], frozenset[str]]]) -> dict[int, float]:
    """What ``stem`` is worth in each section it matches. Part of a compound counts in a
    heading, and in a text only when no section has the word itself."""
    anywhere = any(stem in heading or stem in text for heading, text in stems.values())
    hits = {
        position: max(
            HEADING_WEIGHT * _match(stem, heading, compounds=True),
            _match(stem, text, compounds=not anywhere),
        )
        for position, (heading, text) in stems.items()
    }
    return {position: value for position, value in hits.items() if value}


def _scores(
    words: list[tuple[str, str]], ordered: list[SectionRef]
) -> dict[int, tuple[float, list[str]]]:
    """Each section's score and the remark's words it matched, the weightiest first."""
    stems = {section.position: _section_stems(section.heading, section.text) for section in ordered}
    found: dict[int, list[tuple[float, str]]] = {}
    for stem, word in words:
        hits = _hits(stem, stems)
        for position, value in hits.items():
            found.setdefault(position, []).append((value / len(hits), word))
    return {
        position: (
            sum(value for value, _word in matches),
            [word for _value, word in sorted(matches, key=lambda match: -match[0])],
        )
        for position, matches in found.items()
    }
