"""Importing bodies from a CSV file on the bodies page: a preview of each line (new,
updated, unchanged, error with its reason), then all of it or nothing, audited."""

from __future__ import annotations

import io
import re
from base64 import b64encode

import pytest
from sqlalchemy import func, select

from hoering.accounts import body_import
from hoering.accounts.body_import import LineStatus
from hoering.accounts.models import Body, BodyKind, Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.core.errors import DomainError

HEDENSTED = (
    "navn;forkortelse;type;kontakt-e-mail\n"
    "3F Hedensted;3F;Fagforening;Hedensted@3F.dk\n"
    "Lokalrådet i Juelsminde;LRJ;Lokalråd;\n"
    "Socialudvalget;SOU;;\n"
)


def _statuses(plan):
    return [(line.line, line.status, line.message) for line in plan.lines]


def test_the_plan_says_what_each_line_would_do_and_stores_nothing(app, make_body):
    sou = make_body("SOU", "Socialudvalget")
    make_body("KMU", "Klima- og Miljøudvalget")
    plan = body_import.plan_import((HEDENSTED + "Kultur- og Fritidsudvalget;KMU;Udvalg;\n"
                                    "Ældrerådet;ÆR;Pensionistråd;\n"
                                    "Ukendt;U1;;\n"
                                    "3F igen;3f;Fagforening;\n"
                                    "Skolebestyrelsen;SB;skolebestyrelse;ikke-en-adresse\n"
                                    ).encode())
    assert [(line.line, line.status) for line in plan.lines] == [
        (2, LineStatus.NEW), (3, LineStatus.NEW), (4, LineStatus.UNCHANGED),
        (5, LineStatus.UPDATED), (6, LineStatus.ERROR), (7, LineStatus.ERROR),
        (8, LineStatus.ERROR), (9, LineStatus.ERROR)]
    lines = {line.line: line for line in plan.lines}
    assert (lines[2].kind, lines[2].contact_email) == (BodyKind.UNION, "hedensted@3f.dk")
    assert lines[3].kind is BodyKind.LOCAL_COUNCIL
    assert lines[4].body_id == sou.id
    assert lines[5].message == "navn: Klima- og Miljøudvalget → Kultur- og Fritidsudvalget"
    assert "Ukendt type «Pensionistråd»" in lines[6].message
    assert lines[7].message == "«type» skal udfyldes for et nyt organ."
    assert lines[8].message == "Navnet eller forkortelsen står også i linje 2."
    assert "ikke en gyldig e-mailadresse" in lines[9].message
    assert not plan.importable
    assert db.session.scalar(select(func.count()).select_from(Body)) == 2


def test_english_headers_and_kinds_as_the_english_pages_name_them(app):
    plan = body_import.plan_import(
        b"name,abbreviation,kind,contact e-mail\n3F Hedensted,3F,Trade union or organisation,"
        b"hedensted@3f.dk\nMED Hedensted,HMU,Works council (MED),\nSomething,S1,Sports club,\n")
    assert [(line.kind, line.contact_email) for line in plan.lines[:2]] == [
        (BodyKind.UNION, "hedensted@3f.dk"), (BodyKind.WORKS_COUNCIL, None)]
    assert plan.lines[2].status is LineStatus.ERROR


def test_a_name_and_an_abbreviation_of_two_different_bodies_is_an_error(app, make_body):
    make_body("SOU", "Socialudvalget")
    make_body("KMU", "Klima- og Miljøudvalget")
    plan = body_import.plan_import(b"navn;forkortelse\nSocialudvalget;KMU\n")
    assert "hører til «Socialudvalget (SOU)»" in plan.lines[0].message


def test_the_import_creates_and_updates_all_and_audits_it(app, make_body, make_user):
    sou = make_body("SOU", "Socialudvalget")
    admin = make_user(Role.ADMIN)
    plan = body_import.plan_import(
        (HEDENSTED + "Socialudvalget;SOU;;sou@kommune.dk\n").encode("cp1252"))
    # line 4 and line 5 are the same body twice
    assert plan.lines[3].status is LineStatus.ERROR
    plan = body_import.plan_import(
        "navn;forkortelse;type;kontakt-e-mail\n3F Hedensted;3F;Fagforening;hedensted@3f.dk\n"
        "Socialudvalget;SOU;;sou@kommune.dk\n".encode("cp1252"))
    body_import.import_bodies(plan, actor=admin)
    db.session.commit()
    union = db.session.scalars(select(Body).where(Body.abbreviation == "3F")).one()
    assert (union.kind, union.contact_email) == (BodyKind.UNION, "hedensted@3f.dk")
    assert (sou.kind, sou.contact_email) == (BodyKind.COMMITTEE, "sou@kommune.dk")
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == admin.id).order_by(AuditEvent.id))]
    assert actions == ["body:create", "body:update", "body:import"]
    summary = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "body:import")).one()
    assert summary.changes["new"]["after"] == 1 and summary.changes["updated"]["after"] == 1
    created = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "body:create", AuditEvent.actor_id == admin.id)).one()
    assert created.changes["contact_email"]["after"] == "***"  # maybe a person's address


def test_a_plan_with_errors_is_not_imported(app, make_user):
    plan = body_import.plan_import(b"navn;forkortelse;type\nA;A1;Udvalg\nB;B 2;Udvalg\n")
    with pytest.raises(DomainError):
        body_import.import_bodies(plan, actor=make_user(Role.ADMIN))


@pytest.mark.parametrize("role", [Role.STAFF, Role.MEMBER])
def test_only_administrators_import(app, make_user, role):
    plan = body_import.plan_import(b"navn;forkortelse;type\nA;A1;Udvalg\n")
    with pytest.raises(DomainError):
        body_import.import_bodies(plan, actor=make_user(role))


def _upload(client, data: bytes, filename: str = "organer.csv"):
    return client.post("/organer/indlaes", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _confirm_fields(page: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
            for name in ("content", "digest")}


def test_upload_preview_then_confirm_on_the_bodies_page(app, client, login_as, make_body):
    login_as(Role.ADMIN)
    make_body("SOU", "Socialudvalget")
    assert "Indlæs fra CSV-fil" in client.get("/organer").get_data(as_text=True)
    assert client.get("/organer/indlaes").status_code == 200
    preview = _upload(client, b"\xef\xbb\xbf" + HEDENSTED.encode())
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Nye: 2 · ændres: 0 · uændrede: 1 · med fejl: 0" in page
    assert db.session.scalar(select(func.count()).select_from(Body)) == 1

    done = client.post("/organer/indlaes/bekraeft", data=_confirm_fields(page))
    assert done.status_code == 302 and done.headers["Location"] == "/organer"
    listing = client.get("/organer").get_data(as_text=True)
    assert "Filen er indlæst: 2 organer oprettet, 0 ændret." in listing
    assert "Lokalrådet i Juelsminde" in listing and "hedensted@3f.dk" in listing


def test_a_preview_with_errors_offers_no_confirmation(app, client, login_as):
    login_as(Role.ADMIN)
    page = _upload(client, b"navn;forkortelse;type\nA;A1;Hest\n").get_data(as_text=True)
    assert "Ukendt type «Hest»" in page and "Linje" in page
    assert "Indlæs organerne" not in page


def test_an_unreadable_file_is_a_form_error(app, client, login_as):
    login_as(Role.ADMIN)
    response = _upload(client, b"telefon\n1\n")
    assert response.status_code == 422
    assert "Ukendt kolonne «telefon»" in response.get_data(as_text=True)
    assert "Vælg en CSV-fil." in client.post(
        "/organer/indlaes", data={}, content_type="multipart/form-data").get_data(as_text=True)


def test_a_confirmation_after_the_bodies_changed_shows_the_new_preview(app, client, login_as,
                                                                      make_body):
    login_as(Role.ADMIN)
    page = _upload(client, HEDENSTED.replace("SOU;;", "SOU;Udvalg;").encode()
                   ).get_data(as_text=True)
    make_body("LRJ", "Lokalrådet i Juelsminde")  # made by someone else meanwhile
    response = client.post("/organer/indlaes/bekraeft", data=_confirm_fields(page))
    assert response.status_code == 409
    assert "ændret, siden forhåndsvisningen" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Body)) == 1
    assert "Lokalrådet i Juelsminde" in response.get_data(as_text=True)


def test_a_tampered_confirmation_imports_nothing(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/organer/indlaes/bekraeft",
                           data={"content": "ikke base64!", "digest": "0" * 64})
    assert response.status_code == 302
    other = b64encode(b"navn;forkortelse;type\nA;A1;Udvalg\n").decode()
    response = client.post("/organer/indlaes/bekraeft", data={"content": other,
                                                              "digest": "0" * 64})
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Body)) == 0


def test_the_body_form_keeps_a_contact_email(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/organer/nyt", data={
        "name": "FOA", "abbreviation": "FOA", "kind": "union", "contact_email": "ikke"})
    assert "Skriv en gyldig e-mailadresse" in response.get_data(as_text=True)
    assert 'value="ikke"' in response.get_data(as_text=True)  # what was typed stays
    response = client.post("/organer/nyt", data={
        "name": "FOA", "abbreviation": "FOA", "kind": "union",
        "contact_email": " Kontakt@FOA.dk "})
    body = db.session.scalars(select(Body)).one()
    assert (body.kind, body.contact_email) == (BodyKind.UNION, "kontakt@foa.dk")
    page = client.get(f"/organer/{body.id}").get_data(as_text=True)
    assert "kontakt@foa.dk" in page and "Fagforening eller organisation" in page
    form = client.get(f"/organer/{body.id}/rediger").get_data(as_text=True)
    assert 'value="kontakt@foa.dk"' in form
