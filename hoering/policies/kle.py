"""KLE journal numbers, e.g. ``85.13.00-P00-1-23``.

A journal number is the KLE subject (main group, group and topic, two digits each,
separated by dots), a handling facet (one letter and two digits, e.g. ``P00``,
``G01``, ``A00``), a serial number (1-6 digits, no leading zero) and a two-digit year,
separated by hyphens.

:data:`JOURNAL_NUMBER_RE` matches the canonical form only (upper-case facet letter);
:func:`is_valid_journal_number` and :func:`normalise_journal_number` also accept
surrounding whitespace and a lower-case facet letter, as typed into a form.
"""

from __future__ import annotations

import re
from string import ascii_lowercase

from flask_babel import lazy_gettext as _l

JOURNAL_NUMBER_RE = re.compile(
    r"""
    (?P<main_group>[0-9]{2})\.
    (?P<group>[0-9]{2})\.
    (?P<topic>[0-9]{2})
    -(?P<facet>[A-Z][0-9]{2})
    -(?P<serial>[1-9][0-9]{0,5})
    -(?P<year>[0-9]{2})
    """,
    re.VERBOSE,
)

INVALID_MESSAGE = _l("Journalnummeret skal have formen 85.13.00-P00-1-23.")


def normalise_journal_number(value: str) -> str:
    """The canonical form of ``value``; ValueError (in Danish) when it is no journal number."""
    subject, dash, rest = value.strip().partition("-")
    if rest[:1] in ascii_lowercase:  # the facet letter, typed in lower case
        rest = rest[:1].upper() + rest[1:]
    candidate = subject + dash + rest
    if not JOURNAL_NUMBER_RE.fullmatch(candidate):
        raise ValueError(str(INVALID_MESSAGE))
    return candidate


def is_valid_journal_number(value: str) -> bool:
    """Whether ``value`` (surrounding whitespace ignored) is a journal number."""
    try:
        normalise_journal_number(value)
    except ValueError:
        return False
    return True
