"""Split a pasted policy draft into ordered sections.

Staff paste the draft of a policy (a framing text and some principles, themes or
chapters) as Markdown or as plain text copied from Word. :func:`split_draft` turns it
into the ordered sections a remark can concern. It is a pure function: no I/O, no
Flask, no database.

Normalisation (both kinds of input)
    Newlines become ``\\n``, trailing whitespace is stripped from every line, runs of
    blank lines become one blank line (a paragraph break is ``"\\n\\n"``) and every
    section text is stripped. Text before the first heading becomes a section headed
    "Indledning" when it is not empty. A heading with no text under it is kept as a
    section with text ``""``. Blank input gives ``[]``; input without any heading gives
    one section "Indledning" with all the text.

Markdown (used whenever the text has at least one Markdown heading)
    Headings are exactly the top-level headings markdown-it (CommonMark) finds, ATX
    (``#`` .. ``######``, optional closing ``#``) or setext (a line underlined with
    ``===`` or ``---``); a ``#`` line inside a list, block quote or code block is not a
    heading. Emphasis markers (``**``, ``__``, ``*``), backslash escapes and a trailing
    colon are removed from the heading text.

    The split level is the shallowest level that occurs at least twice, or, if no
    level does, the shallowest level present. Shallower headings before the first
    split-level heading are the document title and are dropped (body text after them
    becomes "Indledning"); a shallower heading further down starts a section like a
    split-level one. Deeper headings stay in the text of their section as Markdown.

Plain text (no Markdown heading at all; ``**`` or ``__`` around a line is ignored)
    1. Paragraphs are separated by blank lines. If the text has no blank line at all
       (the usual result of copying from Word) every line is a paragraph, and the
       section text gets a blank line between paragraphs (list items stay together).
    2. Keyword headings are always headings, wherever they stand: a line starting
       with Princip, Tema, Afsnit or Kapitel, a number and the heading, e.g.
       "Princip 1: Vi digitaliserer ...", "Princip 1. ...", "Tema 2 – ...",
       "Afsnit 3 ...", "Kapitel 4". At most 150 characters; a line ending with "."
       counts only if the number is followed by ":", ".", "–" or "-" (so the sentence
       "Afsnit 3 beskriver økonomien." stays text).
    3. Numbered headings ("1. Overskrift", "2) Overskrift"): the first line of a
       paragraph, at most 150 characters, followed by body text (as in 4) and not
       preceded by another numbered line or a line ending with ":". They count only
       if at least two lines qualify, so a numbered list stays a list.
    4. Any other line is a heading when it is the first line of a paragraph, has at
       most 90 characters, starts with an upper-case letter or a digit, does not end
       with ".", ",", ";", "!" or "?", is not a list item ("-", "*", "•", "1." ...),
       and is followed by body text: the rest of its paragraph, or else the next
       paragraph, starting with an upper-case letter, digit or quote, and neither a
       list item nor itself heading-like (a short lead-in ending with ":" is body).
       It must not follow a line ending with ":" or another lone heading-like line,
       since a run of short lines is a list that lost its bullets. The exception is
       the start of the document: up to three short lines (not ending with ":")
       before the first heading are the title and are dropped. When every line is a
       paragraph (1), the line before must end a sentence (".", "!", "?") or be a
       list item.

Known limits: a plain-text title line followed directly by body text becomes a section
heading; hard-wrapped plain text (e-mail) can yield false headings if a wrapped line
happens to look like a heading; "1.1"-style subheadings and headings inside a
paragraph (no blank line before) are not found in text that has blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

INTRODUCTION_HEADING = "Indledning"
MAX_HEADING_LENGTH = 90
MAX_NUMBERED_HEADING_LENGTH = 150
MAX_TITLE_LINES = 3

_KEYWORD_HEADING_RE = re.compile(
    r"""
    (?:princip|tema|afsnit|kapitel)      # the keyword
    \s+(?:nr\.\s*)?\d{1,2}               # its number, "Princip nr. 1" too
    (?P<sep>\s*[:.–—-](?=\s|$))?         # optional separator
    (?:\s+\S.*)?                         # the heading itself (may be missing)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_NUMBERED_LINE_RE = re.compile(r"\d{1,2}[.)]\s+\S.*")
_BULLET_RE = re.compile(r"[-*+•·▪◦●■–\uf0a7\uf0b7](?:\s|$)")
_SENTENCE_END = (".", ",", ";", "!", "?")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")

_markdown = MarkdownIt("commonmark")


@dataclass(frozen=True)
class DraftSection:
    heading: str
    text: str


def split_draft(source: str) -> list[DraftSection]:
    """The ordered sections of a pasted draft; the rules are in the module docstring."""
    lines = [line.rstrip() for line in source.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return []
    markdown_headings = _markdown_headings(lines)
    if markdown_headings:
        return _split_markdown(lines, markdown_headings)
    return _split_plain(lines)


def clean_heading(text: str) -> str:
    """Heading text without emphasis markers, escapes or a trailing colon."""
    text = _ESCAPE_RE.sub(r"\1", _strip_emphasis(" ".join(text.split())))
    return text.rstrip(":").strip()


def _strip_emphasis(text: str) -> str:
    """``text`` without ``**`` and ``__``, and without ``*`` or ``_`` around it."""
    text = text.replace("**", "").replace("__", "").strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    return text


# --- Markdown -------------------------------------------------------------------------


@dataclass(frozen=True)
class _MarkdownHeading:
    start: int  # first line
    end: int  # line after the heading (after the underline of a setext heading)
    level: int
    text: str


def _markdown_headings(lines: list[str]) -> list[_MarkdownHeading]:
    tokens = _markdown.parse("\n".join(lines))
    headings = []
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type != "heading_open" or opening.level != 0 or opening.map is None:
            continue
        text = clean_heading(inline.content)
        if text:
            start, end = opening.map
            headings.append(_MarkdownHeading(start, end, int(opening.tag[1]), text))
    return headings


def _split_markdown(lines: list[str], headings: list[_MarkdownHeading]) -> list[DraftSection]:
    levels = [h.level for h in headings]
    repeated = [level for level in set(levels) if levels.count(level) >= 2]
    split_level = min(repeated) if repeated else min(levels)

    sections: list[DraftSection] = []
    heading = INTRODUCTION_HEADING
    body: list[str] = []
    started = False  # has the first split-level heading been seen?

    def close() -> None:
        text = _join_markdown(body)
        if started or text:
            sections.append(DraftSection(heading, text))

    line_no = 0
    for h in headings:
        if h.level > split_level:
            continue  # stays in the text
        body.extend(lines[line_no : h.start])
        line_no = h.end
        if h.level < split_level and not started:
            continue  # document title: dropped
        close()
        heading, body, started = h.text, [], True
    body.extend(lines[line_no:])
    close()
    return sections


def _join_markdown(lines: list[str]) -> str:
    """Lines as text, with runs of blank lines collapsed to one."""
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


# --- Plain text -----------------------------------------------------------------------


def _split_plain(lines: list[str]) -> list[DraftSection]:
    line_per_paragraph = all(lines)
    paragraphs = _paragraphs(lines, line_per_paragraph)
    firsts = [p[0].strip() for p in paragraphs]

    def short(k: int) -> bool:
        """A lone short line: a heading, a title line or a list item without bullet."""
        return len(paragraphs[k]) == 1 and (
            _looks_like_heading(firsts[k]) or _is_keyword_heading(firsts[k])
        )

    def leading_run(k: int) -> bool:
        """Is everything before paragraph ``k`` a title (or nothing)?"""
        return k <= MAX_TITLE_LINES and all(
            short(j) and not firsts[j].endswith(":") for j in range(k)
        )

    def previous_line(k: int) -> str:
        return paragraphs[k - 1][-1].strip()

    def numbered_heading(k: int) -> bool:
        return (
            _NUMBERED_LINE_RE.fullmatch(firsts[k]) is not None
            and len(firsts[k]) <= MAX_NUMBERED_HEADING_LENGTH
            and _body_follows(paragraphs, firsts, k)
            and not (k > 0 and _NUMBERED_LINE_RE.fullmatch(previous_line(k)))
            and not (k > 0 and previous_line(k).endswith(":"))
        )

    def generic_heading(k: int) -> bool:
        if not _looks_like_heading(firsts[k]) or not _body_follows(paragraphs, firsts, k):
            return False
        if leading_run(k):
            return True
        previous = previous_line(k)
        if previous.endswith(":") or short(k - 1):
            return False  # a list without bullets
        return not line_per_paragraph or _ends_sentence(previous) or _is_list_item(previous)

    headings = {k for k, first in enumerate(firsts) if _is_keyword_heading(first)}
    numbered = [k for k in range(len(paragraphs)) if numbered_heading(k)]
    if len(numbered) >= 2:
        headings.update(numbered)
    headings.update(k for k in range(len(paragraphs)) if generic_heading(k))
    if not headings:
        return [DraftSection(INTRODUCTION_HEADING, _join_plain(paragraphs))]
    starts = sorted(headings)
    title_only = leading_run(starts[0])  # before the first heading: nothing or a title (dropped)
    return _plain_sections(paragraphs, firsts, starts, with_introduction=not title_only)


def _body_follows(paragraphs: list[list[str]], firsts: list[str], k: int) -> bool:
    """Is the first line of ``k`` followed by body text (same or next paragraph)?"""
    if len(paragraphs[k]) > 1:
        line = paragraphs[k][1].strip()
    elif k + 1 < len(paragraphs):
        line = firsts[k + 1]
    else:
        return False
    lead_in = line.endswith(":")  # "Vi vil:" before a list is body text
    return (
        _starts_like_body(line)
        and not _is_list_item(line)
        and not _is_keyword_heading(line)
        and (lead_in or not _looks_like_heading(line))
    )


def _plain_sections(paragraphs: list[list[str]], firsts: list[str], starts: list[int], *,
                    with_introduction: bool) -> list[DraftSection]:
    """A section per heading paragraph in ``starts``, after an "Indledning" with the
    paragraphs before the first heading if ``with_introduction``."""
    sections = []
    if with_introduction:
        sections.append(DraftSection(INTRODUCTION_HEADING, _join_plain(paragraphs[: starts[0]])))
    for k, end in zip(starts, [*starts[1:], len(paragraphs)], strict=True):
        body = [paragraphs[k][1:], *paragraphs[k + 1 : end]]
        sections.append(DraftSection(clean_heading(firsts[k]), _join_plain(body)))
    return sections


def _paragraphs(lines: list[str], line_per_paragraph: bool) -> list[list[str]]:
    """Blank-line separated paragraphs, or one paragraph a line (list items together).

    A keyword heading always starts a new paragraph.
    """
    paragraphs: list[list[str]] = []
    for line in lines:
        if not line:
            paragraphs.append([])
            continue
        stripped = line.strip()
        new = not paragraphs or _is_keyword_heading(stripped)
        if line_per_paragraph and not new:
            new = not (_is_list_item(stripped) and _is_list_item(paragraphs[-1][-1].strip()))
        if new:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [p for p in paragraphs if p]


def _join_plain(paragraphs: list[list[str]]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join("\n".join(p) for p in paragraphs if p).strip()


def _is_keyword_heading(line: str) -> bool:
    line = _strip_emphasis(line)
    match = _KEYWORD_HEADING_RE.fullmatch(line)
    if match is None or len(line) > MAX_NUMBERED_HEADING_LENGTH:
        return False
    return match["sep"] is not None or not line.endswith(_SENTENCE_END)


def _is_list_item(line: str) -> bool:
    return bool(_BULLET_RE.match(line) or _NUMBERED_LINE_RE.fullmatch(line))


def _looks_like_heading(line: str) -> bool:
    """Short, starts like a heading, does not end like a sentence, is no list item."""
    if _is_list_item(line):
        return False
    line = _strip_emphasis(line)
    return (
        0 < len(line) <= MAX_HEADING_LENGTH
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith(_SENTENCE_END)
    )


def _starts_like_body(line: str) -> bool:
    return line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"'«»„“”("


def _ends_sentence(line: str) -> bool:
    return line.rstrip("\"'»”)").endswith((".", "!", "?"))
