"""Reading what the comparison of two versions needs (consulted vs revised): the sections
paired and diffed, the changed passages of each (what a remark can be linked to), and the
remarks linked to each section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from hoering.consultations.models import ChangeLink, Consultation, Remark, Response
from hoering.consultations.queries import change_links_for_sections
from hoering.core.db import db
from hoering.policies.diff import EQUAL, SectionPair, Token, new_text, old_text, pair_sections
from hoering.policies.models import PolicyVersion, Section

QUOTE_SHOWN = 90  # characters of a passage's quote in a choice's label


@dataclass(frozen=True)
class Passage:
    """One changed passage of a section: a run of deleted and inserted tokens between
    unchanged ones, in the section's heading or its text."""

    in_heading: bool
    start: int  # index of its first token in the heading's or the text's tokens
    end: int  # one past its last token
    deleted: str
    inserted: str

    @property
    def quote(self) -> str:
        """What ``ChangeLink.passage`` stores: the new wording, white space collapsed (the
        deleted wording for a deletion)."""
        return normalise_quote(self.inserted or self.deleted)

    @property
    def label(self) -> str:
        """For a choice: «the new wording», or "Slettet: «...»" for a deletion."""
        quote = self.quote
        if len(quote) > QUOTE_SHOWN:
            quote = quote[:QUOTE_SHOWN].rsplit(" ", 1)[0] + " …"
        deleted = not self.inserted.strip()
        if self.in_heading:
            return str(_("Overskrift: Slettet: «%(quote)s»", quote=quote) if deleted
                       else _("Overskrift: «%(quote)s»", quote=quote))
        return str(_("Slettet: «%(quote)s»", quote=quote)) if deleted else f"«{quote}»"


def normalise_quote(text: str) -> str:
    return " ".join(text.split())


def passages(tokens: Sequence[Token], *, in_heading: bool = False) -> list[Passage]:
    """The changed passages of a token list (passages of white space alone are left out:
    nothing to quote)."""
    found: list[Passage] = []
    start: int | None = None
    for i, token in enumerate([*tokens, Token(EQUAL, "")]):
        if token.kind != EQUAL:
            start = i if start is None else start
        elif start is not None:
            run = tokens[start:i]
            found.append(Passage(in_heading, start, i, old_text(run), new_text(run)))
            start = None
    return [passage for passage in found if passage.quote]


def section_passages(pair: SectionPair) -> list[Passage]:
    """The changed passages of a section pair: the heading's, then the text's."""
    return passages(pair.heading_tokens, in_heading=True) + passages(pair.text_tokens)


def find_passage(candidates: Sequence[Passage], quote: str | None) -> Passage | None:
    """The passage a link's ``quote`` names: the one with that quote, else the first whose
    new (or deleted) wording holds it; None for no quote or when it is not found (the
    text changed since it was linked): the link then stands for the whole section."""
    if not quote:
        return None
    wanted = normalise_quote(quote)
    for passage in candidates:
        if passage.quote == wanted:
            return passage
    for side in ("inserted", "deleted"):
        for passage in candidates:
            if wanted in normalise_quote(getattr(passage, side)):
                return passage
    return None


def pair_versions(old: PolicyVersion, new: PolicyVersion) -> list[SectionPair]:
    return pair_sections(
        [(s.id, s.heading, s.text) for s in old.sections],
        [(s.id, s.heading, s.text) for s in new.sections],
    )


def changed_passages(old: PolicyVersion, new: PolicyVersion) -> dict[int, list[Passage]]:
    """The changed passages of each section of ``new`` (by id) against ``old``."""
    return {pair.new_id: section_passages(pair) for pair in pair_versions(old, new)
            if pair.new_id is not None}


@dataclass(frozen=True)
class ComparedSection:
    pair: SectionPair
    links: list[ChangeLink]  # remarks answered by this section of the new version
    passages: list[Passage]  # its changed passages, the heading's first


def compare_versions(old: PolicyVersion, new: PolicyVersion) -> list[ComparedSection]:
    pairs = pair_versions(old, new)
    links = change_links_for_sections([s.id for s in new.sections])
    return [
        ComparedSection(pair, links.get(pair.new_id, []) if pair.new_id is not None else [],
                        section_passages(pair))
        for pair in pairs
    ]


def previous_version(version: PolicyVersion) -> PolicyVersion | None:
    """The version before ``version`` of the same policy (what a revision is compared
    with by default)."""
    return next((v for v in reversed(version.policy.versions) if v.number < version.number),
                None)


def later_sections(version: PolicyVersion) -> list[Section]:
    """Sections of the versions after ``version`` of the same policy, for linking."""
    return list(db.session.scalars(
        select(Section).join(Section.version)
        .where(PolicyVersion.policy_id == version.policy_id,
               PolicyVersion.number > version.number)
        .order_by(PolicyVersion.number, Section.position)
    ))


def remarks_answerable_by(section: Section) -> list[Remark]:
    """Submitted remarks from consultations on earlier versions of the section's policy."""
    version = section.version
    return list(db.session.scalars(
        select(Remark).join(Remark.response).join(Consultation,
                                                  Consultation.id == Remark.consultation_id)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .where(PolicyVersion.policy_id == version.policy_id,
               PolicyVersion.number < version.number,
               Response.submitted_at.is_not(None))
        .order_by(Remark.section_id.is_(None), Remark.section_id, Remark.id)
    ))


def consultations_on(version: PolicyVersion) -> list[Consultation]:
    return list(db.session.scalars(
        select(Consultation).where(Consultation.version_id == version.id)
        .order_by(Consultation.id)
    ))


def passages_since(version: PolicyVersion) -> dict[int, list[Passage]]:
    """The changed passages of every section of the later versions of ``version``'s
    policy, each against ``version`` (by section id): what a remark on ``version`` can
    be linked to."""
    found: dict[int, list[Passage]] = {}
    for later in version.policy.versions:
        if later.number > version.number:
            found.update(changed_passages(version, later))
    return found


def version_to_compare_with(new: PolicyVersion, old_id: int | None) -> PolicyVersion | None:
    """What ``new`` is compared with: version ``old_id`` (of the same policy), or without
    one the previous version; None when there is no such version."""
    old = db.session.get(PolicyVersion, old_id) if old_id else previous_version(new)
    return old if old is not None and old.policy_id == new.policy_id else None
