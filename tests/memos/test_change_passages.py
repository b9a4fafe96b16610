"""Linking a remark to a changed passage of the revised draft (not only to a section):
from the remark page and from the section's link-remarks page, audited with the
passage; and the revised draft's downloads on the comparison page. The case is the one
of tests/memos/test_views.py: "Princip 2" reworded in version 2 ("borgerne" became
"alle borgere", "gode" was added)."""

from __future__ import annotations

import io
import re

import docx
import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import ChangeLink
from hoering.core.db import db
from hoering.core.errors import DomainError
from tests.memos.test_views import (
    DOCX_TYPE,
    REMARK_ON_P2,
    _page,
    _remarks,
    _section_html,
    build_case,
    revise,
)

PASSAGES = ["alle borgere", "gode"]


@pytest.fixture
def case(app, make_body):
    return build_case(make_body)


def _options(page: str, select_id: str) -> dict[str, str]:
    """value -> label of a select's options."""
    start = page.index(f'id="{select_id}"')
    html = page[start:page.index("</select>", start)]
    return dict(re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', html))


def _link_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "change_link").order_by(AuditEvent.id)))


def test_the_remark_page_offers_the_changed_passages(client, login_as, case):
    login_as(Role.STAFF)
    revised, changed = revise(case)
    remark = _remarks(case)[1]
    page = _page(client.get(f"/hoeringer/bemaerkninger/{remark.id}"))
    options = _options(page, "change_section")
    assert options[str(changed.id)] == "Version 2: Princip 2: Vi skaber sammenhæng – hele afsnittet"
    assert {value: label for value, label in options.items()
            if value.startswith(f"{changed.id}:")} == {
        f"{changed.id}:{quote}": f"«{quote}»" for quote in PASSAGES}
    assert '<optgroup label="Version 2: Princip 2: Vi skaber sammenhæng">' in page
    unchanged = revised.sections[1]
    assert [v for v in options if v.startswith(f"{unchanged.id}:")] == []  # nothing changed

    response = client.post(f"/hoeringer/bemaerkninger/{remark.id}/aendringer",
                           data={"section_id": f"{changed.id}:alle borgere"})
    assert response.status_code == 302
    link = db.session.scalar(select(ChangeLink))
    assert (link.remark_id, link.section_id, link.passage) == (
        remark.id, changed.id, "alle borgere")
    assert _link_events()[-1].changes == {
        "remark_id": {"before": None, "after": remark.id},
        "section_id": {"before": None, "after": changed.id},
        "passage": {"before": None, "after": "alle borgere"},
    }
    assert "ændringen «alle borgere»" in _page(client.get(f"/hoeringer/bemaerkninger/{remark.id}"))
    row = _section_html(_page(client.get(f"/politikker/versioner/{revised.id}/sammenlign")),
                        changed.id)
    assert REMARK_ON_P2 in row and "Ændringen: «alle borgere»" in row


def test_a_passage_that_is_not_a_change_of_the_section_is_refused(client, login_as, case):
    login_as(Role.STAFF)
    _revised, changed = revise(case)
    remark = _remarks(case)[1]
    response = client.post(f"/hoeringer/bemaerkninger/{remark.id}/aendringer",
                           data={"section_id": f"{changed.id}:sammenhæng"})
    assert response.status_code == 302  # not among the choices: back with a message
    db.session.rollback()
    assert db.session.scalars(select(ChangeLink)).all() == []
    with pytest.raises(DomainError, match="findes ikke"):
        consultations.link_change(remark, changed, passage="sammenhæng", actor=None)


def test_the_operation_takes_a_passage_with_other_white_space(app, case):
    _revised, changed = revise(case)
    link = consultations.link_change(_remarks(case)[1], changed, passage=" alle\n borgere ",
                                     actor=None)
    assert link.passage == "alle borgere"


def test_the_link_remarks_page_links_each_remark_to_a_passage(client, login_as, case):
    login_as(Role.STAFF)
    revised, changed = revise(case)
    first, second, _general = _remarks(case)
    url = f"/politikker/afsnit/{changed.id}/bemaerkninger"
    page = _page(client.get(url))
    assert f'<label for="passage-{first.id}">' in page  # a labelled native select
    assert _options(page, f"passage-{first.id}") == {
        "": "Hele afsnittet", **{quote: f"«{quote}»" for quote in PASSAGES}}

    response = client.post(url, data={"remark_ids": [first.id, second.id],
                                      f"passage-{second.id}": "gode"})
    assert response.status_code == 302
    links = {link.remark_id: link.passage for link in db.session.scalars(select(ChangeLink))}
    assert links == {first.id: None, second.id: "gode"}
    page = _page(client.get(url))
    assert re.search(r'<option value="gode" selected>', page)

    # another passage replaces the link (unlinked and linked again, both audited)
    before = len(_link_events())
    client.post(url, data={"remark_ids": [first.id, second.id],
                           f"passage-{second.id}": "alle borgere"})
    db.session.expire_all()
    links = {link.remark_id: link.passage for link in db.session.scalars(select(ChangeLink))}
    assert links == {first.id: None, second.id: "alle borgere"}
    events = _link_events()[before:]
    assert [(e.action, e.changes["passage"]) for e in events] == [
        ("change_link:delete", {"before": "gode", "after": None}),
        ("change_link:create", {"before": None, "after": "alle borgere"}),
    ]
    row = _section_html(_page(client.get(f"/politikker/versioner/{revised.id}/sammenlign")),
                        changed.id)
    assert "Ændringen: «alle borgere»" in row


def test_a_stale_passage_on_the_link_remarks_page_is_refused(client, login_as, case):
    login_as(Role.STAFF)
    _revised, changed = revise(case)
    first = _remarks(case)[0]
    response = client.post(f"/politikker/afsnit/{changed.id}/bemaerkninger",
                           data={"remark_ids": [first.id], f"passage-{first.id}": "borgerne"})
    assert response.status_code == 409
    db.session.rollback()
    assert db.session.scalars(select(ChangeLink)).all() == []


DOWNLOADS = {
    "Revideret udkast med ændringer (.docx)": ("revideret-udkast-med-aendringer", "docx"),
    "Revideret udkast med ændringer (PDF)": ("revideret-udkast-med-aendringer", "pdf"),
    "Rent revideret udkast (.docx)": ("revideret-udkast", "docx"),
    "Rent revideret udkast (PDF)": ("revideret-udkast", "pdf"),
}


def test_the_comparison_page_offers_the_revised_draft_as_documents(client, login_as, case):
    revised, changed = revise(case)
    consultations.link_change(_remarks(case)[1], changed, passage="gode", actor=None)
    db.session.commit()
    login_as(Role.AUDITOR)  # whoever may see the comparison
    page = _page(client.get(f"/politikker/versioner/{revised.id}/sammenlign"))
    for label, (name, fmt) in DOWNLOADS.items():
        match = re.search(rf'<a href="([^"]+)">{re.escape(label)}</a>', page)
        assert match, label
        url = match.group(1).replace("&amp;", "&")
        assert f"/politikker/versioner/{revised.id}/{name}.{fmt}" in url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == (DOCX_TYPE if fmt == "docx" else "application/pdf")
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("inline" if fmt == "pdf" else "attachment")
        assert f"{name}-politiske-principper-for-digitalisering-version-2.{fmt}" in disposition
        if name == "revideret-udkast-med-aendringer" and fmt == "docx":
            comments = docx.Document(io.BytesIO(response.data)).comments
            assert [f"«{REMARK_ON_P2}» (SOU)" in c.text for c in comments] == [True]


def test_a_version_without_a_previous_one_has_no_tracked_document(client, login_as, case):
    login_as(Role.STAFF)
    tracked = "/politikker/versioner/{}/revideret-udkast-med-aendringer.docx"
    assert client.get(tracked.format(case.version.id)).status_code == 404
    revised, _changed = revise(case)
    assert client.get(tracked.format(revised.id) + f"?med={revised.id + 1000}"
                      ).status_code == 404
    assert client.get(f"/politikker/versioner/{revised.id}/revideret-udkast.html"
                      ).status_code == 404
