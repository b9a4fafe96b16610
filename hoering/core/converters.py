"""Ids in URLs bounded to what the database can hold, so that an id out of range is a 404
(or, in a query string, ignored) rather than an overflow error from the driver.

The app factory installs ``IdConverter`` as the ``int`` converter before any route is
registered: every ``<int:...>`` accepts 1..2³¹−1 (PostgreSQL's INTEGER, the primary keys'
type). The audit log's events have BIGINT ids: their routes use ``<bigid:...>``
(1..2⁶³−1)."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER
MAX_BIGINT_ID = 2**63 - 1  # PostgreSQL BIGINT, SQLite INTEGER


class IdConverter(IntegerConverter):
    """``<int:name>``: a whole number from 1 to 2³¹−1 unless ``min``/``max`` say otherwise;
    anything else does not match the route (404)."""

    default_max = MAX_ID

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1,
                 max: int | None = None, signed: bool = False) -> None:
        upper = self.default_max if max is None else max
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=upper, signed=signed)


class BigIdConverter(IdConverter):
    """``<bigid:name>``: a BIGINT id, 1 to 2⁶³−1."""

    default_max = MAX_BIGINT_ID


URL_CONVERTERS: dict[str, Any] = {"int": IdConverter, "bigid": BigIdConverter}


def id_arg(name: str, *, maximum: int = MAX_ID) -> int | None:
    """``?name=`` as an id: None if it is missing, not a number or outside 1..maximum."""
    value = request.args.get(name, type=int)
    return value if value is not None and 1 <= value <= maximum else None
