"""The revised draft as documents, read back the way Word, LibreOffice and a reader would:
the .docx with tracked changes (accepting them all gives the revised text, rejecting
them all the consulted one) and a comment on each changed passage citing the remarks it
answers; the PDF redline with the remarks as footnotes; the clean .docx and PDF.

The documents are built once per backend (``rendered``) from a world rolled back at
once; LibreOffice converts the tracked .docx once (``office_odt``)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from hoering.accounts.models import Role
from hoering.consultations import operations as consultations
from hoering.consultations.models import ChangeLink, Disposition, Remark
from hoering.consultations.revision import changed_passages
from hoering.core.db import db, now_utc
from hoering.memos.document import Letterhead
from hoering.memos.revised_draft import RevisedSection, build_revised_draft, layout
from hoering.memos.revised_render import render_revised
from hoering.municipality.models import MunicipalitySettings
from hoering.policies import operations as policies
from hoering.policies.diff import pair_sections
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import PolicyVersion
from tests.conftest import body_factory, rolled_back, user_factory
from tests.consultations.reference import OPENED_ON
from tests.municipality.files import HEADING_FONT, TEMPLATE_HEADER, word_template
from tests.office import convert

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
AUTHOR = "Testkommune – sekretariatet"
OLD = [
    ("Rammesætning", "Vi vil mere med digitalisering.\n\nDet kræver mod."),
    ("Princip 1: Vi digitaliserer ambitiøst", "Tekst et om kerneydelsen."),
    ("Princip 2: Vi skaber sammenhæng", "Første afsnit om data.\n\nAndet afsnit om systemer."),
    ("Princip 3: Vi tænker i fællesskab", "Et princip, der udgår."),
]
NEW = [
    ("Rammesætning", "Vi vil mere med digitalisering.\n\nDet kræver mod."),
    ("Princip 1: Vi digitaliserer ambitiøst og ansvarligt",
     "Tekst et om kerneydelsen for alle borgere."),
    ("Princip 2: Vi skaber sammenhæng",
     "Første afsnit om data, der deles sikkert.\n\nAndet afsnit om systemer.\n\n"
     "Et nyt tredje afsnit."),
    ("Princip 4: Vi inddrager slutbrugerne", "Vi tester løsningerne\nsammen med brugerne."),
]
ON_P2 = "Data skal deles sikkert."  # KMU, linked to the passage ", der deles sikkert"
ON_P1 = "Princippet bør nævne ansvarlighed."  # SOU, linked to the whole section
ON_FRAMING = "Rammesætningen er god."  # SOU, linked to the unchanged section
ON_NEW = "Slutbrugerne bør inddrages."  # KMU, linked to the new section's text
LINKED_AT = {
    ON_P2: datetime(2024, 6, 10, 8, 0, tzinfo=UTC),
    ON_P1: datetime(2024, 6, 11, 9, 30, tzinfo=UTC),
    ON_FRAMING: datetime(2024, 6, 12, 10, 0, tzinfo=UTC),
    ON_NEW: datetime(2024, 6, 13, 11, 15, tzinfo=UTC),
}
REVISED_AT = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def _split(text: str) -> list[str]:
    return re.split(r"\s*\n\s*\n\s*", text) if text else []


def _paragraphs(sections: list[tuple[str, str]]) -> list[str]:
    return [p for heading, text in sections for p in [heading, *_split(text)]]


@dataclass(frozen=True)
class Rendered:
    tracked_docx: bytes
    clean_docx: bytes
    redline_pdf: bytes
    clean_pdf: bytes
    on_template_docx: bytes  # tracked, on the municipality's Word template


def _world() -> tuple[PolicyVersion, PolicyVersion]:
    """Version 1 consulted (KMU's and SOU's remarks, replies approved but one), version 2
    revised: a section unchanged, one renamed and reworded, one with a paragraph added,
    one removed and one new; four remarks linked (two to passages, two to sections)."""
    db.session.add(MunicipalitySettings(name="Testkommune", default_unit="Digitalisering"))
    make_body, make_user = body_factory(), user_factory("revideret")
    kmu, sou = make_body("KMU", "Klima- og Miljøudvalget"), make_body("SOU", "Socialudvalget")
    staff = make_user(Role.STAFF)
    policy = policies.create_policy(title="Politiske principper for digitalisering",
                                    journal_number="85.13.00-P00-1-23", description="",
                                    owner_body=sou, actor=None)
    old = policies.create_version(policy, [DraftSection(h, t) for h, t in OLD], actor=None)
    consultation = consultations.create_consultation(
        old, title="Høring", opens_on=OPENED_ON, closes_at=now_utc() + timedelta(days=14),
        invitation_text="", public=False, bodies=[kmu, sou], actor=None)
    consultations.open_consultation(consultation, actor=None)
    for body, texts in ((kmu, (ON_P2, ON_NEW)), (sou, (ON_P1, ON_FRAMING))):
        consultations.import_minutes(
            consultation, body, meeting_date=OPENED_ON, agenda_item=4, actor=None,
            remarks=[consultations.ImportedRemark(text, None) for text in texts])
    new = policies.create_version(policy, [DraftSection(h, t) for h, t in NEW], actor=None)
    new.created_at = REVISED_AT
    remarks = {r.original_text: r for r in db.session.scalars(db.select(Remark))}
    for text, remark in remarks.items():
        consultations.save_reply(remark, text=f"Svar på: {text}",
                                 disposition=Disposition.INCORPORATED,
                                 based_on_version=None, actor=None)
        if text != ON_P1:
            consultations.approve_reply(remark.reply, actor=staff)
    _link(remarks, new, old)
    return old, new


def _link(remarks: dict[str, Remark], new: PolicyVersion, old: PolicyVersion) -> None:
    passages = changed_passages(old, new)
    p2, p4 = new.sections[2], new.sections[3]
    quote = next(p.quote for p in passages[p2.id] if "deles sikkert" in p.quote)
    links = [
        consultations.link_change(remarks[ON_P2], p2, passage=quote, actor=None),
        consultations.link_change(remarks[ON_P1], new.sections[1], actor=None),
        consultations.link_change(remarks[ON_FRAMING], new.sections[0], actor=None),
        consultations.link_change(remarks[ON_NEW], p4, passage=passages[p4.id][-1].quote,
                                  actor=None),
    ]
    for link in links:
        link.created_at = LINKED_AT[link.remark.original_text]
    db.session.flush()


@pytest.fixture(scope="module")
def rendered(app) -> Rendered:
    with app.app_context(), rolled_back():
        old, new = _world()
        tracked, clean = build_revised_draft(new, old), build_revised_draft(new)
        on_template = replace(tracked, letterhead=Letterhead(
            municipality="Testby Kommune", word_template=word_template()))
        with app.test_request_context():
            return Rendered(
                tracked_docx=render_revised(tracked, "docx"),
                clean_docx=render_revised(clean, "docx"),
                redline_pdf=render_revised(tracked, "pdf"),
                clean_pdf=render_revised(clean, "pdf"),
                on_template_docx=render_revised(on_template, "docx"),
            )


@pytest.fixture(scope="module")
def office_odt(rendered) -> bytes:
    """The tracked .docx as LibreOffice reads it (saved as ODF): one conversion."""
    return convert(rendered.tracked_docx, ".docx", "odt")


# --- reading a .docx the way Word's "accept all" and "reject all" do -----------------


def _part(content: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return etree.fromstring(package.read(name))


def _inside(element: etree._Element, tag: str, p: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is p:
            return False
        if ancestor.tag == f"{{{W}}}{tag}":
            return True
    return False


def _text(p: etree._Element, *, accept: bool) -> str:
    dropped = "del" if accept else "ins"
    pieces = []
    for element in p.iter(f"{{{W}}}t", f"{{{W}}}delText", f"{{{W}}}br", f"{{{W}}}tab"):
        if _inside(element, dropped, p) or (accept and element.tag == f"{{{W}}}delText"):
            continue
        pieces.append({"br": "\n", "tab": "\t"}.get(etree.QName(element).localname,
                                                    element.text or ""))
    return "".join(pieces)


def _resolved(content: bytes, *, accept: bool) -> list[str]:
    """The body's paragraphs with every change accepted (or rejected): a paragraph whose
    mark is deleted (inserted) joins the next one."""
    body = _part(content, "word/document.xml").find("w:body", NS)
    mark = "w:pPr/w:rPr/w:del" if accept else "w:pPr/w:rPr/w:ins"
    paragraphs, carried = [], ""
    for p in body.findall("w:p", NS):
        carried += _text(p, accept=accept)
        if p.find(mark, NS) is None:
            paragraphs.append(carried)
            carried = ""
    return paragraphs + ([carried] if carried else [])


def _sections_part(paragraphs: list[str]) -> list[str]:
    return paragraphs[paragraphs.index("Rammesætning"):]


def test_accepting_every_change_gives_the_revised_text(rendered):
    assert _sections_part(_resolved(rendered.tracked_docx, accept=True)) == _paragraphs(NEW)


def test_rejecting_every_change_gives_the_consulted_text(rendered):
    assert _sections_part(_resolved(rendered.tracked_docx, accept=False)) == _paragraphs(OLD)


def test_the_changes_are_real_tracked_changes_by_the_secretariat(rendered):
    body = _part(rendered.tracked_docx, "word/document.xml")
    inserted = body.findall(".//w:ins", NS)
    deleted = body.findall(".//w:del", NS)
    assert inserted and deleted
    assert {e.get(f"{{{W}}}author") for e in inserted + deleted} == {AUTHOR}
    deleted_runs = [e for e in deleted if e.getparent().tag != f"{{{W}}}rPr"]
    assert all(e.find(".//w:delText", NS) is not None for e in deleted_runs)
    assert all(e.find(".//w:t", NS) is None for e in deleted_runs)
    # a renamed heading, a removed and an inserted section (paragraph marks tracked too)
    heading_ins = "".join(body.xpath(".//w:p[w:pPr/w:pStyle/@w:val='Heading1']"
                                     "//w:ins//w:t/text()", namespaces=NS))
    assert "og ansvarligt" in heading_ins and "Princip 4" in heading_ins
    assert body.xpath(".//w:pPr/w:rPr/w:del", namespaces=NS)
    assert body.xpath(".//w:pPr/w:rPr/w:ins", namespaces=NS)


def test_every_change_and_comment_has_its_own_id(rendered):
    body = _part(rendered.tracked_docx, "word/document.xml")
    comments = _part(rendered.tracked_docx, "word/comments.xml")
    ids = [e.get(f"{{{W}}}id") for e in body.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    ids += [e.get(f"{{{W}}}id") for e in comments.findall("w:comment", NS)]
    assert len(ids) == len(set(ids))


def _date_of_insertion(body: etree._Element, words: str) -> str:
    for ins in body.iter(f"{{{W}}}ins"):
        if words in "".join(ins.itertext()):
            return ins.get(f"{{{W}}}date")
    raise AssertionError(f"no insertion of {words!r}")


def test_a_change_is_dated_when_it_was_linked(rendered):
    body = _part(rendered.tracked_docx, "word/document.xml")
    # linked to the passage; linked with the whole section; not linked: the version
    assert _date_of_insertion(body, "deles sikkert") == "2024-06-10T08:00:00Z"
    assert _date_of_insertion(body, "og ansvarligt") == "2024-06-11T09:30:00Z"
    assert _date_of_insertion(body, "for alle borgere") == "2024-06-11T09:30:00Z"
    assert _date_of_insertion(body, "Et nyt tredje afsnit") == "2024-06-01T12:00:00Z"
    assert _date_of_insertion(body, "Vi tester") == "2024-06-13T11:15:00Z"


def _commented_text(body: etree._Element) -> dict[str, str]:
    """Comment id -> the text between its range start and end (inserted and deleted)."""
    open_ranges: dict[str, list[str]] = {}
    found: dict[str, str] = {}
    for element in body.iter():
        tag = etree.QName(element).localname
        if tag == "commentRangeStart":
            open_ranges[element.get(f"{{{W}}}id")] = []
        elif tag == "commentRangeEnd":
            comment_id = element.get(f"{{{W}}}id")
            found[comment_id] = "".join(open_ranges.pop(comment_id))
        elif tag in ("t", "delText"):
            for words in open_ranges.values():
                words.append(element.text or "")
    return found


def test_a_comment_on_each_changed_passage_cites_its_remarks(rendered):
    document = docx.Document(io.BytesIO(rendered.tracked_docx))
    comments = {str(c.comment_id): c for c in document.comments}
    anchored = _commented_text(_part(rendered.tracked_docx, "word/document.xml"))
    assert set(anchored) == set(comments)
    by_remark = {}
    for comment_id, comment in comments.items():
        assert comment.author == AUTHOR and comment.initials == "T"
        for text in LINKED_AT:
            if text in comment.text:
                by_remark[text] = (comment, anchored[comment_id])
    assert set(by_remark) == set(LINKED_AT)
    comment, passage = by_remark[ON_P2]
    assert "deles sikkert" in passage and "Første afsnit" not in passage
    assert f"«{ON_P2}» (KMU)" in comment.text
    assert f"Administrationens bemærkninger: Svar på: {ON_P2}" in comment.text
    assert "Behandling: Indarbejdet." in comment.text
    assert comment.timestamp == LINKED_AT[ON_P2]
    comment, passage = by_remark[ON_P1]  # the whole section: its first change, the heading
    assert passage.strip() == "og ansvarligt"
    assert f"«{ON_P1}» (SOU)" in comment.text and "Svaret er endnu ikke godkendt." in comment.text
    assert f"Svar på: {ON_P1}" not in comment.text  # never an unapproved reply
    assert by_remark[ON_FRAMING][1] == "Rammesætning"  # nothing changed: on the heading
    assert "Vi tester løsningerne" in by_remark[ON_NEW][1]


def test_the_comments_part_is_declared(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered.tracked_docx)) as package:
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert ('PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.comments+xml"') in types
    assert re.search(r'Type="[^"]+/relationships/comments" Target="comments.xml"', rels)


def test_libreoffice_reads_the_tracked_changes_and_comments(office_odt):
    content = _part(office_odt, "content.xml")
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
          "dc": "http://purl.org/dc/elements/1.1/"}
    regions = content.findall(".//text:tracked-changes/text:changed-region", ns)
    kinds = {etree.QName(region[0]).localname for region in regions}
    assert kinds == {"insertion", "deletion"}
    assert {e.text for e in content.findall(".//text:changed-region//dc:creator", ns)} == {
        AUTHOR}
    annotations = content.findall(".//office:annotation", ns)
    assert len(annotations) == 4
    assert {a.findtext("dc:creator", namespaces=ns) for a in annotations} == {AUTHOR}
    cited = " ".join("".join(a.itertext()) for a in annotations)
    assert "(KMU)" in cited and "(SOU)" in cited and ON_P2 in cited


def test_the_tracked_docx_is_built_on_the_municipalitys_template(rendered):
    document = docx.Document(io.BytesIO(rendered.on_template_docx))
    assert [p.text for p in document.sections[0].header.paragraphs] == [TEMPLATE_HEADER]
    assert document.styles["Heading 1"].font.name == HEADING_FONT
    assert len(document.comments) == 4
    assert _sections_part(_resolved(rendered.on_template_docx, accept=True)) == (
        _paragraphs(NEW))
    assert _sections_part(_resolved(rendered.on_template_docx, accept=False)) == (
        _paragraphs(OLD))


def test_the_built_in_template_is_a_notat_with_the_municipality_in_the_header(rendered):
    document = docx.Document(io.BytesIO(rendered.tracked_docx))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [p.text for p in section.header.paragraphs] == ["Testkommune", "Digitalisering"]
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == ["Politiske principper for digitalisering"]
    assert document.core_properties.title == (
        "Politiske principper for digitalisering – revideret udkast med ændringer")


def test_the_clean_docx_holds_the_revised_text_only(rendered):
    assert _sections_part(_resolved(rendered.clean_docx, accept=False)) == _paragraphs(NEW)
    body = _part(rendered.clean_docx, "word/document.xml")
    assert body.find(".//w:ins", NS) is None and body.find(".//w:del", NS) is None
    assert body.find(".//w:commentReference", NS) is None
    assert len(docx.Document(io.BytesIO(rendered.clean_docx)).comments) == 0


def _pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join((page.extract_text() or "").split())
                            for page in reader.pages)


@pytest.mark.parametrize("which", ["redline_pdf", "clean_pdf"])
def test_the_pdfs_are_tagged_a4_danish_documents(rendered, which):
    reader, _text = _pdf_text(getattr(rendered, which))
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842)
               for p in reader.pages)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "da"
    assert reader.metadata.title.startswith("Politiske principper for digitalisering")


def test_the_redline_shows_both_texts_and_cites_the_remarks_in_footnotes(rendered):
    _reader, text = _pdf_text(rendered.redline_pdf)
    for words in ("der deles sikkert", "Et princip, der udgår", "Princip 3: Vi tænker",
                  "Ny tekst er understreget"):
        assert words in text, words
    for remark in LINKED_AT:
        assert remark in text, remark
    assert "(KMU)" in text and "(SOU)" in text and "Svaret er endnu ikke godkendt." in text


def test_the_clean_pdf_has_no_deleted_text_and_no_notes(rendered):
    _reader, text = _pdf_text(rendered.clean_pdf)
    assert "der deles sikkert" in text and "Princip 4: Vi inddrager slutbrugerne" in text
    assert "Et princip, der udgår" not in text and "(KMU)" not in text


def test_layout_marks_a_replaced_paragraph_break_as_kept(app):
    """A deleted break right before an inserted one is an unchanged paragraph mark."""
    pair = pair_sections([(1, "A", "Et.\n\nTo.")], [(2, "A", "Et.\n\n\nTre.")])[0]
    paragraphs = layout(RevisedSection(pair))
    assert [p.mark for p in paragraphs] == ["equal", "equal", "equal"]


def test_a_link_whose_passage_is_gone_stands_for_the_section(app):
    """A passage no longer among the changes (the text was edited since) falls back to
    the whole section: its note sits on the section's first change."""
    old, new = _world()
    link = db.session.scalar(db.select(ChangeLink).where(ChangeLink.passage.is_not(None))
                             .order_by(ChangeLink.id))
    link.passage = "en formulering, der ikke findes"
    draft = build_revised_draft(new, old)
    section = next(s for s in draft.sections if s.pair.new_id == link.section_id)
    assert ON_P2 in section.notes[0].text()
