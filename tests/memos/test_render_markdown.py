"""The memo as Markdown: the reference memo's shape (title, rules around the unit and date,
sections, parts, a bullet per remark with the reply in italics after it), a remark of
several paragraphs inside its bullet, the consultee list, "besvares senere", Videre
arbejde around its list, the draft mark once, and user text kept literal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from markdown_it import MarkdownIt

from hoering.memos.document import (
    ABBREVIATIONS_LEAD,
    CONSULTEES_HEADING,
    DRAFT_MARK,
    PENDING_REPLY,
    REPLY_LEAD,
    Abbreviation,
    ConsulteeAnswer,
    ConsulteeLine,
    MemoDocument,
    MemoItem,
    MemoPart,
)
from hoering.memos.render import render_markdown

TWO_PARAGRAPHS = "Ordet »Vi« bør overvejes.\n\nDet gælder alle fem principper."


def memo(**changes) -> MemoDocument:
    document = MemoDocument(
        title="Notat om høring af de politiske principper for digitalisering",
        unit="Digitalisering", date=date(2024, 6, 8), draft=False, version=1,
        background=("Første afsnit.", "Andet afsnit."),
        responses_intro="Nedenfor er høringssvarene præsenteret efter emne.",
        abbreviations=(Abbreviation("SOU", "Socialudvalget"), Abbreviation("BSU", "Børne- og "
                                                                          "Skoleudvalget")),
        parts=(
            MemoPart("Høringssvar til princip 1:", (
                MemoItem(TWO_PARAGRAPHS, "SOU", "dette er indarbejdet.\n\nOg præciseret."),
                MemoItem("Borgerne skal med.", "BSU", None, pending=True),
            )),
        ),
        responses_heading="Høringssvar fra politiske fagudvalg",
        further_work=("Når principperne er godkendt, udestår følgende:",),
        tasks=("Grafisk opsætning", "Implementering i organisationen"),
        further_work_after=("De fem principper skal have eksempler.", "Og en plan."),
    )
    return replace(document, **changes)


def blocks(markdown: str) -> list[str]:
    return [block for block in markdown.split("\n\n") if block.strip()]


def test_the_reference_shape():
    markdown = render_markdown(memo())
    assert blocks(markdown)[:10] == [
        "# Notat om høring af de politiske principper for digitalisering",
        "---", "Digitalisering", "Dato 8. juni 2024", "Version 1", "---",
        "## Baggrund", "Første afsnit.", "Andet afsnit.",
        "## Høringssvar fra politiske fagudvalg",
    ]
    assert (f"{ABBREVIATIONS_LEAD}\n\nSOU: Socialudvalget\n\nBSU: Børne- og Skoleudvalget\n\n"
            "### Høringssvar til princip 1:\n\n") in markdown
    # Videre arbejde: paragraphs, the list, paragraphs after it
    assert markdown.endswith(
        "## Videre arbejde\n\nNår principperne er godkendt, udestår følgende:\n\n"
        "- Grafisk opsætning\n- Implementering i organisationen\n\n"
        "De fem principper skal have eksempler.\n\nOg en plan.\n"
    )
    assert DRAFT_MARK not in markdown


def test_a_remark_of_several_paragraphs_stays_in_its_bullet_with_its_reply():
    markdown = render_markdown(memo())
    assert (
        "- Ordet »Vi« bør overvejes.\n\n"
        "  Det gælder alle fem principper. (SOU)\n\n"
        f"  *{REPLY_LEAD} dette er indarbejdet.*\n\n"
        "  *Og præciseret.*\n\n"
    ) in markdown
    # As CommonMark reads it: one list item holding all four paragraphs.
    tokens = MarkdownIt().parse(markdown)
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 2 + 2  # the two remarks, the two tasks
    first = tokens.index(items[0])
    inside = tokens[first:tokens.index(items[1])]
    assert [t.type for t in inside].count("paragraph_open") == 4
    assert "*Og præciseret.*" in [t.content for t in inside if t.type == "inline"]


def test_pending_reply_says_besvares_senere():
    markdown = render_markdown(memo())
    assert f"- Borgerne skal med. (BSU)\n\n  *{REPLY_LEAD} {PENDING_REPLY}*\n" in markdown


def test_consultee_list_only_when_the_memo_has_one():
    assert CONSULTEES_HEADING not in render_markdown(memo())
    markdown = render_markdown(memo(consultees=(
        ConsulteeLine("Socialudvalget", "SOU", ConsulteeAnswer.RECEIVED),
        ConsulteeLine("Børne- og Skoleudvalget", "BSU", ConsulteeAnswer.NO_REMARKS, late=True),
        ConsulteeLine("Hoved-MED", "MED", ConsulteeAnswer.NONE),
    )))
    assert (
        f"## {CONSULTEES_HEADING}\n\n"
        "- Socialudvalget (SOU): høringssvar modtaget\n"
        "- Børne- og Skoleudvalget (BSU): ingen bemærkninger, modtaget efter fristen\n"
        "- Hoved-MED (MED): intet svar\n\n"
        "## Videre arbejde"
    ) in markdown


def test_draft_says_udkast_once():
    markdown = render_markdown(memo(draft=True, version=None,
                                    title="Notat om UDKAST-principperne"))
    assert markdown.startswith(f"**{DRAFT_MARK}**\n\n# ")
    assert markdown.count(f"**{DRAFT_MARK}**") == 1
    assert "Version" not in markdown


def test_user_text_stays_literal():
    markdown = render_markdown(memo(
        background=("Vi *skal* bruge [links](http://x) og <b>fed</b> # ikke.",
                    "- ikke en liste\n1. heller ikke\n---"),
        tasks=("Opgave med _understregning_",),
    ))
    html = MarkdownIt().render(markdown)
    assert "<em>skal</em>" not in html and "<a " not in html and "<b>" not in html
    assert "Vi *skal* bruge [links](http://x) og &lt;b&gt;fed&lt;/b&gt; # ikke." in html
    assert "- ikke en liste\n1. heller ikke\n---" in html  # one paragraph, no list or rule
    assert "<li>Opgave med _understregning_</li>" in html


def test_no_background_no_empty_heading():
    markdown = render_markdown(memo(background=(), unit=""))
    assert "## Baggrund" not in markdown
    assert blocks(markdown)[:5] == [
        "# Notat om høring af de politiske principper for digitalisering", "---",
        "Dato 8. juni 2024", "Version 1", "---",
    ]
