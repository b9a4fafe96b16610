"""The wording of the pages (issue 19): the section choices and their default, the listed
slips (double numbering in the split preview, the product name in running text, "á" for
"à", an empty "()" after a citizen), the law's links on the public pages and a meta
description on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations.forms import GENERAL_CHOICE, section_choices
from hoering.consultations.models import Response, ResponseChannel
from hoering.consultations.queries import GENERAL
from hoering.core.db import db
from hoering.municipality import operations as municipality
from hoering.policies import operations as policies
from hoering.public import operations as public_ops
from hoering.trace.remarks import channel_text
from tests.conftest import login
from tests.consultations.factories import consultation_with_remarks
from tests.public.factories import public_consultation

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.txt"),
           *ROOT.glob("hoering/**/*.py")]
ACCESSIBILITY = "https://www.kommune.dk/tilgaengelighed"
PRIVACY = "https://www.kommune.dk/privatliv"


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- the section a remark concerns -----------------------------------------------------


def test_the_section_choices_are_one_list_with_an_explicit_choice_first(app):
    consultation = consultation_with_remarks(1, n_bodies=1)
    sections = consultation.version.sections

    plain = section_choices(sections)
    chosen = section_choices(sections, placeholder=True)

    assert [c.value for c in plain] == [str(s.id) for s in sections] + [GENERAL]
    assert str(plain[0].label) == "Rammesætning (og udkastet som helhed)"
    assert [str(c.label) for c in plain[1:-1]] == [s.heading for s in sections[1:]]
    assert str(plain[-1].label) == str(GENERAL_CHOICE)
    assert str(GENERAL_CHOICE).startswith("Generelle opmærksomhedspunkter – ")
    assert (chosen[0].value, str(chosen[0].label)) == ("", "Vælg en del af udkastet")
    assert chosen[1:] == plain
    assert not any("og overordnet" in str(c.label) for c in chosen)


# --- the slips -----------------------------------------------------------------------------

NUMBERED_DRAFT = """Budgetproces 2025

Indledning om processen.

1. Årets budgetproces
Sådan forløber året.

2. Tidsplan
Datoerne for møderne.
"""


def test_the_split_preview_does_not_number_a_numbered_heading_again(app, client, login_as):
    login_as(Role.STAFF)
    consultation = consultation_with_remarks(1, n_bodies=1)
    policy = consultation.version.policy

    page = client.post(f"/politikker/{policy.id}/versioner/ny",
                       data={"source": NUMBERED_DRAFT, "preview": "1"}).text

    assert "<h3>1. Årets budgetproces</h3>" in page
    assert '<ol class="sections unnumbered">' in page  # the list adds no "2." of its own
    css = (ROOT / "hoering/static/hoering.css").read_text(encoding="utf-8")
    assert re.search(r"\.sections\.unnumbered\s*\{[^}]*list-style:\s*none", css)


def test_the_version_page_does_not_number_its_sections_either(app, client, login_as):
    login_as(Role.STAFF)
    consultation = consultation_with_remarks(1, n_bodies=1)
    version = policies.create_version(consultation.version.policy, [], actor=None)
    db.session.commit()

    page = client.get(f"/politikker/versioner/{version.id}").text

    assert '<ol class="sections">' not in page


def test_no_page_calls_the_product_by_its_package_name_in_running_text():
    slips = [(path.relative_to(ROOT), line) for path in SOURCES
             for line in path.read_text(encoding="utf-8").splitlines()
             if re.search(r"(?i)(indsendt|sendt|svar) i hoering\b", line)]
    assert slips == []


def test_a_members_response_says_it_came_in_through_the_portal(app):
    consultation_with_remarks(1, n_bodies=1)
    response = db.session.scalars(select(Response)).first()
    response.channel, response.source = ResponseChannel.MEMBER, ""
    assert channel_text(response) == "indsendt via høringsportalen"


def test_each_is_a_grave_accent_in_danish():
    """"3 filer à højst 10 MB": "à" (each), never "á"."""
    found = [(path.relative_to(ROOT), line.strip()) for path in SOURCES
             for line in path.read_text(encoding="utf-8").splitlines() if "á" in line]
    assert found == []
    form = (ROOT / "hoering/public/forms.py").read_text(encoding="utf-8")
    assert "Højst 3 filer à højst 10 MB" in form


def test_a_citizens_remark_has_no_empty_attribution(app, client, make_user):
    consultation = public_consultation()
    response, _created = public_ops.submit_public_response(
        consultation, public_ops.PublicSubmission(
            token="b" * 32, name="Ida Jensen", email="ida@example.dk",
            general_text="Flere åbne haller om aftenen."))
    db.session.commit()
    remark = response.remarks[0]
    assert login(client, make_user(Role.STAFF)).status_code == 302

    for url in (f"/hoeringer/bemaerkninger/{remark.id}",
                f"/hoeringer/bemaerkninger/{remark.id}/spor"):
        page = client.get(url)
        assert page.status_code == 200, url
        text = _visible(page.text)
        assert not re.search(r"\(\s*\)", text), url
        assert "Borger (Borger)" not in text, url
        assert "bemærkningen fra Borger" in text or "Bemærkning fra Borger" in text, url


# --- the law's links and the meta description ---------------------------------------------


UNKNOWN_LINK = "/hoeringslink/" + "0" * 43  # a consultee's personal link: "Linket virker ikke"


def _public_pages(consultation) -> list[str]:
    return ["/offentlige-hoeringer", f"/offentlige-hoeringer/{consultation.id}", "/login",
            "/glemt-adgangskode", UNKNOWN_LINK]


def _set_links(make_user, accessibility: str, privacy: str) -> None:
    admin = make_user(Role.ADMIN)
    municipality.update_settings(name="Ballerup Kommune", default_unit="", secretariat_email="",
                                 accessibility_url=accessibility, privacy_url=privacy,
                                 actor=admin)
    db.session.commit()


def test_every_public_page_links_to_the_accessibility_statement_and_privacy_notice(
        app, client, make_user):
    consultation = public_consultation()
    _set_links(make_user, ACCESSIBILITY, PRIVACY)
    public_ops.submit_public_response(consultation, public_ops.PublicSubmission(
        token="c" * 32, name="Ida Jensen", email="ida@example.dk", general_text="Ja tak."))
    db.session.commit()

    for url in [*_public_pages(consultation), "/offentlige-hoeringer/kvittering/" + "c" * 32]:
        page = client.get(url)
        assert page.status_code == (404 if url == UNKNOWN_LINK else 200), url
        assert f'href="{ACCESSIBILITY}">Tilgængelighedserklæring</a>' in page.text, url
        assert f'href="{PRIVACY}">Privatlivspolitik</a>' in page.text, url
    form = client.get(f"/offentlige-hoeringer/{consultation.id}").text
    assert form.count(f'href="{PRIVACY}"') == 2  # also beside the form that collects data


def test_a_link_that_is_not_set_is_not_shown(app, client, make_user):
    consultation = public_consultation()
    _set_links(make_user, ACCESSIBILITY, "")

    page = client.get(f"/offentlige-hoeringer/{consultation.id}").text
    assert "Tilgængelighedserklæring" in page and "Privatlivspolitik" not in page

    _set_links(make_user, "", "")
    for url in _public_pages(consultation):
        page = client.get(url).text
        assert "Tilgængelighedserklæring" not in page and "Privatlivspolitik" not in page, url


def test_staff_pages_ask_nothing_of_their_own_for_the_links(app, client, make_user,
                                                           login_as):
    _set_links(make_user, ACCESSIBILITY, PRIVACY)
    login_as(Role.STAFF)
    assert "Tilgængelighedserklæring" not in client.get("/").text


@pytest.mark.parametrize("staff", [False, True])
def test_every_page_has_a_meta_description_and_public_ones_their_own(app, client, login_as,
                                                                     staff):
    consultation = public_consultation()
    if staff:
        login_as(Role.STAFF)
    urls = ["/", f"/hoeringer/{consultation.id}"] if staff else _public_pages(consultation)
    descriptions = {}
    for url in urls:
        found = re.findall(r'<meta name="description" content="([^"]+)">', client.get(url).text)
        assert len(found) == 1 and len(found[0]) > 20, url
        descriptions[url] = found[0]
    if not staff:
        assert consultation.title in descriptions[f"/offentlige-hoeringer/{consultation.id}"]
        assert len(set(descriptions.values())) == len(descriptions)  # each its own
