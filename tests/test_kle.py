"""KLE journal numbers (hoering.policies.kle)."""

from __future__ import annotations

import pytest

from hoering.policies.kle import (
    JOURNAL_NUMBER_RE,
    is_valid_journal_number,
    normalise_journal_number,
)

GOOD = [
    # (typed, canonical)
    ("85.13.00-P00-1-23", "85.13.00-P00-1-23"),
    ("00.01.10-P35-14-23", "00.01.10-P35-14-23"),
    ("27.24.00-G01-123456-24", "27.24.00-G01-123456-24"),
    ("20.00.00-A00-10-99", "20.00.00-A00-10-99"),
    ("85.13.00-p00-1-23", "85.13.00-P00-1-23"),
    ("  85.13.00-P00-1-23\n", "85.13.00-P00-1-23"),
    ("\t00.01.10-g01-7-24 ", "00.01.10-G01-7-24"),
]

BAD = [
    "",
    "   ",
    "85.13.0-P00-1-23",  # topic with one digit
    "85.13.00-P0-1-23",  # facet with one digit
    "85.13.00-P000-1-23",  # facet with three digits
    "85.13.00-00-1-23",  # facet without letter
    "85.13.00-PP0-1-23",  # facet with two letters
    "85.13.00-Æ00-1-23",  # facet letter outside A-Z
    "85.13.00-P00-1-2023",  # four-digit year
    "85.13.00-P00-1-3",  # one-digit year
    "85.13.00P00-1-23",  # missing hyphen
    "85.13.00-P00-01-23",  # serial with leading zero
    "85.13.00-P00-0-23",  # serial zero
    "85.13.00-P00-1234567-23",  # serial with seven digits
    "85.13.00-P00--23",  # no serial
    "85-13-00-P00-1-23",  # hyphens instead of dots
    "85.13.00 P00 1 23",  # spaces instead of hyphens
    "85.13.00-P00-1-23 x",  # trailing text
    "J.nr. 85.13.00-P00-1-23",  # leading text
    "85.13.00-P00-1-23\n85.13.00-P00-2-23",  # two numbers
    "٨٥.١٣.٠٠-P00-1-23",  # non-ASCII digits
]


@pytest.mark.parametrize(("typed", "canonical"), GOOD)
def test_good_numbers_are_valid_and_normalised(typed, canonical):
    assert is_valid_journal_number(typed)
    assert normalise_journal_number(typed) == canonical
    assert JOURNAL_NUMBER_RE.fullmatch(canonical)


@pytest.mark.parametrize("value", BAD)
def test_bad_numbers_are_rejected_with_a_danish_message(value):
    assert not is_valid_journal_number(value)
    with pytest.raises(
        ValueError, match=r"^Journalnummeret skal have formen 85\.13\.00-P00-1-23\.$"
    ):
        normalise_journal_number(value)


def test_pattern_matches_only_the_canonical_form():
    assert JOURNAL_NUMBER_RE.fullmatch("85.13.00-P00-1-23")
    assert not JOURNAL_NUMBER_RE.fullmatch("85.13.00-p00-1-23")


def test_pattern_names_the_parts():
    match = JOURNAL_NUMBER_RE.fullmatch("00.01.10-P35-14-23")

    assert match is not None
    assert match.groupdict() == {
        "main_group": "00",
        "group": "01",
        "topic": "10",
        "facet": "P35",
        "serial": "14",
        "year": "23",
    }


def test_normalising_is_idempotent():
    once = normalise_journal_number(" 85.13.00-p00-1-23 ")

    assert normalise_journal_number(once) == once
