"""Personal data in a text about to be published: CPR numbers, Danish phone numbers and
e-mail addresses, found so that staff can mask them before a citizen's words go on the
public page. Pure functions; what is decided about each finding is kept elsewhere
(``hoering.consultations.publication``).

What is flagged, and what on purpose is not:

- **CPR number**: six digits that are a real day and month (ddmmyy; any year, 29 February
  always allowed) and four more, with a hyphen (or an en dash, as Word writes it), a
  space or nothing between: ``010190-1234``, ``010190 1234``, ``0101901234``. Not
  flagged: a date written with separators (``01-01-1990``, ``01.01.90``), six digits
  alone (``010190``), ten digits whose first six are no date (``3113901234``,
  ``1234567890``), digits inside a longer number (a 14-digit account number). There is
  no modulus-11 check: CPR numbers issued since 2007 need not pass it.
- **Phone number**: eight digits, the first 2–9 (Danish subscriber numbers never start
  with 0 or 1), written together (``22345678``), in fours (``2234 5678``)
  or in pairs (``22 34 56 78``), optionally after ``+45``, ``0045`` or ``(+45)``. Not
  flagged: an amount (the number followed by ``kr``, ``kr.``, ``kroner``, ``DKK``,
  ``,-``, ``mio``, ``mia``, ``euro``, ``€`` or ``%``, or following ``kr.`` or ``DKK``),
  numbers with thousands separators (``22.345.678``, ``22 345 678``), decimals
  (``22345678,50``), digits inside a longer number. A compact date (``20240409``) *is*
  flagged: it cannot be told from a mobile number; staff keep it.
- **E-mail address**: ``name@domain.tld`` (letters such as æ, ø, å allowed). Not
  flagged: addresses written to dodge robots (``navn (at) kommune.dk``).

Where two findings overlap (digits inside an e-mail address), the longer one wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PersonalDataKind(StrEnum):
    CPR = "cpr"
    PHONE = "phone"
    EMAIL = "email"


KIND_LABELS = {
    PersonalDataKind.CPR: "CPR-nummer",
    PersonalDataKind.PHONE: "telefonnummer",
    PersonalDataKind.EMAIL: "e-mailadresse",
}

MASKS = {kind: f"[{label} fjernet]" for kind, label in KIND_LABELS.items()}


@dataclass(frozen=True, order=True)
class Finding:
    """``text[start:end]`` looks like personal data of ``kind``."""

    start: int
    end: int
    kind: PersonalDataKind


_SPACE = "[ \u00a0]"  # a space or a no-break space
# no word character or digit group right before or after (a longer number, a decimal)
_NOT_AFTER_NUMBER = r"(?<!\w)(?<!\d[ .,\-])(?<!\d\u00a0)"
_NOT_BEFORE_NUMBER = r"(?!\w)(?![ \u00a0.,\-]\d)"

_CPR = re.compile(
    _NOT_AFTER_NUMBER + r"(?P<day>\d\d)(?P<month>\d\d)\d\d(?:[-\u2013]|[ \u00a0])?\d{4}"
    + _NOT_BEFORE_NUMBER
)
_PHONE = re.compile(
    _NOT_AFTER_NUMBER
    + rf"(?:(?:\+|00)45{_SPACE}?|\(\+45\){_SPACE}?)?"
    + rf"(?:[2-9]\d{{7}}|[2-9]\d{{3}}{_SPACE}\d{{4}}|[2-9]\d(?:{_SPACE}\d\d){{3}})"
    + _NOT_BEFORE_NUMBER
)
_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?!\w)")
_AMOUNT_AFTER = re.compile(r"[ \u00a0]?(?:kr\b|kr\.|kroner|dkk|,-|mio\b|mia\b|euro|€|%)",
                           re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"(?:\bkr\.?|\bdkk|€)[ \u00a0]?$", re.IGNORECASE)


def _is_day_and_month(day: str, month: str) -> bool:
    try:
        date(2000, int(month), int(day))  # a leap year: 29 February is a real birthday
    except ValueError:
        return False
    return True


def _cpr_numbers(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), PersonalDataKind.CPR) for m in _CPR.finditer(text)
            if _is_day_and_month(m["day"], m["month"])]


def _is_amount(text: str, start: int, end: int) -> bool:
    return bool(_AMOUNT_AFTER.match(text, end) or _AMOUNT_BEFORE.search(text[:start]))


def _phone_numbers(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), PersonalDataKind.PHONE)
            for m in _PHONE.finditer(text) if not _is_amount(text, m.start(), m.end())]


def _email_addresses(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), PersonalDataKind.EMAIL) for m in _EMAIL.finditer(text)]


def find_personal_data(text: str) -> list[Finding]:
    """The findings in ``text`` in order, none overlapping another."""
    candidates = sorted(
        _email_addresses(text) + _cpr_numbers(text) + _phone_numbers(text),
        key=lambda f: (f.start, -(f.end - f.start)),
    )
    found: list[Finding] = []
    for candidate in candidates:
        if not found or candidate.start >= found[-1].end:
            found.append(candidate)
    return found


def mask(text: str, findings: list[Finding]) -> str:
    """``text`` with each of ``findings`` (in order, not overlapping) replaced by a
    placeholder such as "[CPR-nummer fjernet]"."""
    parts, position = [], 0
    for finding in findings:
        parts += [text[position:finding.start], MASKS[finding.kind]]
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


@dataclass(frozen=True)
class InContext:
    """A finding with some of the text around it, for the review page."""

    before: str
    found: str
    after: str


def in_context(text: str, finding: Finding, width: int = 40) -> InContext:
    before = text[max(0, finding.start - width):finding.start]
    after = text[finding.end:finding.end + width]
    return InContext(
        before=("…" if finding.start > width else "") + before,
        found=text[finding.start:finding.end],
        after=after + ("…" if finding.end + width < len(text) else ""),
    )
