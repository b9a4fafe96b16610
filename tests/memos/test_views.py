"""The memo page, draft and issued downloads, issuing, memo texts and follow-up tasks over
HTTP; the revised draft: change links, the comparison page, the link-remarks page and
contradictions. Who may do what."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import docx
import pytest
from sqlalchemy import select
from werkzeug.http import parse_options_header

from hoering.accounts.models import Role
from hoering.consultations import operations as consultations
from hoering.consultations.models import ChangeLink, Consultation, Disposition, Remark
from hoering.consultations.queries import contradictions
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.memos import operations as memos
from hoering.memos.build import build_memo
from hoering.memos.models import FollowUpTask, MemoIssue, TaskStatus
from hoering.memos.render import render_markdown
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests.consultations.reference import OPENED_ON
from tests.memos.test_memo import after_deadline

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {
    "docx": DOCX_TYPE,
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
DISPOSITIONS = {"docx": "attachment", "md": "attachment", "html": "inline", "pdf": "inline"}
CHANGED = "afviger fra den senest udstedte version"
UNCHANGED_TEXT = "Tekst to om sammenhæng."
OLD_TEXT = "Vi skaber sammenhæng for borgerne gennem digitale løsninger."
NEW_TEXT = "Vi skaber sammenhæng for alle borgere gennem gode digitale løsninger."
REMARK_ON_P1 = "Formuleringen om kerneydelsen bør tydeliggøres."
REMARK_ON_P2 = "Afsnit to bør flyttes op og stå som det første."
GENERAL_REMARK = "Tidlig inddragelse er vigtig."
INCORPORATED_PROBLEM = "Svaret siger indarbejdet, men ingen ændring er knyttet til bemærkningen."
NOT_INCORPORATED_PROBLEM = (
    "En ændring er knyttet til bemærkningen, men svaret siger ikke indarbejdet."
)


def build_case(make_body):
    """An open consultation on version 1 (three sections), SOU's response with three
    remarks answered by the system; no revised version yet."""
    sou = make_body("SOU", "Socialudvalget")
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=sou, actor=None,
    )
    version = policies.create_version(policy, [
        DraftSection("Rammesætning", "Vi vil mere med digitalisering."),
        DraftSection("Princip 1: Vi digitaliserer ambitiøst", "Tekst et om kerneydelsen."),
        DraftSection("Princip 2: Vi skaber sammenhæng", OLD_TEXT),
    ], actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om digitaliseringsprincipperne", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=14), invitation_text="", public=False,
        bodies=[sou], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    consultations.import_minutes(
        consultation, sou, meeting_date=now_utc().date(), agenda_item=6, remarks=[
            consultations.ImportedRemark(REMARK_ON_P1, version.sections[1]),
            consultations.ImportedRemark(REMARK_ON_P2, version.sections[2]),
            consultations.ImportedRemark(GENERAL_REMARK, None),
        ], actor=None,
    )
    remarks = _remarks(consultation)
    for remark, disposition in zip(remarks, (Disposition.NOTED, Disposition.NOTED,
                                             Disposition.ATTENTION_POINT), strict=True):
        consultations.save_reply(remark, text=f"Svar på: {remark.original_text}",
                                 disposition=disposition, based_on_version=None, actor=None)
    db.session.commit()
    return consultation


def _remarks(consultation: Consultation) -> list[Remark]:
    return list(db.session.scalars(
        select(Remark).where(Remark.consultation_id == consultation.id).order_by(Remark.id)
    ))


def revise(consultation: Consultation):
    """Version 2 as a copy of the consulted version with section 2 ("Princip 2") changed."""
    revised = policies.copy_version(consultation.version, actor=None)
    changed = revised.sections[2]
    policies.update_section(changed, heading=changed.heading, text=NEW_TEXT, actor=None)
    db.session.commit()
    return revised, changed


@pytest.fixture
def case(app, make_body):
    return build_case(make_body)


@pytest.fixture
def approved_case(case, make_user):
    """The case with every reply approved (the system wrote them), its deadline passed
    (moved to a minute ago: the pages are asked in real time, the login with them)."""
    approver = make_user(Role.STAFF)
    for remark in _remarks(case):
        consultations.approve_reply(remark.reply, actor=approver)
    case.closes_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    return case


def _memo_url(consultation: Consultation) -> str:
    return f"/hoeringer/{consultation.id}/notat"


def _page(response) -> str:
    return response.get_data(as_text=True)


def _section_html(html: str, section_id: int) -> str:
    start = html.index(f'id="afsnit-{section_id}"')
    return html[start:html.index("</section>", start)]


def _change_choices(remark_page: str) -> list[str]:
    """The option values of the remark page's "link a change" section choice."""
    start = remark_page.index('id="change_section"')
    select_html = remark_page[start:remark_page.index("</select>", start)]
    return re.findall(r'value="([^"]*)"', select_html)


# --- the memo page and downloads -----------------------------------------------------


def test_memo_page_shows_the_preview(client, login_as, case):
    login_as(Role.STAFF)
    response = client.get(_memo_url(case))
    assert response.status_code == 200
    page = _page(response)
    assert "Forhåndsvisning" in page
    assert "Notat om høring af de politiske principper for digitalisering" in page
    assert "<h3>Høringssvar til princip 1</h3>" in page
    assert REMARK_ON_P1 in page and "(SOU)" in page
    assert "Administrationens bemærkninger: Svar på: " in page
    assert "Notatet er ikke udstedt endnu." in page
    assert f"/hoeringer/{case.id}/notat/udsted" in page
    for fmt in CONTENT_TYPES:
        assert f"/hoeringer/{case.id}/notat.{fmt}" in page


def test_memo_page_of_unknown_consultation_is_404(client, login_as, app):
    login_as(Role.STAFF)
    assert client.get("/hoeringer/999999/notat").status_code == 404
    assert client.get("/hoeringer/999999/notat.md").status_code == 404


@pytest.mark.parametrize("fmt", list(CONTENT_TYPES))
def test_draft_downloads(client, login_as, case, fmt):
    login_as(Role.STAFF)
    response = client.get(f"/hoeringer/{case.id}/notat.{fmt}")
    assert response.status_code == 200
    assert response.mimetype == CONTENT_TYPES[fmt].split(";")[0]
    disposition, params = parse_options_header(response.headers["Content-Disposition"])
    assert disposition == DISPOSITIONS[fmt]
    assert params["filename"] == f"hoeringsnotat-høring-om-digitaliseringsprincipperne-udkast.{fmt}"
    data = response.data
    if fmt == "docx":
        texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        assert "UDKAST" in texts and "Høringssvar til princip 2" in texts
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        text = data.decode("utf-8")
        assert "UDKAST" in text and REMARK_ON_P2 in text
    if fmt == "html":
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("fmt", list(CONTENT_TYPES))
def test_download_content_type_header_is_well_formed(client, login_as, case, fmt):
    """One charset parameter, not "text/html; charset=utf-8; charset=utf-8"."""
    login_as(Role.STAFF)
    with after_deadline(case):
        issue = memos.issue_memo(case, actor=None, mark_pending=True)
    db.session.commit()
    for url in (f"/hoeringer/{case.id}/notat.{fmt}", f"/notater/{issue.id}.{fmt}"):
        assert client.get(url).headers["Content-Type"] == CONTENT_TYPES[fmt], url


def test_unknown_format_is_404(client, login_as, case):
    login_as(Role.STAFF)
    assert client.get(f"/hoeringer/{case.id}/notat.odt").status_code == 404


def test_issue_over_http_and_download_issued_files(client, login_as, approved_case):
    case = approved_case
    staff = login_as(Role.STAFF)
    confirm = client.get(f"{_memo_url(case)}/udsted")
    assert confirm.status_code == 200
    assert "version 1" in _page(confirm)
    assert "besvares senere" not in _page(confirm)  # every reply is approved
    response = client.post(f"{_memo_url(case)}/udsted")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_memo_url(case))
    issue = db.session.scalar(select(MemoIssue).where(MemoIssue.consultation_id == case.id))
    assert (issue.number, issue.issued_by_id) == (1, staff.id)

    page = _page(client.get(_memo_url(case)))
    assert "Udkastet svarer til den udstedte version 1." in page
    assert CHANGED not in page
    assert f"/notater/{issue.id}.pdf" in page
    assert issue.content_hash[:16] in page

    stored = {"md": issue.markdown.encode(), "html": issue.html.encode(),
              "docx": issue.docx, "pdf": issue.pdf}
    for fmt, data in stored.items():
        download = client.get(f"/notater/{issue.id}.{fmt}")
        assert download.status_code == 200, fmt
        assert download.data == data, fmt
        assert download.mimetype == CONTENT_TYPES[fmt].split(";")[0]
        _, params = parse_options_header(download.headers["Content-Disposition"])
        assert params["filename"].endswith(f"-version-1.{fmt}"), fmt
    assert "Version 1" in stored["md"].decode() and "UDKAST" not in stored["md"].decode()
    assert client.get(f"/notater/{issue.id}.odt").status_code == 404
    assert client.get("/notater/999999.md").status_code == 404

    # unchanged: a second issue is refused, with the reason on the page
    again = client.post(f"{_memo_url(case)}/udsted")
    assert again.status_code == 409
    assert "uændret siden version 1" in _page(again)
    db.session.rollback()
    assert db.session.scalar(select(MemoIssue.number).where(MemoIssue.number == 2)) is None


def test_changed_since_issue_after_a_reply_change(client, login_as, approved_case, make_user):
    case = approved_case
    staff = login_as(Role.STAFF)
    assert client.post(f"{_memo_url(case)}/udsted").status_code == 302
    assert CHANGED not in _page(client.get(_memo_url(case)))

    remark = _remarks(case)[0]
    reply = consultations.save_reply(remark, text="Et ændret svar.",
                                     disposition=Disposition.NOTED,
                                     based_on_version=remark.reply.lock_version, actor=staff)
    db.session.commit()
    page = _page(client.get(_memo_url(case)))
    assert CHANGED in page and "version 1" in page

    refused = client.post(f"{_memo_url(case)}/udsted")  # it needs approval again
    assert refused.status_code == 409
    assert "1 bemærkning har ikke et godkendt svar" in _page(refused)
    consultations.approve_reply(reply, actor=make_user(Role.STAFF))
    db.session.commit()
    assert client.post(f"{_memo_url(case)}/udsted").status_code == 302
    numbers = db.session.scalars(
        select(MemoIssue.number).where(MemoIssue.consultation_id == case.id)
        .order_by(MemoIssue.number)
    ).all()
    assert numbers == [1, 2]
    page = _page(client.get(_memo_url(case)))
    assert CHANGED not in page and "svarer til den udstedte version 2" in page
    first = db.session.scalar(select(MemoIssue).where(MemoIssue.number == 1))
    assert "Et ændret svar." not in _page(client.get(f"/notater/{first.id}.md"))


def test_update_texts(client, login_as, case):
    login_as(Role.STAFF)
    response = client.post(f"{_memo_url(case)}/tekster", data={
        "unit": "Digitalisering",
        "background": "Vores baggrund.\n\nAndet afsnit.",
        "further_work": "Når principperne er godkendt, udestår følgende:",
    })
    assert response.status_code == 302
    db.session.expire_all()
    consultation = db.session.get(Consultation, case.id)
    assert consultation.memo_unit == "Digitalisering"
    assert consultation.memo_background == "Vores baggrund.\n\nAndet afsnit."
    markdown = _page(client.get(f"/hoeringer/{case.id}/notat.md"))
    assert "Vores baggrund.\n\nAndet afsnit." in markdown
    assert "## Videre arbejde" in markdown
    assert "Når principperne er godkendt, udestår følgende:" in markdown
    assert "\nDigitalisering\n" in markdown

    # too long: refused with a message on the page, what was typed kept, nothing saved
    response = client.post(f"{_memo_url(case)}/tekster", data={
        "unit": "x" * 201, "background": "Noget andet.", "further_work": ""})
    assert response.status_code == 200
    page = _page(response)
    assert "Teksterne kunne ikke gemmes" in page
    assert "x" * 201 in page and "Noget andet." in page
    db.session.expire_all()
    assert db.session.get(Consultation, case.id).memo_unit == "Digitalisering"

    # emptied background: the generated default again
    client.post(f"{_memo_url(case)}/tekster", data={"unit": "", "background": "",
                                                  "further_work": ""})
    markdown = _page(client.get(f"/hoeringer/{case.id}/notat.md"))
    assert "Vores baggrund." not in markdown
    assert "Socialudvalget" in markdown and "Høringsperioden løb fra" in markdown


def test_follow_up_tasks_add_status_delete(client, login_as, case):
    login_as(Role.STAFF)
    policy_id = case.version.policy_id
    response = client.post(f"/politikker/{policy_id}/opgaver?hoering={case.id}", data={
        "title": "Grafisk opsætning", "owner": "Digitalisering", "due_on": "2024-09-01",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_memo_url(case)}#opgaver")
    task = db.session.scalar(select(FollowUpTask))
    assert (task.title, task.owner, task.due_on, task.status) == (
        "Grafisk opsætning", "Digitalisering", date(2024, 9, 1), TaskStatus.OPEN)

    page = _page(client.get(_memo_url(case)))
    videre = page[page.index("<h2>Videre arbejde</h2>"):]
    assert "<li>Grafisk opsætning</li>" in videre
    assert "- Grafisk opsætning" in _page(client.get(f"/hoeringer/{case.id}/notat.md"))
    word = docx.Document(io.BytesIO(client.get(f"/hoeringer/{case.id}/notat.docx").data))
    assert [p.text for p in word.paragraphs if p.style.name == "List Bullet"][-1] == (
        "Grafisk opsætning")

    # a task without a title is refused
    client.post(f"/politikker/{policy_id}/opgaver?hoering={case.id}", data={"title": " "})
    assert db.session.scalar(select(FollowUpTask).where(FollowUpTask.id != task.id)) is None

    response = client.post(f"/opgaver/{task.id}/status?hoering={case.id}",
                           data={"status": "in_progress"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUpTask, task.id).status is TaskStatus.IN_PROGRESS
    assert client.post(f"/opgaver/{task.id}/status", data={"status": "bogus"}).status_code == 400
    response = client.post(f"/opgaver/{task.id}/status", data={"status": "done"})
    assert response.status_code == 302  # without ?hoering=: back to the dashboard
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(FollowUpTask, task.id).status is TaskStatus.DONE

    assert client.get(f"/opgaver/{task.id}/slet?hoering={case.id}").status_code == 200
    response = client.post(f"/opgaver/{task.id}/slet?hoering={case.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUpTask, task.id) is None
    assert "Grafisk opsætning" not in _page(client.get(f"/hoeringer/{case.id}/notat.md"))


# --- who may do what -----------------------------------------------------------------


def test_auditor_views_and_downloads_but_may_not_change(client, login_as, case):
    with after_deadline(case):
        issued = memos.issue_memo(case, actor=None, mark_pending=True)
    task = memos.add_task(case.version.policy, title="Opgave", owner="", due_on=None,
                          actor=None)
    db.session.commit()
    login_as(Role.AUDITOR)

    page = client.get(_memo_url(case))
    assert page.status_code == 200
    assert "Forhåndsvisning" in _page(page)
    assert f"/hoeringer/{case.id}/notat/udsted" not in _page(page)
    assert "Gem tekster" not in _page(page) and "Tilføj opgave" not in _page(page)
    assert "Flyt op" not in _page(page) and "Flyt ned" not in _page(page)
    for fmt in CONTENT_TYPES:
        assert client.get(f"/hoeringer/{case.id}/notat.{fmt}").status_code == 200, fmt
        assert client.get(f"/notater/{issued.id}.{fmt}").status_code == 200, fmt

    policy_id = case.version.policy_id
    forbidden = [
        ("get", f"{_memo_url(case)}/udsted", None),
        ("post", f"{_memo_url(case)}/udsted", None),
        ("post", f"{_memo_url(case)}/tekster", {"unit": "X", "background": "",
                                                 "further_work": ""}),
        ("post", f"/notat/hoeringsparter/{case.consultees[0].id}/flyt", {"direction": "up"}),
        ("post", f"/notat/punkter/{_remarks(case)[1].id}/flyt", {"direction": "up"}),
        ("post", f"/politikker/{policy_id}/opgaver", {"title": "Ny"}),
        ("post", f"/opgaver/{task.id}/status", {"status": "done"}),
        ("get", f"/opgaver/{task.id}/slet", None),
        ("post", f"/opgaver/{task.id}/slet", None),
    ]
    for method, url, data in forbidden:
        assert getattr(client, method)(url, data=data).status_code == 403, (method, url)
    db.session.expire_all()
    assert db.session.scalar(select(MemoIssue.number).where(MemoIssue.number == 2)) is None
    assert db.session.get(Consultation, case.id).memo_unit == ""
    assert db.session.get(FollowUpTask, task.id).status is TaskStatus.OPEN


def test_member_may_not_see_the_memo(client, login_as, case):
    login_as(Role.MEMBER)
    assert client.get(_memo_url(case)).status_code == 403
    for fmt in CONTENT_TYPES:
        assert client.get(f"/hoeringer/{case.id}/notat.{fmt}").status_code == 403


def test_anonymous_is_sent_to_login(client, case):
    response = client.get(_memo_url(case))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- the revised draft: change links and comparison ----------------------------------


def test_link_change_from_the_remark_page_and_compare(client, login_as, case):
    login_as(Role.STAFF)
    revised, changed = revise(case)
    remark = _remarks(case)[1]  # on "Princip 2"

    choices = _change_choices(_page(client.get(f"/hoeringer/bemaerkninger/{remark.id}")))
    assert str(changed.id) in choices  # offered in the remark page's section choice

    response = client.post(f"/hoeringer/bemaerkninger/{remark.id}/aendringer",
                           data={"section_id": changed.id})
    assert response.status_code == 302
    link = db.session.scalar(select(ChangeLink))
    assert (link.remark_id, link.section_id) == (remark.id, changed.id)

    response = client.get(f"/politikker/versioner/{revised.id}/sammenlign")
    assert response.status_code == 200
    page = _page(response)
    row = _section_html(page, changed.id)
    assert "<del>" in row and "<ins>" in row
    deleted = " ".join(re.findall(r"<del>(.*?)</del>", row))
    inserted = " ".join(re.findall(r"<ins>(.*?)</ins>", row))
    assert "borgerne" in deleted and "gode" not in deleted, deleted
    assert "alle" in inserted and "gode" in inserted, inserted
    assert REMARK_ON_P2 in row  # beside the change
    assert f"Svar på: {REMARK_ON_P2}" in row
    # an unchanged section has no markup and no remarks
    unchanged = _section_html(page, revised.sections[1].id)
    assert "<del>" not in unchanged and "<ins>" not in unchanged
    assert REMARK_ON_P2 not in unchanged

    # linking the same section again is refused
    again = client.post(f"/hoeringer/bemaerkninger/{remark.id}/aendringer",
                        data={"section_id": changed.id})
    assert again.status_code == 409
    db.session.rollback()
    assert len(db.session.scalars(select(ChangeLink)).all()) == 1

    # unlink
    assert client.get(f"/hoeringer/aendringer/{link.id}/slet").status_code == 200
    response = client.post(f"/hoeringer/aendringer/{link.id}/slet")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(ChangeLink)).all() == []
    row = _section_html(_page(client.get(f"/politikker/versioner/{revised.id}/sammenlign")),
                        changed.id)
    assert REMARK_ON_P2 not in row
    assert "Ingen bemærkninger knyttet til ændringen." in row


def test_linking_a_section_of_the_consulted_version_is_refused(client, login_as, case):
    """Only sections of later versions are offered; a section of the consulted version
    is refused (by the form's choices: back to the remark page with an error, or 409)."""
    login_as(Role.STAFF)
    revise(case)
    remark = _remarks(case)[1]
    consulted_section = case.version.sections[2]
    choices = _change_choices(_page(client.get(f"/hoeringer/bemaerkninger/{remark.id}")))
    assert str(consulted_section.id) not in choices
    response = client.post(f"/hoeringer/bemaerkninger/{remark.id}/aendringer",
                           data={"section_id": consulted_section.id})
    db.session.rollback()
    assert db.session.scalars(select(ChangeLink)).all() == []
    assert response.status_code in (302, 409), response.status_code
    if response.status_code == 302:
        page = _page(client.get(response.headers["Location"]))
        assert "Vælg et afsnit i en senere version." in page
        assert "Ændringen er knyttet til bemærkningen." not in page


def test_link_change_operation_refuses_the_consulted_version(app, case):
    revise(case)
    remark = _remarks(case)[1]
    with pytest.raises(DomainError):
        consultations.link_change(remark, case.version.sections[2], actor=None)


def test_link_remarks_page_links_and_unlinks(client, login_as, case):
    login_as(Role.STAFF)
    revised, changed = revise(case)
    first, second, general = _remarks(case)
    url = f"/politikker/afsnit/{changed.id}/bemaerkninger"

    page = _page(client.get(url))
    for remark in (first, second, general):
        assert f'id="remark-{remark.id}"' in page
        assert remark.original_text in page

    response = client.post(url, data={"remark_ids": [first.id, second.id]})
    assert response.status_code == 302
    linked = db.session.scalars(select(ChangeLink.remark_id).order_by(ChangeLink.remark_id))
    assert linked.all() == [first.id, second.id]
    page = _page(client.get(url))
    assert re.search(rf'id="remark-{first.id}"[^>]*checked', page)
    assert not re.search(rf'id="remark-{general.id}"[^>]*checked', page)
    row = _section_html(_page(client.get(f"/politikker/versioner/{revised.id}/sammenlign")),
                        changed.id)
    assert REMARK_ON_P1 in row and REMARK_ON_P2 in row

    assert client.post(url, data={"remark_ids": [second.id]}).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(ChangeLink.remark_id)).all() == [second.id]

    assert client.post(url, data={}).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(ChangeLink)).all() == []


def test_link_remarks_page_for_the_consulted_version_offers_nothing(client, login_as, case):
    login_as(Role.STAFF)
    revise(case)
    url = f"/politikker/afsnit/{case.version.sections[2].id}/bemaerkninger"
    page = _page(client.get(url))
    assert 'name="remark_ids"' not in page
    client.post(url, data={"remark_ids": [_remarks(case)[1].id]})
    db.session.rollback()
    assert db.session.scalars(select(ChangeLink)).all() == []


def test_contradictions_on_compare_and_memo_pages(client, login_as, case):
    staff = login_as(Role.STAFF)
    revised, changed = revise(case)
    on_p1, on_p2, _general = _remarks(case)
    # incorporated, but no change linked
    consultations.save_reply(on_p1, text="Dette er indarbejdet.",
                             disposition=Disposition.INCORPORATED,
                             based_on_version=on_p1.reply.lock_version, actor=staff)
    # linked to a change, but not incorporated
    consultations.save_reply(on_p2, text="Dette indarbejdes ikke.",
                             disposition=Disposition.NOT_INCORPORATED,
                             based_on_version=on_p2.reply.lock_version, actor=staff)
    consultations.link_change(on_p2, changed, actor=staff)
    db.session.commit()

    found = {(c.remark.id, c.problem) for c in contradictions(case)}
    assert found == {(on_p1.id, INCORPORATED_PROBLEM), (on_p2.id, NOT_INCORPORATED_PROBLEM)}
    for url in (f"/politikker/versioner/{revised.id}/sammenlign", _memo_url(case)):
        page = _page(client.get(url))
        assert "Uoverensstemmelser" in page, url
        listing = page[page.index("Uoverensstemmelser"):]
        assert f"{REMARK_ON_P1}</a> (SOU): {INCORPORATED_PROBLEM}" in listing, url
        assert f"{REMARK_ON_P2}</a> (SOU): {NOT_INCORPORATED_PROBLEM}" in listing, url

    # resolve both: link the incorporated one, unlink the other
    consultations.link_change(on_p1, changed, actor=staff)
    link = db.session.scalar(select(ChangeLink).where(ChangeLink.remark_id == on_p2.id))
    consultations.unlink_change(link, actor=staff)
    db.session.commit()
    assert contradictions(case) == []
    assert "Uoverensstemmelser" not in _page(client.get(_memo_url(case)))
    assert "Uoverensstemmelser" not in _page(
        client.get(f"/politikker/versioner/{revised.id}/sammenlign"))


def test_auditor_sees_contradictions_but_may_not_link(client, login_as, case):
    revised, changed = revise(case)
    remark = _remarks(case)[1]
    consultations.save_reply(remark, text="Indarbejdet.", disposition=Disposition.INCORPORATED,
                             based_on_version=remark.reply.lock_version, actor=None)
    db.session.commit()
    login_as(Role.AUDITOR)
    page = _page(client.get(f"/politikker/versioner/{revised.id}/sammenlign"))
    assert INCORPORATED_PROBLEM in page
    assert "Knyt bemærkninger" not in page
    assert client.post(f"/hoeringer/bemaerkninger/{remark.id}/aendringer",
                       data={"section_id": changed.id}).status_code == 403
    assert client.get(f"/politikker/afsnit/{changed.id}/bemaerkninger").status_code == 403
    assert client.post(f"/politikker/afsnit/{changed.id}/bemaerkninger",
                       data={"remark_ids": [remark.id]}).status_code == 403
    assert db.session.scalars(select(ChangeLink)).all() == []


def test_memo_reflects_reply_changes_in_markdown(app, case):
    """Sanity check that the drafts these views serve come from the current data."""
    remark = _remarks(case)[2]
    consultations.save_reply(remark, text="Et helt nyt svar.", disposition=Disposition.NOTED,
                             based_on_version=remark.reply.lock_version, actor=None)
    assert "Et helt nyt svar." in render_markdown(build_memo(case))


def test_a_memo_issued_before_digests_is_compared_by_its_content_hash(
        client, login_as, approved_case):
    """Memos issued before their digest was stored have none: the page builds the
    draft and compares its content hash."""
    case = approved_case
    staff = login_as(Role.STAFF)
    assert client.post(f"{_memo_url(case)}/udsted").status_code == 302
    issue = db.session.scalars(select(MemoIssue)).one()
    issue.digest = None
    db.session.commit()
    assert "svarer til den udstedte version 1" in _page(client.get(_memo_url(case)))

    remark = _remarks(case)[0]
    consultations.save_reply(remark, text="Et ændret svar.", disposition=Disposition.NOTED,
                             based_on_version=remark.reply.lock_version, actor=staff)
    db.session.commit()
    assert CHANGED in _page(client.get(_memo_url(case)))
