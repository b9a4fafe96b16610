"""Word diff, section pairing and HTML rendering for comparing two policy versions."""

from __future__ import annotations

import random

import pytest
from markupsafe import Markup

from hoering.demo.content import CONSULTED_SECTIONS, REVISED_SECTIONS
from hoering.policies.diff import (
    SectionPair,
    Token,
    diff_words,
    pair_sections,
    render_html,
    render_inline_html,
    tokenize,
)

EQ, INS, DEL = "equal", "insert", "delete"

# (old, new, expected tokens as (kind, text))
DIFF_CASES = [
    pytest.param(
        "Vi vil mere med digitalisering.",
        "Vi vil mere med teknologi.",
        [(EQ, "Vi vil mere med "), (DEL, "digitalisering"), (INS, "teknologi"), (EQ, ".")],
        id="word-replaced",
    ),
    pytest.param(
        "går foran med digitalisering.",
        "Ballerup går foran med digitalisering.",
        [(INS, "Ballerup "), (EQ, "går foran med digitalisering.")],
        id="word-inserted-at-start",
    ),
    pytest.param(
        "Kommunen skal spare",
        "Kommunen skal spare penge",
        [(EQ, "Kommunen skal spare"), (INS, " penge")],
        id="word-inserted-at-end",
    ),
    pytest.param(
        "Kommunen skal spare.",
        "Kommunen skal spare penge.",
        [(EQ, "Kommunen skal spare"), (INS, " penge"), (EQ, ".")],
        id="word-inserted-before-full-stop",
    ),
    pytest.param(
        "Vi tester løsningerne grundigt sammen med borgerne.",
        "Vi tester løsningerne sammen med borgerne.",
        [(EQ, "Vi tester løsningerne "), (DEL, "grundigt "), (EQ, "sammen med borgerne.")],
        id="word-deleted",
    ),
    pytest.param(
        "Det er et bærende princip.",
        "Det er et bærende princip,",
        [(EQ, "Det er et bærende princip"), (DEL, "."), (INS, ",")],
        id="punctuation-only",
    ),
    pytest.param(
        "løse opgaver bedre, hurtigere og mere sammenhængende",
        "løse opgaver bedre, enklere og mere sammenhængende",
        [
            (EQ, "løse opgaver bedre, "),
            (DEL, "hurtigere"),
            (INS, "enklere"),
            (EQ, " og mere sammenhængende"),
        ],
        id="comma-not-swallowed",
    ),
    pytest.param(
        "Ældre borgere får hjælp på plejehjemmet.",
        "Ældre borgere får støtte på plejehjemmet.",
        [(EQ, "Ældre borgere får "), (DEL, "hjælp"), (INS, "støtte"), (EQ, " på plejehjemmet.")],
        id="danish-letters",
    ),
    pytest.param(
        "Vi spiser æblegrød i skolen.",
        "Vi spiser æbleskiver i skolen.",
        [(EQ, "Vi spiser "), (DEL, "æblegrød"), (INS, "æbleskiver"), (EQ, " i skolen.")],
        id="word-with-æø-is-one-word",
    ),
    pytest.param(
        "Strategien „Digitalt først“ gælder.",
        "Strategien «Digitalt først» gælder.",
        [
            (EQ, "Strategien "),
            (DEL, "„"),
            (INS, "«"),
            (EQ, "Digitalt først"),
            (DEL, "“"),
            (INS, "»"),
            (EQ, " gælder."),
        ],
        id="danish-quotes",
    ),
    pytest.param(
        'Projektet "Digital kommune" fortsætter.',
        'Projektet "Nær kommune" fortsætter.',
        [(EQ, 'Projektet "'), (DEL, "Digital"), (INS, "Nær"), (EQ, ' kommune" fortsætter.')],
        id="straight-quotes",
    ),
    pytest.param(
        "kommunens øvrige it-landskab",
        "kommunens øvrige it-systemer",
        [(EQ, "kommunens øvrige "), (DEL, "it-landskab"), (INS, "it-systemer")],
        id="hyphenated-word",
    ),
    pytest.param(
        "Notatet af den 8. juni 2024.",
        "Notatet af den 18. juni 2024.",
        [(EQ, "Notatet af den "), (DEL, "8"), (INS, "18"), (EQ, ". juni 2024.")],
        id="ordinal-number",
    ),
    pytest.param(
        "Kommunen har et ansvar over for lokalsamfundet.",
        "Vi har som kommune et ansvar over for lokalsamfundet.",
        [
            (DEL, "Kommunen har"),
            (INS, "Vi har som kommune"),
            (EQ, " et ansvar over for lokalsamfundet."),
        ],
        id="rewording-is-one-change",
    ),
    pytest.param(
        "Første afsnit.\n\nAndet afsnit.",
        "Andet afsnit.\n\nFørste afsnit.",
        [
            (INS, "Andet afsnit."),
            (INS, "\n\n"),
            (EQ, "Første afsnit."),
            (DEL, "\n\n"),
            (DEL, "Andet afsnit."),
        ],
        id="paragraph-swap",
    ),
    pytest.param(
        "Første afsnit.\n\nTredje afsnit.",
        "Første afsnit.\n\nAndet afsnit.\n\nTredje afsnit.",
        [
            (EQ, "Første afsnit."),
            (EQ, "\n\n"),
            (INS, "Andet afsnit."),
            (INS, "\n\n"),
            (EQ, "Tredje afsnit."),
        ],
        id="paragraph-inserted",
    ),
    pytest.param(
        "Vi gør det.\n\nGammel tekst om data.",
        "Vi gør det.\n\nNy formulering.",
        [
            (EQ, "Vi gør det."),
            (EQ, "\n\n"),
            (DEL, "Gammel tekst om data"),
            (INS, "Ny formulering"),
            (EQ, "."),
        ],
        id="paragraph-reworded",
    ),
    pytest.param(
        "Vi inddrager slutbrugerne tidligt.",
        "Vi inddrager slutbrugerne tidligt.",
        [(EQ, "Vi inddrager slutbrugerne tidligt.")],
        id="identical",
    ),
    pytest.param(
        "Første afsnit.\n\nAndet afsnit.",
        "Første afsnit.\n\nAndet afsnit.",
        [(EQ, "Første afsnit."), (EQ, "\n\n"), (EQ, "Andet afsnit.")],
        id="identical-paragraphs",
    ),
    pytest.param("", "Ny tekst.", [(INS, "Ny tekst.")], id="empty-old"),
    pytest.param("Gammel tekst.", "", [(DEL, "Gammel tekst.")], id="empty-new"),
    pytest.param("", "", [], id="both-empty"),
]

EXTRA_PAIRS = [
    ("Kommunen <b>skal</b> & vil.", "Kommunen <i>vil</i> & skal."),
    ("  Indrykket tekst  \n\n\n  med luft  ", "Indrykket tekst\n\nmed luft"),
    ("Linje et\nlinje to", "Linje et\n\nlinje to"),
    ("Ét afsnit med tekst.", "Ét afsnit\n\nmed tekst."),
    ("Journalnr. 85.13.00-P00-1-23, 1,5 mio. kr.", "Journalnr. 85.13.00-P00-1-24, 2,5 mio. kr."),
    *[(old, new) for (_, old), (_, new) in zip(CONSULTED_SECTIONS, REVISED_SECTIONS, strict=True)],
]


def as_pairs(tokens: list[Token]) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokens]


def old_of(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens if t.kind in (EQ, DEL))


def new_of(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens if t.kind in (EQ, INS))


def is_break(text: str) -> bool:
    return text.isspace() and text.count("\n") >= 2


def assert_well_formed(old: str, new: str, tokens: list[Token]) -> None:
    assert old_of(tokens) == old
    assert new_of(tokens) == new
    for token in tokens:
        assert token.kind in (EQ, INS, DEL)
        assert token.text
        # A paragraph break is a token of its own, never part of a longer token.
        assert is_break(token.text) or "\n\n" not in token.text
    for before, after in zip(tokens, tokens[1:], strict=False):
        if before.kind == after.kind:
            assert is_break(before.text) or is_break(after.text), (before, after)
    if old == new:
        assert all(t.kind == EQ for t in tokens)


# --- diff_words ----------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "expected"), DIFF_CASES)
def test_diff_words(old: str, new: str, expected: list[tuple[str, str]]) -> None:
    assert as_pairs(diff_words(old, new)) == expected


@pytest.mark.parametrize(("old", "new", "expected"), DIFF_CASES)
def test_table_reconstructs_both_texts(old: str, new: str, expected: list) -> None:
    assert_well_formed(old, new, diff_words(old, new))
    assert_well_formed(new, old, diff_words(new, old))


@pytest.mark.parametrize(("old", "new"), EXTRA_PAIRS)
def test_extra_pairs_reconstruct_both_texts(old: str, new: str) -> None:
    assert_well_formed(old, new, diff_words(old, new))
    assert_well_formed(new, old, diff_words(new, old))


def test_identical_text_is_one_equal_token() -> None:
    text = "Vi bruger data etisk ansvarligt, også når vi tager „ny teknologi“ i brug."
    assert diff_words(text, text) == [Token("equal", text)]


def test_rewritten_paragraph_keeps_the_new_paragraph_breaks() -> None:
    # When old and new both break a changed run into paragraphs, the breaks are
    # paired, so the new paragraphs are not split by a deleted break.
    tokens = diff_words("Start. Gammel et.\n\nGammel to. Slut.", "Start. Ny et.\n\nNy to. Slut.")
    assert as_pairs(tokens) == [
        (EQ, "Start. "),
        (DEL, "Gammel"),
        (INS, "Ny"),
        (EQ, " et."),
        (EQ, "\n\n"),
        (DEL, "Gammel"),
        (INS, "Ny"),
        (EQ, " to. Slut."),
    ]


def test_tokenize_words_whitespace_and_punctuation() -> None:
    assert tokenize("„Ældre“ borgere, it-landskab og 1,5 mio.\n\nSlut") == [
        "„", "Ældre", "“", " ", "borgere", ",", " ", "it-landskab", " ", "og", " ",
        "1,5", " ", "mio", ".", "\n\n", "Slut",
    ]  # fmt: skip
    assert "".join(tokenize("  a\t«b»  \n\n c ")) == "  a\t«b»  \n\n c "


WORDS = [
    *("vi", "kommunen", "borgere", "virksomheder", "medarbejdere", "digitale"),
    *("løsninger", "data", "ansvar", "sammenhæng", "tværs", "fællesskabet", "æblegrød"),
    *("øvrige", "åbenhed", "kerneopgaven", "it-landskab", "bæredygtig", "udvikling"),
    *("inddrager", "slutbrugerne", "tillid", "gennemsigtigt", "Ballerup", "Økonomi"),
]
PUNCTUATION = [".", ",", ":", ";", "!", "?", " –", " „", "“", " «", "»", ' "', '"']


def random_text(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 4)):
        words = []
        for _ in range(rng.randint(0, 14)):
            word = rng.choice(WORDS)
            if rng.random() < 0.2:
                word += rng.choice(PUNCTUATION)
            words.append(word)
        paragraphs.append(" ".join(words))
    return "\n\n".join(paragraphs)


def mutate(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(0, 4)):
        action = rng.choice(["shuffle", "delete", "insert", "replace", "punctuate", "swap"])
        if action == "shuffle" and len(words) > 1:
            start = rng.randrange(len(words) - 1)
            part = words[start : start + rng.randint(2, 5)]
            rng.shuffle(part)
            words[start : start + len(part)] = part
        elif action == "delete" and words:
            del words[rng.randrange(len(words))]
        elif action == "insert":
            words.insert(rng.randint(0, len(words)), rng.choice(WORDS))
        elif action == "replace" and words:
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        elif action == "punctuate" and words:
            k = rng.randrange(len(words))
            words[k] = words[k].rstrip(".,:;!?") + rng.choice(PUNCTUATION)
        elif action == "swap":
            paragraphs = " ".join(words).split("\n\n")
            rng.shuffle(paragraphs)
            words = "\n\n".join(paragraphs).split(" ")
    return " ".join(words)


def test_random_danish_shuffles_reconstruct_both_texts() -> None:
    rng = random.Random(20240608)
    for _ in range(400):
        old = random_text(rng)
        new = mutate(old, rng) if rng.random() < 0.8 else random_text(rng)
        assert_well_formed(old, new, diff_words(old, new))
        assert_well_formed(old, old, diff_words(old, old))


# --- pair_sections -------------------------------------------------------------------


def demo_pairs() -> list[SectionPair]:
    old = [(10 + n, heading, text) for n, (heading, text) in enumerate(CONSULTED_SECTIONS)]
    new = [(20 + n, heading, text) for n, (heading, text) in enumerate(REVISED_SECTIONS)]
    return pair_sections(old, new)


def test_demo_sections_are_all_paired() -> None:
    pairs = demo_pairs()
    assert len(pairs) == 6
    assert [(p.old_id, p.new_id) for p in pairs] == [(10 + n, 20 + n) for n in range(6)]
    assert [p.old_heading for p in pairs] == [heading for heading, _ in CONSULTED_SECTIONS]
    assert [p.new_heading for p in pairs] == [heading for heading, _ in REVISED_SECTIONS]


def test_demo_principle_3_is_paired_despite_the_changed_heading() -> None:
    pair = demo_pairs()[3]
    assert pair.old_heading == "Princip 3: Digitalisering understøtter kommunens samfundsopgave"
    assert pair.new_heading == (
        "Princip 3: Vi understøtter kommunens samfundsopgave via digitalisering"
    )
    assert as_pairs(pair.heading_tokens) == [
        (EQ, "Princip 3: "),
        (DEL, "Digitalisering"),
        (INS, "Vi"),
        (EQ, " understøtter kommunens samfundsopgave"),
        (INS, " via digitalisering"),
    ]
    assert pair.changed


def test_demo_changed_flags() -> None:
    pairs = demo_pairs()
    for pair, (_, old_text), (_, new_text) in zip(
        pairs, CONSULTED_SECTIONS, REVISED_SECTIONS, strict=True
    ):
        assert pair.changed == (old_text != new_text or pair.old_heading != pair.new_heading)
        assert_well_formed(old_text, new_text, pair.text_tokens)
    assert [p.changed for p in pairs] == [True, True, True, True, False, True]
    unchanged = pairs[4]
    assert unchanged.old_heading == "Princip 4: Vi inddrager slutbrugerne"
    assert all(t.kind == EQ for t in unchanged.heading_tokens + unchanged.text_tokens)


def test_demo_paragraph_swap_in_principle_2() -> None:
    kinds = [t.kind for t in demo_pairs()[2].text_tokens]
    assert kinds == [DEL, DEL, EQ, INS, INS]


def section(n: int, heading: str, text: str | None = None) -> tuple[int, str, str]:
    """A section whose text shares no words with another heading's default text."""
    return (n, heading, text if text is not None else f"{heading}tekst.")


def summary(pairs: list[SectionPair]) -> list[tuple[int | None, int | None]]:
    return [(p.old_id, p.new_id) for p in pairs]


def test_removed_and_inserted_sections() -> None:
    old = [section(1, "Rammesætning"), section(2, "Økonomi"), section(3, "Tryghed")]
    new = [section(11, "Rammesætning"), section(13, "Tryghed"), section(14, "Åbenhed")]
    pairs = pair_sections(old, new)
    assert summary(pairs) == [(1, 11), (2, None), (3, 13), (None, 14)]
    removed, inserted = pairs[1], pairs[3]
    assert removed.new_heading is None and removed.changed
    assert as_pairs(removed.heading_tokens) == [(DEL, "Økonomi")]
    assert as_pairs(removed.text_tokens) == [(DEL, "Økonomitekst.")]
    assert inserted.old_heading is None and inserted.changed
    assert as_pairs(inserted.heading_tokens) == [(INS, "Åbenhed")]
    assert not pairs[0].changed


def test_removed_sections_keep_their_old_position() -> None:
    old = [section(1, "Indledning"), section(2, "A"), section(3, "B"), section(4, "Slut")]
    new = [section(12, "Slut")]
    assert summary(pair_sections(old, new)) == [(1, None), (2, None), (3, None), (4, 12)]
    new = [section(11, "Indledning"), section(12, "Slut")]
    assert summary(pair_sections(old, new)) == [(1, 11), (2, None), (3, None), (4, 12)]


def test_moved_section_is_paired_in_its_new_place() -> None:
    old = [section(1, "Alfa"), section(2, "Beta"), section(3, "Gamma"), section(4, "Delta")]
    new = [section(13, "Gamma"), section(11, "Alfa"), section(12, "Beta")]
    assert summary(pair_sections(old, new)) == [(3, 13), (4, None), (1, 11), (2, 12)]


def test_pairs_by_number_prefix_for_tema_too() -> None:
    old = [section(1, "Tema 1: Grøn omstilling"), section(2, "Tema 2 – Trivsel")]
    new = [section(11, "Tema 1: Klima og natur"), section(12, "Tema 2 – Trivsel for alle")]
    assert summary(pair_sections(old, new)) == [(1, 11), (2, 12)]


def test_renumbered_principle_is_paired_by_its_title() -> None:
    old = [section(1, "Princip 1: Data"), section(2, "Princip 2: Sikkerhed")]
    new = [
        section(11, "Princip 1: Data"),
        section(12, "Princip 2: Helt nyt princip", "Noget ganske andet."),
        section(13, "Princip 3: Sikkerhed"),
    ]
    assert summary(pair_sections(old, new)) == [(1, 11), (None, 12), (2, 13)]


def test_pairs_by_text_similarity_when_the_heading_changed() -> None:
    text = (
        "Vi bygger videre på de systemer og data, vi allerede har, og vælger løsninger, "
        "der kan spille sammen med kommunens øvrige it-landskab."
    )
    old = [section(1, "Sammenhæng", text), section(2, "Økonomi", "Vi sparer penge.")]
    new = [
        section(11, "Et sammenhængende it-landskab", text.replace("allerede", "i forvejen")),
        section(12, "Trivsel", "Alle skal trives i skolen og på arbejdet."),
    ]
    pairs = pair_sections(old, new)
    assert summary(pairs) == [(1, 11), (2, None), (None, 12)]
    assert pairs[0].changed


def test_empty_versions() -> None:
    assert pair_sections([], []) == []
    assert summary(pair_sections([section(1, "A")], [])) == [(1, None)]
    assert summary(pair_sections([], [section(11, "A")])) == [(None, 11)]


# --- render_html ---------------------------------------------------------------------


def test_render_html_escapes_user_text() -> None:
    html = render_html(diff_words("Tekst.", 'Tekst <script>alert("x")</script> & mere.'))
    assert isinstance(html, Markup)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; mere" in html
    assert html.startswith("<p>") and html.endswith("</p>")


def test_render_html_marks_changes_and_paragraphs() -> None:
    tokens = diff_words("Vi gør det.\n\nGammel tekst.", "Vi gør det hurtigt.\n\nNy tekst.")
    assert render_html(tokens) == Markup(
        "<p>Vi gør det<ins> hurtigt</ins>.</p><p><del>Gammel</del><ins>Ny</ins> tekst.</p>"
    )


def test_render_html_of_removed_paragraph_and_line_break() -> None:
    tokens = diff_words("Et.\n\nTo.", "Et.")
    assert render_html(tokens) == Markup("<p>Et.</p><p><del>To.</del></p>")
    assert render_html(diff_words("a\nb", "a\nb")) == Markup("<p>a<br>\nb</p>")
    assert render_html([]) == Markup("<p></p>")


def test_render_inline_html_for_headings() -> None:
    pair = demo_pairs()[3]
    html = render_inline_html(pair.heading_tokens)
    assert isinstance(html, Markup)
    assert html == Markup(
        "Princip 3: <del>Digitalisering</del><ins>Vi</ins> understøtter kommunens "
        "samfundsopgave<ins> via digitalisering</ins>"
    )
    assert render_inline_html(diff_words("", "<b>&")) == Markup("<ins>&lt;b&gt;&amp;</ins>")
