"""Whole referats in, through the CLI and the staff page: the two real referats of the
Social Committee as PDF, .docx, .odt and text, a variant in another municipality's style,
early input, unreadable files, several referats at once, and the text of a citizen's
attached file split into remarks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hoering.accounts.models import Body, Role, User
from hoering.audit.models import AuditEvent
from hoering.audit.tags import AuditTag
from hoering.consultations import operations as consultations
from hoering.consultations.models import Consultation, Remark, Response
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import PolicyVersion
from hoering.public import operations as public_ops
from tests import document_factory as factory
from tests import office
from tests.conftest import IsolatedClient, login
from tests.consultations.reference import HEADINGS, OPENED_ON, REFERENCE_POSITIONS, SOURCE

KMU_REFERAT = """Klima- og Miljøudvalget – referat

Mødedato: 16.04.2024 kl. 16.00
Mødested: Byrådssalen

3. Godkendelse af dagsorden

Sagsnr. 00.22.00-A00-1-24

Beslutning

Godkendt.

4. Høring om politiske principper for digitalisering

Sagsnr. 85.13.00-P00-1-23

Sagsfremstilling

Økonomiudvalget har sendt principperne i høring i alle fagudvalg.

Indstilling

Administrationen indstiller, at udvalget afgiver høringssvar.

Beslutning

Taget til efterretning med denne bemærkning:

Udvalget ønsker, at princip 4 også nævner de frivillige foreninger som slutbrugere.

Fraværende: Jens Jensen (V)

5. Eventuelt

Beslutning

Intet.
"""


@cache
def _document(kind: str, which: str = "2024") -> bytes:
    text = factory.referat_text(factory.REFERAT_2024 if which == "2024" else factory.REFERAT_2023)
    if kind == "pdf":
        return factory.referat_pdf(text, break_inside="Under princip nr. tre bør det",
                                   hyphenate="digitalisering")
    if kind == "symbol.pdf":
        return factory.referat_pdf(text, bullet=factory.SYMBOL_BULLET)
    if kind == "docx":
        return factory.referat_docx(text)
    if kind == "libreoffice.pdf":  # Word's layout engine's cousin, not ours
        return office.convert(factory.referat_docx(text), ".docx")
    if kind == "odt":
        return factory.referat_odt(text)
    return text.encode("utf-8")


@dataclass
class World:
    consultation: Consultation
    version: PolicyVersion
    social: Body
    climate: Body
    elderly: Body
    staff: User
    member: User

    @property
    def url(self) -> str:
        return f"/hoeringer/{self.consultation.id}"


@pytest.fixture
def world(app, make_user, make_body) -> World:
    social = make_body("SOU", "Socialudvalget")
    climate = make_body("KMU", "Klima- og Miljøudvalget")
    elderly = make_body("ÆR", "Ældrerådet")  # registered, not invited
    staff = make_user(Role.STAFF, name="Sagsbehandler")
    member = make_user(Role.MEMBER, bodies=(social,), name="Medlem")
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=social, actor=None,
    )
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}") for h in HEADINGS], actor=None
    )
    consultation = consultations.create_consultation(
        version, title="Høring om de politiske principper for digitalisering",
        opens_on=OPENED_ON, closes_at=now_utc() + timedelta(days=14), invitation_text="",
        public=True, bodies=[social, climate], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return World(consultation, version, social, climate, elderly, staff, member)


def _write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["minutes", *args])


def _responses() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Response))


# --- minutes read ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "symbol.pdf", "libreoffice.pdf", "docx", "odt", "md"])
def test_read_finds_item_6_of_the_whole_2024_referat(app, world, tmp_path, kind):
    path = _write(tmp_path, f"referat.{kind.split('.')[-1]}", _document(kind))

    result = _cli(app, "read", "--consultation", str(world.consultation.id), path)

    assert result.exit_code == 0, result.output
    read = json.loads(result.output)
    assert set(read) == {"item", "title", "candidates", "body", "meeting_date", "no_remarks",
                         "warnings", "remarks"}
    assert (read["item"], read["title"]) == (
        6, "Høring af de politiske principper for digitalisering")
    assert (read["body"], read["meeting_date"], read["no_remarks"]) == ("SOU", "2024-04-09",
                                                                        False)
    assert read["candidates"] == [] and read["warnings"] == []
    assert [r["section_position"] for r in read["remarks"]] == REFERENCE_POSITIONS
    texts = [r["text"] for r in read["remarks"]]
    assert texts[0].startswith('Anvendelsen af ordet "Vi" som indledende ord')
    assert texts[3] == (  # the bullet cut by a page break in the PDF, one remark
        "Under princip nr. tre bør det overvejes at slette eller justerer den første "
        "sætning omkring ansvar overfor lokalsamfundet. Dette for at styrke budskabet og "
        "for at understøtte ambitionen omkring det gensidige ansvar.")
    assert not any("Afbud" in t or "Side " in t or "Bilag" in t for t in texts)
    assert all(r["reason"] for r in read["remarks"])
    assert _responses() == 0  # nothing saved


@pytest.mark.parametrize("kind", ["pdf", "libreoffice.pdf", "docx", "txt"])
def test_read_knows_the_2023_referat_as_early_input_without_remarks(app, world, tmp_path, kind):
    path = _write(tmp_path, f"referat-2023.{kind}", _document(kind, "2023"))

    result = _cli(app, "read", "--consultation", str(world.consultation.id), path)

    assert result.exit_code == 0, result.output
    read = json.loads(result.output)
    assert (read["item"], read["body"], read["meeting_date"]) == (5, "SOU", "2023-03-28")
    assert read["title"] == "Styrende politiske principper for digitalisering"
    assert read["remarks"] == [] and read["no_remarks"] is True
    assert [w["code"] for w in read["warnings"]] == ["early_input"]
    assert "28. marts 2023" in read["warnings"][0]["message"]


def test_read_of_a_scan_exits_1_with_the_reason(app, world, tmp_path):
    path = _write(tmp_path, "scannet.pdf", factory.scanned_pdf())

    result = _cli(app, "read", "--consultation", str(world.consultation.id), path)

    assert result.exit_code == 1
    read = json.loads(result.output)
    assert read["item"] is None and read["remarks"] == []
    assert [w["code"] for w in read["warnings"]] == ["no_text_layer"]


def test_read_lists_candidates_and_item_chooses(app, world, tmp_path):
    twice = factory.referat_text().replace("# Punkt 2: Første budgetopfølgning 2024",
                                           "# Punkt 2: Høring om digitalisering, orientering")
    twice = twice.replace("00.30.14-G01-2-24", "85.13.00-P00-1-23")
    path = _write(tmp_path, "to-punkter.md", twice.encode())
    consultation = str(world.consultation.id)

    read = json.loads(_cli(app, "read", "--consultation", consultation, path).output)
    chosen = json.loads(_cli(app, "read", "--consultation", consultation, "--item", "6",
                             path).output)

    assert read["item"] is None and read["remarks"] == []
    assert [c["item"] for c in read["candidates"]] == [2, 6]
    assert [w["code"] for w in read["warnings"]] == ["several_items"]
    assert "punkt 2: Høring om digitalisering, orientering" in read["warnings"][0]["message"]
    assert chosen["item"] == 6 and len(chosen["remarks"]) == 7


def test_read_warns_of_a_body_not_invited_and_one_that_responded(app, world, tmp_path):
    elderly = factory.referat_text().replace("REFERAT Socialudvalget", "REFERAT Ældrerådet")
    path = _write(tmp_path, "aeldreraadet.md", elderly.encode())
    consultation = str(world.consultation.id)
    read = json.loads(_cli(app, "read", "--consultation", consultation, path).output)
    assert read["body"] == "ÆR"
    assert [w["code"] for w in read["warnings"]] == ["not_invited"]

    kmu = _write(tmp_path, "kmu.txt", KMU_REFERAT.encode())
    assert _cli(app, "import", "--consultation", consultation, kmu).exit_code == 0
    again = json.loads(_cli(app, "read", "--consultation", consultation, kmu).output)
    assert [w["code"] for w in again["warnings"]] == ["already_responded"]


def test_a_variant_in_another_style_is_read_with_its_one_remark(app, world, tmp_path):
    path = _write(tmp_path, "kmu.docx", factory.referat_docx(KMU_REFERAT))

    read = json.loads(_cli(app, "read", "--consultation", str(world.consultation.id),
                           path).output)

    assert (read["item"], read["body"], read["meeting_date"]) == (4, "KMU", "2024-04-16")
    assert read["remarks"] == [{
        "text": "Udvalget ønsker, at princip 4 også nævner de frivillige foreninger som "
                "slutbrugere.",
        "section_position": 5, "reason": 'nævner "princip 4"'}]


# --- minutes parse, import and import-all ---------------------------------------------


def test_parse_prints_the_remarks_of_the_whole_document(app, world, tmp_path):
    path = _write(tmp_path, "referat.pdf", _document("pdf"))
    result = _cli(app, "parse", "--consultation", str(world.consultation.id), path)
    assert result.exit_code == 0, result.output
    remarks = json.loads(result.output)
    assert [set(r) for r in remarks] == [{"text", "section_position"}] * 7
    assert [r["section_position"] for r in remarks] == REFERENCE_POSITIONS


def test_import_takes_body_date_and_item_from_the_pdf(app, world, tmp_path):
    path = _write(tmp_path, "referat.pdf", _document("pdf"))

    result = _cli(app, "import", "--consultation", str(world.consultation.id), path)

    assert result.exit_code == 0, result.output
    assert f"7 bemærkninger gemt fra {SOURCE}." in result.output
    db.session.rollback()
    response = db.session.scalar(select(Response).where(Response.body_id == world.social.id))
    assert (response.meeting_date, response.agenda_item, response.source) == (
        date(2024, 4, 9), 6, SOURCE)
    assert [r.section.position if r.section else None for r in response.remarks] == (
        REFERENCE_POSITIONS)


def test_import_of_a_referat_without_the_item_lists_the_items_found(app, world, tmp_path):
    other = factory.referat_text().replace("85.13.00-P00-1-23", "00.01.00-A00-1-24").replace(
        "Høring af de politiske principper for digitalisering", "Status på budgettet")
    path = _write(tmp_path, "andet.md", other.encode())
    consultation = str(world.consultation.id)

    read = json.loads(_cli(app, "read", "--consultation", consultation, path).output)
    result = _cli(app, "import", "--consultation", consultation, path)

    assert read["item"] is None and read["candidates"] == []
    assert [w["code"] for w in read["warnings"]] == ["no_item"]
    assert result.exit_code == 1
    assert "Intet punkt vedrører høringen. Punkter fundet: punkt 1: Meddelelser;" in (
        result.output)
    assert "punkt 6: Status på budgettet" in result.output
    assert _responses() == 0


def test_import_refuses_early_input_and_saves_nothing(app, world, tmp_path):
    path = _write(tmp_path, "referat-2023.txt", _document("txt", "2023"))

    result = _cli(app, "import", "--consultation", str(world.consultation.id), path)

    assert result.exit_code == 1
    assert "ligger før høringen åbnede" in result.output
    assert "tidligt input" in result.output
    assert _responses() == 0


def test_import_all_imports_each_file_on_its_own(app, world, tmp_path):
    files = [
        _write(tmp_path, "sou-2024.pdf", _document("pdf")),
        _write(tmp_path, "sou-2023.txt", _document("txt", "2023")),
        _write(tmp_path, "kmu.odt", factory.referat_odt(KMU_REFERAT)),
        _write(tmp_path, "scan.pdf", factory.scanned_pdf()),
    ]

    result = _cli(app, "import-all", "--consultation", str(world.consultation.id), *files)

    assert result.exit_code == 1
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert [line[:3] for line in lines] == [
        [files[0], "ok", "SOU"], [files[1], "refused", "SOU"], [files[2], "ok", "KMU"],
        [files[3], "refused", "-"]]
    assert (lines[0][3], lines[2][3]) == ("7", "1")
    assert "tidligt input" in lines[1][3] and "tekstlag" in lines[3][3]
    assert _responses() == 2


# --- the staff page -------------------------------------------------------------------


@pytest.fixture
def staff_client(app, world):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    assert login(client, world.staff).status_code == 302
    return client


def _upload(client, world: World, *files: tuple[str, bytes], **fields: str):
    from io import BytesIO

    data: dict = {"review": "1", **fields}
    data["files"] = [(BytesIO(content), name) for name, content in files]
    return client.post(f"{world.url}/referat", data=data, content_type="multipart/form-data")


def _fields(html: str) -> dict[str, str]:
    """The review form as the browser would post it (checked boxes, selected options)."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind[1] == "checkbox" and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag, re.DOTALL)
        fields[name[1]] = unescape(value[1]) if value else "y"
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html,
                                 re.DOTALL):
        fields[name] = unescape(body).removeprefix("\r\n").removeprefix("\n")
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html,
                                    re.DOTALL):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                           options)
        if chosen:
            fields[name] = chosen[1] or chosen[2]
    fields.pop("reread", None)
    return fields


def test_uploading_a_pdf_referat_reviews_and_saves_it(world, staff_client):
    review = _upload(staff_client, world, ("referat.pdf", _document("pdf")))

    assert review.status_code == 200
    html = review.get_data(as_text=True)
    assert "Punkt 6: Høring af de politiske principper for digitalisering" in html
    assert "journalnummer" in html  # how the item was found
    assert html.count('name="documents-0-remarks-') >= 7 * 3
    fields = _fields(html)
    assert fields["documents-0-body_id"] == str(world.social.id)
    assert fields["documents-0-meeting_date"] == "2024-04-09"
    assert fields["documents-0-agenda_item"] == "6"
    sections = {s.position: str(s.id) for s in world.version.sections}
    assert [fields[f"documents-0-remarks-{i}-section"] for i in range(7)] == [
        sections[p] for p in REFERENCE_POSITIONS]
    assert _responses() == 0

    saved = staff_client.post(f"{world.url}/referat", data={**fields, "save": "1"})

    assert saved.status_code == 302, saved.get_data(as_text=True)
    db.session.rollback()
    response = db.session.scalar(select(Response).where(Response.body_id == world.social.id))
    assert response.source == SOURCE and len(response.remarks) == 7


def test_several_referats_on_one_page_and_the_early_one_left_out(world, staff_client):
    review = _upload(staff_client, world, ("sou.docx", _document("docx")),
                     ("kmu.pdf", factory.referat_pdf(KMU_REFERAT, header="KMU")),
                     ("sou-2023.pdf", _document("pdf", "2023")),
                     ("scan.pdf", factory.scanned_pdf()))
    html = review.get_data(as_text=True)

    assert review.status_code == 200
    assert "3 dokumenter læst" in html
    assert "scan.pdf" in html and "tekstlag" in html  # the unreadable one, said why
    assert 'data-code="early_input"' in html
    fields = _fields(html)
    assert [fields[f"documents-{i}-name"] for i in range(3)] == [
        "sou.docx", "kmu.pdf", "sou-2023.pdf"]

    assert "documents-2-include" not in fields  # left out, for its warning
    fields["documents-2-include"] = "y"  # staff include it anyway
    refused = staff_client.post(f"{world.url}/referat", data={**fields, "save": "1"})
    assert refused.status_code == 200
    assert "sou-2023.pdf" in refused.get_data(as_text=True)
    assert "tidligt input" in refused.get_data(as_text=True)
    assert _responses() == 0  # all or nothing

    del fields["documents-2-include"]  # staff leave the early input out
    saved = staff_client.post(f"{world.url}/referat", data={**fields, "save": "1"})
    assert saved.status_code == 302
    db.session.rollback()
    by_body = {r.body_id: r for r in db.session.scalars(select(Response))}
    assert set(by_body) == {world.social.id, world.climate.id}
    assert (len(by_body[world.social.id].remarks), len(by_body[world.climate.id].remarks)) == (
        7, 1)


def test_choosing_another_item_reads_it_again(world, staff_client):
    review = _upload(staff_client, world, ("kmu.txt", KMU_REFERAT.encode()))
    fields = _fields(review.get_data(as_text=True))
    assert fields["documents-0-agenda_item"] == "4"

    fields["documents-0-agenda_item"] = "3"
    reread = staff_client.post(f"{world.url}/referat", data={**fields, "reread": "0"})

    html = reread.get_data(as_text=True)
    assert "Punkt 3: Godkendelse af dagsorden" in html
    assert "Beslutningen indeholder ingen bemærkninger." in html
    assert _responses() == 0


def test_an_upload_with_only_an_unreadable_file_stays_on_the_form(world, staff_client):
    page = _upload(staff_client, world, ("scan.pdf", factory.scanned_pdf()),
                   text="")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "scan.pdf" in html and "tekstlag" in html
    assert 'type="file"' in html


def test_nothing_chosen_is_a_form_error(world, staff_client):
    page = staff_client.post(f"{world.url}/referat", data={"review": "1", "text": "  "})
    assert page.status_code == 200
    assert "Vælg et referat, eller indsæt teksten fra referatet." in page.get_data(as_text=True)


def test_members_cannot_upload_referats(app, world):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    assert login(client, world.member).status_code == 302
    assert _upload(client, world, ("referat.pdf", _document("pdf"))).status_code == 403


# --- a citizen's attached file --------------------------------------------------------


LETTER = """Høringssvar fra Grundejerforeningen Nordparken

Vi har følgende bemærkninger:

- Princip 4 bør sige, at borgerne inddrages, før en løsning vælges.
- Under princippet "Vi bruger data til at skabe bedre løsninger" savner vi et ord om borgernes ret til indsigt.
"""  # noqa: E501 (one bullet, one paragraph in Word)


def _citizen_with_attachment(world: World) -> Response:
    response, _created = public_ops.submit_public_response(
        world.consultation, public_ops.PublicSubmission(
            token="a" * 32, name="Borger", email="borger@example.dk", general_text="Se filen.",
            files=[public_ops.UploadedFile("svar.docx", factory.referat_docx(LETTER))]))
    db.session.commit()
    return response


def test_staff_split_an_attached_file_into_remarks(world, staff_client):
    response = _citizen_with_attachment(world)
    attachment = response.attachments[0]
    url = f"/hoeringer/bilag/{attachment.id}/tekst"

    page = staff_client.get(url)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Grundejerforeningen Nordparken" in html  # the file's text
    assert "Se filen." in html  # beside the response
    fields = _fields(html)
    sections = {s.position: str(s.id) for s in world.version.sections}
    assert fields["remarks-0-text"] == "Høringssvar fra Grundejerforeningen Nordparken"
    assert [fields[f"remarks-{i}-section"] for i in range(3)] == [
        "generelt", sections[5], sections[6]]
    del fields["remarks-0-include"]  # the letter's title is no remark
    db.session.rollback()
    viewed = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == AuditTag.PRIVACY_VIEW)).all()
    assert [e.changes["viewed"]["after"] for e in viewed] == ["attachment_text"]

    saved = staff_client.post(url, data=fields)

    assert saved.status_code == 302
    db.session.rollback()
    remarks = db.session.scalars(select(Remark).where(Remark.response_id == response.id)
                                 .order_by(Remark.id)).all()
    assert [r.original_text for r in remarks[1:]] == [
        "Princip 4 bør sige, at borgerne inddrages, før en løsning vælges.",
        'Under princippet "Vi bruger data til at skabe bedre løsninger" savner vi et ord om '
        "borgernes ret til indsigt."]
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == AuditTag.REMARK_FROM_ATTACHMENT)).all()
    assert sorted(e.object_id for e in events) == [r.id for r in remarks[1:]]
    assert all(e.changes["attachment_id"]["after"] == attachment.id for e in events)
    assert attachment.content is not None  # the file stays the record


def test_an_unreadable_attachment_says_why(world, staff_client):
    response, _created = public_ops.submit_public_response(
        world.consultation, public_ops.PublicSubmission(
            token="b" * 32, name="Borger", email="b@example.dk", general_text="Se filen.",
            files=[public_ops.UploadedFile("scan.pdf", factory.scanned_pdf())]))
    db.session.commit()
    page = staff_client.get(f"/hoeringer/bilag/{response.attachments[0].id}/tekst")
    assert page.status_code == 200
    assert "tekstlag" in page.get_data(as_text=True)


def test_members_cannot_read_attachments(app, world):
    response = _citizen_with_attachment(world)
    app.test_client_class = IsolatedClient
    client = app.test_client()
    assert login(client, world.member).status_code == 302
    url = f"/hoeringer/bilag/{response.attachments[0].id}/tekst"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"remarks-0-text": "x"}).status_code == 403
