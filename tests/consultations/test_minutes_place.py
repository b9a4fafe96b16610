"""Placing a remark (hoering.consultations.minutes.place and .suggest): named parts,
counted sections, the policy as a whole, and a suggestion from the remark's words. The
sections carry the demo's texts: the culture draft and the digitalisation principles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hoering.consultations.minutes import place, suggest
from hoering.consultations.minutes.parse import parse_minutes
from hoering.consultations.minutes.place import (
    Placement,
    explicit_reference,
    place_remark,
    propose_section,
)
from hoering.consultations.minutes.results import REASON_GENERAL, SectionRef
from hoering.demo.content import CONSULTED_SECTIONS, CULTURE_POLICY
from tests.consultations.reference import HEADINGS, REFERENCE, REFERENCE_POSITIONS

CULTURE = [
    SectionRef(number, heading, text)
    for number, (heading, text) in enumerate(CULTURE_POLICY["sections"], start=1)
]
PRINCIPLES = [
    SectionRef(number, heading, text)
    for number, (heading, text) in enumerate(CONSULTED_SECTIONS, start=1)
]
PRINCIPLE_HEADINGS = [SectionRef(number, heading) for number, heading in enumerate(HEADINGS, 1)]
CULTURE_HEADINGS = [SectionRef(section.position, section.heading) for section in CULTURE]


def test_the_sections_are_the_ones_the_rules_are_written_for() -> None:
    assert [section.heading for section in CULTURE] == [
        "Indledning",
        "Vision",
        "Tema 1: Fællesskaber og frivillighed",
        "Tema 2: Idræt og bevægelse for alle",
        "Tema 3: Kunst og kultur i hverdagen",
        "Tema 4: Rum og rammer",
        "Afslutning og opfølgning",
    ]
    assert [section.heading for section in PRINCIPLES] == HEADINGS
    assert all(section.text for section in [*CULTURE, *PRINCIPLES])


# --- the reference: today's placements do not change --------------------------------------


@pytest.mark.parametrize(
    "sections", [PRINCIPLE_HEADINGS, PRINCIPLES], ids=["headings", "headings-and-texts"]
)
def test_the_reference_remarks_keep_their_sections(sections: list[SectionRef]) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is missing")
    parsed = parse_minutes(REFERENCE.read_text(encoding="utf-8"), sections)
    assert [remark.section_position for remark in parsed.remarks] == REFERENCE_POSITIONS
    assert not any(remark.suggested for remark in parsed.remarks)
    # "afsnit to" inside "Under princip nr. to ..." is a paragraph of princip 2
    assert parsed.remarks[2].reason == 'nævner "princip nr. to"'


# --- named parts of the culture draft -----------------------------------------------------


@pytest.mark.parametrize(
    ("remark", "position", "reason"),
    [
        ("Afsnit 4 bør nævne svømning.", 4, 'nævner "Afsnit 4" – versionens 4. afsnit'),
        ("Afsnit nr. 4 er godt.", 4, 'nævner "Afsnit nr. 4" – versionens 4. afsnit'),
        ("Kapitel 2 er for kort.", 2, 'nævner "Kapitel 2" – versionens 2. afsnit'),
        ("Kapitel to er for kort.", 2, 'nævner "Kapitel to" – versionens 2. afsnit'),
        ("Det andet kapitel er for kort.", 2, 'nævner "Det andet kapitel" – versionens 2. afsnit'),
        ("Tema 3 mangler musikskolen.", 5, 'nævner "Tema 3"'),
        ("Under tema nr. fire bør haller nævnes.", 6, 'nævner "tema nr. fire"'),
        (
            "Temaet »Rum og rammer« bør nævne klubhusene.",
            6,
            'citerer overskriften "Rum og rammer"',
        ),
        ('Temaet "Rum og rammer" bør nævne klubhusene.', 6, 'citerer overskriften "Rum og rammer"'),
        ("Temaet “Rum og rammer” bør nævne klubhusene.", 6, 'citerer overskriften "Rum og rammer"'),
        ("Temaet Rum og rammer bør nævne klubhusene.", 6, 'nævner overskriften "Rum og rammer"'),
        (
            "Under »Kunst og kultur i hverdagen« mangler biblioteket.",
            5,
            'citerer overskriften "Kunst og kultur i hverdagen"',
        ),
        ("Visionen er for uambitiøs.", 2, 'nævner "Visionen"'),
        ("Afslutningen bør nævne evalueringen.", 7, 'nævner "Afslutningen"'),
        ("Indledningen er for lang.", 1, 'nævner "Indledningen"'),
    ],
)
def test_named_parts_of_the_culture_draft(remark: str, position: int, reason: str) -> None:
    assert place_remark(remark, CULTURE) == Placement(position, reason)


def test_a_theme_number_is_the_heading_that_carries_it_not_the_nth_section() -> None:
    assert propose_section("Tema 3 mangler musikskolen.", CULTURE)[0] == 5
    assert propose_section("Afsnit 3 mangler musikskolen.", CULTURE)[0] == 3


def test_kapitel_is_the_heading_that_carries_it_when_there_is_one() -> None:
    sections = [
        SectionRef(1, "Forord"),
        SectionRef(2, "Kapitel 1: Baggrund"),
        SectionRef(3, "Kapitel 2: Mål"),
    ]
    assert propose_section("Kapitel 2 er uklart.", sections) == (3, 'nævner "Kapitel 2"')
    assert propose_section("Kapitel 3 er uklart.", sections)[0] is None  # no such chapter
    assert propose_section("Afsnit 2 er uklart.", sections)[0] == 2  # counted


# --- named beats counted ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remark", "sections", "position"),
    [
        # a named principle beats a paragraph number, written in words or digits
        ("Under princip nr. to bør det overvejes, om afsnit to skal flyttes op.", PRINCIPLES, 3),
        ("Under princip nr. to bør det overvejes, om afsnit 2 skal flyttes op.", PRINCIPLES, 3),
        ("Afsnit 3 bør flyttes op under tema 2.", CULTURE, 4),
        ('Under princippet "Vi bruger data..." bør afsnit 2 stå først.', PRINCIPLES, 6),
        ("I visionen bør afsnit 2 forkortes.", CULTURE, 2),
        # "afsnit N" alone is the N-th section
        ("Afsnit 3 er uklart.", PRINCIPLES, 3),
        ("Det bør overvejes, om afsnit 3 skal flyttes op.", PRINCIPLES, 3),
        ("Afslutningen af afsnit 4 er uklar.", CULTURE, 4),
        # a paragraph in words, an ordinal paragraph, a number beyond the last section
        ("Det bør overvejes, om afsnit to skal flyttes op.", PRINCIPLE_HEADINGS, None),
        ("I første afsnit kan vi være mere tydelige.", PRINCIPLE_HEADINGS, None),
        ("Afsnit 9 mangler.", CULTURE, None),
        # "ingen bemærkninger til afsnit 4" is not about afsnit 4
        ("Ingen bemærkninger til afsnit 4, men tema 1 bør uddybes.", CULTURE, 3),
    ],
)
def test_named_beats_counted(remark: str, sections: list[SectionRef], position: int | None) -> None:
    assert propose_section(remark, sections)[0] == position


def test_the_reason_says_a_paragraph_number_was_read_as_a_paragraph() -> None:
    assert propose_section(
        "Under princip nr. to bør det overvejes, om afsnit 2 skal flyttes op.", PRINCIPLES
    ) == (3, 'nævner "princip nr. to" ("afsnit 2" læses som et afsnit i teksten)')


def test_explicit_reference_without_counting() -> None:
    assert explicit_reference("Afsnit 4 bør uddybes.", CULTURE) == (
        4,
        'nævner "Afsnit 4" – versionens 4. afsnit',
    )
    assert explicit_reference("Afsnit 4 bør uddybes.", CULTURE, by_count=False) is None
    assert explicit_reference("Tema 2, afsnit 3 bør uddybes.", CULTURE, by_count=False) == (
        4,
        'nævner "Tema 2" ("afsnit 3" læses som et afsnit i teksten)',
    )


def test_a_list_lead_in_comes_before_the_remarks_own_paragraph_number() -> None:
    parsed = parse_minutes(
        "Udvalget har følgende bemærkninger:\n\n"
        "- Ad princip 3:\n"
        "    - Afsnit 2 bør flyttes op.\n"
        "- Afsnit 2 bør forkortes.\n",
        PRINCIPLES,
    )
    assert [(r.section_position, r.reason) for r in parsed.remarks] == [
        (4, 'listens indledning "Ad princip 3:" nævner "princip 3"'),
        (2, 'nævner "Afsnit 2" – versionens 2. afsnit'),
    ]


# --- the policy as a whole ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("remark", "sections", "reason"),
    [
        (
            'Ordet "Vi" i de fleste principper bør generelt overvejes.',
            PRINCIPLES,
            'omtaler "de fleste principper" samlet – rammesætning/overordnet',
        ),
        (
            "Sproget bør generelt være enklere.",
            CULTURE,
            'omtaler "sproget" generelt – rammesætning/overordnet',
        ),
        (
            "Formuleringerne er overordnet for lange.",
            PRINCIPLES,
            'omtaler "formuleringerne" overordnet – rammesætning/overordnet',
        ),
        (
            "Temaerne bør nævne hallerne og klubhusene.",  # overall before the words
            CULTURE,
            'omtaler "temaerne" samlet – rammesætning/overordnet',
        ),
    ],
)
def test_the_policy_as_a_whole_goes_to_the_framing(
    remark: str, sections: list[SectionRef], reason: str
) -> None:
    assert place_remark(remark, sections) == Placement(1, reason)


def test_generelt_without_the_wording_is_not_about_the_whole() -> None:
    assert place_remark("Generelt bør der være mere fokus på børn og unge.", CULTURE) == (
        Placement(None, REASON_GENERAL)
    )


# --- a suggestion from the remark's words -------------------------------------------------


@pytest.mark.parametrize(
    ("remark", "sections", "position", "words"),
    [
        ("Der skal være mere idræt og bevægelse i hverdagen.", CULTURE_HEADINGS, 4,
         ["idræt", "bevægelse"]),
        ("Foreningerne har svært ved at rekruttere frivillige trænere.", CULTURE, 3,
         ["frivillige", "rekruttere"]),
        ("Det skal være lettere at være frivillig med mindre bureaukrati.", CULTURE, 3,
         ["frivillig", "bureaukrati"]),
        ("Der mangler fokus på svømning og bevægelse for ældre borgere.", CULTURE, 4,
         ["bevægelse"]),
        ("Eliteidrætten og talentudviklingen skal prioriteres højere.", CULTURE, 4,
         ["eliteidrætten", "talentudviklingen"]),
        ("Musikskolen og billedskolen bør have flere pladser til børn.", CULTURE, 5,
         ["musikskolen", "billedskolen"]),
        ("Bibliotekerne bør have flere arrangementer for børnefamilier.", CULTURE, 5,
         ["bibliotekerne", "arrangementer"]),
        ("Hallerne og klubhusene trænger til renovering.", CULTURE, 6,
         ["hallerne", "klubhusene", "renovering"]),
        ("Udvalget ønsker, at skolernes lokaler åbnes for foreningerne om aftenen.", CULTURE, 6,
         ["lokaler"]),
        ("Handleplanerne bør evalueres hvert år.", CULTURE, 7, ["handleplanerne", "evalueres"]),
        ("Opmærksomhed på, at digitale løsninger skal være let tilgængelige.", PRINCIPLES, 2,
         ["tilgængelige"]),
        ("Nye it-systemer skal spille sammen med de fællesoffentlige løsninger.", PRINCIPLES, 3,
         ["systemer", "fællesoffentlige"]),
        ("Ansvaret over for lokalsamfundet og den lokale demokratiske deltagelse skal fremhæves.",
         PRINCIPLES, 4, ["lokalsamfundet", "demokratiske"]),
        ("I beskrivelsen af samfundsopgaven kan der med fordel medtages et økonomisk fokus.",
         PRINCIPLES, 4, ["samfundsopgaven"]),
        ("Slutbrugerne skal inddrages tidligt.", PRINCIPLE_HEADINGS, 5,
         ["slutbrugerne", "inddrages"]),
        ("Der skal være fokus på datasikkerhed og beskyttelse af borgernes oplysninger.",
         PRINCIPLES, 6, ["datasikkerhed", "beskyttelse", "oplysninger"]),
        ("Kunstig intelligens skal bruges etisk og gennemsigtigt.", PRINCIPLES, 6,
         ["kunstig", "intelligens", "etisk"]),
    ],
)  # fmt: skip
def test_a_suggestion_when_one_section_stands_out(
    remark: str, sections: list[SectionRef], position: int, words: list[str]
) -> None:
    placement = place_remark(remark, sections)
    assert placement.position == position
    assert placement.suggested is True
    assert placement.reason.startswith("forslag ud fra ord")
    assert placement.reason.endswith(" – ingen direkte henvisning")
    for word in words:
        assert f'"{word}"' in placement.reason


def test_the_suggestion_reason_names_the_words() -> None:
    assert place_remark("Der skal være mere idræt og bevægelse i hverdagen.", CULTURE_HEADINGS) == (
        Placement(4, 'forslag ud fra ordene "idræt", "bevægelse" – ingen direkte henvisning', True)
    )
    assert place_remark("Samfundsopgaven bør beskrives.", PRINCIPLE_HEADINGS) == Placement(
        4, 'forslag ud fra ordet "samfundsopgaven" – ingen direkte henvisning', True
    )


@pytest.mark.parametrize(
    ("remark", "sections"),
    [
        ("Der bør være fokus på børn og unge.", CULTURE),  # three themes alike
        ("Samarbejdet med foreningerne skal styrkes.", CULTURE),  # found everywhere
        ("Det er vigtigt med en god dialog.", CULTURE),
        ("Frivillige skal have bedre vilkår.", CULTURE),  # heading and introduction
        ("Sundhed bør fylde mere.", CULTURE),
        ("Kommunen skal gå forrest.", CULTURE),
        ("Der er nogen gange behov for ikke at lave digitale løsninger.", PRINCIPLES),  # a tie
        ("Hvordan sikrer vi, at vi har de fornødne midler til digitale løsninger?", PRINCIPLES),
        ("Borger bør tages med som interessenter.", PRINCIPLES),
        ("Økonomi og effektiv drift skal være mere fremtrædende.", PRINCIPLES),  # one word
        ("Løsningerne skal være brugervenlige.", PRINCIPLES),
        # one word in a heading that other headings share part of
        ("Opmærksomhed på, at digitale løsninger skal være let tilgængelige.", PRINCIPLE_HEADINGS),
    ],
)
def test_no_suggestion_when_no_section_stands_out(remark: str, sections: list[SectionRef]) -> None:
    assert place_remark(remark, sections) == Placement(None, REASON_GENERAL)


def test_a_named_part_beats_the_words() -> None:
    # the words point at Tema 4, the remark names Tema 2
    placement = place_remark("Under tema 2 bør hallerne og klubhusene renoveres.", CULTURE)
    assert placement == Placement(4, 'nævner "tema 2"')


def test_parse_minutes_marks_suggestions() -> None:
    parsed = parse_minutes(
        "Udvalget har følgende bemærkninger:\n\n"
        "- Tema 2 bør nævne svømning.\n"
        "- Hallerne og klubhusene trænger til renovering.\n"
        "- Der bør være fokus på børn og unge.\n",
        CULTURE,
    )
    assert [(r.section_position, r.suggested) for r in parsed.remarks] == [
        (4, False),
        (6, True),
        (None, False),
    ]
    assert parsed.remarks[1].reason.startswith('forslag ud fra ordene "hallerne"')


def test_suggest_section_without_words_or_sections() -> None:
    assert suggest.suggest_section("", CULTURE) is None
    assert suggest.suggest_section("Hallerne og klubhusene trænger til renovering.", []) is None
    assert propose_section("Hallerne og klubhusene trænger til renovering.", []) == (
        None,
        REASON_GENERAL,
    )


def test_placement_is_pure() -> None:
    """No Flask, no database: the placement step imports only the standard library,
    snowballstemmer and its sibling steps."""
    for module in (place, suggest):
        assert module.__file__ is not None
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {
            name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for name in (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
        }
        assert imported <= {"__future__", "re", "dataclasses", "functools", "threading", "typing",
                            "snowballstemmer", "hoering"}  # fmt: skip
        sources = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hoering")
        }
        assert all(source.startswith("hoering.consultations.minutes.") for source in sources)
