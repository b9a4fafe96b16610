"""The current time, in one place, so that historical records can be replayed.

``now()`` is the real UTC time unless code runs inside ``frozen_at(moment)``: the demo
uses that to replay the 2024 case on its real dates, and tests use it for deadlines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")  # dates and deadlines are Danish time

_frozen: ContextVar[datetime | None] = ContextVar("hoering_frozen_now", default=None)


def now() -> datetime:
    return _frozen.get() or datetime.now(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _frozen.reset(token)
