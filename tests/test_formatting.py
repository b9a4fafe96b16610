"""Dates the Danish way, in Europe/Copenhagen."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hoering.core.formatting import danish_date, danish_datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 4, 9), "9. april 2024"),
        (date(2024, 6, 8), "8. juni 2024"),
        (date(2024, 8, 26), "26. august 2024"),
        # 23:30 UTC on 31 December is already 1 January in Copenhagen (UTC+1)
        (datetime(2023, 12, 31, 23, 30, tzinfo=UTC), "1. januar 2024"),
        (None, ""),
    ],
)
def test_danish_date(app, value, expected):
    with app.test_request_context():
        assert danish_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 3, 12, 12, 0, tzinfo=UTC), "12. marts 2024 kl. 13:00 (CET)"),
        (datetime(2024, 6, 18, 12, 0, tzinfo=UTC), "18. juni 2024 kl. 14:00 (CEST)"),
        # the night the clocks go forward: 00:59 UTC is 01:59 CET, 01:00 UTC is 03:00 CEST
        (datetime(2024, 3, 31, 0, 59, tzinfo=UTC), "31. marts 2024 kl. 01:59 (CET)"),
        (datetime(2024, 3, 31, 1, 0, tzinfo=UTC), "31. marts 2024 kl. 03:00 (CEST)"),
        (datetime(2024, 1, 8, 12, 0), "8. januar 2024 kl. 13:00 (CET)"),  # naive: UTC
    ],
)
def test_danish_datetime_in_copenhagen_time_with_the_zone(app, value, expected):
    with app.test_request_context():
        assert danish_datetime(value) == expected
