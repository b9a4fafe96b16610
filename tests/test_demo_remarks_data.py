"""The demo consultation round (hoering.demo.remarks) checked against the reference texts.

The reference files live outside the repository (../shared/reference); the tests that
need them are skipped when they are missing.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from hoering.demo.remarks import DISPOSITIONS, REMARKS, RESPONSES
from tests.consultations.reference import REFERENCE_DIR as REFERENCE

MEMO_FILE = REFERENCE / "hoeringsnotat-digitaliseringsprincipper-2024.md"
MINUTES_FILE = REFERENCE / "referat-socialudvalget-2024-04-09-punkt6.md"

needs_reference = pytest.mark.skipif(
    not (MEMO_FILE.is_file() and MINUTES_FILE.is_file()),
    reason="reference texts in ../shared/reference are not available",
)

EXPECTED_SECTIONS = {"framing": 3, "p1": 5, "p2": 1, "p3": 5, "p4": 3, "p5": 4, "general": 9}
# Keywords of the memo's headings ("Høringssvar il princip 2" is a typo in the memo).
HEADING_KEYS = [
    ("rammesætningen", "framing"),
    ("princip 1", "p1"),
    ("princip 2", "p2"),
    ("princip 3", "p3"),
    ("princip 4", "p4"),
    ("princip 5", "p5"),
    ("generelt", "general"),
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def memo() -> str:
    return _norm(MEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def minutes() -> str:
    return _norm(MINUTES_FILE.read_text(encoding="utf-8"))


def _section_starts(memo: str) -> list[tuple[int, str]]:
    starts = []
    for match in re.finditer(r"#+ \*\*Høringssvar[^*]*\*\*", memo):
        heading = match.group(0)
        key = next(value for word, value in HEADING_KEYS if word in heading)
        starts.append((match.start(), key))
    return starts


def test_thirty_remarks_with_expected_section_counts() -> None:
    assert len(REMARKS) == 30
    assert Counter(r["section"] for r in REMARKS) == EXPECTED_SECTIONS


def test_fields_and_dispositions_are_valid() -> None:
    keys = {"body", "section", "original", "memo", "reply", "disposition", "late"}
    for remark in REMARKS:
        assert set(remark) == keys
        assert remark["disposition"] in DISPOSITIONS
        assert remark["body"] in RESPONSES
        assert remark["late"] is False
        assert remark["reply"][0].isupper()
        assert not remark["memo"].endswith(("*", ")"))
        if remark["body"] != "SOU":
            assert remark["original"] == remark["memo"]


@needs_reference
def test_memo_texts_occur_in_order_with_body_and_section(memo: str) -> None:
    starts = _section_starts(memo)
    assert [key for _, key in starts] == list(EXPECTED_SECTIONS)
    last = -1
    for remark in REMARKS:
        needle = f"- {_norm(remark['memo'])} ({remark['body']})"
        position = memo.find(needle)
        assert position >= 0, needle
        assert memo.count(needle) == 1, needle
        assert position > last, f"out of memo order: {needle}"
        last = position
        section = [key for start, key in starts if start < position][-1]
        assert section == remark["section"], needle


@needs_reference
def test_memo_remark_count_matches_file(memo: str) -> None:
    consultation = memo.split("## **Videre arbejde**")[0]
    assert len(re.findall(r"- [^*]*? \((?:BSU|KMU|KFU|SOU|EBU|SÆU|MED)\)", consultation)) == 30


@needs_reference
def test_replies_occur_in_memo(memo: str) -> None:
    for remark in REMARKS:
        reply = _norm(remark["reply"])
        pattern = (
            r"\*Administrationens bemærkning(?:er)?: "
            + f"[{re.escape(reply[0].lower())}{re.escape(reply[0])}]"
            + re.escape(reply[1:])
            + r"\*"
        )
        assert len(re.findall(pattern, memo)) == 1, reply


@needs_reference
def test_sou_originals_are_the_seven_bullets_of_the_minutes(minutes: str) -> None:
    decision = re.split(r"## Beslutning (?!træffes)", minutes)[1].split(" ## ")[0]
    bullets = [_norm(b) for b in decision.split(" - ")[1:]]
    sou = [r for r in REMARKS if r["body"] == "SOU"]
    assert len(sou) == len(bullets) == 7
    for remark in sou:
        assert _norm(remark["original"]) in minutes
    assert sorted(_norm(r["original"]) for r in sou) == sorted(bullets)
    assert sum(r["original"] != r["memo"] for r in sou) == 2


def test_responses() -> None:
    assert set(RESPONSES) == {r["body"] for r in REMARKS}
    assert RESPONSES["SOU"] == {
        "channel": "minutes",
        "meeting_date": "2024-04-09",
        "agenda_item": 6,
        "source": "Socialudvalget den 9. april 2024 Punkt 6",
    }
    for abbr, response in RESPONSES.items():
        day = date.fromisoformat(response["meeting_date"])
        assert date(2024, 4, 2) <= day <= date(2024, 4, 30)
        assert day.weekday() < 5
        if abbr == "MED":
            assert response["channel"] == "staff"
            assert response["agenda_item"] is None
        else:
            assert response["channel"] == "minutes"
            assert isinstance(response["agenda_item"], int)
