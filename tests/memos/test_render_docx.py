"""The memo as .docx: real Word styles, italic replies, draft mark, Danish date."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import date

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm

from hoering.memos.document import (
    DRAFT_MARK,
    REPLY_LEAD,
    Abbreviation,
    MemoDocument,
    MemoItem,
    MemoPart,
)
from hoering.memos.render_docx import danish_date, render_docx

FRAMING = "Høringssvar til rammesætningen og overordnet:"
PRINCIPLE = "Høringssvar til princip 1:"
GENERAL = "Generelle opmærksomhedspunkter:"


def make_document(**changes) -> MemoDocument:
    document = MemoDocument(
        title="Notat om høring af de politiske principper for digitalisering",
        unit="Digitalisering",
        date=date(2024, 6, 8),
        draft=True,
        version=None,
        background=(
            "Digitaliserings- og Teknologiudvalget (DTU) har igangsat en proces.",
            "I april måned har alle politiske fagudvalg drøftet principperne.",
        ),
        responses_intro="Nedenfor er høringssvarene præsenteret efter emne.",
        abbreviations=(
            Abbreviation("BSU", "Børne- og Skoleudvalget"),
            Abbreviation("SOU", "Socialudvalget"),
            Abbreviation("MED", "Hoved-MED"),
        ),
        parts=(
            MemoPart(
                FRAMING,
                (
                    MemoItem(
                        'Anvendelsen af ordet "Vi" bør overvejes.',
                        "SOU",
                        "dette er indarbejdet.",
                    ),
                    MemoItem(
                        "Omverdensperspektivet skal tydeliggøres.",
                        "BSU",
                        None,  # not answered yet
                        count=3,
                    ),
                ),
            ),
            MemoPart(
                PRINCIPLE,
                (MemoItem("Løsninger skal være let tilgængelige.", "SOU", "sikret."),),
            ),
            MemoPart(
                GENERAL,
                (MemoItem("Konsolidering af systemer.", "MED", "et fokus.", late=True),),
            ),
        ),
        further_work=("Når principperne er godkendt, udestår fortsat følgende:",),
        tasks=("Grafisk opsætning", "Implementering i organisationen"),
        notes=('"Modtaget efter fristen" betyder, at svaret kom efter høringsfristen.',),
    )
    return replace(document, **changes)


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def styled(doc, style: str) -> list[str]:
    return [p.text for name, p in with_style_names(doc) if name == style]


def with_style_names(doc) -> list[tuple[str, docx.text.paragraph.Paragraph]]:
    """(style name, paragraph) pairs. ``Paragraph.style`` resolves the style through the
    styles part on every call, far too slow for 10,000 paragraphs, so map ids once."""
    names = {style.style_id: style.name for style in doc.styles}
    default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH).name
    return [(names.get(p._p.style, default), p) for p in doc.paragraphs]


def all_text(doc) -> str:
    header = "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)
    return "\n".join(p.text for p in doc.paragraphs) + "\n" + header


def reply_paragraphs(doc) -> list:
    return [p for p in doc.paragraphs if p.text.startswith(REPLY_LEAD)]


def test_danish_date():
    assert danish_date(date(2024, 6, 8)) == "8. juni 2024"
    assert danish_date(date(2024, 1, 1)) == "1. januar 2024"
    assert danish_date(date(2023, 3, 31)) == "31. marts 2023"
    assert danish_date(date(2025, 12, 24)) == "24. december 2025"


def test_title_and_meta_block():
    doc = open_docx(render_docx(make_document()))
    assert styled(doc, "Title") == ["Notat om høring af de politiske principper for digitalisering"]
    texts = [p.text for p in doc.paragraphs]
    title_at = texts.index(styled(doc, "Title")[0])
    assert texts[title_at + 1 : title_at + 3] == ["Digitalisering", "Dato 8. juni 2024"]
    assert doc.core_properties.title == (
        "Notat om høring af de politiske principper for digitalisering"
    )


def test_headings_in_order():
    doc = open_docx(render_docx(make_document()))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Baggrund"),
        ("Heading 1", "Høringssvar fra høringsparterne"),
        ("Heading 2", FRAMING),
        ("Heading 2", PRINCIPLE),
        ("Heading 2", GENERAL),
        ("Heading 1", "Videre arbejde"),
    ]


def test_background_intro_abbreviations_and_notes_are_normal_paragraphs():
    doc = open_docx(render_docx(make_document()))
    normal = styled(doc, "Normal")
    for text in (
        "Digitaliserings- og Teknologiudvalget (DTU) har igangsat en proces.",
        "Nedenfor er høringssvarene præsenteret efter emne.",
        "Forkortelser:",
        "BSU: Børne- og Skoleudvalget",
        "SOU: Socialudvalget",
        "MED: Hoved-MED",
        '"Modtaget efter fristen" betyder, at svaret kom efter høringsfristen.',
        "Når principperne er godkendt, udestår fortsat følgende:",
    ):
        assert text in normal
    assert normal.index("Forkortelser:") < normal.index("BSU: Børne- og Skoleudvalget")


def test_remarks_are_bullets_with_suffix_followed_by_italic_reply():
    doc = open_docx(render_docx(make_document()))
    paragraphs = doc.paragraphs
    bullets = [i for i, p in enumerate(paragraphs) if p.style.name == "List Bullet"]
    remarks = [paragraphs[i].text for i in bullets][:4]  # the last two are the tasks
    assert remarks == [
        'Anvendelsen af ordet "Vi" bør overvejes. (SOU)',
        "Omverdensperspektivet skal tydeliggøres. (BSU) [3 enslydende høringssvar]",
        "Løsninger skal være let tilgængelige. (SOU)",
        "Konsolidering af systemer. (MED) [modtaget efter fristen]",
    ]
    for i in bullets[:4]:
        reply = paragraphs[i + 1]
        assert reply.text.startswith(REPLY_LEAD)
        assert reply.style.name == "Normal"
        assert reply.paragraph_format.left_indent.twips == Cm(0.63).twips
        assert reply.runs and all(run.italic for run in reply.runs)
    assert [p.text for p in reply_paragraphs(doc)] == [
        f"{REPLY_LEAD} dette er indarbejdet.",
        f"{REPLY_LEAD} (ikke besvaret endnu)",
        f"{REPLY_LEAD} sikret.",
        f"{REPLY_LEAD} et fokus.",
    ]
    # Only replies are italic: the remark text itself is not.
    for i in bullets:
        assert not any(run.italic for run in paragraphs[i].runs)


def test_further_work_tasks_are_bullets_after_heading():
    doc = open_docx(render_docx(make_document()))
    texts = [p.text for p in doc.paragraphs]
    heading_at = texts.index("Videre arbejde")
    assert styled(doc, "List Bullet")[-2:] == [
        "Grafisk opsætning",
        "Implementering i organisationen",
    ]
    assert texts.index("Grafisk opsætning") > heading_at


def test_further_work_section_omitted_when_empty():
    doc = open_docx(render_docx(make_document(further_work=(), tasks=())))
    assert "Videre arbejde" not in [p.text for p in doc.paragraphs]


def test_further_work_section_with_tasks_only():
    doc = open_docx(render_docx(make_document(further_work=())))
    assert styled(doc, "Heading 1")[-1] == "Videre arbejde"


def test_draft_is_marked_in_body_and_header():
    doc = open_docx(render_docx(make_document()))
    body_marks = [p for p in doc.paragraphs if p.text == DRAFT_MARK]
    assert body_marks and all(run.bold for run in body_marks[0].runs)
    assert DRAFT_MARK in "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "Version" not in all_text(doc)


def test_issued_memo_shows_version_and_no_draft_mark():
    doc = open_docx(render_docx(make_document(draft=False, version=1)))
    assert DRAFT_MARK not in all_text(doc)
    texts = [p.text for p in doc.paragraphs]
    assert "Version 1" in texts
    assert texts.index("Version 1") == texts.index("Dato 8. juni 2024") + 1


def test_margins_and_base_font():
    doc = open_docx(render_docx(make_document()))
    section = doc.sections[0]
    for margin in (
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ):
        assert margin.twips == Cm(2.5).twips
    normal = doc.styles["Normal"]
    assert normal.font.name == "Calibri"
    assert normal.font.size.pt == 11


@pytest.mark.parametrize(
    "text",
    [
        "Mindre end < og større end > & \"citat\" 'apostrof' æøå ÆØÅ",
        "<w:p>ikke XML</w:p> &amp; ]]> <!-- -->",
        "  indledende og afsluttende mellemrum  ",
    ],
)
def test_user_text_round_trips(text):
    document = make_document(
        title=f"Notat om høring af {text}",
        parts=(MemoPart(text, (MemoItem(text, "SOU", text),)),),
    )
    doc = open_docx(render_docx(document))
    assert styled(doc, "Title") == [f"Notat om høring af {text}"]
    assert styled(doc, "Heading 2") == [text]
    assert styled(doc, "List Bullet")[0] == f"{text} (SOU)"
    assert [p.text for p in reply_paragraphs(doc)] == [f"{REPLY_LEAD} {text}"]
    assert doc.core_properties.title == f"Notat om høring af {text}"


def test_line_breaks_tabs_and_control_characters():
    text = "Første linje\nanden linje\tmed tabulator\x00\x0b og styretegn\x1f"
    doc = open_docx(
        render_docx(make_document(parts=(MemoPart("Del", (MemoItem(text, "SOU", "ok"),)),)))
    )
    assert styled(doc, "List Bullet")[0] == (
        "Første linje\nanden linje\tmed tabulator og styretegn (SOU)"
    )


def test_five_thousand_items():
    items = tuple(
        MemoItem(
            f"Bemærkning {n} om princippet & <kerneydelser> med æøå, " * 4,
            ("BSU", "SOU", "MED")[n % 3],
            None if n % 10 == 0 else f"Dette er indarbejdet i formuleringen ({n}).",
            late=n % 17 == 0,
        )
        for n in range(5000)
    )
    parts = tuple(
        MemoPart(f"Høringssvar til princip {k + 1}:", items[k * 1000 : (k + 1) * 1000])
        for k in range(5)
    )
    document = make_document(parts=parts)
    started = time.perf_counter()
    data = render_docx(document)
    elapsed = time.perf_counter() - started
    print(f"\nrender_docx: 5,000 items in {elapsed:.3f} s ({len(data):,} bytes)")
    doc = open_docx(data)
    tasks = len(document.tasks)
    assert len(styled(doc, "List Bullet")) == 5000 + tasks
    assert len(styled(doc, "Heading 2")) == 5
    replies = reply_paragraphs(doc)
    assert len(replies) == 5000
    assert all(run.italic for p in replies for run in p.runs)
