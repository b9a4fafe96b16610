"""Reading a committee decision from minutes (the steps of hoering.consultations.minutes)."""

from __future__ import annotations

import pytest

from hoering.consultations.minutes.decision import extract_decision
from hoering.consultations.minutes.parse import parse_minutes
from hoering.consultations.minutes.place import propose_section
from hoering.consultations.minutes.results import ParsedRemark, SectionRef
from hoering.consultations.minutes.split import is_no_remarks, split_remarks
from tests.consultations.reference import REFERENCE

PRINCIPLES = [
    SectionRef(1, "Rammesætning"),
    SectionRef(2, "Princip 1: Vi digitaliserer ambitiøst og inkluderende"),
    SectionRef(3, "Princip 2: Vi skaber sammenhæng på tværs"),
    SectionRef(4, "Princip 3: Digitalisering understøtter kommunens samfundsopgave"),
    SectionRef(5, "Princip 4: Vi inddrager slutbrugerne"),
    SectionRef(6, "Princip 5: Vi bruger data til at skabe bedre løsninger"),
]
PRINCIPLES_UNNUMBERED = [
    SectionRef(section.position, section.heading.split(": ", 1)[-1]) for section in PRINCIPLES
]
CULTURE = [
    SectionRef(1, "Indledning"),
    SectionRef(2, "Vision"),
    SectionRef(3, "Tema 1: Fællesskaber"),
    SectionRef(4, "Tema 2: Idræt"),
    SectionRef(5, "Tema 3: Kunst og kultur"),
    SectionRef(6, "Tema 4: Faciliteter og rammer"),
    SectionRef(7, "Afslutning"),
]
CULTURE_UNNUMBERED = [
    SectionRef(section.position, section.heading.split(": ", 1)[-1]) for section in CULTURE
]


# --- The acceptance criterion: the real minutes -----------------------------------------


def test_real_minutes_of_the_social_committee() -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is missing")
    parsed = parse_minutes(REFERENCE.read_text(encoding="utf-8"), PRINCIPLES)

    assert len(parsed.remarks) == 7
    assert [remark.section_position for remark in parsed.remarks] == [1, 2, 3, 4, 6, 2, 4]
    assert parsed.remarks[0].text.startswith('Anvendelsen af ordet "Vi"')
    assert parsed.remarks[-1].text.endswith(
        "Dette kan med fordel stå tydeligere under princip nr. tre."
    )
    assert parsed.lead_in == "Socialudvalget har følgende bemærkninger:"
    assert parsed.no_remarks is False
    reasons = [remark.reason for remark in parsed.remarks]
    assert reasons[2] == 'nævner "princip nr. to"'
    assert reasons[4] == 'nævner "princip nr. fem"'
    assert reasons[5].startswith('citerer overskriften "Vi digitaliserer ambitiøst')
    assert "samlet" in reasons[0]
    # nothing from the rest of the document leaks in
    assert not any("Afbud" in r.text or "Bilag" in r.text for r in parsed.remarks)


def test_real_minutes_decision_is_only_the_decision() -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is missing")
    decision = extract_decision(REFERENCE.read_text(encoding="utf-8"))
    assert decision.startswith("Socialudvalget har følgende bemærkninger:")
    assert decision.endswith("under princip nr. tre.")
    assert "Bilag" not in decision and "Punkt 7" not in decision


# --- extract_decision -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(
            "## Indstilling\n\nAt principperne drøftes.\n\n## Beslutning\n\nGodkendt.\n\n"
            "## Bilag\n\nBilag 1",
            "Godkendt.",
            id="markdown-heading-until-bilag",
        ),
        pytest.param(
            "# Punkt 6: Høring\n\n## Beslutning\n\nUdvalget bemærker, at X.\n\n"
            "### Bemærkning om tema 2\n\nY.\n\n# Punkt 7: Meddelelser\n\nZ.",
            "Udvalget bemærker, at X.\n\n### Bemærkning om tema 2\n\nY.",
            id="deeper-heading-stays-higher-heading-ends",
        ),
        pytest.param(
            "Indstilling\nAt principperne drøftes.\nBeslutning\n- a\n- b\nAfbud: André (D)\n"
            "Punkt 7: Meddelelser",
            "- a\n- b",
            id="plain-line-until-afbud",
        ),
        pytest.param(
            "**Beslutningen træffes af**\nSocialudvalget\n\n**Beslutning**\n\n- a\n- b\n\n"
            "**Afbud** André Amingsø (D)\n\n**Punkt 7: Meddelelser**",
            "- a\n- b",
            id="bold-heading-not-beslutningen-traeffes-af",
        ),
        pytest.param(
            "Sagsfremstilling\nBla.\n**Beslutning:** Taget til efterretning.\nBilag\nX",
            "Taget til efterretning.",
            id="inline-decision",
        ),
        pytest.param(
            "### Beslutning i Socialudvalget den 9. april 2024\n\nGodkendt.\n\n### Bilag\n",
            "Godkendt.",
            id="heading-with-body-and-date",
        ),
        pytest.param(
            "## Punkt 1\n\n## Beslutning\n\n## Punkt 2\n\n## Beslutning\n\n- a\n",
            "- a",
            id="first-non-empty-decision",
        ),
        pytest.param(
            "Socialudvalget har følgende bemærkninger:\n- a\n- b",
            "Socialudvalget har følgende bemærkninger:\n- a\n- b",
            id="no-heading-unchanged",
        ),
    ],
)
def test_extract_decision(document: str, expected: str) -> None:
    assert extract_decision(document) == expected


# --- split_remarks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "remarks", "lead_in"),
    [
        pytest.param(
            "Udvalget havde følgende bemærkninger:\n\n- Første bemærkning.\n- Anden bemærkning.",
            ["Første bemærkning.", "Anden bemærkning."],
            "Udvalget havde følgende bemærkninger:",
            id="past-tense-lead-in",
        ),
        pytest.param(
            "Børne- og Skoleudvalget fremsender følgende høringssvar:\n"
            "- der bør stå mere om økonomi\n- borger bør tages med som interessenter",
            ["der bør stå mere om økonomi", "borger bør tages med som interessenter"],
            "Børne- og Skoleudvalget fremsender følgende høringssvar:",
            id="lower-case-bullets-no-blank-lines",
        ),
        pytest.param(
            "Hoved-MED bemærker:\n• Principperne virker brede.\n• Hvordan arbejder vi konkret?",
            ["Principperne virker brede.", "Hvordan arbejder vi konkret?"],
            "Hoved-MED bemærker:",
            id="bullet-dot",
        ),
        pytest.param(
            "* Første.\n* **Anden** med *fremhævning*.\n–   Tredje   med  mellemrum.",
            ["Første.", "Anden med fremhævning.", "Tredje med mellemrum."],
            None,
            id="star-and-en-dash-bullets-emphasis-whitespace",
        ),
        pytest.param(
            "Socialudvalget har følgende bemærkninger:\n\n1. Første.\n2. Anden.\n3. Tredje.",
            ["Første.", "Anden.", "Tredje."],
            "Socialudvalget har følgende bemærkninger:",
            id="numbered-dot",
        ),
        pytest.param(
            "1) Første.\n2) Anden.\na) Tredje.",
            ["Første.", "Anden.", "Tredje."],
            None,
            id="numbered-paren-and-letter",
        ),
        pytest.param(
            "Udvalget bemærker, at rammesætningen bør være kortere.\n\n"
            "Udvalget bemærker desuden, at princip 2 bør flyttes.",
            [
                "Udvalget bemærker, at rammesætningen bør være kortere.",
                "Udvalget bemærker desuden, at princip 2 bør flyttes.",
            ],
            None,
            id="udvalget-bemaerker-paragraphs",
        ),
        pytest.param(
            "Udvalget anbefaler, at principperne\nsendes videre med en tydeligere\nrammesætning.",
            ["Udvalget anbefaler, at principperne sendes videre med en tydeligere rammesætning."],
            None,
            id="hard-wrapped-paragraph",
        ),
        pytest.param(
            "Udvalget bemærker, at X bør med.\nUdvalget bemærker desuden, at Y bør med.",
            ["Udvalget bemærker, at X bør med.", "Udvalget bemærker desuden, at Y bør med."],
            None,
            id="one-sentence-per-line-from-word",
        ),
        pytest.param(
            "Udvalget har følgende bemærkninger:\n\n- Første bemærkning, som fortsætter\n"
            "  på næste linje.\n- Anden bemærkning\nfortsætter uden indrykning.\n\n"
            "    Og et indrykket afsnit hører også med.\n- Tredje.",
            [
                "Første bemærkning, som fortsætter på næste linje.",
                "Anden bemærkning fortsætter uden indrykning. Og et indrykket afsnit hører "
                "også med.",
                "Tredje.",
            ],
            "Udvalget har følgende bemærkninger:",
            id="continuation-lines",
        ),
        pytest.param(
            "Socialudvalget har følgende bemærkninger:\n\n- Første.\n- Anden. •\n\n"
            "Fraværende: André Amingsø (D)\n**Afbud** Kate Svarrer",
            ["Første.", "Anden."],
            "Socialudvalget har følgende bemærkninger:",
            id="attendance-lines-and-trailing-bullet",
        ),
        pytest.param(
            "Anbefales.\n\nUdvalget har følgende bemærkninger:\n- Første.",
            ["Første."],
            "Udvalget har følgende bemærkninger:",
            id="decision-word-before-list",
        ),
        pytest.param(
            "Udvalget har følgende bemærkninger:\n- Første.\n\nUdvalget anbefaler i øvrigt, "
            "at politikken vedtages.",
            ["Første.", "Udvalget anbefaler i øvrigt, at politikken vedtages."],
            "Udvalget har følgende bemærkninger:",
            id="closing-paragraph-after-list",
        ),
        pytest.param(
            "Socialudvalget har følgende bemærkninger:\nFørste bemærkning.\nAnden bemærkning.",
            ["Første bemærkning.", "Anden bemærkning."],
            "Socialudvalget har følgende bemærkninger:",
            id="bullets-lost-in-copy",
        ),
        pytest.param(
            "- Bemærkning med \\*stjerne\\* og _kursiv_.",
            ["Bemærkning med *stjerne* og kursiv."],
            None,
            id="markdown-escapes",
        ),
        pytest.param("", [], None, id="empty"),
    ],
)
def test_split_remarks(decision: str, remarks: list[str], lead_in: str | None) -> None:
    assert split_remarks(decision) == (remarks, lead_in)


# --- no remarks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decision",
    [
        "Taget til efterretning.",
        "taget til efterretning",
        "Godkendt.",
        "Godkendt som indstillet.",
        "Indstillingen godkendt.",
        "Anbefales",
        "Udvalget havde ingen bemærkninger.",
        "Ingen bemærkninger.",
        "Børne- og Skoleudvalget har ingen bemærkninger til principperne.",
        "Udvalget tog orienteringen til efterretning.",
        "Godkendt.\n\nUdvalget havde ingen bemærkninger.",
        "## Beslutning\n\nTaget til efterretning.\n\nFraværende: André Amingsø (D)\n\n## Bilag",
    ],
)
def test_no_remarks(decision: str) -> None:
    parsed = parse_minutes(decision, PRINCIPLES)
    assert parsed.remarks == []
    assert parsed.no_remarks is True


@pytest.mark.parametrize(
    "decision",
    [
        "Godkendt med følgende bemærkninger:\n- Princip 3 bør omformuleres.",
        "Udvalget har ingen bemærkninger til princip 1, men princip 2 bør flyttes.",
        "Anbefales.\n\nUdvalget bemærker, at rammesætningen er for lang.",
    ],
)
def test_remarks_despite_decision_words(decision: str) -> None:
    parsed = parse_minutes(decision, PRINCIPLES)
    assert parsed.no_remarks is False
    assert len(parsed.remarks) == 1


def test_empty_decision_is_not_no_remarks() -> None:
    assert parse_minutes("", PRINCIPLES) == parse_minutes("   \n", PRINCIPLES)
    assert parse_minutes("", PRINCIPLES).no_remarks is False
    assert is_no_remarks("") is False


# --- propose_section: the digitalisation principles -------------------------------------


@pytest.mark.parametrize(
    ("remark", "position", "reason"),
    [
        ("Under princip nr. tre bør sætningen slettes.", 4, 'nævner "princip nr. tre"'),
        ("At princip nr 3 skal omformuleres.", 4, 'nævner "princip nr 3"'),
        ("Princip nr. 3 er uklart.", 4, 'nævner "Princip nr. 3"'),
        ("Under princip 5 bør etik stå først.", 6, 'nævner "princip 5"'),
        ("Under princip to kan der stå mere.", 3, 'nævner "princip to"'),
        ("Formuleringen under det første princip er uklar.", 2, 'nævner "det første princip"'),
        ("Første princip er for langt.", 2, 'nævner "Første princip"'),
        ("Det andet princip bør forkortes.", 3, 'nævner "Det andet princip"'),
        ("Den anden princip bør forkortes.", 3, 'nævner "Den anden princip"'),
        ("Det femte princip bør nævne etik.", 6, 'nævner "Det femte princip"'),
        (
            'Under princippet "Vi digitaliserer ambitiøst og inkluderende" kunne sætningen '
            '"Vi digitaliserer med respekt" med fordel indgå.',
            2,
            'citerer overskriften "Vi digitaliserer ambitiøst og inkluderende"',
        ),
        (
            "Princippet “vi skaber sammenhæng på tværs” bør stå først.",
            3,
            'citerer overskriften "vi skaber sammenhæng på tværs"',
        ),
        (
            'Etik bør stå som første afsnit efter selve princippet "Vi bruger data...".',
            6,
            'citerer overskriften "Vi bruger data..."',
        ),
        (
            'Der bør stå "Vi understøtter kommunens samfundsopgave via digitalisering".',
            4,
            'citat indeholder ordene fra overskriften "Vi understøtter kommunens '
            'samfundsopgave via digitalisering"',
        ),
        (
            "Princippet om inddragelse bør nævne borgerne.",
            5,
            'nævner "Princippet om inddragelse"',
        ),
        ("Rammesætningen bør være kortere.", 1, 'nævner "Rammesætningen"'),
        (
            "Den indledende rammesætning bør nævne borgerne.",
            1,
            'nævner "Den indledende rammesætning"',
        ),
        (
            "Indledningen bør nævne virksomhederne.",
            1,
            'nævner "Indledningen" – rammesætning/overordnet',
        ),
        (
            'Ad det indledende udsagn "Vi vil mere med digitalisering" skal omverdenen med.',
            1,
            'nævner "det indledende udsagn" – rammesætning/overordnet',
        ),
    ],
)
def test_propose_section_principles(remark: str, position: int, reason: str) -> None:
    assert propose_section(remark, PRINCIPLES) == (position, reason)


@pytest.mark.parametrize(
    ("remark", "position"),
    [
        # an explicit number wins over a quoted start; both point at princip 5
        ('Under princip nr. fem bør "etisk ansvarligt" stå efter princippet "Vi bruger data...".',
         6),
        # "afsnit to" is a paragraph inside princip 2, not a section
        ("Under princip nr. to bør det overvejes, om afsnit to skal flyttes op.", 3),
        ("Det bør overvejes, om afsnit to skal flyttes op.", None),
        ("I første afsnit kan vi være mere tydelige.", None),
        # "et andet princip" is "another principle"
        ("Det kunne stå i et andet princip.", None),
        # "afslutningen af princip 3" is part of princip 3
        ("Afslutningen af princip 3 er uklar.", 4),
        # "ingen bemærkninger til princip 1" is not about princip 1
        ("Udvalget har ingen bemærkninger til princip 1, men princip 2 bør flyttes.", 3),
        # a reference that does not exist is no reference
        ("Princip 7 mangler.", None),
    ],
)  # fmt: skip
def test_propose_section_tricky(remark: str, position: int | None) -> None:
    assert propose_section(remark, PRINCIPLES)[0] == position


@pytest.mark.parametrize(
    ("remark", "phrase"),
    [
        ("Ønske om at ordet etisk bliver indarbejdet i alle 5 principper.", "alle 5 principper"),
        ('Ordet "Vi" i de fleste principper bør overvejes.', "de fleste principper"),
        ("Principperne virker brede.", "principperne"),
        ("Der bør stå en aktiv handling i principperne.", "principperne"),
        ("Politikken bør være kortere.", "politikken"),
        ("Udkastet er for langt.", "udkastet"),
        ("Digitaliseringsstrategien bør nævne erhvervslivet.", "strategien"),
    ],
)
def test_policy_as_a_whole_goes_to_framing(remark: str, phrase: str) -> None:
    assert propose_section(remark, PRINCIPLES) == (
        1,
        f'omtaler "{phrase}" samlet – rammesætning/overordnet',
    )


@pytest.mark.parametrize(
    "remark",
    [
        "Hvordan sikrer vi, at vi har de fornødne midler til digitale løsninger?",
        "Opmærksomhed på, at digitale løsninger skal være let tilgængelige.",
        'Anvendelsen af ordet "Vi" bør overvejes.',
        "Dette princip er godt.",
    ],
)
def test_general_fallback(remark: str) -> None:
    assert propose_section(remark, PRINCIPLES) == (None, "ingen henvisning – generelt")


def test_two_principles_first_wins_and_reason_names_the_other() -> None:
    position, reason = propose_section("Princip 2 og princip nr. fire bør slås sammen.", PRINCIPLES)
    assert position == 3
    assert reason == 'nævner "Princip 2" (nævner også "princip nr. fire")'
    position, reason = propose_section(
        "Det, der står i princip 4, hører bedre hjemme under det første princip.", PRINCIPLES
    )
    assert position == 5
    assert '"det første princip"' in reason


def test_unnumbered_headings_count_after_the_framing() -> None:
    assert propose_section("Under princip 3 bør der stå mere.", PRINCIPLES_UNNUMBERED)[0] == 4
    assert propose_section("Det første princip er godt.", PRINCIPLES_UNNUMBERED)[0] == 2
    assert (
        propose_section('Princippet "Vi inddrager slutbrugerne" er godt.', PRINCIPLES_UNNUMBERED)[0]
        == 5
    )


def test_numbered_headings_without_kind() -> None:
    sections = [SectionRef(1, "Indledning"), SectionRef(2, "1. Data"), SectionRef(3, "2. Etik")]
    assert propose_section("Princip 2 bør uddybes.", sections)[0] == 3
    assert propose_section("Det andet princip bør uddybes.", sections)[0] == 3


def test_no_sections() -> None:
    assert propose_section("Princip 2 bør uddybes.", []) == (None, "ingen henvisning – generelt")


# --- propose_section: the culture policy ------------------------------------------------


@pytest.mark.parametrize(
    ("remark", "position"),
    [
        ("Under tema 2 bør foreningerne nævnes.", 4),
        ("Under tema nr. to bør foreningerne nævnes.", 4),
        ("Tema 4 bør nævne haller.", 6),
        ("Det tredje tema mangler biblioteket.", 5),
        ("Temaet om idræt bør nævne svømning.", 4),
        ("Temaet om kunst bør nævne musikskolen.", 5),
        ("Visionen er for uambitiøs.", 2),
        ("Afslutningen kan undværes.", 7),
        ("Indledningen er for lang.", 1),
        ("Rammesætningen er for lang.", 1),
        ("Temaerne overlapper.", 1),
        ("Frivillige skal have bedre vilkår.", None),
    ],
)
def test_propose_section_culture(remark: str, position: int | None) -> None:
    assert propose_section(remark, CULTURE)[0] == position


@pytest.mark.parametrize(
    ("remark", "position"),
    [("Under tema 2 bør foreningerne nævnes.", 4), ("Det første tema er godt.", 3)],
)
def test_culture_without_numbers_skips_introduction_and_vision(remark: str, position: int) -> None:
    assert propose_section(remark, CULTURE_UNNUMBERED)[0] == position


# --- parse_minutes ----------------------------------------------------------------------


def test_parse_minutes_with_headings_and_context() -> None:
    minutes = (
        "# Punkt 4: Høring af kultur- og fritidspolitikken\n\n"
        "## Beslutning\n\n"
        "Kultur- og Fritidsudvalget fremsender følgende høringssvar:\n\n"
        "- Tema nr. to bør nævne svømning.\n"
        "- Ad tema 3:\n"
        "    - Musikskolen mangler.\n"
        "    - Biblioteket mangler.\n"
        "- Frivillige skal have bedre vilkår.\n\n"
        "Fraværende: Ingen\n\n"
        "# Punkt 5: Meddelelser\n\n## Beslutning\n\nTaget til efterretning.\n"
    )
    parsed = parse_minutes(minutes, CULTURE)
    assert parsed.lead_in == "Kultur- og Fritidsudvalget fremsender følgende høringssvar:"
    assert parsed.no_remarks is False
    assert parsed.remarks == [
        ParsedRemark("Tema nr. to bør nævne svømning.", 4, 'nævner "Tema nr. to"'),
        ParsedRemark("Musikskolen mangler.", 5, 'listens indledning "Ad tema 3:" nævner "tema 3"'),
        ParsedRemark("Biblioteket mangler.", 5, 'listens indledning "Ad tema 3:" nævner "tema 3"'),
        ParsedRemark("Frivillige skal have bedre vilkår.", None, "ingen henvisning – generelt"),
    ]


def test_parse_minutes_udvalget_bemaerker_form() -> None:
    parsed = parse_minutes(
        "Udvalget bemærker, at den indledende rammesætning er for lang.\n\n"
        "Udvalget bemærker desuden, at det første princip bør nævne økonomi.\n\n"
        "Udvalget anbefaler, at der gøres mere for borgere uden NemID.",
        PRINCIPLES,
    )
    assert parsed.lead_in is None
    assert [r.section_position for r in parsed.remarks] == [1, 2, None]
    assert parsed.remarks[0].text == (
        "Udvalget bemærker, at den indledende rammesætning er for lang."
    )
