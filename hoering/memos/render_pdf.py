"""The memo as PDF, laid out directly from the MemoDocument with fpdf2.

(An HTML-to-PDF engine took minutes for a memo of 5,000 remarks; this takes seconds.)
Fonts: DejaVu Sans from Debian's fonts-dejavu packages, embedded so æ, ø, å and every
other character print as typed.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import TTFFont

from hoering.core.formatting import danish_date_text
from hoering.memos.document import DRAFT_MARK, MemoDocument, item_suffix, reply_text

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MARGIN = 25  # mm
BULLET_INDENT = 6  # mm
LINE = 5.2  # mm, for 10.5 pt text


def _font_path(name: str) -> Path:
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    raise RuntimeError(
        f"Skrifttypen {name} mangler. Installér Debians pakker fonts-dejavu-core og "
        "fonts-dejavu-extra."
    )


class _MemoPDF(FPDF):
    def __init__(self, document: MemoDocument) -> None:
        super().__init__(format="A4", unit="mm")
        self.document = document
        for style, file in FONT_FILES.items():
            self.add_font("DejaVu", style, str(_font_path(file)))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.set_title(document.title)
        self.set_subject("Høringsnotat")
        self.set_author(document.unit)
        self.set_lang("da")
        self.alias_nb_pages()
        self._word_widths: dict[tuple[str, float], dict[str, float]] = {}

    def header(self) -> None:
        if self.document.draft:
            self.set_font("DejaVu", "B", 9)
            self.set_text_color(164, 22, 26)
            self.set_y(12)
            self.cell(0, 5, DRAFT_MARK, align="R")
            self.set_text_color(0, 0, 0)
            self.set_y(MARGIN)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"Side {self.page_no()} af {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def _wrap(self, text: str, width: float) -> list[str]:
        """Greedy line breaking with the font's glyph widths (fpdf2's own line breaking
        measures character by character and is far too slow for long memos)."""
        font = self.current_font
        assert isinstance(font, TTFFont)  # always DejaVu, added in __init__
        widths = font.cw
        per_unit = self.font_size_pt * 0.001 / self.k  # glyph units -> mm
        cache = self._word_widths.setdefault((self.font_style, self.font_size_pt), {})

        def measure(word: str) -> float:
            if word not in cache:
                cache[word] = sum(widths[ord(c)] if ord(c) < len(widths) else 500
                                  for c in word) * per_unit
            return cache[word]

        space = measure(" ")
        lines: list[str] = []
        for raw_line in text.split("\n"):
            line: list[str] = []
            line_width = 0.0
            for word in raw_line.split():
                word_width = measure(word)
                while word_width > width:  # a word longer than the line: split it
                    cut = max(1, int(len(word) * width / word_width))
                    if line:
                        lines.append(" ".join(line))
                        line, line_width = [], 0.0
                    lines.append(word[:cut])
                    word = word[cut:]
                    word_width = measure(word)
                needed = word_width if not line else line_width + space + word_width
                if line and needed > width:
                    lines.append(" ".join(line))
                    line, line_width = [word], word_width
                else:
                    line.append(word)
                    line_width = needed
            lines.append(" ".join(line))
        return lines

    def _lines(self, lines: list[str], x: float, height: float) -> None:
        bottom = self.h - MARGIN
        for line in lines:
            if self.get_y() + height > bottom:
                self.add_page()
            self.text(x, self.get_y() + height * 0.75, line)
            self.set_y(self.get_y() + height)

    def paragraph(self, text: str, *, style: str = "", size: float = 10.5,
                  indent: float = 0, space_after: float = 2.5) -> None:
        self.set_font("DejaVu", style, size)
        height = LINE * size / 10.5
        self._lines(self._wrap(text, self.epw - indent), MARGIN + indent, height)
        self.set_y(self.get_y() + space_after)

    def heading(self, text: str, size: float) -> None:
        if self.get_y() > self.h - MARGIN - 30:  # keep a heading with what follows
            self.add_page()
        self.set_y(self.get_y() + 3)
        self.paragraph(text, style="B", size=size, space_after=1.5)

    def bullet(self, text: str) -> None:
        self.set_font("DejaVu", "", 10.5)
        lines = self._wrap(text, self.epw - BULLET_INDENT)
        if self.get_y() + LINE > self.h - MARGIN:
            self.add_page()
        self.text(MARGIN + 1.5, self.get_y() + LINE * 0.75, "•")
        self._lines(lines, MARGIN + BULLET_INDENT, LINE)
        self.set_y(self.get_y() + 1)


def render_pdf(document: MemoDocument) -> bytes:
    pdf = _MemoPDF(document)
    pdf.add_page()
    if document.draft:
        pdf.set_text_color(164, 22, 26)
        pdf.paragraph(DRAFT_MARK, style="B", size=11)
        pdf.set_text_color(0, 0, 0)
    pdf.paragraph(document.title, style="B", size=17, space_after=3)
    meta = f"Dato {danish_date_text(document.date)}"
    if document.version is not None:
        meta += f" · Version {document.version}"
    pdf.paragraph(document.unit, size=10, space_after=0.5)
    pdf.paragraph(meta, size=10, space_after=4)
    if document.background:
        pdf.heading("Baggrund", 13)
        for paragraph in document.background:
            pdf.paragraph(paragraph)
    pdf.heading("Høringssvar fra høringsparterne", 13)
    pdf.paragraph(document.responses_intro)
    pdf.paragraph("Forkortelser:", space_after=0.5)
    for abbreviation in document.abbreviations:
        pdf.paragraph(f"{abbreviation.abbreviation}: {abbreviation.name}", space_after=0.5)
    for part in document.parts:
        pdf.heading(part.heading, 11.5)
        for item in part.items:
            pdf.bullet(f"{item.text} {item_suffix(item)}")
            pdf.paragraph(reply_text(item), style="I", indent=BULLET_INDENT, space_after=3)
    for note in document.notes:
        pdf.paragraph(note)
    if document.further_work or document.tasks:
        pdf.heading("Videre arbejde", 13)
        for paragraph in document.further_work:
            pdf.paragraph(paragraph)
        for task in document.tasks:
            pdf.bullet(task)
    return bytes(pdf.output())
