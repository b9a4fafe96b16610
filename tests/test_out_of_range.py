"""Ids and page numbers out of the database's range are a 404 or an empty page, never a
500: every GET route with an id in its path is tried with 2³¹ (past PostgreSQL's
INTEGER), 2⁶³ (past SQLite's and PostgreSQL's BIGINT) and 10²⁰ as each id, and every list
page with an absurd or negative ``?page=``, logged in as an administrator."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import IntegerConverter, Rule

from hoering.accounts.models import Role
from hoering.core.converters import MAX_BIGINT_ID, MAX_ID
from tests.public.factories import public_consultation

HUGE = (2**31, 2**63, 10**20)
# values for the path arguments that are not ids: a format each export knows, a token
OTHER_ARGUMENTS = {"fmt": "csv", "token": "x", "link_token": "x", "invitation_token": "x",
                   "reset_token": "x", "filename": "hoering.css"}


def _int_arguments(rule: Rule) -> list[str]:
    return [name for name, converter in rule._converters.items()
            if isinstance(converter, IntegerConverter)]


def _get_rules(app: Flask) -> list[Rule]:
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.methods and "GET" in rule.methods), key=lambda rule: rule.rule)


def _url(app: Flask, rule: Rule, values: dict[str, int | str]) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, method="GET")


def _failures(client, urls: list[str]) -> list[str]:
    failures = []
    for url in urls:
        try:  # the testing config propagates a view's exception instead of answering 500
            status = client.get(url).status_code
        except Exception as error:  # noqa: BLE001 - each failure is listed, not the first
            failures.append(f"{type(error).__name__} {url}")
            continue
        if status >= 500:
            failures.append(f"{status} {url}")
    return failures


def test_every_get_route_with_an_id_answers_huge_ids_without_a_server_error(
        app, client, login_as):
    login_as(Role.ADMIN)
    urls = []
    for rule in _get_rules(app):
        ints = _int_arguments(rule)
        others = {name: OTHER_ARGUMENTS[name] for name in rule.arguments if name not in ints}
        for name in ints:
            for huge in HUGE:
                values: dict[str, int | str] = {**others, **dict.fromkeys(ints, 1)}
                values[name] = huge
                urls.append(_url(app, rule, values))
    assert len(urls) >= 50 * len(HUGE)
    assert _failures(client, urls) == []


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", str(2**63), "0", "x"])
def test_every_list_page_answers_absurd_page_numbers_without_a_server_error(
        app, client, login_as, page):
    login_as(Role.ADMIN)
    urls = [f"{rule.rule}?page={page}" for rule in _get_rules(app) if not rule.arguments]
    assert "/brugere" in {url.split("?")[0] for url in urls}
    assert _failures(client, urls) == []


def test_a_page_beyond_the_last_is_an_empty_page(client, login_as, make_user):
    login_as(Role.ADMIN)
    other = make_user(Role.STAFF, email="anden@kommune.dk")
    assert other.email in client.get("/brugere").text
    for page in ("99999999999999999999", str(2**31), "2"):
        response = client.get(f"/brugere?page={page}")
        assert response.status_code == 200 and other.email not in response.text
    assert other.email in client.get("/brugere?page=-5").text  # below 1: the first page


def test_pages_of_one_consultation_answer_absurd_page_numbers(client, login_as):
    consultation = public_consultation()
    login_as(Role.ADMIN)
    urls = [f"{url}?page={page}" for page in ("99999999999999999999", "-5", str(2**63))
            for url in (f"/hoeringer/{consultation.id}/bemaerkninger",
                        f"/offentlige-hoeringer/{consultation.id}")]
    assert _failures(client, urls) == []


def test_ids_in_range_are_still_routed_and_out_of_range_ones_are_404(app, client, login_as):
    login_as(Role.ADMIN)
    assert client.get(f"/brugere/{MAX_ID}").status_code == 404
    assert client.get(f"/brugere/{MAX_ID + 1}").status_code == 404
    assert client.get("/brugere/0").status_code == 404
    user = login_as(Role.ADMIN)
    assert client.get(f"/brugere/{user.id}").status_code == 200
    proof = "/revision/haendelser/{}/bevis.json"
    assert client.get(proof.format(MAX_ID + 1)).status_code == 404  # routed, not found
    assert client.get(proof.format(MAX_BIGINT_ID + 1)).status_code == 404
    adapter = app.url_map.bind("localhost")
    assert adapter.match(proof.format(MAX_BIGINT_ID))[1] == {"event_id": MAX_BIGINT_ID}
    assert adapter.match(f"/brugere/{MAX_ID}")[1] == {"user_id": MAX_ID}


def test_ids_out_of_range_in_the_query_string_are_ignored_or_not_found(client, login_as):
    consultation = public_consultation()
    login_as(Role.ADMIN)
    urls = [url.format(huge) for huge in HUGE for url in (
        f"/hoeringer/{consultation.id}/bemaerkninger?organ={{}}",
        f"/hoeringer/{consultation.id}/bemaerkninger?afsnit={{}}",
        f"/hoeringer/{consultation.id}/referat?organ={{}}",
        f"/politikker/versioner/{consultation.version_id}/sammenlign?med={{}}",
        "/revision/log?objekt={}",
    )]
    assert _failures(client, urls) == []
    inbox = f"/hoeringer/{consultation.id}/bemaerkninger"
    assert client.get(f"{inbox}?organ={2**63}").status_code == 200  # the filter is ignored
    assert client.get(f"{inbox}?afsnit={2**31}").status_code == 404  # no such section
    assert client.get(f"{inbox}?afsnit=²").status_code == 404  # a digit, not a number


@pytest.mark.parametrize("query", ["q=a%00b", "objekttype=a%00b", "handling=%00", "page=1%07"])
def test_a_control_character_in_the_query_string_is_a_400(app, client, login_as, query):
    """A NUL in a search or filter gave a 500 on PostgreSQL: refused before any view."""
    login_as(Role.ADMIN)
    for path in ("/revision/log", "/hoeringer/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)


def test_a_control_character_in_the_path_is_a_400(app, client):
    """A NUL in a receipt token gave a 500 on PostgreSQL."""
    assert client.get("/offentlige-hoeringer/kvittering/abc%00def").status_code == 400
