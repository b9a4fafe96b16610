"""``core.db.row_digest``: the database's SHA-256 of a row, the same for the same values
and different whenever a value differs, also where a plain joining of the values would
read the same (a comma moved between two texts, NULL against an empty text)."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, String, cast, literal, null, select

from hoering.core.db import db, row_digest


def _digest(*values: object) -> bytes:
    columns = [null() if value is None else cast(literal(value), Integer if isinstance(
        value, int) else String) for value in values]
    return db.session.execute(select(row_digest(*columns))).scalar_one()


@pytest.mark.parametrize(("one", "other"), [
    (("a,b", "c"), ("a", "b,c")),
    (("", "c"), (None, "c")),
    ((1, None), (None, 1)),
    (("1", "2,3"), ("1,2", "3")),
    (("abc", 5), ("abc", 6)),
])
def test_different_rows_give_different_digests(app, one, other):
    assert _digest(*one) != _digest(*other)


def test_the_same_row_gives_the_same_digest(app):
    row = (7, "Æblet, » og «", None, "Sidste tekst")
    assert _digest(*row) == _digest(*row)
    assert len(_digest(*row)) == 32
