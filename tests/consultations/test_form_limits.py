"""Staff forms refuse what would break later: a consultation title with a line break
(its invitation e-mails would fail on every retry), control characters, and dates
outside 2000-2100 (a deadline in year 1 was accepted); the messages are Danish, and the
form comes back with what was typed. Over HTTP only, so that it runs unchanged against
the code before the fix."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hoering.accounts.models import Role
from hoering.consultations.models import Consultation
from hoering.core.db import db
from tests.conftest import login
from tests.public.factories import public_consultation


def _edit(consultation: Consultation, **changes) -> dict:
    closes = consultation.closes_at.date() + timedelta(days=7)
    data = {"title": "Høring om kulturpolitikken", "opens_on": consultation.opens_on.isoformat(),
            "deadline_date": closes.isoformat(), "deadline_time": "23:59",
            "invitation_text": "Send jeres svar.",
            "bodies": [c.body_id for c in consultation.consultees]}
    data.update(changes)
    return data


@pytest.mark.parametrize("changes, message", [
    ({"title": "Høring\r\nBcc: alle@example.dk"}, "Feltet kan kun have én linje"),
    ({"title": "Høring\x00"}, "usynligt styretegn"),
    ({"invitation_text": "Kære parter\x00"}, "usynligt styretegn"),
    ({"opens_on": "0001-01-01", "deadline_date": "0001-01-02"},
     "Skriv en dato mellem år 2000 og 2100."),
    ({"deadline_date": "9999-12-31"}, "Skriv en dato mellem år 2000 og 2100."),
    ({"deadline_date": "31.12.2026"}, "Skriv en gyldig dato (år-måned-dag"),
])
def test_a_consultation_with_a_broken_title_or_date_is_not_saved(
    app, client, make_user, changes, message
):
    consultation = public_consultation()
    opens_on = consultation.opens_on
    login(client, make_user(Role.STAFF))
    answer = client.post(f"/hoeringer/{consultation.id}/rediger",
                         data=_edit(consultation, **changes))
    assert answer.status_code == 200, answer.status_code  # the form again
    assert message in answer.text
    assert "Not a valid" not in answer.text
    assert "Send jeres svar." in answer.text or "Kære parter" in answer.text  # kept
    db.session.expire_all()
    stored = db.session.get(Consultation, consultation.id)
    assert stored.title == "Høring om kultur-, idræts- og fritidspolitikken"
    assert stored.opens_on == opens_on
