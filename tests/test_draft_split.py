"""Splitting a pasted policy draft into sections (hoering.policies.draft_split)."""

from __future__ import annotations

import pytest

from hoering.policies.draft_split import DraftSection, split_draft


def headings(source: str) -> list[str]:
    return [section.heading for section in split_draft(source)]


def texts(source: str) -> dict[str, str]:
    return {section.heading: section.text for section in split_draft(source)}


# --- A realistic draft: a framing text and five principles, in three shapes ----------

PRINCIPLES = [
    (
        "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
        "Vi vil være en ambitiøs digital kommune, der tør afprøve nye teknologier.",
        "Vi digitaliserer inkluderende, så løsningerne kan bruges af flest muligt.",
    ),
    (
        "Princip 2: Vi skaber sammenhæng på tværs",
        "Vi bygger videre på de systemer og data, vi allerede har.",
        "Borgere og virksomheder skal opleve én sammenhængende kommune.",
    ),
    (
        "Princip 3: Digitalisering understøtter kommunens samfundsopgave",
        "Digitalisering er et middel til at løfte kommunens samfundsopgave.",
        "Hensynet til fællesskabet skal indgå, når løsninger tages i brug.",
    ),
    (
        "Princip 4: Vi inddrager slutbrugerne",
        "Vi inddrager slutbrugerne tidligt, når vi udvikler og indkøber løsninger.",
        "Vi tester løsningerne sammen med dem, der skal bruge dem.",
    ),
    (
        "Princip 5: Vi bruger data til at skabe bedre løsninger",
        "Vi bruger kommunens data aktivt til at kvalificere beslutninger.",
        "Vi agerer etisk ansvarligt, når vi bruger data og kunstig intelligens.",
    ),
]
FRAMING = (
    "Rammesætning",
    "Vi vil mere med digitalisering. Principperne sætter retningen for hele kommunen.",
    "Principperne gælder, når vi udvikler, indkøber og tager løsninger i brug.",
)
TITLE = "Politiske principper for digitalisering i Ballerup Kommune"
EXPECTED_HEADINGS = [
    "Rammesætning",
    "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
    "Princip 2: Vi skaber sammenhæng på tværs",
    "Princip 3: Digitalisering understøtter kommunens samfundsopgave",
    "Princip 4: Vi inddrager slutbrugerne",
    "Princip 5: Vi bruger data til at skabe bedre løsninger",
]


def markdown_draft() -> str:
    parts = [f"# {TITLE}"]
    for heading, *paragraphs in [FRAMING, *PRINCIPLES]:
        parts += [f"## {heading}", *paragraphs]
    return "\n\n".join(parts) + "\n"


def word_draft() -> str:
    """As pasted from Word: one paragraph a line, no blank lines, CRLF, NBSP at ends."""
    lines = [TITLE]
    for heading, *paragraphs in [FRAMING, *PRINCIPLES]:
        lines += [heading + "\u00a0", *paragraphs]
    return "\r\n".join(lines)


def plain_draft() -> str:
    """Plain text with blank lines between paragraphs and no title."""
    parts = []
    for heading, *paragraphs in [FRAMING, *PRINCIPLES]:
        parts += [heading, *paragraphs]
    return "\n\n\n".join(parts)


@pytest.mark.parametrize("source", [markdown_draft(), word_draft(), plain_draft()])
def test_realistic_draft_gives_framing_and_five_principles_in_order(source):
    sections = split_draft(source)

    assert [s.heading for s in sections] == EXPECTED_HEADINGS
    assert sections[0].text == "\n\n".join(FRAMING[1:])
    assert sections[5] == DraftSection(
        "Princip 5: Vi bruger data til at skabe bedre løsninger",
        "\n\n".join(PRINCIPLES[4][1:]),
    )


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_title_is_dropped_and_text_after_it_is_indledning():
    source = (
        "# Kultur-, idræts- og fritidspolitik\n"
        "\n"
        "Politikken er udarbejdet af Kultur- og Fritidsudvalget.\n"
        "\n"
        "## Vision\n"
        "\n"
        "Ballerup er en aktiv kommune.\n"
        "\n"
        "## Tema 1: Fællesskaber\n"
        "\n"
        "Vi styrker foreningslivet.\n"
    )

    assert split_draft(source) == [
        DraftSection("Indledning", "Politikken er udarbejdet af Kultur- og Fritidsudvalget."),
        DraftSection("Vision", "Ballerup er en aktiv kommune."),
        DraftSection("Tema 1: Fællesskaber", "Vi styrker foreningslivet."),
    ]


def test_markdown_title_directly_followed_by_sections_gives_no_indledning():
    assert headings("# Titel\n\n## A\n\ntekst\n\n## B\n\ntekst\n") == ["A", "B"]


def test_deeper_headings_stay_in_the_text_of_their_section():
    source = (
        "## Rammesætning\n"
        "Tekst om rammerne.\n"
        "\n"
        "### Baggrund\n"
        "Tekst om baggrunden.\n"
        "## Princip 1\n"
        "### Eksempler\n"
        "- Selvbetjening\n"
    )

    assert split_draft(source) == [
        DraftSection("Rammesætning", "Tekst om rammerne.\n\n### Baggrund\nTekst om baggrunden."),
        DraftSection("Princip 1", "### Eksempler\n- Selvbetjening"),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the shallowest level that occurs twice wins: H1 twice
        ("# A\ntekst a\n## a1\n# B\ntekst b\n", ["A", "B"]),
        # H1 once (title), H2 twice
        ("# T\n## A\n## B\n", ["A", "B"]),
        # no level twice: the shallowest present
        ("## Eneste\ntekst\n### Under\nmere\n", ["Eneste"]),
        # H1 and H2 once each are title and subtitle; H3 twice splits
        ("# T\n## Undertitel\nintro\n### A\n### B\n", ["Indledning", "A", "B"]),
    ],
)
def test_split_level_is_the_shallowest_repeated_level(source, expected):
    assert headings(source) == expected


def test_setext_headings():
    source = (
        "Politik for digitalisering\n"
        "==========================\n"
        "\n"
        "Indledende tekst.\n"
        "\n"
        "Rammesætning\n"
        "------------\n"
        "Tekst om rammerne.\n"
        "\n"
        "Princip 1\n"
        "---\n"
        "Tekst om princip 1.\n"
    )

    assert split_draft(source) == [
        DraftSection("Indledning", "Indledende tekst."),
        DraftSection("Rammesætning", "Tekst om rammerne."),
        DraftSection("Princip 1", "Tekst om princip 1."),
    ]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("## **Princip 1:**", "Princip 1"),
        ("## **Princip 1:** Vi digitaliserer ambitiøst", "Princip 1: Vi digitaliserer ambitiøst"),
        ("## __Rammesætning__:", "Rammesætning"),
        ("## *Tema 3*", "Tema 3"),
        ("## ***Vision***", "Vision"),
        ("## Princip 2: Vi skaber sammenhæng ##", "Princip 2: Vi skaber sammenhæng"),
        ("##   Afslutning   ", "Afslutning"),
        ("## 1\\. Indledning", "1. Indledning"),
    ],
)
def test_heading_text_is_cleaned(line, heading):
    source = f"{line}\n\nTekst.\n\n## Andet afsnit\n\nMere tekst.\n"

    assert split_draft(source)[0] == DraftSection(heading, "Tekst.")


def test_hash_lines_in_code_lists_and_quotes_are_not_headings():
    source = (
        "## A\n"
        "```\n"
        "# ikke en overskrift\n"
        "```\n"
        "- punkt\n"
        "  ## heller ikke\n"
        "> # citat\n"
        "#hashtag\n"
        "## B\n"
    )

    assert headings(source) == ["A", "B"]
    assert "# ikke en overskrift" in split_draft(source)[0].text


def test_empty_sections_are_kept():
    assert split_draft("## A\n\n## B\n\ntekst\n\n## C\n") == [
        DraftSection("A", ""),
        DraftSection("B", "tekst"),
        DraftSection("C", ""),
    ]


# --- Plain text -------------------------------------------------------------------------


def test_word_paste_without_blank_lines():
    source = (
        "Politiske principper for digitalisering\n"
        "Rammesætning\n"
        "Vi vil mere med digitalisering.\n"
        "Principperne gælder for:\n"
        "• borgere\n"
        "• virksomheder\n"
        "Princip 1: Vi digitaliserer ambitiøst og inkluderende\n"
        "Vi vil være en ambitiøs digital kommune.\n"
        "Vi digitaliserer inkluderende.\n"
    )

    assert split_draft(source) == [
        DraftSection(
            "Rammesætning",
            "Vi vil mere med digitalisering.\n\n"
            "Principperne gælder for:\n\n"
            "• borgere\n• virksomheder",
        ),
        DraftSection(
            "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
            "Vi vil være en ambitiøs digital kommune.\n\nVi digitaliserer inkluderende.",
        ),
    ]


def test_plain_text_with_blank_lines_and_unnumbered_headings():
    source = (
        "Her er udkastet til høring.\n"
        "\n"
        "Rammesætning:\n"
        "Vi vil mere med digitalisering,\n"
        "og vi vil gøre det sammen.\n"
        "\n"
        "Datasikkerhed\n"
        "\n"
        "Vi passer på borgernes data.\n"
    )

    assert split_draft(source) == [
        DraftSection("Indledning", "Her er udkastet til høring."),
        DraftSection("Rammesætning", "Vi vil mere med digitalisering,\nog vi vil gøre det sammen."),
        DraftSection("Datasikkerhed", "Vi passer på borgernes data."),
    ]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Princip 1: Vi digitaliserer ambitiøst", "Princip 1: Vi digitaliserer ambitiøst"),
        ("Princip 1. Vi digitaliserer ambitiøst.", "Princip 1. Vi digitaliserer ambitiøst."),
        ("Tema 2 – Fællesskaber", "Tema 2 – Fællesskaber"),
        ("Afsnit 3 Økonomi", "Afsnit 3 Økonomi"),
        ("Kapitel 4", "Kapitel 4"),
        ("PRINCIP 5: DATA", "PRINCIP 5: DATA"),
    ],
)
def test_keyword_numbered_lines_are_headings_even_inside_a_paragraph(line, heading):
    source = f"Indledende tekst.\nFlere ord om det.\n{line}\nteksten under den.\n\nSidste afsnit."

    assert split_draft(source) == [
        DraftSection("Indledning", "Indledende tekst.\nFlere ord om det."),
        DraftSection(heading, "teksten under den.\n\nSidste afsnit."),
    ]


def test_bold_lines_in_plain_text_are_headings():
    source = (
        "**Rammesætning**\n\nVi vil mere med digitalisering.\n\n"
        "**Princip 1:** Vi digitaliserer ambitiøst\n\nVi tør afprøve nye teknologier.\n\n"
        "__Opfølgning:__\n\nPrincipperne evalueres.\n"
    )

    assert headings(source) == [
        "Rammesætning",
        "Princip 1: Vi digitaliserer ambitiøst",
        "Opfølgning",
    ]


def test_a_sentence_starting_with_a_keyword_is_not_a_heading():
    source = "Rammesætning\n\nTekst.\n\nAfsnit 3 beskriver økonomien.\n\nMere tekst."

    assert headings(source) == ["Rammesætning"]


def test_numbered_headings_followed_by_paragraphs():
    source = (
        "1. Indledning\n\nPolitikken gælder hele kommunen.\n\n"
        "2. Vision\n\nBallerup er en aktiv kommune.\n\n"
        "3. Afslutning\n\nPolitikken evalueres i 2028.\n"
    )

    assert headings(source) == ["1. Indledning", "2. Vision", "3. Afslutning"]


@pytest.mark.parametrize(
    "source",
    [
        # a tight list after a lead-in
        "Vi vil:\n\n1. Sikre adgang\n2. Styrke kompetencer\n3. Bruge data\n\nDet er vigtigt.",
        # a loose list: items separated by blank lines
        "Tre mål.\n\n1. Sikre adgang\n\n2. Styrke kompetencer\n\n3. Bruge data\n\nDet er vigtigt.",
        # pasted from Word: one line a paragraph
        "Vi vil:\n1. Sikre adgang\n2. Styrke kompetencer\nDet er vigtigt.",
        # a single numbered line followed by a paragraph is not enough
        "Vi har et mål.\n\n1. Sikre adgang\n\nDet er vigtigt.",
        # bullets, and a list that lost its bullets
        "Vi vil:\n- Sikre adgang\n- Styrke kompetencer\nDet er vigtigt.",
        "Vi styrker:\nBorgere\nVirksomheder\nMedarbejdere\nDet er vigtigt for os alle.",
    ],
)
def test_lists_do_not_become_headings(source):
    sections = split_draft(source)

    assert [s.heading for s in sections] == ["Indledning"]
    assert sections[0].text.split() == source.split()


def test_numbered_list_inside_numbered_sections_stays_in_the_text():
    source = (
        "1. Indledning\nTekst.\n"
        "2. Mål\nVi vil:\n1. Sikre adgang\n2. Styrke kompetencer\nDet er vigtigt.\n"
    )

    assert split_draft(source) == [
        DraftSection("1. Indledning", "Tekst."),
        DraftSection(
            "2. Mål", "Vi vil:\n\n1. Sikre adgang\n2. Styrke kompetencer\n\nDet er vigtigt."
        ),
    ]


def test_hard_wrapped_text_is_not_split():
    source = (
        "Ballerup Kommune har i mange år arbejdet med digitalisering og vi vil\n"
        "fortsætte med det i de kommende år.\n"
        "\n"
        "Det giver værdi for borgerne.\n"
    )

    assert headings(source) == ["Indledning"]


# --- Normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_input_split_like_lf(newline):
    source = "## Rammesætning  \n\nTekst.\t\n\n\n\n## Princip 1\n\nTekst 1.\nLinje 2.\n"

    assert (
        split_draft(source.replace("\n", newline))
        == split_draft(source)
        == [
            DraftSection("Rammesætning", "Tekst."),
            DraftSection("Princip 1", "Tekst 1.\nLinje 2."),
        ]
    )


@pytest.mark.parametrize("source", ["", "   ", "\n\r\n\t\n", "\u00a0\n"])
def test_blank_input_gives_no_sections(source):
    assert split_draft(source) == []


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("Bare en tekst.", "Bare en tekst."),
        ("\n\n  Første afsnit.  \n\n\n\nAndet afsnit.\n\n", "Første afsnit.\n\nAndet afsnit."),
        ("en kort linje\nog en til", "en kort linje\n\nog en til"),
    ],
)
def test_text_without_headings_is_one_indledning_section(source, text):
    assert split_draft(source) == [DraftSection("Indledning", text)]
