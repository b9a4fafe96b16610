"""The demo's issued memo reads like the real one: its Markdown export compared with
../shared/reference/hoeringsnotat-digitaliseringsprincipper-2024.md paragraph by
paragraph, after removing Markdown markup, list markers and surplus white space and
folding case; and its 30 remarks in the reference's order.

The reference's own slips are corrected before comparing (the issue allows either):
"Høringssvar il princip 2", the stray "\\*" after one abbreviation (gone with the
markup), and "Administrationens bemærkning:" in the singular once. The reference's
headings are bold paragraphs ending in a colon ("### **Høringssvar til princip 1:**");
a heading's closing colon is taken as part of that markup.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

import pytest

from hoering.core.db import db
from hoering.demo.loader import load_demo
from hoering.memos import operations as memos
from tests.conftest import empty_all_tables
from tests.memos.test_memo import REFERENCE, demo_consultation, parse_memo_markdown

SLIPS = (
    ("Høringssvar il princip", "Høringssvar til princip"),
    ("Administrationens bemærkning:", "Administrationens bemærkninger:"),
)
REQUIRED_SHARE = 0.97
_MARKUP = re.compile(r"[#*\\]")
_LIST_MARKER = re.compile(r"^\s*(?:[-+]|\d+[.)])\s+")


def paragraphs(markdown: str) -> list[str]:
    """The text's paragraphs, normalised: split at blank lines (and each list item a
    paragraph of its own), rules dropped, markup, list markers and surplus white space
    removed, case folded."""
    result: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.strip() == "---" for line in lines):
            continue
        for chunk in _list_items(lines):
            heading = chunk.lstrip().startswith("#")
            text = " ".join(_MARKUP.sub("", _LIST_MARKER.sub("", chunk)).split())
            if heading:
                text = text.rstrip(":").rstrip()
            if text:
                result.append(text.casefold())
    return result


def _list_items(lines: list[str]) -> list[str]:
    """A block's list items each on its own, their continuation lines joined to them."""
    chunks: list[str] = []
    for line in lines:
        if _LIST_MARKER.match(line) or not chunks:
            chunks.append(line)
        else:
            chunks[-1] += " " + line
    return chunks


def reference_text() -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    for slip, correction in SLIPS:
        text = text.replace(slip, correction)
    return text


def compare(ours: list[str], reference: list[str]) -> tuple[int, list[str]]:
    """How many of the reference's paragraphs ours has, in order, and a diff of the
    others."""
    matcher = difflib.SequenceMatcher(a=reference, b=ours, autojunk=False)
    equal = sum(block.size for block in matcher.get_matching_blocks())
    differing = [
        f"{tag}: reference {reference[i1:i2]!r}\n      ours {ours[j1:j2]!r}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    return equal, differing


COMMITTED_WORLDS = ("demo_issued",)


@pytest.fixture(scope="module")
def demo_issued(app) -> Iterator[str]:
    """The demo's issued memo's Markdown, loaded once per backend."""
    with app.app_context():
        load_demo()
        db.session.commit()
        issue = memos.latest_issue(demo_consultation())
        assert issue is not None, "the demo issues its memo"
        markdown = issue.markdown
        db.session.remove()
    yield markdown
    with app.app_context():
        empty_all_tables()


def test_the_paragraph_comparison_normalises_markup_and_case():
    markdown = ("# Notat\n\n---\n\n### **Høringssvar til princip 1:**\n\n- Tekst  med\n"
                "  to linjer (SOU)\\*\n\n  *Administrationens bemærkninger: Ja.*\n\n"
                "- Første\n- Anden\n")
    assert paragraphs(markdown) == [
        "notat", "høringssvar til princip 1", "tekst med to linjer (sou)",
        "administrationens bemærkninger: ja.", "første", "anden"]


def test_the_issued_demo_memo_has_the_reference_paragraphs(demo_issued):
    reference = paragraphs(reference_text())
    ours = paragraphs(demo_issued)
    equal, differing = compare(ours, reference)
    share = equal / len(reference)
    assert share >= REQUIRED_SHARE, (
        f"{equal} of {len(reference)} paragraphs equal ({share:.1%}); differing:\n"
        + "\n".join(differing))


def test_the_issued_demo_memo_has_the_thirty_remarks_in_the_reference_order(demo_issued):
    expected = parse_memo_markdown(reference_text().replace(")\\*", ")"), unescape=False)
    ours = parse_memo_markdown(demo_issued, unescape=True)
    assert list(ours) == list(expected)
    flat = [item for items in ours.values() for item in items]
    assert len(flat) == 30
    for heading, items in expected.items():
        assert ours[heading] == items, heading
