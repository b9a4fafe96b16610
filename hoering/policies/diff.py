"""Compare the consulted version of a policy with its revised version.

Pure functions (no I/O, no Flask, no database), used to show staff and readers what
changed between two versions of a policy, section by section.

:func:`diff_words`
    A word-level diff of two texts. Both are split into tokens: words (letters, digits
    and ``_``, including æ, ø and å; "it-landskab", "Hoved-MED", "85.13.00-P00-1-23"
    and "1,5" are one word each), runs of whitespace and single punctuation marks
    (``.``, ``,``, ``„``, ``“``, ``"``, ``«``, ``»``, ``–`` ...). The token lists are
    compared with :class:`difflib.SequenceMatcher` (no junk heuristics), then
    cleaned up for reading, roughly as diff-match-patch does:

    1. A pure insertion or deletion is slid to the best boundaries among equivalent
       places (paragraph breaks, then spaces, then punctuation; "grundigt " rather
       than " grundigt"), so an inserted paragraph is "Andet afsnit." plus a break,
       not "afsnit." + break + "Andet".
    2. Short unchanged runs squeezed between two changes (a space, "og", " har ") are
       folded into the changes when no longer than either change, so a rewritten
       sentence reads as one deletion and one insertion instead of a word salad. A run
       that holds or touches a paragraph break is never folded, so an unchanged
       paragraph between moved ones stays unchanged.
    3. Tokens both sides of a change start or end with go back to the unchanged text.
    4. In a change whose deleted and inserted text both hold paragraph breaks, the
       breaks are paired (deleted 1st paragraph, inserted 1st paragraph, break, ...),
       so the new paragraphs are not shown broken up by a deleted break.

    Adjacent tokens of the same kind are then merged, except paragraph breaks. The
    deleted text of a change always comes before its inserted text.

    A paragraph break (whitespace containing a blank line, normally ``"\\n\\n"``) is
    always a token of its own, so callers can start a new paragraph on it. Joining the
    ``equal`` and ``delete`` tokens in order gives the old text exactly, joining the
    ``equal`` and ``insert`` tokens gives the new text exactly.

:func:`pair_sections`
    Pairs the sections of the two versions: by identical heading (ignoring case and
    extra whitespace), then by identical heading once a "Princip N:"/"Tema N:" (also
    Afsnit, Kapitel) prefix is removed (a renumbered principle), then by that prefix
    ("Princip 3: Digitalisering understøtter ..." and "Princip 3: Vi understøtter
    ..."), then by text similarity (:meth:`difflib.SequenceMatcher.ratio` of the word
    lists at least 0.5, best pairs first). The pairs come in the new version's order;
    a removed section comes right after the section it followed in the old version
    (first, if it was the first section). A moved section is paired where it now is.

:func:`render_html`
    Escaped HTML for a token list: ``<p>...</p>`` with ``</p><p>`` at every paragraph
    break, ``<del>``/``<ins>`` around deleted/inserted text and ``<br>`` for a single
    line break. :func:`render_inline_html` is the same without ``<p>`` (for headings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from markupsafe import Markup, escape

EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"

#: Minimum :meth:`difflib.SequenceMatcher.ratio` of two section texts (as word lists)
#: for them to be paired when neither heading nor number matches.
SIMILARITY_THRESHOLD = 0.5

_TOKEN_RE = re.compile(
    r"""
      \s+                                          # whitespace, paragraph breaks too
    | \w+(?:(?:[-'’/]|(?<=\d)[.,:](?=\d))\w+)*      # a word: it-landskab, 85.13.00, 1,5
    | [^\w\s]                                      # one punctuation mark
    """,
    re.VERBOSE,
)
_WORD_RE = re.compile(r"\w")
_PREFIX_RE = re.compile(
    r"""
    \s*(?P<keyword>princip|tema|afsnit|kapitel)
    \s+(?:nr\.\s*)?(?P<number>\d{1,3})\b
    (?:\s*[:.–—-](?=\s|$))?\s*
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One run of the compared text."""

    kind: str  # "equal" | "insert" | "delete"
    text: str

    @property
    def is_paragraph_break(self) -> bool:
        return _is_break(self.text)


@dataclass(frozen=True)
class SectionPair:
    """A section of the old version and its counterpart in the new one."""

    old_heading: str | None  # None: the section is new in the revision
    new_heading: str | None  # None: the section was removed
    old_id: int | None
    new_id: int | None
    heading_tokens: list[Token]
    text_tokens: list[Token]
    changed: bool  # any insert/delete in heading or text

    @property
    def status(self) -> Literal["inserted", "removed", "changed", "unchanged"]:
        if self.old_id is None:
            return "inserted"
        if self.new_id is None:
            return "removed"
        return "changed" if self.changed else "unchanged"


# --- word diff -----------------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """Split ``text`` into words, whitespace runs and punctuation marks (lossless)."""
    return _TOKEN_RE.findall(text)


def _is_break(text: str) -> bool:
    return text.count("\n") >= 2 and text.isspace()


@dataclass
class _Change:
    deleted: list[str]
    inserted: list[str]

    def size(self) -> int:
        return max(sum(map(len, self.deleted)), sum(map(len, self.inserted)))


def diff_words(old: str, new: str) -> list[Token]:
    """Word-level diff of ``old`` and ``new``; see the module docstring."""
    if old == new:
        return _merge([Token(EQUAL, t) for t in tokenize(old)])
    a, b = tokenize(old), tokenize(new)
    segments: list[list[str] | _Change] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(a[i1:i2])
        else:
            segments.append(_Change(a[i1:i2], b[j1:j2]))
    segments = _alternate(segments)
    for k in range(1, len(segments), 2):
        _slide(segments, k)
    segments = _alternate(segments)
    _fold_short_equalities(segments)
    for k in range(1, len(segments), 2):
        _factor_out_common(segments, k)

    tokens: list[Token] = []
    for segment in segments:
        if isinstance(segment, _Change):
            tokens += _change_tokens(segment.deleted, segment.inserted)
        else:
            tokens += [Token(EQUAL, t) for t in segment]
    return _merge(tokens)


def _split_paragraphs(tokens: list[str]) -> tuple[list[list[str]], list[str]]:
    chunks: list[list[str]] = [[]]
    breaks: list[str] = []
    for token in tokens:
        if _is_break(token):
            breaks.append(token)
            chunks.append([])
        else:
            chunks[-1].append(token)
    return chunks, breaks


def _change_tokens(deleted: list[str], inserted: list[str]) -> list[Token]:
    """Deletions, then insertions; but when both sides hold paragraph breaks, the
    breaks are paired in order (the n-th deleted paragraph is followed by the n-th
    inserted one, then by a common break), so the new text's paragraphs are not
    shown split by a deleted break."""
    d_chunks, d_breaks = _split_paragraphs(deleted)
    i_chunks, i_breaks = _split_paragraphs(inserted)
    paired = min(len(d_breaks), len(i_breaks))
    tokens: list[Token] = []
    for n in range(paired):
        tokens += [Token(DELETE, t) for t in d_chunks[n]]
        tokens += [Token(INSERT, t) for t in i_chunks[n]]
        if d_breaks[n] == i_breaks[n]:
            tokens.append(Token(EQUAL, d_breaks[n]))
        else:
            tokens += [Token(DELETE, d_breaks[n]), Token(INSERT, i_breaks[n])]
    for kind, chunks, breaks in ((DELETE, d_chunks, d_breaks), (INSERT, i_chunks, i_breaks)):
        for n in range(paired, len(chunks)):
            if n > paired:
                tokens.append(Token(kind, breaks[n - 1]))
            tokens += [Token(kind, t) for t in chunks[n]]
    return tokens


def _alternate(segments: list[list[str] | _Change]) -> list[list[str] | _Change]:
    """Merge adjacent changes and adjacent equal runs, drop empty equal runs inside,
    and pad with empty equal runs so that equal runs and changes alternate."""
    result: list[list[str] | _Change] = [[]]
    for segment in segments:
        if isinstance(segment, _Change):
            if isinstance(result[-1], _Change):
                result[-1] = _Change(
                    result[-1].deleted + segment.deleted, result[-1].inserted + segment.inserted
                )
            elif not result[-1] and len(result) > 1:
                result.pop()
                previous = result[-1]
                assert isinstance(previous, _Change)  # runs alternate: a change came before
                result[-1] = _Change(
                    previous.deleted + segment.deleted, previous.inserted + segment.inserted
                )
            else:
                result.append(_Change(list(segment.deleted), list(segment.inserted)))
        elif isinstance(result[-1], _Change):
            result.append(list(segment))
        else:
            result[-1] = result[-1] + segment
    if isinstance(result[-1], _Change):
        result.append([])
    return result


def _boundary_score(left: str | None, right: str | None, edge: bool) -> int:
    """How good a place between two tokens is for a change to begin or end."""
    if left is None or right is None:
        return 6 if edge else 0
    if _is_break(left) or _is_break(right):
        return 5
    if left.isspace() or right.isspace():
        return 3
    if not _WORD_RE.match(left) or not _WORD_RE.match(right):
        return 2
    return 0


def _slide(segments: list[list[str] | _Change], k: int) -> None:
    """Move a pure insertion or deletion ``segments[k]`` along its equal neighbours to
    where it starts and ends at the best boundaries, preferring one that starts with a
    word over one that starts with a space. SequenceMatcher may insert
    ``" afsnit.", "\\n\\n", "Andet"`` after "Første"; this makes it
    ``"Andet afsnit.", "\\n\\n"`` after "Første afsnit.\\n\\n".
    """
    change = segments[k]
    assert isinstance(change, _Change)
    if change.deleted and change.inserted:
        return
    moving = change.deleted or change.inserted
    left, right = segments[k - 1], segments[k + 1]
    assert isinstance(left, list) and isinstance(right, list)
    full = left + moving + right
    n = len(moving)
    at_start, at_end = k == 1, k == len(segments) - 2
    start = len(left)
    while start > 0 and full[start - 1] == full[start - 1 + n]:
        start -= 1
    best, best_key = start, None
    s = start
    while True:
        key = (
            _boundary_score(full[s - 1] if s > 0 else None, full[s], at_start)
            + _boundary_score(full[s + n - 1], full[s + n] if s + n < len(full) else None, at_end),
            not full[s].isspace(),
        )
        if best_key is None or key > best_key:
            best, best_key = s, key
        if s + n < len(full) and full[s] == full[s + n]:
            s += 1
        else:
            break
    if best == len(left):
        return
    segments[k - 1] = full[:best]
    segments[k + 1] = full[best + n :]
    if change.deleted:
        segments[k] = _Change(full[best : best + n], [])
    else:
        segments[k] = _Change([], full[best : best + n])


def _fold_short_equalities(segments: list[list[str] | _Change]) -> None:
    """Fold an unchanged run between two changes into them when it is no longer than
    the larger side of each change, unless it holds or touches a paragraph break (an
    unchanged paragraph between two moved ones stays unchanged)."""
    i = 1
    while i < len(segments) - 1:
        before, equal, after = segments[i - 1], segments[i], segments[i + 1]
        if (
            isinstance(before, _Change)
            and isinstance(after, _Change)
            and isinstance(equal, list)
            and not any(_is_break(t) for t in equal)
            and not _ends_paragraph(before, at_end=True)
            and not _ends_paragraph(after, at_end=False)
            and sum(map(len, equal)) <= min(before.size(), after.size())
        ):
            segments[i - 1 : i + 2] = [
                _Change(
                    before.deleted + equal + after.deleted,
                    before.inserted + equal + after.inserted,
                )
            ]
            i = max(i - 2, 1)  # the bigger change may now swallow the run before it
        else:
            i += 1


def _factor_out_common(segments: list[list[str] | _Change], k: int) -> None:
    """Move tokens that both sides of ``segments[k]`` start or end with (typically a
    space left over from folding) into the unchanged runs around it."""
    change, left, right = segments[k], segments[k - 1], segments[k + 1]
    assert isinstance(change, _Change) and isinstance(left, list) and isinstance(right, list)
    deleted, inserted = change.deleted, change.inserted
    if not deleted or not inserted:
        return
    head = 0
    while head < min(len(deleted), len(inserted)) and deleted[head] == inserted[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(deleted), len(inserted)) - head and deleted[-1 - tail] == inserted[-1 - tail]
    ):
        tail += 1
    if head or tail:
        left += deleted[:head]
        right[:0] = deleted[len(deleted) - tail :]
        segments[k] = _Change(
            deleted[head : len(deleted) - tail], inserted[head : len(inserted) - tail]
        )


def _ends_paragraph(change: _Change, *, at_end: bool) -> bool:
    """Whether either side of ``change`` ends (``at_end``) or starts with a break."""
    index = -1 if at_end else 0
    return any(side and _is_break(side[index]) for side in (change.deleted, change.inserted))


def _merge(tokens: list[Token]) -> list[Token]:
    merged: list[Token] = []
    for token in tokens:
        if not token.text:
            continue
        if (
            merged
            and merged[-1].kind == token.kind
            and not _is_break(token.text)
            and not _is_break(merged[-1].text)
        ):
            merged[-1] = Token(token.kind, merged[-1].text + token.text)
        else:
            merged.append(token)
    return merged


def old_text(tokens: Sequence[Token]) -> str:
    """The old text: the ``equal`` and ``delete`` tokens joined."""
    return "".join(t.text for t in tokens if t.kind != INSERT)


def new_text(tokens: Sequence[Token]) -> str:
    """The new text: the ``equal`` and ``insert`` tokens joined."""
    return "".join(t.text for t in tokens if t.kind != DELETE)


def render_html(tokens: list[Token]) -> Markup:
    """Escaped HTML: ``<p>...</p>``, ``</p><p>`` at paragraph breaks, ``<del>``/``<ins>``
    around changes and ``<br>`` for a single line break."""
    return Markup("<p>" + _render(tokens, "</p><p>") + "</p>")  # noqa: S704 - escaped


def render_inline_html(tokens: list[Token]) -> Markup:
    """Like :func:`render_html` without the ``<p>`` elements (a paragraph break becomes
    a space), for phrasing content such as an ``<h2>`` with a heading's tokens."""
    return Markup(_render(tokens, " "))  # noqa: S704 - every piece of text is escaped


def _render(tokens: list[Token], paragraph_break: str) -> str:
    parts = []
    for token in tokens:
        if _is_break(token.text):
            parts.append(paragraph_break)
            continue
        html = str(escape(token.text)).replace("\n", "<br>\n")
        if token.kind == DELETE:
            html = f"<del>{html}</del>"
        elif token.kind == INSERT:
            html = f"<ins>{html}</ins>"
        parts.append(html)
    return "".join(parts)


# --- section pairing -----------------------------------------------------------------


def _normalise(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def _prefix(heading: str) -> tuple[str, int] | None:
    match = _PREFIX_RE.match(heading)
    if match is None:
        return None
    return match["keyword"].casefold(), int(match["number"])


def _title(heading: str) -> str | None:
    """The heading without its "Princip N:" prefix (None if it has none or is empty)."""
    match = _PREFIX_RE.match(heading)
    if match is None:
        return None
    return _normalise(heading[match.end() :]) or None


def _words(text: str) -> list[str]:
    return [t for t in tokenize(text) if _WORD_RE.match(t)]


def pair_sections(
    old: list[tuple[int, str, str]], new: list[tuple[int, str, str]]
) -> list[SectionPair]:
    """Pair the sections ``(id, heading, text)`` of two versions; see the module
    docstring."""
    old_to_new: dict[int, int] = {}  # index in old -> index in new

    def match_by(key) -> None:
        taken = set(old_to_new.values())
        for i, (_, heading, _text) in enumerate(old):
            if i in old_to_new or key(heading) is None:
                continue
            for j, (_, new_heading, _new_text) in enumerate(new):
                if j not in taken and key(new_heading) == key(heading):
                    old_to_new[i] = j
                    taken.add(j)
                    break

    match_by(_normalise)
    match_by(_title)
    match_by(_prefix)
    _match_by_similarity(old, new, old_to_new)

    pairs: list[SectionPair] = []
    new_to_old = {j: i for i, j in old_to_new.items()}
    position: dict[int, int] = {}  # index in old -> index of its pair in `pairs`
    for j, (new_id, new_heading, new_body) in enumerate(new):
        i = new_to_old.get(j)
        if i is None:
            pairs.append(_pair(None, (new_id, new_heading, new_body)))
        else:
            position[i] = len(pairs)
            pairs.append(_pair(old[i], (new_id, new_heading, new_body)))
    # Removed sections, in old order, each right after the section it followed.
    for i, section in enumerate(old):
        if i in old_to_new:
            continue
        at = position[i - 1] + 1 if i > 0 else 0
        pairs.insert(at, _pair(section, None))
        position = {k: p + 1 if p >= at else p for k, p in position.items()}
        position[i] = at
    return pairs


def _match_by_similarity(
    old: list[tuple[int, str, str]],
    new: list[tuple[int, str, str]],
    old_to_new: dict[int, int],
) -> None:
    taken = set(old_to_new.values())
    old_left = [i for i in range(len(old)) if i not in old_to_new]
    new_left = [j for j in range(len(new)) if j not in taken]
    if not old_left or not new_left:
        return
    new_words = {j: _words(new[j][2]) for j in new_left}
    candidates: list[tuple[float, int, int]] = []
    for i in old_left:
        words = _words(old[i][2])
        if not words:
            continue
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)  # seq2 is the one SequenceMatcher caches
        for j in new_left:
            if not new_words[j]:
                continue
            matcher.set_seq1(new_words[j])
            if (
                matcher.real_quick_ratio() >= SIMILARITY_THRESHOLD
                and matcher.quick_ratio() >= SIMILARITY_THRESHOLD
            ):
                ratio = matcher.ratio()
                if ratio >= SIMILARITY_THRESHOLD:
                    candidates.append((-ratio, i, j))
    candidates.sort()
    for _, i, j in candidates:
        if i not in old_to_new and j not in taken:
            old_to_new[i] = j
            taken.add(j)


def _pair(old: tuple[int, str, str] | None, new: tuple[int, str, str] | None) -> SectionPair:
    old_id, old_heading, old_body = old if old is not None else (None, None, "")
    new_id, new_heading, new_body = new if new is not None else (None, None, "")
    heading_tokens = diff_words(old_heading or "", new_heading or "")
    text_tokens = diff_words(old_body or "", new_body or "")
    changed = (
        old is None or new is None or any(t.kind != EQUAL for t in heading_tokens + text_tokens)
    )
    return SectionPair(
        old_heading=old_heading,
        new_heading=new_heading,
        old_id=old_id,
        new_id=new_id,
        heading_tokens=heading_tokens,
        text_tokens=text_tokens,
        changed=changed,
    )
