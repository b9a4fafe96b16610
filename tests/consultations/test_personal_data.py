"""Finding personal data before a text is published: what is flagged as a CPR number, a
phone number or an e-mail address, what on purpose is not (dates, amounts, journal
numbers, longer numbers), and how the found text is masked."""

from __future__ import annotations

import pytest

from hoering.consultations.personal_data import (
    Finding,
    PersonalDataKind,
    find_personal_data,
    in_context,
    mask,
)

CPR, PHONE, EMAIL = PersonalDataKind.CPR, PersonalDataKind.PHONE, PersonalDataKind.EMAIL


def _found(text: str) -> list[tuple[str, PersonalDataKind]]:
    return [(text[f.start:f.end], f.kind) for f in find_personal_data(text)]


@pytest.mark.parametrize(("text", "found"), [
    ("Mit CPR-nummer er 010190-1234.", "010190-1234"),
    ("cpr 0101901234", "0101901234"),
    ("CPR: 010190 1234", "010190 1234"),
    ("010190–1234 (med tankestreg fra Word)", "010190–1234"),
    ("født 290296-1234", "290296-1234"),  # 29 February: always a possible birthday
    ("311299-4321.", "311299-4321"),
])
def test_cpr_numbers_are_flagged_with_or_without_the_dash(text, found):
    assert _found(text) == [(found, CPR)]


@pytest.mark.parametrize("text", [
    "Mødet den 01-01-1990 kl. 10",  # a date with separators
    "den 01.01.90",
    "dato 010190",  # six digits alone
    "Sag 3113901234",  # day 31, month 13: no date
    "kode 1234567890",  # day 12, month 34
    "300290-1234",  # 30 February never was
    "konto 12345678901234",  # digits inside a longer number
    "010190-12345",  # five digits after the dash
    "nr. 20010190-1234",  # inside a longer number
    "85.13.00-P00-1-23",  # a KLE journal number
])
def test_dates_and_other_numbers_are_not_cpr_numbers(text):
    assert not any(kind is CPR for _, kind in _found(text))


@pytest.mark.parametrize(("text", "found"), [
    ("Ring på 22345678.", "22345678"),
    ("tlf. 2234 5678", "2234 5678"),
    ("tlf.: 22 34 56 78", "22 34 56 78"),
    ("+45 22 34 56 78", "+45 22 34 56 78"),
    ("+4522345678", "+4522345678"),
    ("0045 22345678", "0045 22345678"),
    ("(+45) 2234 5678", "(+45) 2234 5678"),
    ("tlf.98765432", "98765432"),
    ("ring 22\u00a034\u00a056\u00a078", "22\u00a034\u00a056\u00a078"),  # no-break spaces
    ("den 20240409", "20240409"),  # a compact date is flagged: it looks like a mobile number
])
def test_phone_numbers_are_flagged_together_in_fours_or_in_pairs(text, found):
    assert _found(text) == [(found, PHONE)]


@pytest.mark.parametrize("text", [
    "Budgettet er 22345678 kr.",  # an amount
    "i alt 22345678 kroner",
    "samlet 22345678 DKK",
    "pris 22345678,-",
    "ca. 22345678 mio",
    "stigning på 22345678 %",
    "kr. 22345678",  # an amount after its currency
    "DKK 22345678",
    "€ 22345678",
    "22.345.678 borgere",  # thousands separators
    "22 345 678 kr",
    "22345678,50",  # a decimal
    "12345678",  # Danish numbers never begin with 0 or 1
    "01234567",
    "22 34 56 78 90",  # ten digits in pairs: no Danish phone number
    "2234567",  # seven digits
    "223456789",  # nine digits
    "ID22345678",  # part of a word
])
def test_amounts_and_other_numbers_are_not_phone_numbers(text):
    assert not any(kind is PHONE for _, kind in _found(text))


@pytest.mark.parametrize(("text", "found"), [
    ("Skriv til karen.kultur@example.dk.", "karen.kultur@example.dk"),
    ("søren@æblehaven.dk", "søren@æblehaven.dk"),
    ("<anne+hoering@post.kommune.dk>", "anne+hoering@post.kommune.dk"),
])
def test_email_addresses_are_flagged(text, found):
    assert _found(text) == [(found, EMAIL)]


@pytest.mark.parametrize("text", [
    "navn (at) kommune.dk",  # written to dodge robots: not flagged
    "@kommune på sociale medier",
    "kl. 10@mødet",
])
def test_what_only_resembles_an_address_is_not_flagged(text):
    assert not any(kind is EMAIL for _, kind in _found(text))


def test_digits_inside_an_address_are_one_finding_the_address():
    assert _found("skriv 22345678@sms.dk") == [("22345678@sms.dk", EMAIL)]


def test_several_findings_come_in_order_and_are_masked_by_kind():
    text = "Jeg (010190-1234) kan nås på 22 34 56 78 eller ida@example.dk."
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == [CPR, PHONE, EMAIL]
    assert mask(text, findings) == ("Jeg ([CPR-nummer fjernet]) kan nås på "
                                    "[telefonnummer fjernet] eller [e-mailadresse fjernet].")
    assert mask(text, findings[1:2]) == ("Jeg (010190-1234) kan nås på [telefonnummer "
                                         "fjernet] eller ida@example.dk.")
    assert mask(text, []) == text


def test_a_text_without_personal_data_has_no_findings():
    assert find_personal_data("Økonomiudvalget den 12. marts 2024 Punkt 11: 3,5 mio. kr.") == []
    assert find_personal_data("") == []


def test_the_context_shows_the_finding_with_some_text_around_it():
    text = "a" * 50 + " 22345678 " + "b" * 50
    [finding] = find_personal_data(text)
    shown = in_context(text, finding, width=10)
    assert (shown.before, shown.found, shown.after) == (
        "…" + "a" * 9 + " ", "22345678", " " + "b" * 9 + "…")
    assert in_context("22345678", Finding(0, 8, PHONE)).before == ""
