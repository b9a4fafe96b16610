"""From a PDF's positioned lines to paragraphs: pure functions, no pypdf.

A PDF has no paragraphs, only lines placed on pages. ``pdf.py`` gives each page's lines
in content order with their baseline, left edge, font size and boldness; this module

1. strips page furniture (:func:`strip_furniture`): among the top and bottom
   ``FURNITURE_ZONE`` lines of each page (by position), a line that recurs, with its
   digits replaced, at the same end and the same height of at least 40 % of the pages
   (and of two) is a running header or footer ("Socialudvalget 09-04-2024", "Ballerup
   Kommune"); among the outer two, a page number ("Side 13 af 17", "Side 13", "13/17",
   "- 13 -", "13") is dropped on any page;
2. groups lines into paragraphs and list items (:func:`assemble`). A line starts a new
   block when the vertical step from the previous line is more than the document's line
   pitch for that font size (the smallest step that recurs), when the font size
   changes, when it starts with a bullet glyph or a number ("1."), or when the previous
   line ended a sentence and was short. A list item's wrapped lines are those indented
   past its bullet. Across a page break the block continues when the style is the same
   and the first line after the break starts in lower case, or the last line before it
   does not end a sentence and is full (a paragraph cut by the break fills its last
   line; a heading such as "Beslutning" or a table row does not);
3. joins each block's lines (``text.join_lines``: a hyphenated word rejoined, an elision
   hyphen kept) and writes bullets as ``- text``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from hoering.core.documents.text import BULLET, TextBuilder, ends_sentence, join_lines

FURNITURE_ZONE = 3
FURNITURE_SHARE = 0.4  # of the pages
SAME_PLACE = 3.0  # points
PAGE_NUMBER_ZONE = 2
PAGE_NUMBER = re.compile(
    r"^(?:(?:side|page|s\.)\s*)?\d{1,4}(?:\s*(?:af|of|ud af|/)\s*\d{1,4})?$"
    r"|^[-–]\s*\d{1,4}\s*[-–]$", re.IGNORECASE)
DASHES = "-–—"
NUMBERED = re.compile(r"^(?P<number>\d{1,2})[.)]\s+(?P<rest>\S.*)$")
DOT_LEADER = re.compile(r"(?:\.{4,}|…{2,})\s*\d+$")
SHORT_LINE = 0.7  # of the page's full line length, in characters


@dataclass
class Line:
    """One visual line of a page: baseline ``y`` (PDF units, up is larger), left edge
    ``x``, font size in points, bold or not."""

    text: str
    x: float
    y: float
    size: float
    bold: bool = False


@dataclass
class _Block:
    first: Line
    last: Line
    text: str
    marker: str | None = None  # "-" or "1." for a list item


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _zones(lines: list[Line], size: int) -> tuple[list[int], list[int]]:
    """Indexes of the top and bottom ``size`` lines of a page, by position."""
    order = sorted(range(len(lines)), key=lambda index: -lines[index].y)
    return order[:size], order[-size:]


def _repeated(pages: list[list[Line]]) -> set[tuple[str, str]]:
    """(zone, key) of the lines that recur at one end of enough pages, at one height
    (within ``SAME_PLACE`` points): a body line that happens to end many pages
    ("Afbud ...") stands at a different height on each."""
    heights: dict[tuple[str, str], list[float]] = {}
    for lines in pages:
        top, bottom = _zones(lines, FURNITURE_ZONE)
        keys = {("top", _key(lines[i].text)): lines[i].y for i in top}
        keys.update({("bottom", _key(lines[i].text)): lines[i].y for i in bottom})
        for key, y in keys.items():
            heights.setdefault(key, []).append(y)
    needed = max(2, math.ceil(FURNITURE_SHARE * len(pages)))
    return {key for key, found in heights.items() if _largest_cluster(found) >= needed}


def _largest_cluster(values: list[float]) -> int:
    values = sorted(values)
    start, best = 0, 0
    for end, value in enumerate(values):
        while value - values[start] > SAME_PLACE:
            start += 1
        best = max(best, end - start + 1)
    return best


def strip_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages without running headers, footers and page numbers (see module doc)."""
    repeated = _repeated(pages) if len(pages) >= 2 else set()
    stripped = []
    for lines in pages:
        top, bottom = _zones(lines, FURNITURE_ZONE)
        outer = set(top[:PAGE_NUMBER_ZONE]) | set(bottom[-PAGE_NUMBER_ZONE:])
        drop = {i for i in top if ("top", _key(lines[i].text)) in repeated}
        drop |= {i for i in bottom if ("bottom", _key(lines[i].text)) in repeated}
        drop |= {i for i in outer if PAGE_NUMBER.match(lines[i].text.strip())}
        stripped.append([line for i, line in enumerate(lines) if i not in drop])
    return stripped


def _pitches(pages: list[list[Line]]) -> dict[float, float]:
    """Per font size (rounded to half a point): the line pitch, the smallest vertical
    step between consecutive lines that recurs (at least twice and in 15 % of steps)."""
    steps: dict[float, list[float]] = {}
    for lines in pages:
        for before, line in zip(lines, lines[1:], strict=False):
            step = before.y - line.y
            if step > 0 and abs(before.size - line.size) < 0.5:
                steps.setdefault(round(line.size * 2) / 2, []).append(step)
    pitches = {}
    for size, found in steps.items():
        found.sort()
        needed = max(2, int(0.15 * len(found)))
        for step in found:
            near = bisect_right(found, step + 0.75) - bisect_left(found, step - 0.75)
            if near >= needed:
                pitches[size] = step
                break
    return pitches


def _pitch(pitches: dict[float, float], size: float) -> float:
    """The line pitch of ``size``; a recurring step beyond 1.7 times the size is the
    step between one-line paragraphs (a short page of them), not a line pitch."""
    found = pitches.get(round(size * 2) / 2)
    return found if found is not None and found <= 1.7 * size else 1.25 * size


def _full_length(lines: list[Line]) -> int:
    lengths = sorted(len(line.text) for line in lines)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _item_start(line: Line, block: _Block | None, gap: bool) -> tuple[str, str] | None:
    """(marker, text) when ``line`` starts a list item. A dash that merely wraps a
    sentence (no gap, same left edge, the paragraph goes on) does not."""
    bullet = BULLET.match(line.text)
    if bullet is not None:
        if (line.text[0] in DASHES and block is not None and block.marker is None
                and not gap and abs(line.x - block.last.x) < 2
                and not ends_sentence(block.last.text)):
            return None
        return "-", bullet["rest"]
    numbered = NUMBERED.match(line.text)
    if numbered is not None and (block is None or gap or block.marker is not None
                                 or ends_sentence(block.last.text)):
        return f"{numbered['number']}.", numbered["rest"]
    return None


def _same_style(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) < 0.5


def _breaks_page(block: _Block, line: Line, full: int) -> bool:
    """Whether ``line``, the first of a page, starts a new block after ``block``, the
    last of the page before (whose full line length is ``full``). A block cut by the
    break goes on: the next line starts in lower case, or the last line was full (a cut
    paragraph fills its last line; a heading, a table row does not) without ending a
    sentence."""
    last = block.last
    if not _same_style(last, line) or last.bold != line.bold:
        return True
    if line.text[:1].islower():
        return False
    return ends_sentence(last.text) or len(last.text) < SHORT_LINE * full


def _breaks(block: _Block, line: Line, pitch: float, full: int) -> bool:
    """Whether ``line`` ends ``block`` on the same page (when it is not a list item
    itself); ``full`` is the page's full line length."""
    last = block.last
    if not _same_style(last, line):
        return True
    step = last.y - line.y
    if step <= 0 or step > pitch + max(1.5, 0.2 * line.size):
        return True
    if DOT_LEADER.search(last.text):
        return True
    if block.marker is not None and line.x <= block.first.x + 1:
        return True
    return (ends_sentence(last.text) and len(last.text) < SHORT_LINE * full
            and not line.text[:1].islower())


def _blocks(pages: list[list[Line]]) -> list[_Block]:
    pitches = _pitches(pages)
    blocks: list[_Block] = []
    current: _Block | None = None
    full_before = 0
    for lines in pages:
        full = _full_length(lines)
        for number, line in enumerate(lines):
            if current is None:
                gap = True
            elif number == 0:
                gap = _breaks_page(current, line, full_before)
            else:
                gap = _breaks(current, line, _pitch(pitches, line.size), full)
            item = _item_start(line, current, gap)
            if item is not None:
                current = _Block(line, line, item[1], marker=item[0])
                blocks.append(current)
            elif current is None or gap:
                current = _Block(line, line, line.text)
                blocks.append(current)
            else:
                current.text = join_lines(current.text, line.text)
                current.last = line
        full_before = full or full_before
    return blocks


def assemble(pages: list[list[Line]], builder: TextBuilder) -> None:
    """Write the pages' paragraphs and list items to ``builder``."""
    for block in _blocks(pages):
        if block.marker is None:
            builder.paragraph(block.text)
        else:
            builder.item(block.text, block.marker)
