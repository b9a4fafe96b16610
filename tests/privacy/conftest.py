"""A set of consultations in every state the purge distinguishes (``world``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.privacy.factories import (
    World,
    decide_finally,
    make_consultation,
    public_consultation_with_responses,
)


@pytest.fixture
def world(app) -> World:
    made = {name: public_consultation_with_responses(name) for name in (
        "Kulturpolitik", "Idrætspolitik", "Fritidspolitik", "Folkeoplysningspolitik",
        "Frivillighedspolitik")}
    adopted, rejected, recent, recorded_late, undecided = (c for c, _ in made.values())
    decide_finally(adopted, "adopt", meeting_date=date(2025, 3, 4),
                   recorded_at=datetime(2025, 3, 5, 9, 0, tzinfo=UTC))
    decide_finally(rejected, "reject", meeting_date=date(2025, 2, 11),
                   recorded_at=datetime(2025, 2, 11, 15, 0, tzinfo=UTC))
    decide_finally(recent, "adopt", meeting_date=date(2025, 9, 1),
                   recorded_at=datetime(2025, 9, 2, 9, 0, tzinfo=UTC))
    decide_finally(recorded_late, "adopt", meeting_date=date(2025, 2, 1),
                   recorded_at=datetime(2025, 6, 1, 9, 0, tzinfo=UTC))
    not_public = make_consultation("Budgetproces", public=False)
    decide_finally(not_public, "adopt", meeting_date=date(2025, 1, 20),
                   recorded_at=datetime(2025, 1, 21, 9, 0, tzinfo=UTC))
    return World(adopted=adopted, rejected=rejected, recent=recent,
                 recorded_late=recorded_late, undecided=undecided, not_public=not_public,
                 responses={c.id: responses for c, responses in made.values()})
