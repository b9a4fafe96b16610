"""The audit log page: events in words, times in Danish time with the zone, and a filter
of choices (kind of object, handling, person, period in Danish time) that is validated,
keeps what was typed and pages with the filter."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from hoering.accounts.models import Role
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.clock import frozen_at
from hoering.core.db import db

# Around midnight in Danish time, in summer (CEST, UTC+2) and winter (CET, UTC+1).
SUMMER_LATE = datetime(2024, 6, 30, 21, 30, tzinfo=UTC)  # 30 June 23:30 CEST
SUMMER_AFTER = datetime(2024, 6, 30, 22, 30, tzinfo=UTC)  # 1 July 00:30 CEST
WINTER_LATE = datetime(2024, 1, 15, 22, 30, tzinfo=UTC)  # 15 January 23:30 CET
WINTER_AFTER = datetime(2024, 1, 15, 23, 30, tzinfo=UTC)  # 16 January 00:30 CET


@pytest.fixture
def log(app, make_user):
    """An auditor's client, and four logins (one per moment above) by two people."""
    louise = make_user(Role.STAFF, name="Louise Kjær Andersen", email="louise@kommune.dk")
    mikkel = make_user(Role.STAFF, name="Mikkel Friis", email="mikkel@kommune.dk")
    for moment, user in ((WINTER_LATE, louise), (WINTER_AFTER, mikkel),
                         (SUMMER_LATE, louise), (SUMMER_AFTER, mikkel)):
        with frozen_at(moment):
            record_event(AuditTag.AUTH_LOGIN, actor=user, object_type="user",
                         object_id=user.id)
    with frozen_at(SUMMER_AFTER):
        record_event(AuditTag.AUTH_LOGIN_FAILED, actor=None, object_type="user",
                     object_id=None)
    db.session.commit()
    return louise, mikkel


@pytest.fixture
def auditor(client, login_as):
    login_as(Role.AUDITOR)
    return client


def _rows(html: str) -> list[str]:
    """The sentences of the table's rows (the third cell, before its small print)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
        cell = re.findall(r"<td>(.*?)</td>", row, re.DOTALL)[2]
        rows.append(re.sub(r"\s+", " ", cell.split("<br>", 1)[0]).strip())
    return rows


def test_the_filter_offers_choices_in_danish_not_internal_names(log, auditor):
    html = auditor.get("/revision/log").text

    assert re.search(r'<select [^>]*id="objekttype" name="objekttype"', html)
    assert '<option value="user">Bruger</option>' in html
    assert re.search(r'<select [^>]*id="handling" name="handling"', html)
    assert '<option value="auth:login">Logget ind</option>' in html
    louise, mikkel = log
    assert (f'<option value="{louise.id}">Louise Kjær Andersen (louise@kommune.dk)</option>'
            in html)
    assert '<option value="ingen">Ingen bruger' in html
    assert 'type="date"' in html and 'name="fra"' in html and 'name="til"' in html
    assert not re.search(r'<input[^>]*name="(objekttype|handling|person)"', html)
    assert "<code>" not in html  # no tag shown as code


def test_times_are_danish_time_with_the_zone_in_summer_and_winter(log, auditor):
    html = auditor.get("/revision/log").text

    assert "30. juni 2024 kl. 23:30 (CEST)" in html
    assert "1. juli 2024 kl. 00:30 (CEST)" in html
    assert "15. januar 2024 kl. 23:30 (CET)" in html
    assert "16. januar 2024 kl. 00:30 (CET)" in html
    assert "Louise Kjær Andersen loggede ind." in html
    assert "Nogen forsøgte at logge ind med en ukendt e-mailadresse." in html


@pytest.mark.parametrize(("query", "expected"), [
    # one Danish day, whatever UTC says: 30 June ends at 22:00 UTC, 15 January at 23:00 UTC
    ({"fra": "2024-06-30", "til": "2024-06-30"}, ["Louise Kjær Andersen loggede ind."]),
    ({"fra": "2024-07-01", "til": "2024-12-31"},
     ["Nogen forsøgte at logge ind med en ukendt e-mailadresse.", "Mikkel Friis loggede ind."]),
    ({"til": "2024-01-15"}, ["Louise Kjær Andersen loggede ind."]),
    ({"fra": "16.01.2024", "til": "16-01-2024"}, ["Mikkel Friis loggede ind."]),
    ({"person": "mikkel"}, ["Mikkel Friis loggede ind.", "Mikkel Friis loggede ind."]),
    ({"person": "ingen", "til": "2024-12-31"},
     ["Nogen forsøgte at logge ind med en ukendt e-mailadresse."]),
    ({"handling": "auth:login_failed"},
     ["Nogen forsøgte at logge ind med en ukendt e-mailadresse."]),
    ({"objekttype": "user", "person": "louise", "til": "2024-06-30"},
     ["Louise Kjær Andersen loggede ind.", "Louise Kjær Andersen loggede ind."]),
])
def test_the_filter_by_person_handling_and_period_in_danish_time(log, auditor, query,
                                                                  expected):
    louise, mikkel = log
    ids = {"louise": str(louise.id), "mikkel": str(mikkel.id)}
    query = {k: ids.get(v, v) if k == "person" else v for k, v in query.items()}

    page = auditor.get("/revision/log", query_string=query)

    assert page.status_code == 200
    assert _rows(page.text) == expected


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"fra": "2024-07-01", "til": "2024-06-30"}, "til",
     "Vælg en dag samme dag som eller efter »Fra og med«."),
    ({"fra": "2024-02-31"}, "fra", "Skriv en gyldig dato"),
    ({"handling": "remark:frobnicate"}, "handling", "Vælg en af mulighederne på listen."),
    ({"person": "12345"}, "person", "Vælg en af mulighederne på listen."),
    ({"objekttype": "body_id"}, "objekttype", "Vælg en af mulighederne på listen."),
])
def test_a_filter_that_is_not_valid_says_why_and_keeps_what_was_typed(log, auditor, query,
                                                                       field, message):
    page = auditor.get("/revision/log", query_string=query)

    assert page.status_code == 400
    html = page.text
    assert "error-summary" in html and f'href="#{field}"' in html
    assert message in html
    assert "<tbody>" not in html  # no events under a filter that is not valid
    for name, value in query.items():
        if name in ("fra", "til"):  # the dates as typed, to correct
            assert re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"', html), name


def test_no_match_says_what_to_do_and_pages_keep_the_filter(log, auditor, app, make_user):
    empty = auditor.get("/revision/log", query_string={"fra": "2030-01-01"}).text
    assert "Ingen hændelser matcher filteret." in empty
    assert 'href="/revision/log">Nulstil filteret' in empty

    louise, _mikkel = log
    with frozen_at(SUMMER_LATE):
        for _ in range(app.config["PAGE_SIZE"] + 3):
            record_event(AuditTag.AUTH_LOGOUT, actor=louise, object_type="user",
                         object_id=louise.id)
    db.session.commit()
    first = auditor.get("/revision/log", query_string={"person": louise.id,
                                                       "fra": "2024-06-30"}).text
    assert f"{app.config['PAGE_SIZE'] + 4} hændelser." in first
    next_link = re.search(r'href="([^"]*)" rel="next"', first).group(1)
    assert f"person={louise.id}" in next_link and "fra=2024-06-30" in next_link
    second = auditor.get(next_link.replace("&amp;", "&")).text
    assert _rows(second) and set(_rows(second)) <= {"Louise Kjær Andersen loggede ind.",
                                                    "Louise Kjær Andersen loggede ud."}


def test_a_history_link_narrows_the_log_to_one_object_and_names_it(log, auditor):
    louise, _mikkel = log
    html = auditor.get("/revision/log", query_string={"objekttype": "user",
                                                      "objekt": louise.id}).text

    assert "Viser kun hændelser om brugeren Louise Kjær Andersen." in html
    assert f'<input type="hidden" name="objekt" value="{louise.id}">' in html
    assert _rows(html) == ["Louise Kjær Andersen loggede ind."] * 2 + [
        "Systemet oprettede brugeren Louise Kjær Andersen."]
