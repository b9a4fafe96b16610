"""Plain text: an uploaded .txt / .md file, or text pasted into a form.

The text is returned as it is, Markdown included (nothing is reformatted): newlines
become ``\\n``, a byte-order mark is dropped, no-break spaces become spaces. A file is
decoded as UTF-8 (also UTF-16 when it starts with a UTF-16 byte-order mark), else as
cp1252, the Windows encoding of Danish text. Bytes are taken for text only when they
hold no NUL and hardly any other control characters (at most 1 %), so that a binary
file is not read as text; RTF (``{\\rtf``) is refused too, its text being markup.
"""

from __future__ import annotations

import codecs
import re

from hoering.core.documents.limits import DocumentText, TextBudget
from hoering.core.documents.text import normalise_newlines

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01


def _normalised(text: str) -> str:
    text = normalise_newlines(text.removeprefix("\ufeff"))
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def decode_text(content: bytes) -> str | None:
    """The text in ``content``, or None when it does not look like text."""
    if content.lstrip()[:5].lower() == b"{\\rtf":
        return None
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            return None
    elif b"\x00" in content:
        return None
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                return None
    if "\x00" in text or len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * max(len(text), 1):
        return None
    return text


def text_document(text: str, budget: TextBudget | None = None) -> DocumentText:
    text = _normalised(text)
    (budget or TextBudget()).spend(len(text))
    return DocumentText(text, "text", None)


def read_pasted(text: str) -> DocumentText:
    """Pasted text: newlines normalised, no-break spaces → spaces, kind ``text``."""
    return text_document(text)
