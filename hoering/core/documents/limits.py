"""What one document may cost, and the error that says why it was not read.

Every reader in this package works under the same bounds: the file's size
(``MAX_DOCUMENT_BYTES``), a PDF's pages (``MAX_PAGES``), the inflated size of a .docx or
.odt's members (``MAX_MEMBER_BYTES`` each, ``MAX_INFLATED_BYTES`` together; checked from
the zip's declared sizes before python-docx or the XML parser sees a byte -- zipfile
never inflates a member beyond its declared size), the text produced
(``MAX_TEXT_CHARS``) and wall-clock time (``Deadline``, checked between pages and
between blocks of paragraphs). The readers look these names up at call time
(``limits.MAX_PAGES``), so a test can lower one with ``monkeypatch.setattr``.

A refusal is an :class:`UnreadableDocument` with a ``code`` for the program and a
Danish ``message`` for the person who uploaded the file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MB = 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * MB
MAX_PAGES = 300
MAX_MEMBER_BYTES = 30 * MB  # one member of a .docx / .odt, inflated (declared)
MAX_INFLATED_BYTES = 60 * MB  # all members together, inflated (declared)
MAX_TEXT_CHARS = 5_000_000  # the text produced

NO_TEXT_LAYER = "no_text_layer"
UNSUPPORTED = "unsupported"
DAMAGED = "damaged"
TOO_LARGE = "too_large"
TOO_SLOW = "too_slow"

MESSAGES = {
    NO_TEXT_LAYER: _l("PDF-filen har intet tekstlag (den er formentlig scannet). Indsæt "
                      "teksten, eller upload en PDF med tekst."),
    UNSUPPORTED: _l("Filtypen kan ikke læses. Upload en PDF, et Word-dokument (.docx), et "
                    "OpenDocument-dokument (.odt) eller en tekstfil (.txt, .md), eller indsæt "
                    "teksten."),
    DAMAGED: _l("Filen kan ikke læses; den er måske beskadiget eller ufuldstændig. Gem den "
                "igen fra programmet, den blev lavet i, eller indsæt teksten."),
    TOO_LARGE: _l("Filen er for stor til at blive læst. Indsæt teksten, eller upload en "
                  "mindre fil."),
    TOO_SLOW: _l("Det tog for lang tid at læse filen. Indsæt teksten, eller upload en "
                 "enklere udgave af filen."),
}
ENCRYPTED_MESSAGE = _l("PDF-filen er beskyttet med en adgangskode og kan ikke læses. Gem "
                       "den uden adgangskode, eller indsæt teksten.")
OLD_WORD_MESSAGE = _l("Filen er i Words gamle .doc-format eller beskyttet med en "
                      "adgangskode. Gem den som .docx uden adgangskode, eller indsæt "
                      "teksten.")
INFLATED_MESSAGE = _l("Dokumentet fylder for meget, når det pakkes ud, til at kunne læses "
                      "sikkert. Gem det igen fra tekstbehandlingen, eller indsæt teksten.")


class UnreadableDocument(Exception):
    """The document was not read. ``code``: one of ``no_text_layer``, ``unsupported``,
    ``damaged``, ``too_large``, ``too_slow``; ``message``: for a person, in the language of
    the moment it is raised (a lazy text is resolved then)."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = str(message if message is not None else MESSAGES[code])
        super().__init__(f"{code}: {self.message}")


def too_large(detail: str) -> UnreadableDocument:
    return UnreadableDocument(TOO_LARGE, f"{MESSAGES[TOO_LARGE]} ({detail})")


def page_limit_message(pages: int) -> str:
    return str(_("PDF-filen har %(pages)d sider; der kan højst læses %(max)d. Del den op, "
                 "eller indsæt teksten.", pages=pages, max=MAX_PAGES))


@dataclass(frozen=True)
class DocumentText:
    """The text of a document (see the package docstring for its format), its kind
    (``pdf``, ``docx``, ``odt`` or ``text``) and a PDF's page count."""

    text: str
    kind: str
    pages: int | None = None


class Deadline:
    """``max_seconds`` from now; :meth:`check` raises ``too_slow`` once they are gone."""

    def __init__(self, max_seconds: float) -> None:
        self.max_seconds = max_seconds
        self.ends = time.monotonic() + max_seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise UnreadableDocument(TOO_SLOW)


class TextBudget:
    """Counts the characters produced; ``too_large`` beyond ``MAX_TEXT_CHARS``."""

    def __init__(self) -> None:
        self.used = 0

    def spend(self, chars: int) -> None:
        self.used += chars
        if self.used > MAX_TEXT_CHARS:
            raise too_large(f"over {MAX_TEXT_CHARS // 1_000_000} mio. tegn tekst")
