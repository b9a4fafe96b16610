"""The bounded document reader (hoering.core.documents): real PDF, .docx and .odt
files built from the reference committee minutes (tests/document_factory.py) read
back into the output format the minutes parser relies on; hostile and unreadable files
refused with a code and a Danish message, a zip bomb without being inflated. Touches
no database."""

from __future__ import annotations

import io
import random
import re
import tracemalloc
import zipfile

import pytest
from pypdf import PdfReader

from hoering.core import bounded_zip
from hoering.core.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_PAGES,
    DocumentText,
    UnreadableDocument,
    limits,
    open_docx,
    read_document,
    read_pasted,
)
from hoering.core.documents.pdf_layout import Line, assemble, strip_furniture
from hoering.core.documents.text import TextBuilder, join_lines
from tests import document_factory as factory

MB = 1024 * 1024
HEADER_2024 = "Socialudvalget 09-04-2024"
ITEM_6 = "Punkt 6: Høring af de politiske principper for digitalisering"
JOURNAL = "85.13.00-P00-1-23"
CUT_REMARK = "Under princip nr. tre bør det overvejes"  # cut by a page break in one PDF
LAST_REMARK = "Digitale løsninger skal"  # cut by a page break in the other
ELIDED = "Digitaliserings- og Teknologiuudvalget"


def remarks_of_item_6(source: str) -> list[str]:
    """The seven remarks of item 6's decision, from the reference minutes."""
    after = source[source.index("Socialudvalget har følgende bemærkninger:"):]
    lines = after.split("\n\n")[1].splitlines()
    return [line.removeprefix("- ") for line in lines]


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def raw_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def source_2024() -> str:
    return factory.referat_text(factory.REFERAT_2024)


@pytest.fixture(scope="module")
def source_2023() -> str:
    return factory.referat_text(factory.REFERAT_2023)


@pytest.fixture(scope="module")
def pdf_round() -> bytes:
    return factory.referat_pdf(factory.referat_text(), break_inside=CUT_REMARK,
                               hyphenate="digitaliseringsstrategier")


@pytest.fixture(scope="module")
def pdf_symbol() -> bytes:
    return factory.referat_pdf(factory.referat_text(), bullet="symbol",
                               header="Ballerup Kommune\n" + HEADER_2024,
                               break_inside=LAST_REMARK, hyphenate="Digitaliserings-")


@pytest.fixture(scope="module")
def documents_2024(pdf_round: bytes, pdf_symbol: bytes) -> dict[str, DocumentText]:
    source = factory.referat_text()
    files = {
        "pdf": (pdf_round, "referat.pdf"),
        "pdf-symbol": (pdf_symbol, "referat.pdf"),
        "docx": (factory.referat_docx(source), "referat.docx"),
        "docx-list-paragraph": (factory.referat_docx(source, list_style="List Paragraph"),
                                "referat.docx"),
        "odt": (factory.referat_odt(source), "referat.odt"),
    }
    return {name: read_document(content, filename)
            for name, (content, filename) in files.items()}


@pytest.fixture(scope="module", params=["•", "symbol"])
def pdf_2023(request) -> DocumentText:
    content = factory.referat_pdf(factory.referat_text(factory.REFERAT_2023),
                                  header="Socialudvalget 28-03-2023", bullet=request.param)
    return read_document(content, "referat.pdf")


KINDS_2024 = ["pdf", "pdf-symbol", "docx", "docx-list-paragraph", "odt"]


# --- the factory makes what the tests claim ----------------------------------------


def test_the_pdfs_look_like_the_municipalitys_minutes(pdf_round, pdf_symbol):
    pages = raw_pages(pdf_round)
    assert 15 <= len(pages) <= 20
    assert all(page.startswith(HEADER_2024) for page in pages)
    assert all(page.rstrip().endswith(f"Side {n} af {len(pages)}")
               for n, page in enumerate(pages, start=1))
    assert_cut_by_a_page_break(pages, CUT_REMARK, "det gensidige ansvar.")
    assert re.search(r"digitaliseri-\nngsstrategier", "\n".join(pages))
    symbol = raw_pages(pdf_symbol)
    assert all(page.startswith("Ballerup Kommune\n" + HEADER_2024) for page in symbol)
    assert "Digitaliserings-\nog Teknologiuudvalget" in "\n".join(symbol)
    assert_cut_by_a_page_break(symbol, LAST_REMARK, "under princip nr. tre.")


def assert_cut_by_a_page_break(pages: list[str], start: str, end: str) -> None:
    """The bullet from ``start`` to ``end`` begins on one page and ends on the next,
    which goes on with it (no bullet glyph) after the running header."""
    cut = next(n for n, page in enumerate(pages) if start in page)
    assert end not in pages[cut]
    body = [line for line in pages[cut + 1].split("\n") if "09-04-2024" not in line
            and line != "Ballerup Kommune"]
    assert body[0][0].islower() and end in pages[cut + 1]


# --- the output format ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS_2024)
def test_item_headings_and_journal_numbers_are_paragraphs(documents_2024, kind):
    document = documents_2024[kind]
    found = [p.lstrip("# ") for p in paragraphs(document.text)]
    assert ITEM_6 in found
    assert found[found.index(ITEM_6) + 1] == JOURNAL
    for number in range(1, 10):
        assert any(p.startswith(f"Punkt {number}: ") for p in found), number
    assert document.kind == kind.split("-")[0]
    assert (document.pages is not None) == kind.startswith("pdf")


@pytest.mark.parametrize("kind", KINDS_2024)
def test_each_remark_of_the_decision_is_one_bullet_line(documents_2024, source_2024, kind):
    text = documents_2024[kind].text
    remarks = remarks_of_item_6(source_2024)
    assert len(remarks) == 7
    block = "\n".join(f"- {remark}" for remark in remarks)
    assert f"Socialudvalget har følgende bemærkninger:\n\n{block}\n\n" in text
    for remark in remarks:
        assert lines_of(text).count(f"- {remark}") == 1


@pytest.mark.parametrize("kind", KINDS_2024)
def test_no_page_furniture_and_one_blank_line_between_paragraphs(documents_2024, kind):
    text = documents_2024[kind].text
    assert not re.search(r"Side \d+ af \d+", text)
    assert HEADER_2024 not in text
    assert "Ballerup Kommune" not in lines_of(text)
    assert "\n\n\n" not in text and text == text.strip()
    assert all(line == line.strip() for line in lines_of(text))


@pytest.mark.parametrize("kind", ["docx", "docx-list-paragraph", "odt"])
def test_word_and_opendocument_headings_are_markdown(documents_2024, kind):
    found = paragraphs(documents_2024[kind].text)
    assert f"# {ITEM_6}" in found
    assert "# REFERAT Socialudvalget d. 09-04-2024" in found
    assert found.count("## Beslutning") >= 2
    assert "1. Principperne for digitalisering drøftes og at udvalget tilkendegiver " \
           "konkrete forslag til uddybning for forbedring." in found


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_every_paragraph_of_the_source_comes_back_whole(documents_2024, source_2024, kind):
    found = {p.lstrip("# ") for p in paragraphs(documents_2024[kind].text)}
    found |= {line.removeprefix("- ") for line in lines_of(documents_2024[kind].text)}
    expected = [b.text for b in factory.blocks(source_2024) if b.kind != "item"]
    missing = [p for p in expected if " ".join(p.split()) not in found]
    assert missing == []


def test_pdf_paragraphs_come_back_whole_across_lines_and_pages(documents_2024, source_2024):
    """Every source paragraph that stands alone (not a table row) is one paragraph of the
    PDF's text, however it wrapped or fell across pages."""
    found = set(paragraphs(documents_2024["pdf"].text))
    all_blocks = factory.blocks(source_2024)
    alone = [b.text for n, b in enumerate(all_blocks)
             if b.kind != "item" and b.gap_after and "\t" not in b.text
             and (n == 0 or all_blocks[n - 1].gap_after)]
    missing = [p for p in alone if " ".join(p.split()) not in found]
    assert len(alone) > 150
    assert missing == []


def test_a_hyphenated_word_is_joined_and_an_elision_keeps_its_hyphen(documents_2024,
                                                                     source_2024):
    assert "de fællesoffentlige digitaliseringsstrategier og KL's" in documents_2024["pdf"].text
    for kind in KINDS_2024:
        assert documents_2024[kind].text.count(ELIDED) == source_2024.count(ELIDED), kind


def test_the_2023_minutes_read_from_pdf(pdf_2023, source_2023):
    found = paragraphs(pdf_2023.text)
    heading = "Punkt 5: Styrende politiske principper for digitalisering"
    assert found[found.index(heading) + 1] == JOURNAL
    decision = ("Socialudvalget drøftede digitaliseringsprincipper og gav input til det "
                "videre arbejde med principperne.")
    assert found[found.index(decision) - 1] == "Beslutning"
    assert found.count("Beslutning") == source_2023.split("\n").count("Beslutning")
    assert found.count("Indstilling") == source_2023.split("\n").count("Indstilling")
    assert ("starter\n\n- Hvor langt og i hvilken retning skal vi gå med digitaliseringen?\n"
            "- Hvad begrundes i til- og fravalg med i digitaliseringsscenerierne?\n"
            "- Hvornår og hvorfor kan et menneske erstattes af en digital løsning?\n"
            ) in pdf_2023.text.replace("følgende spørgsmål:", "starter")
    assert not re.search(r"Side \d+ af \d+|Socialudvalget 28-03-2023", pdf_2023.text)
    assert "\n\n\n" not in pdf_2023.text


@pytest.mark.parametrize("build", [factory.referat_docx, factory.referat_odt])
def test_the_2023_minutes_read_from_word_and_opendocument(build, source_2023):
    text = read_document(build(source_2023)).text
    assert f"# Punkt 5: Styrende politiske principper for digitalisering\n\n{JOURNAL}" in text
    assert "- Hvornår og hvorfor kan et menneske erstattes af en digital løsning?" in text
    assert "Side 1 af 17" not in text and "Socialudvalget 09-04-2024" not in text


def test_the_join_rules():
    assert join_lines("de fællesoffentlige digitali-", "sering") == \
        "de fællesoffentlige digitalisering"
    assert join_lines("Digitaliserings-", "og Teknologiudvalget") == \
        "Digitaliserings- og Teknologiudvalget"
    for word in ("eller", "samt", "til", "som"):
        assert join_lines("Social-", f"{word} Sundhed") == f"Social- {word} Sundhed"
    assert join_lines("Lyngby-", "Taarbæk") == "Lyngby-Taarbæk"
    assert join_lines("EU-", "landene") == "EU-landene"
    assert join_lines("der er –", "efter") == "der er – efter"


def test_private_use_bullets_and_a_bare_page_number(monkeypatch):
    """Word's PDFs map Symbol and Wingdings bullets to U+F0B7, U+F0A7 ...; a page number
    alone at the foot of a page is furniture."""
    def page(*texts: str, number: int) -> list[Line]:
        lines = [Line(text, 72 + (18 if text[0] in "\uf0b7\uf0a7" else 0), 700 - 14 * n, 11)
                 for n, text in enumerate(texts)]
        return [*lines, Line(str(number), 300, 40, 9)]

    pages = strip_furniture([
        page("Bemærkninger:", "\uf0b7 Den første bemærkning, som er", number=1),
        page("lang.", "\uf0a7 Den anden bemærkning.", number=2),
    ])
    builder = TextBuilder()
    assemble(pages, builder)
    assert builder.text() == ("Bemærkninger:\n\n- Den første bemærkning, som er lang.\n"
                              "- Den anden bemærkning.")


# --- refusals --------------------------------------------------------------------------


def refused(content: bytes, filename: str = "", **kwargs) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(content, filename, **kwargs)
    assert caught.value.message and caught.value.code in limits.MESSAGES
    return caught.value


def test_a_scanned_pdf_has_no_text_layer():
    error = refused(factory.scanned_pdf(), "scan.pdf")
    assert error.code == "no_text_layer"
    assert "intet tekstlag" in error.message


class _CountingDecompressor:
    def __init__(self, inner, produced: list[int]) -> None:
        self.inner, self.produced = inner, produced

    def decompress(self, data, max_length=0):
        out = self.inner.decompress(data, max_length)
        self.produced[0] += len(out)
        return out

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def inflated(monkeypatch) -> list[int]:
    """Counts every byte zipfile inflates (``[count]``)."""
    produced = [0]
    original = zipfile._get_decompressor

    def counting(compress_type):
        inner = original(compress_type)
        return None if inner is None else _CountingDecompressor(inner, produced)

    monkeypatch.setattr(zipfile, "_get_decompressor", counting)
    return produced


def test_the_counter_sees_what_an_ordinary_odt_inflates(inflated):
    read_document(factory.referat_odt("Beslutning\n\nTaget til efterretning."))
    assert inflated[0] > 1000


def test_an_odt_mimetype_bomb_is_refused_without_inflating_it(inflated):
    bomb = factory.odt_mimetype_bomb(300)
    assert len(bomb) < 400 * 1024
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        error = refused(bomb, "referat.odt")
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert error.code == "too_large"
    assert peak < 50 * MB
    assert inflated[0] < 50 * MB
    assert inflated[0] < 1 * MB  # refused from the declared sizes, before any reading


def test_a_docx_member_declaring_a_huge_size_is_refused(inflated):
    docx = factory.referat_docx("Beslutning\n\nGodkendt.")
    huge = factory.with_declared_size(docx, "word/document.xml", 40 * MB)
    assert refused(huge, "r.docx").code == "too_large"
    with pytest.raises(UnreadableDocument) as caught:
        open_docx(huge)
    assert caught.value.code == "too_large"
    assert inflated[0] < 1 * MB


def test_members_declaring_too_much_together_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(3):
            archive.writestr(f"word/media/image{n}.bin", random.Random(n).randbytes(1000))
    content = buffer.getvalue()
    for n in range(3):
        content = factory.with_declared_size(content, f"word/media/image{n}.bin", 25 * MB)
    assert refused(content, "r.docx").code == "too_large"


def test_random_bytes_are_unsupported():
    noise = random.Random(7).randbytes(64 * 1024)
    assert refused(noise, "bilag.bin").code == "unsupported"
    assert refused(noise).code == "unsupported"


def test_other_zips_and_old_word_files_are_unsupported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert refused(buffer.getvalue(), "regneark.docx").code == "unsupported"
    old_word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    error = refused(old_word, "referat.doc")
    assert error.code == "unsupported" and ".docx" in error.message


def test_broken_files_are_damaged(pdf_round):
    assert refused(pdf_round[:len(pdf_round) // 2], "referat.pdf").code == "damaged"
    assert refused(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n").code == "damaged"
    docx = factory.referat_docx("Beslutning")
    assert refused(docx[:len(docx) // 2], "referat.docx").code == "damaged"
    assert refused(b"not a pdf at all", "referat.pdf").code == "damaged"
    assert refused(b"").code == "damaged"


def test_an_encrypted_pdf_is_refused_with_a_clear_message():
    error = refused(factory.encrypted_pdf(), "referat.pdf")
    assert error.code == "damaged"
    assert "adgangskode" in error.message


def test_too_many_pages_too_many_bytes_too_much_text_and_too_slow(monkeypatch, pdf_round):
    assert MAX_PAGES == 300 and MAX_DOCUMENT_BYTES == 20 * MB
    monkeypatch.setattr(limits, "MAX_PAGES", 10)
    error = refused(pdf_round, "referat.pdf")
    assert error.code == "too_large" and "10" in error.message
    monkeypatch.setattr(limits, "MAX_PAGES", 300)
    assert refused(pdf_round, max_seconds=0).code == "too_slow"
    monkeypatch.setattr(limits, "MAX_DOCUMENT_BYTES", 1000)
    assert refused(pdf_round).code == "too_large"
    monkeypatch.setattr(limits, "MAX_DOCUMENT_BYTES", 20 * MB)
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 10_000)
    assert refused(pdf_round).code == "too_large"
    assert refused(factory.referat_docx(factory.referat_text())).code == "too_large"


# --- text ------------------------------------------------------------------------------


def test_text_files_in_utf8_with_bom_and_in_cp1252():
    utf8 = "\ufeffBeslutning\r\n\r\n- Høringssvaret\u00a0godkendes.\r\n".encode()
    document = read_document(utf8, "referat.txt")
    assert document == DocumentText("Beslutning\n\n- Høringssvaret godkendes.\n", "text", None)
    cp1252 = "Beslutning\r\nÆndringen af § 5 – godkendt".encode("cp1252")
    assert read_document(cp1252, "referat.txt").text == "Beslutning\nÆndringen af § 5 – godkendt"
    assert read_document(cp1252).kind == "text"


def test_markdown_is_not_reformatted():
    markdown = "# Punkt 6\n\n**Beslutning**\n\n* en\n* to\n   indrykket\n"
    assert read_document(markdown.encode(), "referat.md").text == markdown


def test_pasted_text():
    assert read_pasted("Beslutning\r\nGodkendt\u00a0uden\rbemærkninger") == DocumentText(
        "Beslutning\nGodkendt uden\nbemærkninger", "text", None)


def test_open_docx_gives_a_python_docx_document():
    document = open_docx(factory.referat_docx("# Skabelon\n\nTekst"))
    assert [p.text for p in document.paragraphs] == ["Skabelon", "Tekst"]
    with pytest.raises(UnreadableDocument):
        open_docx(b"PK\x03\x04 broken")


def test_bounded_zip_takes_tighter_limits():
    docx = factory.referat_docx("Beslutning")
    with bounded_zip.open_archive(docx) as archive:
        assert "word/document.xml" in archive.namelist()
    with pytest.raises(bounded_zip.UnsafeArchive):
        bounded_zip.open_archive(docx, max_member_bytes=100)
    with pytest.raises(bounded_zip.UnsafeArchive):
        bounded_zip.open_archive(docx, max_total_bytes=1000)
