"""Importing users from a CSV file on the users page: a preview of each line (a new user
who gets an invitation, a change, no change, an error with its line number and reason),
then all of it or nothing: new users without a password, each invited by e-mail,
memberships added (never removed), audited without names or addresses."""

from __future__ import annotations

import io
import json
import re
from base64 import b64encode

import pytest
from sqlalchemy import func, select

from hoering.accounts import user_import
from hoering.accounts.csv_plan import LineStatus
from hoering.accounts.invitations import awaits_password
from hoering.accounts.models import Membership, Role, User
from hoering.audit.models import AuditEvent
from hoering.core.csv_import import MAX_BYTES
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.outbox.models import OutboxMessage

HEADER = "navn;e-mail;rolle;organer;sekretær\n"
HEDENSTED = (
    HEADER
    + "Anna Jensen;Anna.Jensen@Hedensted.dk;Medlem;SOU|KMU;SOU\n"
    + "Bo Ærø;bo@hedensted.dk;sekretariat;;\n"
    + "Carl Holm;carl@hedensted.dk;;Socialudvalget;ja\n"
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _stored() -> tuple[int, int, int, int]:
    return (_count(User), _count(Membership), _count(OutboxMessage), _count(AuditEvent))


def _lines(plan):
    return {line.line: line for line in plan.lines}


@pytest.fixture
def bodies(make_body):
    return make_body("SOU", "Socialudvalget"), make_body("KMU", "Klima- og Miljøudvalget")


def test_the_plan_says_what_each_line_would_do_and_stores_nothing(app, make_user, bodies):
    sou, kmu = bodies
    admin = make_user(Role.ADMIN)
    dorte = make_user(Role.MEMBER, name="Dorte Due", email="dorte@hedensted.dk", bodies=(sou,))
    erik = make_user(Role.STAFF, name="Erik Eg", email="erik@hedensted.dk", bodies=(kmu,))
    before = _stored()
    plan = user_import.plan_import((
        HEDENSTED
        + "Dorte Due;DORTE@hedensted.dk;Sekretariat;SOU|KMU;KMU\n"
        + "Erik Eg;erik@hedensted.dk;;KMU;\n"
    ).encode(), actor=admin)
    assert [(line.line, line.status) for line in plan.lines] == [
        (2, LineStatus.NEW), (3, LineStatus.NEW), (4, LineStatus.NEW),
        (5, LineStatus.UPDATED), (6, LineStatus.UNCHANGED)]
    lines = _lines(plan)
    anna = lines[2]
    assert (anna.email, anna.role) == ("anna.jensen@hedensted.dk", Role.MEMBER)
    assert [(m.abbreviation, m.is_secretary) for m in anna.memberships] == [
        ("SOU", True), ("KMU", False)]
    assert lines[3].role is Role.STAFF and lines[3].memberships == ()
    assert lines[4].role is Role.MEMBER  # an empty role: Medlem for a new user
    assert [(m.abbreviation, m.is_secretary) for m in lines[4].memberships] == [("SOU", True)]
    assert (lines[5].user_id, lines[5].role_before, lines[5].role) == (
        dorte.id, Role.MEMBER, Role.STAFF)
    assert lines[5].message == "rolle: Medlem → Sekretariat; medlem af KMU som sekretær"
    assert (lines[6].user_id, lines[6].role, lines[6].message) == (erik.id, Role.STAFF, "")
    assert plan.importable
    assert _stored() == before


@pytest.mark.parametrize(("cells", "message"), [
    ("Anna;anna@;medlem;;", "«anna@» er ikke en gyldig e-mailadresse."),
    ("Anna;anna@hedensted.dk;chef;;", "Ukendt rolle «chef». Brug administrator, sekretariat, "
                                      "medlem eller revisor."),
    ("Anna;anna@hedensted.dk;;SOU|ØU|XYZ;", "Ukendte organer «ØU», «XYZ»."),
    ("Anna;anna@hedensted.dk;;ØU;", "Ukendt organ «ØU»."),
    ("Anna;anna@hedensted.dk;;SOU;KMU", "«sekretær» nævner «KMU», som ikke står under "
                                        "«organer»."),
    ("Anna;anna@hedensted.dk;;;ja", "«sekretær» er «ja», men linjen nævner ingen organer."),
    ("Anna;anna@hedensted.dk;;SOU;ØU", "«sekretær» nævner «ØU»"),
    ("Anna;bo@hedensted.dk;;;", "E-mailadressen står også i linje 2."),
    ("=HYPERLINK(\"x\");anna@hedensted.dk;;;", "«navn» begynder med «=»"),
    ("Anna;+anna@hedensted.dk;;;", "«e-mail» begynder med «+»"),
    (";anna@hedensted.dk;;;", "«navn» skal udfyldes."),
    ("Anna;anna@hedensted.dk;;;;ekstra", "Linjen har 6 felter"),
    ("A" * 201 + ";anna@hedensted.dk;;;", "Navnet er for langt (højst 200 tegn)."),
])
def test_each_error_is_given_with_its_line_number(app, bodies, cells, message):
    plan = user_import.plan_import(
        (HEADER + "Bo;BO@hedensted.dk;;;\n" + cells + "\n").encode(), actor=None)
    line = _lines(plan)[3]
    assert line.status is LineStatus.ERROR
    assert message in line.message
    assert _lines(plan)[2].status is LineStatus.NEW
    assert not plan.importable


def test_lowering_ones_own_administrator_role_is_an_error(app, make_user):
    admin = make_user(Role.ADMIN, name="Ada Admin", email="ada@hedensted.dk")
    plan = user_import.plan_import(b"navn;e-mail;rolle\nAda Admin;ada@hedensted.dk;medlem\n",
                                   actor=admin)
    assert plan.lines[0].message == "Du kan ikke fjerne din egen administratorrolle."
    kept = user_import.plan_import(b"navn;e-mail;rolle\nAda A.;ada@hedensted.dk;\n",
                                   actor=admin)
    assert (kept.lines[0].status, kept.lines[0].message) == (
        LineStatus.UPDATED, "navn: Ada Admin → Ada A.")


@pytest.mark.parametrize("prefix, encoding", [
    (b"", "cp1252"),  # Excel's "CSV (semikolonsepareret)"
    (b"\xef\xbb\xbf", "utf-8"),  # Excel's "CSV UTF-8", with its BOM
])
def test_danish_excel_files(app, bodies, prefix, encoding):
    text = ("Navn;E-mail;Rolle;Organer;Sekretær\r\n"
            "Søren Ærø;soeren@hedensted.dk;Sekretariat;Klima- og Miljøudvalget;ja\r\n")
    plan = user_import.plan_import(prefix + text.encode(encoding), actor=None)
    (line,) = plan.lines
    assert (line.status, line.name, line.role) == (LineStatus.NEW, "Søren Ærø", Role.STAFF)
    assert [(m.abbreviation, m.is_secretary) for m in line.memberships] == [("KMU", True)]


def test_english_headers_commas_and_the_role_values(app, bodies):
    plan = user_import.plan_import(
        b"email,name,role,bodies,secretary\nanna@hedensted.dk,Anna,auditor,sou|kmu,no\n"
        b"bo@hedensted.dk,Bo,admin,,\n", actor=None)
    assert [line.role for line in plan.lines] == [Role.AUDITOR, Role.ADMIN]
    assert [m.is_secretary for m in plan.lines[0].memberships] == [False, False]


def test_a_role_in_either_language_of_the_app(app):
    plan = user_import.plan_import(
        b"name,email,role\nAnna,anna@hedensted.dk,Member\nBo,bo@hedensted.dk,Secretariat\n"
        b"Carl,carl@hedensted.dk,Revisor\nDorte,dorte@hedensted.dk,Boss\n", actor=None)
    assert [line.role for line in plan.lines[:3]] == [Role.MEMBER, Role.STAFF, Role.AUDITOR]
    assert plan.lines[3].status is LineStatus.ERROR


def test_the_import_creates_invited_users_and_updates_the_others(app, make_user, bodies):
    sou, kmu = bodies
    admin = make_user(Role.ADMIN)
    dorte = make_user(Role.MEMBER, name="Dorte Due", email="dorte@hedensted.dk", bodies=(sou,))
    db.session.scalars(select(Membership).where(Membership.user_id == dorte.id)).one() \
        .is_secretary = True
    db.session.commit()
    plan = user_import.plan_import((
        HEDENSTED + "Dorte Due;dorte@hedensted.dk;Sekretariat;KMU|SOU;KMU\n").encode(),
        actor=admin)
    assert _lines(plan)[5].message == ("rolle: Medlem → Sekretariat; medlem af KMU som "
                                       "sekretær; ikke længere sekretær for SOU")
    first_event = db.session.scalar(select(func.max(AuditEvent.id)))
    user_import.import_users(plan, actor=admin)
    db.session.commit()

    new = {user.email: user for user in db.session.scalars(
        select(User).where(User.email.like("%@hedensted.dk"), User.id != dorte.id))}
    assert sorted(new) == ["anna.jensen@hedensted.dk", "bo@hedensted.dk", "carl@hedensted.dk"]
    assert all(awaits_password(user) for user in new.values())  # without a password
    assert (new["bo@hedensted.dk"].name, new["bo@hedensted.dk"].role) == ("Bo Ærø", Role.STAFF)
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert sorted((m.kind, m.to_address) for m in messages) == [
        ("account_invitation", email) for email in sorted(new)]  # none for Dorte

    def memberships(user):
        return sorted((m.body.abbreviation, m.is_secretary) for m in db.session.scalars(
            select(Membership).where(Membership.user_id == user.id)))

    assert memberships(new["anna.jensen@hedensted.dk"]) == [("KMU", False), ("SOU", True)]
    assert memberships(new["carl@hedensted.dk"]) == [("SOU", True)]
    db.session.refresh(dorte)
    assert dorte.role is Role.STAFF and not awaits_password(dorte)
    assert memberships(dorte) == [("KMU", True), ("SOU", False)]

    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > first_event)))
    summary = next(e for e in events if e.action == "user:import")
    assert {key: value["after"] for key, value in summary.changes.items()} == {
        "new": 3, "updated": 1, "unchanged": 0, "invitations": 3}
    assert [e.action for e in events].count("user:invite") == 3
    recorded = json.dumps([e.changes for e in events], ensure_ascii=False).casefold()
    for person in ("anna", "bo ærø", "carl", "dorte", "hedensted.dk"):
        assert person not in recorded


def test_an_unchanged_file_and_a_file_with_errors_are_not_imported(app, make_user):
    admin = make_user(Role.ADMIN, name="Ada", email="ada@hedensted.dk")
    for data in (b"navn;e-mail\nAda;ada@hedensted.dk\n",
                 b"navn;e-mail\nAnna;anna@hedensted.dk\nBo;ikke-en-adresse\n"):
        plan = user_import.plan_import(data, actor=admin)
        with pytest.raises(DomainError):
            user_import.import_users(plan, actor=admin)
    assert _count(User) == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.MEMBER, Role.AUDITOR])
def test_only_administrators_import(app, make_user, role):
    actor = make_user(role)
    plan = user_import.plan_import(b"navn;e-mail\nAnna;anna@hedensted.dk\n", actor=actor)
    with pytest.raises(DomainError):
        user_import.import_users(plan, actor=actor)


# --- the pages --------------------------------------------------------------------------


def _upload(client, data: bytes, **extra):
    return client.post("/brugere/indlaes", data={"file": (io.BytesIO(data), "brugere.csv"),
                                                 **extra},
                       content_type="multipart/form-data")


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)


def _confirm_fields(page: str) -> dict[str, str]:
    return {name: _hidden(page, name) for name in ("content", "digest")}


def test_upload_preview_then_confirm_on_the_users_page(app, client, login_as, bodies):
    login_as(Role.ADMIN)
    listing = client.get("/brugere").text
    assert "Indlæs brugere fra CSV" in listing and "/brugere/indlaes" in listing
    assert client.get("/brugere/indlaes").status_code == 200
    before = _stored()
    preview = _upload(client, b"\xef\xbb\xbf" + HEDENSTED.encode())
    page = preview.text
    assert preview.status_code == 200
    assert "Nye: 3 · ændres: 0 · uændrede: 0 · med fejl: 0" in page
    assert page.count("Ny bruger – får en invitation") == 3
    assert "oprettes 3 nye brugere, som hver får en invitation pr. e-mail" in page
    assert "SOU (sekretær), KMU" in page
    assert _stored() == before  # the preview stores nothing

    done = client.post("/brugere/indlaes/bekraeft", data=_confirm_fields(page))
    assert done.status_code == 302 and done.headers["Location"] == "/brugere"
    listing = client.get("/brugere").text
    assert "Filen er indlæst: 3 brugere oprettet og inviteret pr. e-mail, 0 ændret." in listing
    assert "Bo Ærø" in listing
    assert _count(OutboxMessage) == 3


def test_a_role_change_is_shown_clearly(app, client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user(Role.MEMBER, name="Dorte Due", email="dorte@hedensted.dk")
    page = _upload(client, b"navn;e-mail;rolle\nDorte Due;dorte@hedensted.dk;sekretariat\n"
                   b"Eva;eva@hedensted.dk;\n").text
    assert "Ændres: rolle: Medlem → Sekretariat" in page
    assert "1 bruger får en ny rolle" in page and "ny rolle</span>" in page
    assert "Brugere, der findes i forvejen, får ingen invitation" in page


def test_a_preview_with_errors_offers_no_confirmation(app, client, login_as, bodies):
    login_as(Role.ADMIN)
    page = _upload(client, (HEADER + "Anna;anna@hedensted.dk;chef;;\n"
                            "Bo;bo@hedensted.dk;;ØU;\n").encode()).text
    assert "Fejl: Ukendt rolle «chef»" in page and "Fejl: Ukendt organ «ØU»" in page
    assert "Ret fejlene i filen, og vælg den igen" in page
    assert "/brugere/indlaes/bekraeft" not in page and "send invitationerne" not in page
    assert _count(User) == 1


def test_an_unchanged_file_offers_no_confirmation(app, client, login_as):
    admin = login_as(Role.ADMIN)
    page = _upload(client, f"navn;e-mail\n{admin.name};{admin.email}\n".encode()).text
    assert "Uændret" in page and "Filen ændrer intet" in page
    assert "/brugere/indlaes/bekraeft" not in page


@pytest.mark.parametrize(("data", "message"), [
    (b"navn;e-mail\n" + b"x" * MAX_BYTES, "Filen er for stor: højst 1.000 kB."),
    (b"navn;e-mail\n" + b"Anna;anna@hedensted.dk\n" * 1001,
     "Filen har mere end 1.000 linjer; del den op."),
    (b"navn;telefon\nAnna;12345678\n", "Ukendt kolonne «telefon»"),
    (b"navn;organer\nAnna;SOU\n", "Overskriften mangler kolonnen «e-mail»."),
    (b"\xff\xfen\x00a\x00", "Filen er gemt som UTF-16"),
    (b"", "Filen er tom."),
])
def test_a_hostile_or_unreadable_file_is_refused_on_the_page(app, client, login_as, data,
                                                            message):
    login_as(Role.ADMIN)
    before = _stored()
    response = _upload(client, data)
    assert response.status_code == 422
    assert message in response.text
    assert 'enctype="multipart/form-data"' in response.text  # the upload form again
    assert _stored() == before


def test_no_file_chosen_is_a_form_error(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/brugere/indlaes", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Vælg en CSV-fil." in response.text


def test_a_confirmation_after_the_users_changed_shows_the_new_preview(app, client, login_as,
                                                                     make_user, bodies):
    login_as(Role.ADMIN)
    page = _upload(client, HEDENSTED.encode()).text
    make_user(Role.STAFF, name="Carl Holm", email="carl@hedensted.dk")  # meanwhile
    before = _stored()
    response = client.post("/brugere/indlaes/bekraeft", data=_confirm_fields(page))
    assert response.status_code == 409
    assert "ændret, siden forhåndsvisningen" in response.text
    assert "rolle: Sekretariat → Medlem" not in response.text  # an empty role keeps it
    assert "Ændres: medlem af SOU som sekretær" in response.text
    assert _stored() == before  # all or nothing: nobody created, nobody invited
    again = client.post("/brugere/indlaes/bekraeft", data=_confirm_fields(response.text))
    assert again.status_code == 302
    assert _count(OutboxMessage) == 2  # Anna and Bo; Carl existed


def test_a_refusal_halfway_through_keeps_nothing(app, client, login_as, bodies,
                                                 monkeypatch):
    login_as(Role.ADMIN)
    page = _upload(client, HEDENSTED.encode()).text
    invited = []
    real = user_import.create_invited_user

    def refuse_the_second(**fields):
        if invited:
            raise DomainError("Invitationen kunne ikke sendes.")
        invited.append(fields["email"])
        return real(**fields)

    monkeypatch.setattr(user_import, "create_invited_user", refuse_the_second)
    before = _stored()
    response = client.post("/brugere/indlaes/bekraeft", data=_confirm_fields(page))
    assert response.status_code == 302 and response.headers["Location"] == "/brugere/indlaes"
    assert invited == ["anna.jensen@hedensted.dk"]
    assert _stored() == before  # the first user, its memberships and e-mail rolled back
    assert "Invitationen kunne ikke sendes." in client.get("/brugere/indlaes").text


def test_a_tampered_confirmation_imports_nothing(app, client, login_as):
    login_as(Role.ADMIN)
    before = _stored()
    response = client.post("/brugere/indlaes/bekraeft",
                           data={"content": "ikke base64!", "digest": "0" * 64})
    assert response.status_code == 302 and response.headers["Location"] == "/brugere/indlaes"
    other = b64encode(b"navn;e-mail\nAnna;anna@hedensted.dk\n").decode()
    response = client.post("/brugere/indlaes/bekraeft", data={"content": other,
                                                              "digest": "0" * 64})
    assert response.status_code == 409
    assert client.post("/brugere/indlaes/bekraeft", data={}).status_code == 302
    assert _stored() == before


def test_the_import_needs_the_csrf_token_when_it_is_on(app, client, login_as, monkeypatch):
    login_as(Role.ADMIN)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = b"navn;e-mail\nAnna;anna@hedensted.dk\n"
    before = _stored()
    assert _upload(client, data).status_code == 400
    preview = _upload(client, data, csrf_token=_hidden(client.get("/brugere/indlaes").text,
                                                       "csrf_token"))
    assert preview.status_code == 200
    fields = _confirm_fields(preview.text)
    assert client.post("/brugere/indlaes/bekraeft", data=fields).status_code == 400
    assert _stored() == before
    done = client.post("/brugere/indlaes/bekraeft",
                       data={**fields, "csrf_token": _hidden(preview.text, "csrf_token")})
    assert done.status_code == 302
    assert _count(User) == before[0] + 1


def test_the_link_is_for_those_who_manage_users(app, client, login_as):
    login_as(Role.STAFF)
    assert "Indlæs brugere fra CSV" not in client.get("/brugere").text
    assert client.get("/brugere/indlaes").status_code == 403
