"""The agenda items of whole minutes, the one a consultation concerns, and the meeting's
body and date (hoering.consultations.minutes.items / .meeting). Pure: no app, no database."""

from __future__ import annotations

import re
from datetime import date

import pytest

from hoering.consultations.minutes.items import (
    AgendaItem,
    EarlierDecision,
    find_item,
    split_items,
)
from hoering.consultations.minutes.meeting import (
    KnownBody,
    Meeting,
    find_dates,
    match_body,
    read_meeting,
)
from tests.consultations.reference import REFERENCE, REFERENCE_DIR

MINUTES_2024 = (REFERENCE_DIR / "referat-socialudvalget-2024-04-09.md").read_text(encoding="utf-8")
MINUTES_2023 = (REFERENCE_DIR / "referat-socialudvalget-2023-03-28.txt").read_text(encoding="utf-8")
JOURNAL = "85.13.00-P00-1-23"
CONSULTATION_TITLE = "Høring: Politiske principper for digitalisering"
BODIES = [
    KnownBody(1, "Socialudvalget", "SOU"),
    KnownBody(2, "Økonomiudvalget", "ØU"),
    KnownBody(3, "Børne- og Skoleudvalget", "BSU"),
    KnownBody(4, "Ældrerådet", "ÆR"),
    KnownBody(5, "Sociale Forhold og Beskæftigelse", "SFB"),
]
SENT_TO_CONSULTATION = EarlierDecision("Økonomiudvalget", date(2024, 3, 12), 11)


def as_pdf_text(markdown: str) -> str:
    """What the PDF reader gives for the same minutes: no heading marks, no bold."""
    return re.sub(r"^\s*#+\s*", "", markdown, flags=re.MULTILINE).replace("**", "")


def summary(items: list[AgendaItem]) -> list[tuple[int, str, str | None, str | None]]:
    return [(i.number, i.title, i.journal_number, i.earlier_treatment) for i in items]


# --- the two real referats ---------------------------------------------------------------


def test_the_2024_minutes_have_nine_items_and_item_6_is_the_consultation():
    items = split_items(MINUTES_2024)
    assert [item.number for item in items] == list(range(1, 10))
    item = items[5]
    assert item.title == "Høring af de politiske principper for digitalisering"
    assert item.journal_number == JOURNAL
    assert item.earlier_treatment == "Økonomiudvalget den 12. marts 2024 Punkt 11"
    assert item.text.startswith("# Punkt 6: Høring af de politiske principper")
    assert "Under princip nr. tre" in item.text
    assert "Punkt 7" not in item.text


def test_the_2024_minutes_keep_closed_items_and_the_other_titles():
    items = split_items(MINUTES_2024)
    assert items[0].title == "Meddelelser"
    assert items[0].journal_number == "00.01.10-P35-14-23"
    assert items[3].earlier_treatment == "Socialudvalget den 9. januar 2024, punkt 8"
    assert items[6].title == "Lukket: LUKKET Meddelelser"
    assert items[7].title.startswith("Lukket: LUKKET Drøftelse af bidrag")
    assert items[8].title == "Godkendelse af referat (underskriftside)"
    # the "1. Genåbning af Silvertown" heading inside item 1 is part of item 1
    assert "Genåbning af Silvertown" in items[0].text


def test_the_2023_minutes_have_fourteen_items_and_item_5_is_the_early_input():
    items = split_items(MINUTES_2023)
    assert [item.number for item in items] == list(range(1, 15))
    item = items[4]
    assert item.title == "Styrende politiske principper for digitalisering"
    assert item.journal_number == JOURNAL
    assert item.earlier_treatment == (
        "Digitaliserings- og Teknologiudvalget den 21. februar 2023 Punkt 4"
    )
    assert items[3].journal_number == "27.00.00-000-1-23"  # a digit as the facet
    assert items[6].title == "Strategi for socialområdet"


def test_table_of_contents_lines_are_not_items():
    for minutes in (MINUTES_2024, MINUTES_2023):
        for item in split_items(minutes):
            assert not item.text.startswith(("Meddelelser.....", "Høring af de politiske"))
    first = split_items(MINUTES_2024)[0]
    assert first.text.startswith("# Punkt 1: Meddelelser")
    assert "Indholdsfortegnelse" not in first.text


def test_a_contents_list_without_page_numbers_is_not_taken_for_the_items():
    text = (
        "Indhold\n\nPunkt 1: Meddelelser\nPunkt 2: Høring om principper\n\n"
        "Punkt 1: Meddelelser\n\n00.01.10-P35-1-24\n\nIngen.\n\n"
        "Punkt 2: Høring om principper\n\n85.13.00-P00-1-23\n\nTekst.\n"
    )
    items = split_items(text)
    assert [(item.number, item.journal_number) for item in items] == [
        (1, "00.01.10-P35-1-24"),
        (2, JOURNAL),
    ]


def test_the_pdf_form_of_the_2024_minutes_gives_the_same_items():
    plain = as_pdf_text(MINUTES_2024)
    assert "#" not in plain and "**" not in plain
    assert summary(split_items(plain)) == summary(split_items(MINUTES_2024))


def test_numbered_headings_are_read_when_there_are_no_punkt_headings():
    """The 2023 minutes with "5. Titel" instead of "Punkt 5: Titel": the numbered lists in
    "Meddelelser" and "Indstilling" stay inside their items."""
    for minutes in (MINUTES_2023, MINUTES_2024):
        numbered = re.sub(r"^(#*\s*\**)Punkt (\d+): ", r"\1\2. ", minutes, flags=re.MULTILINE)
        assert summary(split_items(numbered)) == summary(split_items(minutes))


def test_an_excerpt_from_item_6_on_has_items_6_to_9():
    items = split_items(REFERENCE.read_text(encoding="utf-8"))
    assert [item.number for item in items] == [6, 7, 8, 9]
    assert summary(items)[0] == summary(split_items(MINUTES_2024))[5]


@pytest.mark.parametrize(
    "text",
    [
        "Udvalget bemærker, at princip 3 bør styrkes.\n\n- Godt forslag\n- Mere data\n",
        "Beslutning\n\n1. Godkendt.\n2. Anbefales.\n",
        "Punkt 3 i aftalen er uændret.\n\nDer er ingen bemærkninger.\n",
        "",
    ],
)
def test_text_without_item_headings_has_no_items(text):
    assert split_items(text) == []


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("# Punkt 6: Høring af principper", "Høring af principper"),
        ("## **Punkt 6: Høring af principper**", "Høring af principper"),
        ("Punkt 6: Høring af principper", "Høring af principper"),
        ("Punkt 6. Høring af principper", "Høring af principper"),
        ("Punkt 6 – Høring af principper", "Høring af principper"),
        ("Punkt 6 (Åben): Høring af principper", "Høring af principper"),
        ("Pkt. 6 Høring af principper", "Høring af principper"),
        ("Dagsordenspunkt 6: Høring af principper", "Høring af principper"),
        ("Sag 6: Høring af principper", "Høring af principper"),
        ("Sag nr. 6 Høring af principper", "Høring af principper"),
        ("Sag nr. 6: Høring af principper", "Høring af principper"),
        ("### 6\\. Høring af *principper*", "Høring af principper"),
    ],
)
def test_the_forms_of_an_item_heading(heading, title):
    text = (
        "Referat\n\nPunkt 5: Meddelelser\n\n00.01.10-P35-1-24\n\n"
        if not heading.lstrip("# ").startswith("6")
        else "Referat\n\n5. Meddelelser\n\nSagsnr. 00.01.10-P35-1-24\n\n"
    )
    text += f"{heading}\n\nSagsnr. {JOURNAL}\n\nTidligere behandling: Økonomiudvalget den "
    text += "12.03.2024, punkt 11\n\nSagsfremstilling\n\nTekst.\n"
    items = split_items(text)
    assert [item.number for item in items] == [5, 6]
    assert items[1].title == title
    assert items[1].journal_number == JOURNAL
    assert items[1].earlier_treatment == "Økonomiudvalget den 12.03.2024, punkt 11"


def test_a_title_going_on_over_two_lines_and_numbers_that_do_not_increase():
    text = (
        "Punkt 2: Drøftelse af bidrag til budget 2025 for\nSocialudvalgets område\n"
        "00.15.25-P05-1-24\n\nPunkt 1: Et citat midt i punkt 2\n\n"
        "Punkt 3: Høring af de politiske principper\n85.13.00 - p00 - 1 - 23\n"
    )
    items = split_items(text)
    assert summary(items) == [
        (2, "Drøftelse af bidrag til budget 2025 for Socialudvalgets område",
         "00.15.25-P05-1-24", None),
        (3, "Høring af de politiske principper", JOURNAL, None),
    ]  # fmt: skip
    assert "Et citat midt i punkt 2" in items[0].text


# --- which item the consultation concerns ------------------------------------------------


def test_find_item_by_journal_number_ignoring_spaces_and_case():
    items = split_items(MINUTES_2024)
    match = find_item(items, journal_number=" 85.13.00-p00-1-23 ", title="Noget helt andet")
    assert match.item is items[5]
    assert match.candidates == []
    assert match.how == "journalnummer 85.13.00-P00-1-23"


def test_find_item_in_the_2023_minutes_by_the_same_journal_number():
    match = find_item(split_items(MINUTES_2023), journal_number=JOURNAL, title=CONSULTATION_TITLE)
    assert match.item is not None and match.item.number == 5


def test_items_sharing_a_journal_number_are_candidates():
    items = split_items(MINUTES_2024)
    match = find_item(items, journal_number="00.01.10-P35-14-23", title="Meddelelser")
    assert match.item is None
    assert [item.number for item in match.candidates] == [1, 7]
    assert "punkt 1, 7" in match.how


def test_find_item_by_the_decision_that_sent_it_to_consultation():
    items = split_items(MINUTES_2024)
    match = find_item(
        items, journal_number="99.99.99-P99-9-99", title="x", decisions=[SENT_TO_CONSULTATION]
    )
    assert match.item is items[5]
    assert match.how == "tidligere behandling: Økonomiudvalget den 12. marts 2024 punkt 11"


def test_an_earlier_decision_must_agree_on_body_date_and_item():
    items = split_items(MINUTES_2024)
    for decision in (
        EarlierDecision("Økonomiudvalget", date(2024, 3, 12), 12),
        EarlierDecision("Økonomiudvalget", date(2024, 3, 13), 11),
        EarlierDecision("Socialudvalget", date(2024, 3, 12), 11),
    ):
        match = find_item(items, journal_number=None, title="x", decisions=[decision])
        assert match.item is None and match.candidates == []
    loose = EarlierDecision("Oekonomiudvalg", date(2024, 3, 12), None)
    assert find_item(items, journal_number=None, title="x", decisions=[loose]).item is items[5]
    items_2023 = split_items(MINUTES_2023)
    dtu = EarlierDecision("Digitaliserings- og Teknologiudvalget", date(2023, 2, 21), 4)
    match = find_item(items_2023, journal_number=None, title="x", decisions=[dtu])
    assert match.item is items_2023[4]
    part = EarlierDecision("Teknologiudvalget", date(2023, 2, 21), 4)
    assert find_item(items_2023, journal_number=None, title="x", decisions=[part]).item is None


def test_find_item_by_the_words_of_the_title():
    items = split_items(MINUTES_2024)
    match = find_item(items, journal_number=None, title=CONSULTATION_TITLE)
    assert match.item is items[5]
    assert match.how == "titlens ord"
    early = find_item(split_items(MINUTES_2023), journal_number=None, title=CONSULTATION_TITLE)
    assert early.item is not None and early.item.number == 5
    compound = find_item(items, journal_number=None, title="Digitaliseringsprincipper")
    assert compound.item is items[5]
    both = "Politiske principper for digitalisering Offentlig høring om principperne 2024"
    assert find_item(items, journal_number=None, title=both).item is items[5]


def test_an_unrelated_title_matches_no_item():
    items = split_items(MINUTES_2024)
    assert find_item(items, journal_number=None, title="Strategi for socialområdet").item is None
    match = find_item(split_items(MINUTES_2023), journal_number=None, title="Kulturpolitik")
    assert match.item is None


def test_several_close_titles_are_candidates():
    items = [
        AgendaItem(1, "Principper for digitalisering i skolerne", None, None, ""),
        AgendaItem(2, "Principper for digitalisering i ældreplejen", None, None, ""),
        AgendaItem(3, "Meddelelser", None, None, ""),
    ]
    match = find_item(items, journal_number=None, title="Principper for digitalisering")
    assert match.item is None
    assert [item.number for item in match.candidates] == [1, 2]
    assert "punkt 1, 2" in match.how


def test_nothing_found_says_what_was_tried():
    match = find_item(
        split_items(MINUTES_2024),
        journal_number="99.99.99-P99-9-99",
        title="Kulturpolitik",
        decisions=[EarlierDecision("Kultur- og Fritidsudvalget", date(2024, 2, 1), 3)],
    )
    assert match.item is None and match.candidates == []
    assert match.how.startswith("intet punkt fundet")
    assert "99.99.99-P99-9-99" in match.how
    assert "Kultur- og Fritidsudvalget den 1. februar 2024 punkt 3" in match.how
    assert "Kulturpolitik" in match.how
    assert find_item([], journal_number=JOURNAL, title="x").how


def test_a_chosen_item_number_wins():
    items = split_items(MINUTES_2024)
    chosen = find_item(items, journal_number=JOURNAL, title=CONSULTATION_TITLE, item_number=3)
    assert chosen.item is items[2]
    missing = find_item(items, journal_number=JOURNAL, title=CONSULTATION_TITLE, item_number=12)
    assert missing.item is None and "12" in missing.how


# --- the meeting: body and date ------------------------------------------------------------


def test_read_meeting_of_the_real_referats():
    assert read_meeting(MINUTES_2024) == Meeting("Socialudvalget", date(2024, 4, 9))
    assert read_meeting(MINUTES_2023) == Meeting("Socialudvalget", date(2023, 3, 28))
    assert read_meeting(as_pdf_text(MINUTES_2024)) == Meeting("Socialudvalget", date(2024, 4, 9))


@pytest.mark.parametrize(
    ("head", "body", "day"),
    [
        ("# REFERAT Socialudvalget d. 09-04-2024", "Socialudvalget", date(2024, 4, 9)),
        ("Referat af møde i Socialudvalget\n\nDato: 12. august 2025", "Socialudvalget",
         date(2025, 8, 12)),
        ("Socialudvalget – referat\n\nd. 12. august 2025", "Socialudvalget", date(2025, 8, 12)),
        ("Referat fra mødet i Ældrerådet den 9/4 2024", "Ældrerådet", date(2024, 4, 9)),
        ("Dagsorden og referat\n\nUdvalg: Økonomiudvalget\n\nMødedato: 2024-04-09",
         "Økonomiudvalget", date(2024, 4, 9)),
        ("REFERAT Socialudvalget\n\n**Mødedato** Tirsdag d. 09. april 2024", "Socialudvalget",
         date(2024, 4, 9)),
        ("Referat\n\nBørne- og Skoleudvalget\n\nMødedato: 09.04.2024",
         "Børne- og Skoleudvalget", date(2024, 4, 9)),
    ],
)  # fmt: skip
def test_read_meeting_head_forms(head, body, day):
    assert read_meeting(head + "\n\nPunkt 1: Meddelelser\n") == Meeting(body, day)


def test_the_meeting_date_never_comes_from_an_earlier_treatment():
    excerpt = (
        "Punkt 6: Høring\n\n85.13.00-P00-1-23\n\nTidligere behandling\n\n"
        "Økonomiudvalget den 12. marts 2024 Punkt 11\n"
    )
    assert read_meeting(excerpt).meeting_date is None
    head = "Tidligere behandling\n\nØkonomiudvalget den 12. marts 2024 Punkt 11\n"
    assert read_meeting(head).meeting_date is None


def test_the_body_falls_back_to_who_takes_the_decision():
    text = "Noget\n\nPunkt 1: X\n\nBeslutningen træffes af\n\nÆldrerådet\n\nBeslutning\n\nOK\n"
    assert read_meeting(text).body_name == "Ældrerådet"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("9. jan. 2024", date(2024, 1, 9)),
        ("9 feb 2024", date(2024, 2, 9)),
        ("Tirsdag den 5. marts 2024 kl. 13", date(2024, 3, 5)),
        ("5. mar. 2024", date(2024, 3, 5)),
        ("1. okt. 2024", date(2024, 10, 1)),
        ("9/4-2024", date(2024, 4, 9)),
        ("09.04.2024", date(2024, 4, 9)),
    ],
)
def test_danish_date_forms(text, day):
    assert find_dates(text) == [day]


def test_kle_numbers_are_no_dates():
    assert find_dates("03.02.00-P22-1-23 og 31.02.2024") == []


@pytest.mark.parametrize(
    ("name", "body_id"),
    [
        ("SOCIALUDVALGET", 1),
        ("socialudvalg", 1),
        ("Social udvalget", 1),
        ("Socialudvalget (SOU)", 1),
        ("Oekonomiudvalget", 2),
        ("ØU", 2),
        ("oeu", 2),
        ("Børne- og skoleudvalg", 3),
        ("Aeldreraadet", 4),
        ("ÆR", 4),
    ],
)
def test_match_body_by_name_or_abbreviation(name, body_id):
    found = match_body(name, BODIES)
    assert found is not None and found.id == body_id


def test_match_body_falls_back_to_the_document_head():
    found = match_body(None, BODIES, document_text=MINUTES_2024)
    assert found is not None and found.id == 1
    found = match_body("Et ukendt udvalg", BODIES, document_text=MINUTES_2023)
    assert found is not None and found.id == 1
    assert match_body(None, BODIES) is None
    assert match_body("Kulturudvalget", BODIES) is None


def test_an_ambiguous_body_is_none():
    twins = [*BODIES, KnownBody(9, "Socialudvalg", "SU2")]
    assert match_body("Socialudvalget", twins) is None
    both = "Fælles møde i Socialudvalget og Ældrerådet\n\nPunkt 1: X\n"
    assert match_body(None, BODIES, document_text=both) is None


# --- other municipalities' styles -------------------------------------------------------

AARHUS = """Aarhus Kommune

Referat
Sociale Forhold og Beskæftigelse
Onsdag den 4. juni 2025 kl. 15.00
Rådhuset, mødelokale 1

Punkt 1 (Åben): Godkendelse af dagsorden

Dagsordenen blev godkendt.

Punkt 2 (Åben): Orientering fra rådmanden

1. Status på hjemløseindsatsen
2. Nyt fra Magistraten

Punkt 3 (Åben): Strategi for socialområdet 2025-2028
Sagsnummer: 27.00.00-A00-3-25

Udvalget drøftede strategien.

Punkt 4 (Åben): Høring om politiske principper for digitalisering
Sagsnummer: 85.13.00-P00-1-23

Tidligere behandling: Økonomiudvalget den 12. marts 2024, punkt 11

Beslutning
Udvalget bemærker, at principperne bør omfatte ældre borgere.

Punkt 5 (Lukket): Personalesag
"""


ODENSE = """Økonomiudvalget – referat

Dato: 3. september 2025
Tid: 08:30
Sted: Rådhuset, Udvalgsværelse 1

Indhold
1. Godkendelse af dagsorden..........3
2. Budgetopfølgning 2025..........4
3. Høring om politiske principper for digitalisering..........6

1. Godkendelse af dagsorden

Sagsnr. 00.22.04-A00-1-25

Beslutning
Godkendt.

2. Budgetopfølgning 2025

Sagsnr. 00.30.14-G01-5-25

Indstilling
Borgmesterforvaltningen foreslår, at
1. budgetopfølgningen tages til efterretning.
2. merforbruget finansieres af kassen.

Beslutning
Godkendt.

3. Høring om politiske principper for digitalisering

Sagsnr. 85.13.00-P00-1-23

Resumé
Økonomiudvalget sendte den 12. marts 2024 principperne i høring.

Beslutning
Udvalget anbefaler principperne med følgende bemærkninger:
- Princip 3 bør nævne data.

4. Lukket: LUKKET Meddelelser

Sagsnr. 00.01.10-P35-1-25
"""


AELDRERAAD = """ÆLDRERÅDET

Referat af møde i Ældrerådet
Mødedato: 12.08.2025
Mødested: Plejecenter Lindehaven

Pkt. 1 Godkendelse af dagsorden
Godkendt.
Pkt. 2 Meddelelser fra formanden
1. Nyt fra Danske Ældreråd
2. Temadag den 3. oktober 2025
Pkt. 3 Høringssvar vedrørende politiske principper for digitalisering
J.nr. 85.13.00-P00-1-23
Tidligere behandling
Økonomiudvalget den 12/3 2024, pkt. 11
Ældrerådet bemærker, at der skal være alternativer til digitale løsninger.
Pkt. 4 Eventuelt
Intet.
"""


@pytest.mark.parametrize(
    ("text", "numbers", "item_number", "body_id", "day"),
    [
        (AARHUS, [1, 2, 3, 4, 5], 4, 5, date(2025, 6, 4)),
        (ODENSE, [1, 2, 3, 4], 3, 2, date(2025, 9, 3)),
        (AELDRERAAD, [1, 2, 3, 4], 3, 4, date(2025, 8, 12)),
    ],
)
def test_other_municipalities_styles(text, numbers, item_number, body_id, day):
    items = split_items(text)
    assert [item.number for item in items] == numbers
    for how in ("journal", "title"):
        journal = JOURNAL if how == "journal" else None
        match = find_item(items, journal_number=journal, title=CONSULTATION_TITLE)
        assert match.item is not None and match.item.number == item_number, how
    meeting = read_meeting(text)
    assert meeting.meeting_date == day
    body = match_body(meeting.body_name, BODIES, document_text=text)
    assert body is not None and body.id == body_id


def test_the_styles_titles_and_earlier_treatments():
    aarhus = split_items(AARHUS)
    assert aarhus[3].title == "Høring om politiske principper for digitalisering"
    assert aarhus[3].earlier_treatment == "Økonomiudvalget den 12. marts 2024, punkt 11"
    assert aarhus[4].title == "Personalesag"
    odense = split_items(ODENSE)
    assert odense[1].journal_number == "00.30.14-G01-5-25"
    assert "2. merforbruget finansieres af kassen." in odense[1].text
    assert odense[3].title == "Lukket: LUKKET Meddelelser"
    aeldre = split_items(AELDRERAAD)
    assert aeldre[2].earlier_treatment == "Økonomiudvalget den 12/3 2024, pkt. 11"
    assert aeldre[2].journal_number == JOURNAL
    decision = find_item(aeldre, journal_number=None, title="x", decisions=[SENT_TO_CONSULTATION])
    assert decision.item is aeldre[2]
    assert "Temadag den 3. oktober 2025" in aeldre[1].text
