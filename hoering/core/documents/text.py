"""The output text every reader produces, and the small rules they share.

The format (what the minutes parser downstream relies on):

- paragraphs are separated by exactly one blank line; a heading is a paragraph of its
  own, written ``# Title`` (``#`` times its level) where the format knows headings;
- a list item is one line ``- text`` (or ``1. text`` for a numbered one); the items of
  one list follow each other without blank lines;
- inside a paragraph or item, wrapped lines are joined with one space; a word
  hyphenated at a line end is joined again ("digitali-" + "sering"), except where the
  hyphen is a Danish compound elision ("Digitaliserings- og Teknologiudvalget");
- no-break and other odd spaces become spaces, soft hyphens and zero-width characters
  are dropped, and newlines are ``\\n``.

:class:`TextBuilder` writes that format and counts what it writes against the text
budget; :func:`join_lines` is the hyphen rule; :func:`clean_inline` the space rule;
:func:`ends_sentence` tells a line that ends a sentence; ``BULLET`` the glyphs that
make a line a list item.
"""

from __future__ import annotations

import re

from hoering.core.documents.limits import TextBudget

# The next word after "Digitaliserings-" that shows the hyphen stands for a shared ending.
ELISION_WORDS = frozenset({"og", "eller", "samt", "til", "som"})
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_DROPPED = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_RUNS_OF_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_RUNS_OF_BLANKS = re.compile(r" {2,}")
_FIRST_WORD = re.compile(r"\w+")
# A bullet glyph starting a line: the common ones, a dash, Word's "o" for the second
# level, and Symbol/Wingdings glyphs mapped to the private use area (U+F0B7, U+F0A7 ...).
BULLET = re.compile(
    r"^(?:[•▪◦●■·∙○◆◇❖➢➤►▶✓✔□\uf000-\uf0ff]|[-–—](?=\s)|o(?=\s+\S))\s*(?P<rest>.*)$",
    re.DOTALL)


_SENTENCE_END = re.compile(r"[.!?:;][\"'”»)]*$")
# Abbreviations that end a line without ending a sentence ("7 mio. kr. pr." / "28. ...")
ABBREVIATIONS = frozenset({
    "pr.", "kr.", "mio.", "mia.", "nr.", "jf.", "bl.a.", "f.eks.", "fx.", "ca.", "inkl.",
    "ekskl.", "evt.", "vedr.", "iht.", "mht.", "dvs.", "hhv.", "ift.", "iflg.", "stk.",
    "kl.", "tlf.", "d.", "st.", "pkt.", "ang.", "bl.", "jvf.", "ad.", "gl.", "ndf.", "ovf.",
})


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence (a full stop after an abbreviation does not)."""
    if not _SENTENCE_END.search(text):
        return False
    words = text.split()
    return not (words and words[-1].lower() in ABBREVIATIONS)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_inline(text: str, *, keep_tabs: bool = False) -> str:
    """One paragraph's text on one line: odd spaces → space, invisible characters
    dropped, runs of whitespace → one space (tabs kept with ``keep_tabs``: table cells)."""
    text = _DROPPED.sub("", _SPACES.sub(" ", text))
    if keep_tabs:
        text = _RUNS_OF_BLANKS.sub(" ", text.replace("\n", " ").replace("\r", " "))
        return text.strip(" ")
    return _RUNS_OF_SPACE.sub(" ", text).strip()


def join_lines(left: str, right: str) -> str:
    """Two wrapped lines of one paragraph joined. A hyphen ending ``left`` after a
    lower-case letter is a break inside a word when ``right`` starts in lower case
    ("digitali-" "sering"), but stays, followed by a space, before an elision word
    ("Digitaliserings-" "og"); after a capital or a digit it stays without a space
    ("EU-" "landene", "Lyngby-" "Taarbæk")."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left or right
    if len(left) >= 2 and left[-1] == "-" and left[-2].isalnum():
        word = _FIRST_WORD.match(right)
        if word is not None and word[0] in ELISION_WORDS:
            return f"{left} {right}"
        if left[-2].islower() and right[0].islower():
            return left[:-1] + right
        if right[0].isalnum():
            return left + right
    return f"{left} {right}"


class TextBuilder:
    """Collects headings, paragraphs and list items into the output format."""

    def __init__(self, budget: TextBudget | None = None) -> None:
        self.budget = budget or TextBudget()
        self.parts: list[str] = []
        self.in_list = False

    def _add(self, text: str, *, item: bool) -> None:
        if self.parts:
            self.parts.append("\n" if item and self.in_list else "\n\n")
        self.parts.append(text)
        self.in_list = item
        self.budget.spend(len(text) + 2)

    def paragraph(self, text: str, *, keep_tabs: bool = False) -> None:
        text = clean_inline(text, keep_tabs=keep_tabs)
        if text:
            self._add(text, item=False)

    def authored(self, text: str) -> None:
        """A paragraph as its author wrote it: each soft line break ("\\n") ends a
        paragraph, and a line typed with a bullet ("• ", "- ") is a list item."""
        for line in text.split("\n"):
            bullet = BULLET.match(line.strip())
            if bullet is not None and bullet["rest"].strip():
                self.item(bullet["rest"])
            else:
                self.paragraph(line)

    def lines(self, lines: list[str]) -> None:
        """A block of lines kept apart by single newlines (a table's rows)."""
        kept = [line for line in (clean_inline(x, keep_tabs=True) for x in lines) if line]
        if kept:
            self._add("\n".join(kept), item=False)

    def heading(self, level: int, text: str) -> None:
        text = clean_inline(text)
        if text:
            self._add("#" * max(1, min(level, 6)) + " " + text, item=False)

    def item(self, text: str, marker: str = "-") -> None:
        text = clean_inline(text)
        if text:
            self._add(f"{marker} {text}", item=True)

    def end_list(self) -> None:
        self.in_list = False

    def text(self) -> str:
        return "".join(self.parts)
