"""The consultation memo (høringsnotat): built from the data, structured like the reference
memo, rendered as Markdown, .docx, PDF and HTML from one document, issued as immutable
versions, exported from the command line, in a fixed number of SQL queries."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hoering.accounts.models import Role, User
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.campaigns.operations import remove_from_group
from hoering.consultations.models import Consultation, Disposition, Remark, Response
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.demo.loader import load_demo
from hoering.memos import operations as memos
from hoering.memos.build import build_memo
from hoering.memos.digest import memo_digest
from hoering.memos.document import DRAFT_MARK, REPLY_LEAD
from hoering.memos.formats import render
from hoering.memos.models import MemoIssue, issued_file
from hoering.memos.operations import MemoTexts
from hoering.memos.preview import memo_preview
from hoering.memos.render import render_html, render_markdown
from hoering.memos.texts import GENERAL_HEADING, LATE_NOTE
from hoering.memos.word_template import STYLE_REPLY
from hoering.municipality.settings import current_settings
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import Policy, PolicyVersion
from tests.conftest import empty_all_tables
from tests.consultations.factories import consultation_with_remarks
from tests.consultations.reference import OPENED_ON, REFERENCE_DIR
from tests.consultations.test_query_counts import count_queries

REFERENCE = REFERENCE_DIR / "hoeringsnotat-digitaliseringsprincipper-2024.md"
DEMO_JOURNAL_NUMBER = "85.13.00-P00-1-23"
DEMO_TITLE = "Notat om høring af de politiske principper for digitalisering i Ballerup Kommune"
PART_HEADINGS = [
    "Høringssvar til rammesætningen og overordnet",
    *(f"Høringssvar til princip {n}" for n in range(1, 6)),
    "Høringssvar med opmærksomhedspunkter generelt",
]
# "- text (ABBR)", optionally followed by our late/group mark "[...]".
BULLET = re.compile(r"^- (?P<text>.+) \((?P<abbr>[^()\s]+)\)(?: \[[^\]]*\])?$")
REMARK_BULLET_END = re.compile(r"\([A-ZÆØÅ]+\)(?: \[[^\]]*\])?$")
MD_ESCAPE = re.compile(r"\\(.)")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _heading_key(raw: str) -> str:
    """Reference "### **Høringssvar il princip 2:**" and our "### Høringssvar til princip
    2" both become "høringssvar til princip 2"."""
    text = raw.lstrip("#").replace("**", "").strip().rstrip(":").strip()
    text = text.replace("Høringssvar il princip", "Høringssvar til princip")  # typo in reference
    return text.casefold()


def parse_memo_markdown(markdown: str, *, unescape: bool) -> dict[str, list[tuple[str, str]]]:
    """{heading key: [(whitespace-normalised remark text, abbreviation), ...]} for the
    remark headings (### and ####); the bullets of other parts (## ...) are ignored."""
    parts: dict[str, list[tuple[str, str]]] = {}
    current: str | None = None
    for line in markdown.splitlines():
        stripped = line.strip()
        if re.match(r"^#{3,4} ", stripped):
            current = _heading_key(stripped)
            parts.setdefault(current, [])
        elif re.match(r"^#{1,2} ", stripped):
            current = None
        elif current is not None and line.startswith("- "):
            if unescape:
                line = MD_ESCAPE.sub(r"\1", line)
            match = BULLET.match(line.rstrip())
            assert match, f"unparseable bullet under {current!r}: {line!r}"
            parts[current].append((_norm(match["text"]), match["abbr"]))
    return parts


def parse_reference() -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """The reference memo's parts, and the bullets that carried a stray "\\*" footnote
    marker after the abbreviation (the reference's own mark, not part of the remark)."""
    lines, marked = [], []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("- ") and line.rstrip().endswith(")\\*"):
            marked.append(line)
            line = line.rstrip()[:-2]
        lines.append(line)
    return parse_memo_markdown("\n".join(lines), unescape=False), marked


def demo_consultation() -> Consultation:
    return db.session.scalar(
        select(Consultation)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .join(Policy, Policy.id == PolicyVersion.policy_id)
        .where(Policy.journal_number == DEMO_JOURNAL_NUMBER)
        .order_by(Consultation.id)
    )


COMMITTED_WORLDS = ("demo_loaded",)  # the tests on the demo run last in the module


@pytest.fixture(scope="module")
def demo_loaded(app) -> Iterator[None]:
    """The demo, loaded and committed once per backend (each test on it is rolled back);
    the tables are emptied again after the module."""
    with app.app_context():
        load_demo()
        db.session.commit()
        db.session.remove()
    yield
    with app.app_context():
        empty_all_tables()


@pytest.fixture
def demo(demo_loaded) -> Consultation:
    consultation = demo_consultation()
    assert consultation is not None
    return consultation


@pytest.fixture(scope="module")
def reference():
    return parse_reference()


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext"):
        path = tmp_path / "memo.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True, capture_output=True,
        )
        return out.stdout.decode("utf-8")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


# --- a small consultation of our own -------------------------------------------------


def small_consultation(make_body, make_user, *, closes_in_days: int = 14):
    """An open consultation on a three-section version; SOU answers on time with a remark
    on "Princip 1" and a general one; no replies yet. Returns (consultation, staff)."""
    staff = make_user(Role.STAFF)
    sou = make_body("SOU", "Socialudvalget")
    bsu = make_body("BSU", "Børne- og Skoleudvalget")
    policy = policies.create_policy(
        title="Politiske principper for test", journal_number="85.13.00-P00-1-23",
        description="", owner_body=sou, actor=None,
    )
    version = policies.create_version(policy, [
        DraftSection("Rammesætning", "Vi vil mere med digitalisering."),
        DraftSection("Princip 1: Vi digitaliserer ambitiøst", "Tekst et."),
        DraftSection("Princip 2: Vi skaber sammenhæng", "Tekst to."),
    ], actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om testprincipperne", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=closes_in_days), invitation_text="",
        public=False, bodies=[sou, bsu], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation, staff


def _import(consultation, body, texts, *, section_index=1):
    version = consultation.version
    return consultations.import_minutes(
        consultation, body, meeting_date=now_utc().date(), agenda_item=3,
        remarks=[consultations.ImportedRemark(t, version.sections[section_index])
                 for t in texts],
        actor=None,
    )


@contextmanager
def after_deadline(consultation: Consultation) -> Iterator[None]:
    """The consultation's deadline has passed (a memo is issued after it)."""
    with frozen_at(consultation.closes_at + timedelta(minutes=1)):
        yield


def approve_all(consultation: Consultation, *, author: User, approver: User) -> None:
    """Every remark answered (where not yet) and every reply approved."""
    for remark in db.session.scalars(
            select(Remark).where(Remark.consultation_id == consultation.id)
            .order_by(Remark.id)):
        if remark.reply is None:
            consultations.save_reply(remark, text=f"Svar på: {remark.original_text}",
                                     disposition=Disposition.NOTED, based_on_version=None,
                                     actor=author)
        if not remark.reply.is_approved:
            consultations.approve_reply(
                remark.reply, actor=approver if remark.reply.author_id != approver.id
                else author)
    db.session.commit()


# --- the demo memo reproduces the reference ------------------------------------------


def test_reference_parses_to_thirty_remarks_under_seven_headings(reference):
    parts, marked = reference
    assert [h for h in parts] == [h.casefold() for h in PART_HEADINGS]
    assert sum(len(items) for items in parts.values()) == 30
    # The reference marks exactly one remark with a stray "\*" after the abbreviation
    # (a footnote marker of the original document); it is stripped before comparing.
    assert len(marked) == 1 and "(BSU)\\*" in marked[0]


def test_demo_memo_markdown_matches_the_reference(demo, reference):
    expected, _marked = reference
    document = build_memo(demo)
    markdown = render_markdown(document)
    ours = parse_memo_markdown(markdown, unescape=True)

    assert document.remark_count == 30
    assert sum(len(items) for items in ours.values()) == 30
    assert list(ours) == list(expected), "the headings, in the version's order"
    for heading, items in expected.items():
        assert Counter(a for _t, a in ours[heading]) == Counter(a for _t, a in items), heading
        # Every remark's memo wording, with its abbreviation, under the same heading.
        assert Counter(ours[heading]) == Counter(items), heading
    assert DRAFT_MARK in markdown
    assert f"# {DEMO_TITLE}" in markdown


def test_demo_memo_docx_has_word_headings_reply_style_and_bullets(demo):
    document = build_memo(demo)
    word = docx.Document(io.BytesIO(render(document, "docx")))
    paragraphs = word.paragraphs

    heading2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert heading2 == PART_HEADINGS
    assert [p.text for p in paragraphs if p.style.name == "Title"] == [DEMO_TITLE]
    assert "Baggrund" in [p.text for p in paragraphs if p.style.name == "Heading 1"]

    replies = [p for p in paragraphs if p.text.startswith(REPLY_LEAD)]
    assert len(replies) == 30
    for paragraph in replies:  # a style of their own (italic), which a template restyles
        assert paragraph.style.name == STYLE_REPLY, paragraph.text
        assert paragraph.style.font.italic, paragraph.text

    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    remark_bullets = [t for t in bullets if REMARK_BULLET_END.search(t)]
    assert len(remark_bullets) == 30
    assert len(bullets) == 30 + len(document.tasks)
    assert all(t in bullets for t in document.tasks)


def test_demo_memo_pdf_has_the_text(demo, tmp_path):
    data = render(build_memo(demo), "pdf")
    assert data.startswith(b"%PDF")
    text = _norm(_pdf_text(data, tmp_path))
    assert DEMO_TITLE in text
    assert "Høringssvar til princip 3" in text
    assert "Under princip nr. to bør det overvejes" in text
    assert DRAFT_MARK in text


def test_demo_memo_html_is_one_standalone_document(demo):
    html = render_html(build_memo(demo))
    assert html.startswith("<!doctype html>")
    assert '<html lang="da">' in html
    assert "@media print" in html
    for heading in PART_HEADINGS:
        assert f"<h3>{heading}</h3>" in html
    assert html.count('class="reply"') == 30


def test_demo_issued_memo_is_not_issued_again_unchanged(demo):
    """The demo issues its memo; issuing again without changes is refused."""
    latest = memos.latest_issue(demo)
    assert latest is not None and latest.number == 1
    with pytest.raises(DomainError, match="uændret siden version 1"):
        memos.issue_memo(demo, actor=None)
    assert latest.content_hash == build_memo(demo).content_hash()



# --- the draft's digest: whether it differs from the issued memo ---------------------


def _culture() -> Consultation:
    return db.session.scalar(select(Consultation).where(Consultation.public))


def _remark_of(consultation: Consultation, *, grouped: bool = False) -> Remark:
    return db.session.scalars(
        select(Remark).join(Remark.response).where(
            Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None),
            Remark.group_id.is_not(None) if grouped else Remark.group_id.is_(None))
        .order_by(Remark.id)).first()


def _rewrite_reply(remark: Remark) -> None:
    consultations.save_reply(remark, text="Et nyt svar.", disposition=Disposition.NOTED,
                             based_on_version=remark.reply.lock_version if remark.reply
                             else None, actor=None)


def _rewrite_and_approve(remark: Remark) -> None:
    _rewrite_reply(remark)
    db.session.flush()
    approver = db.session.scalars(select(User).where(User.role == Role.STAFF)).first()
    consultations.approve_reply(remark.reply, actor=approver)


# Each a change as staff make it (or as the data may change under the memo), to the
# digitalisation memo or, where named, to the culture memo with its groups; "the same"
# changes change nothing.
DIGEST_CHANGES = {
    "memo wording": lambda c: consultations.edit_memo_wording(
        _remark_of(c), "En ny formulering.", actor=None),
    "the same memo wording": lambda c: consultations.edit_memo_wording(
        _remark_of(c), _remark_of(c).memo_text or _remark_of(c).original_text, actor=None),
    "a reply rewritten, not approved": lambda c: _rewrite_reply(_remark_of(c)),
    "a reply rewritten and approved": lambda c: _rewrite_and_approve(_remark_of(c)),
    "a remark moved to the general part": lambda c: consultations.move_remark(
        _remark_of(c), None, actor=None),
    "an item moved down": lambda c: memos.move_memo_item(_remark_of(c), 1, actor=None),
    "a body moved down": lambda c: memos.move_body(c.consultees[0], 1, actor=None),
    "a body's abbreviation": lambda c: setattr(c.consultees[0].body, "abbreviation", "ÆØÅ"),
    "the memo's title": lambda c: setattr(c, "memo_title", "Et andet notat"),
    "the consultee list": lambda c: setattr(c, "memo_consultee_list",
                                            not c.memo_consultee_list),
    "a follow-up task": lambda c: memos.add_task(
        c.version.policy, title="En ny opgave", owner="", due_on=None, actor=None),
    "the municipality's name": lambda c: setattr(current_settings(), "name", "Andeby"),
    "a response received late": lambda c: setattr(
        _remark_of(c).response, "received_late", True),
    "a response reopened": lambda c: consultations.reopen_response(
        _remark_of(c).response, reason="Sendt ved en fejl.", actor=None),
    "culture: a remark out of its group": lambda c: remove_from_group(
        _remark_of(_culture(), grouped=True), actor=None),
    "culture: a grouped reply rewritten": lambda c: _rewrite_reply(
        _remark_of(_culture(), grouped=True)),
    "culture: an organisation renamed": lambda c: setattr(
        _remark_of(_culture()).response.submitter, "organisation", "Andeby Roklub"),
}


def _digest(consultation: Consultation, *, draft: bool) -> str:
    """As the memo page takes it: around its preview."""
    return memo_digest(consultation, memo_preview(consultation, limit=3).build, draft=draft)


def _digests_and_hashes(consultation: Consultation) -> dict[bool, tuple[str, str]]:
    """Of the draft (True) and of the memo as it would be issued (False): the digest and
    the content hash of the memo built whole."""
    db.session.flush()
    return {draft: (_digest(consultation, draft=draft),
                    build_memo(consultation, draft=draft).content_hash())
            for draft in (True, False)}


def test_the_issued_memo_holds_its_digest(demo):
    issue = memos.latest_issue(demo)
    assert issue.digest == _digest(demo, draft=False)
    assert issue.digest == _digest(demo, draft=True)  # every reply was approved


@pytest.mark.parametrize("change", DIGEST_CHANGES.values(), ids=DIGEST_CHANGES.keys())
def test_the_digest_changes_exactly_when_the_memo_does(demo, change):
    for consultation in (demo, _culture()):
        before = _digests_and_hashes(consultation)
        change(demo)
        after = _digests_and_hashes(consultation)
        db.session.rollback()
        for draft in (True, False):
            (digest_before, hash_before), (digest_after, hash_after) = (
                before[draft], after[draft])
            assert (digest_before == digest_after) == (hash_before == hash_after), draft
        (draft_digest, draft_hash), (issued_digest, issued_hash) = after[True], after[False]
        assert (draft_digest == issued_digest) == (draft_hash == issued_hash)


def test_a_change_shows_in_the_digest(demo):
    """The test above could pass with digests that never change."""
    before = _digest(demo, draft=True)
    DIGEST_CHANGES["memo wording"](demo)
    db.session.flush()
    assert _digest(demo, draft=True) != before


# --- issuing -------------------------------------------------------------------------


def test_issue_stores_immutable_versions(app, make_user):
    consultation = consultation_with_remarks(6, 2)
    staff, colleague = make_user(Role.STAFF), make_user(Role.STAFF)
    approve_all(consultation, author=staff, approver=colleague)
    draft = render_markdown(build_memo(consultation))
    assert DRAFT_MARK in draft and "Version 1" not in draft

    with after_deadline(consultation):
        first = memos.issue_memo(consultation, actor=staff)
    db.session.commit()
    assert first.number == 1
    assert first.issued_by_id == staff.id
    assert len(first.content_hash) == 64
    assert first.content_hash == build_memo(consultation).content_hash()
    assert first.markdown and first.html
    assert first.docx.startswith(b"PK") and first.pdf.startswith(b"%PDF")
    assert DRAFT_MARK not in first.markdown and "Version 1" in first.markdown
    assert DRAFT_MARK not in first.html
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "memo:issue")
    ).all()
    assert [(e.object_id, e.actor_id) for e in events] == [(first.id, staff.id)]
    assert events[0].changes["content_hash"]["after"] == first.content_hash
    stored = {fmt: issued_file(first, fmt) for fmt in ("md", "html", "docx", "pdf")}

    with after_deadline(consultation), pytest.raises(DomainError, match="uændret"):
        memos.issue_memo(consultation, actor=staff)
    db.session.rollback()
    assert memos.issue_count(consultation) == 1

    remark = db.session.scalars(
        select(Remark).where(Remark.consultation_id == consultation.id).order_by(Remark.id)
    ).first()
    reply = consultations.save_reply(
        remark, text="Et nyt og bedre svar.", disposition=Disposition.NOTED,
        based_on_version=remark.reply.lock_version, actor=staff,
    )
    consultations.approve_reply(reply, actor=colleague)
    db.session.commit()
    assert "Et nyt og bedre svar." in render_markdown(build_memo(consultation))

    with after_deadline(consultation):
        second = memos.issue_memo(consultation, actor=staff)
    db.session.commit()
    assert second.number == 2
    assert second.content_hash != first.content_hash
    assert "Version 2" in second.markdown and "Et nyt og bedre svar." in second.markdown

    db.session.expire_all()
    first = db.session.get(MemoIssue, first.id)
    assert {fmt: issued_file(first, fmt) for fmt in stored} == stored
    assert "Et nyt og bedre svar." not in first.markdown


def test_issue_refused_for_a_consultation_not_opened(app, make_body):
    body = make_body()
    policy = policies.create_policy(title="Politik", journal_number="85.13.00-P00-1-23",
                                    description="", owner_body=body, actor=None)
    version = policies.create_version(policy, [DraftSection("Rammesætning", "T.")],
                                      actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=5), invitation_text="", public=False,
        bodies=[body], actor=None,
    )
    with pytest.raises(DomainError):
        memos.issue_memo(consultation, actor=None)


def test_member_may_not_issue(app, make_user):
    consultation = consultation_with_remarks(3, 1)
    with pytest.raises(DomainError):
        memos.issue_memo(consultation, actor=make_user(Role.MEMBER))
    with pytest.raises(DomainError):
        memos.issue_memo(consultation, actor=make_user(Role.AUDITOR))


# --- a fixed number of queries -------------------------------------------------------


def _memo_queries(n_remarks: int) -> int:
    consultation_id = consultation_with_remarks(n_remarks, 5).id
    db.session.expire_all()
    with count_queries() as statements:
        consultation = db.session.get(Consultation, consultation_id)
        document = build_memo(consultation)
        render_markdown(document)
        render_html(document)
    assert document.remark_count == n_remarks
    return len(statements)


def test_memo_query_count_does_not_grow_with_remarks(app):
    small = _memo_queries(10)
    empty_all_tables()
    large = _memo_queries(1000)
    assert large == small, (small, large)
    assert large <= 12, large


# --- the command line ----------------------------------------------------------------


def _export(app, *args: str):
    return app.test_cli_runner().invoke(args=["memo", "export", *args])


def test_cli_exports_each_format(app, make_body, make_user, tmp_path):
    consultation, _staff = small_consultation(make_body, make_user)
    _import(consultation, consultation.consultees[0].body, ["Tidlig inddragelse er vigtig."])
    db.session.commit()
    magic = {"docx": b"PK", "pdf": b"%PDF", "html": b"<!doctype html>", "md": b"**UDKAST**"}
    for fmt, start in magic.items():
        output = tmp_path / f"notat.{fmt}"
        result = _export(app, str(consultation.id), "--format", fmt, "--output", str(output))
        assert result.exit_code == 0, result.output
        data = output.read_bytes()
        assert data.startswith(start), (fmt, data[:20])
    assert "Tidlig inddragelse er vigtig." in (tmp_path / "notat.md").read_text("utf-8")
    word = docx.Document(str(tmp_path / "notat.docx"))
    assert "Høringssvar til princip 1" in [p.text for p in word.paragraphs]


def test_cli_exports_an_issued_version_as_stored(app, make_body, make_user, tmp_path):
    consultation, staff = small_consultation(make_body, make_user)
    _import(consultation, consultation.consultees[0].body, ["Tidlig inddragelse er vigtig."])
    with after_deadline(consultation):
        issue = memos.issue_memo(consultation, actor=staff, mark_pending=True)
    db.session.commit()
    for fmt in ("md", "html", "docx", "pdf"):
        output = tmp_path / f"v1.{fmt}"
        result = _export(app, str(consultation.id), "--format", fmt, "--output", str(output),
                         "--version", "1")
        assert result.exit_code == 0, result.output
        assert output.read_bytes() == issued_file(issue, fmt), fmt
    result = _export(app, str(consultation.id), "--format", "md", "--output",
                     str(tmp_path / "v2.md"), "--version", "2")
    assert result.exit_code != 0
    assert not (tmp_path / "v2.md").exists()


def test_cli_refuses_an_unknown_consultation_or_format(app, tmp_path):
    output = tmp_path / "x.md"
    result = _export(app, "999999", "--format", "md", "--output", str(output))
    assert result.exit_code != 0
    assert "999999" in result.output
    assert not output.exists()
    result = _export(app, "1", "--format", "odt", "--output", str(output))
    assert result.exit_code != 0


# --- late remarks, empty memo, background ---------------------------------------------


def test_late_remarks_are_marked_and_explained(app, make_body, make_user):
    consultation, _staff = small_consultation(make_body, make_user, closes_in_days=1)
    bodies = {c.body.abbreviation: c.body for c in consultation.consultees}
    sou, bsu = bodies["SOU"], bodies["BSU"]
    _import(consultation, sou, ["Rettidig bemærkning."])
    with frozen_at(now_utc() + timedelta(days=3)):
        response = _import(consultation, bsu, ["Sen bemærkning."])
    db.session.commit()
    assert response.received_late

    document = build_memo(consultation)
    items = {item.text: item for part in document.parts for item in part.items}
    assert items["Sen bemærkning."].late and not items["Rettidig bemærkning."].late
    assert document.notes == (LATE_NOTE,)
    markdown = render_markdown(document)
    late_line = next(line for line in markdown.splitlines() if "Sen bemærkning." in line)
    on_time_line = next(line for line in markdown.splitlines() if "Rettidig" in line)
    assert "modtaget efter fristen" in late_line
    assert "modtaget efter fristen" not in on_time_line
    assert LATE_NOTE in markdown
    html = render_html(document)
    assert "modtaget efter fristen" in html and LATE_NOTE in html
    word = docx.Document(io.BytesIO(render(document, "docx")))
    texts = [p.text for p in word.paragraphs]
    assert any("Sen bemærkning." in t and "modtaget efter fristen" in t for t in texts)
    assert LATE_NOTE in texts


def test_no_late_note_when_all_remarks_are_on_time(app, make_body, make_user):
    consultation, _staff = small_consultation(make_body, make_user)
    _import(consultation, consultation.consultees[0].body, ["Rettidig bemærkning."])
    document = build_memo(consultation)
    assert document.notes == ()
    assert "modtaget efter fristen" not in render_markdown(document)


def test_consultation_without_remarks_gives_a_memo_without_parts(app, make_body, make_user,
                                                                 tmp_path):
    consultation, _staff = small_consultation(make_body, make_user)
    document = build_memo(consultation)
    assert document.parts == ()
    assert document.remark_count == 0
    markdown = render_markdown(document)
    assert "### " not in markdown
    assert "Høringssvar til" not in markdown
    assert "<h3>" not in render_html(document)
    word = docx.Document(io.BytesIO(render(document, "docx")))
    assert not [p for p in word.paragraphs if p.style.name == "Heading 2"]
    assert render(document, "pdf").startswith(b"%PDF")


def test_sections_without_remarks_are_left_out(app, make_body, make_user):
    consultation, _staff = small_consultation(make_body, make_user)
    sou = consultation.consultees[0].body
    consultations.import_minutes(
        consultation, sou, meeting_date=now_utc().date(), agenda_item=1, remarks=[
            consultations.ImportedRemark("Om rammen.", consultation.version.sections[0]),
            consultations.ImportedRemark("Generelt.", None),
        ], actor=None,
    )
    document = build_memo(consultation)
    assert [p.heading for p in document.parts] == [
        "Høringssvar til rammesætningen og overordnet", GENERAL_HEADING,
    ]


def test_background_default_names_the_bodies_and_edited_background_is_verbatim(
    app, make_body, make_user
):
    consultation, staff = small_consultation(make_body, make_user)
    _import(consultation, consultation.consultees[0].body, ["En bemærkning."])
    default = " ".join(build_memo(consultation).background)
    assert "Socialudvalget" in default and "Børne- og Skoleudvalget" in default
    assert "Høringsperioden løb fra" in default

    edited = "Vores egen baggrund, skrevet af *staff*.\n\nEt andet afsnit."
    memos.update_memo_texts(consultation, MemoTexts(unit="Digitalisering", background=edited),
                            actor=staff)
    db.session.commit()
    document = build_memo(consultation)
    assert document.background == ("Vores egen baggrund, skrevet af *staff*.",
                                   "Et andet afsnit.")
    assert document.unit == "Digitalisering"
    markdown = render_markdown(document)
    assert "Høringsperioden løb fra" not in markdown
    assert "Vores egen baggrund, skrevet af \\*staff\\*." in markdown  # literal, escaped

    memos.update_memo_texts(consultation, MemoTexts(background="   "), actor=staff)
    document = build_memo(consultation)
    assert consultation.memo_background is None
    assert " ".join(document.background) == default
    assert document.unit == "Socialudvalget"  # the owner body when no unit is given


def test_memo_of_a_consultation_whose_bodies_were_all_removed(app, make_body, make_user):
    """Staff may remove every invited body before any responds; the memo (and its
    generated background) must still build."""
    consultation, _staff = small_consultation(make_body, make_user)
    for consultee in list(consultation.consultees):
        consultations.remove_consultee(consultee, actor=None)
    db.session.commit()
    document = build_memo(consultation)
    assert document.parts == () and document.abbreviations == ()
    assert document.background
    assert render_markdown(document)
