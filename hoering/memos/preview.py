"""The memo page's preview: the memo as ``build_memo`` makes it, but with only the first
items of each part, read with a fixed number of bounded queries (a memo may have
100,000 remarks; the downloads hold them all). And what an issue still lacks: the items
without an approved reply, counted by part.

The items are the same as the full memo's first ones: the database sorts each part's
items with the full memo's key (``hoering.memos.order.part_items``: the secretary's
places, the bodies' order, submission; a group where its first remark is) and returns
the first ``limit`` of each; the counts for the background come from aggregate
queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, union_all

from hoering.accounts.models import Body
from hoering.consultations.models import (
    Consultation,
    PublicSubmitter,
    Remark,
    Reply,
    Response,
)
from hoering.core.db import db
from hoering.core.i18n import in_municipality_language
from hoering.memos.build import (
    MemoBuild,
    MemoFigures,
    OrderedItem,
    memo_document,
    memo_item,
    memo_sections,
    part_headings,
    sender_abbreviation,
)
from hoering.memos.document import MemoDocument
from hoering.memos.order import (
    ORDER_COLUMNS,
    body_ranks,
    group_label,
    memo_bodies,
    non_first_grouped,
    part_items,
    ranks_table,
)
from hoering.memos.texts import GENERAL_KEY
from hoering.policies.models import Section


@dataclass(frozen=True)
class MemoPreview:
    build: MemoBuild  # each part with its first items only
    totals: tuple[int, ...]  # the number of items of each part in the full memo

    @property
    def document(self) -> MemoDocument:
        return self.build.document


def _submitted(consultation: Consultation) -> list[ColumnElement[bool]]:
    return [Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None)]


def _totals(consultation: Consultation) -> tuple[dict[int | None, int], int, bool]:
    """The number of items of each part (by section id), of remarks in all, and whether
    an item is from a response received after the deadline."""
    is_item = Remark.id.not_in(non_first_grouped(consultation))
    rows = db.session.execute(
        select(Remark.section_id, func.sum(case((is_item, 1), else_=0)),
               func.count(Remark.id),
               func.max(case((and_(is_item, Response.received_late.is_(True)), 1), else_=0)))
        .join(Remark.response).where(*_submitted(consultation)).group_by(Remark.section_id)
    ).all()
    return ({section_id: items for section_id, items, _, _ in rows},
            sum(remarks for _, _, remarks, _ in rows), any(late for *_, late in rows))


def _figures(consultation: Consultation, remarks: int, late: bool) -> MemoFigures:
    """The figures of the background and notes, counting the responses that have
    remarks."""
    has_remarks = (select(Remark.id).where(Remark.consultation_id == consultation.id,
                                           Remark.response_id == Response.id).exists())
    bodies, public = db.session.execute(
        select(func.count(Response.body_id), func.count(case((Response.body_id.is_(None), 1))))
        .where(Response.consultation_id == consultation.id,
               Response.submitted_at.is_not(None), has_remarks)
    ).one()
    return MemoFigures(remarks, bodies, public, late)


def _first_rows(consultation: Consultation, sections: list[Section], ranks: dict[int, int],
                limit: int) -> list[Any]:
    """The first ``limit`` items of each part, in the memo's order, with their sender
    and reply: one query, each part's items taken by a LIMIT of their own."""
    table = ranks_table(ranks)
    non_first = non_first_grouped(consultation).cte("non_first")  # found once
    parts = [part_items(consultation, section_id, ranks, table, non_first).limit(limit)
             .subquery() for section_id in [*(s.id for s in sections), None]]
    first = union_all(*(select(part) for part in parts)).subquery()
    return list(db.session.execute(
        select(Remark.id, Remark.section_id, Remark.group_id,
               func.coalesce(Remark.memo_text, Remark.original_text).label("wording"),
               Reply.text.label("reply"), Reply.approved_at.is_not(None).label("approved"),
               Response.received_late, Response.body_id, Body.abbreviation,
               PublicSubmitter.organisation)
        .join(Remark.response).outerjoin(Response.body).outerjoin(Response.submitter)
        .outerjoin(Remark.reply)
        .join(first, first.c.id == Remark.id)
        .order_by(*(first.c[name] for name in ORDER_COLUMNS))
    ))


def _groups(group_ids: set[int], ranks: dict[int, int]) -> dict[int | None, tuple[str, int]]:
    """The senders' label and the size of each of these groups."""
    senders: dict[int | None, list[tuple[int | None, str]]] = {}
    sizes: dict[int | None, int] = {}
    for group_id, body_id, abbreviation, organisation, count in db.session.execute(
        select(Remark.group_id, Response.body_id, Body.abbreviation,
               PublicSubmitter.organisation, func.count(Remark.id))
        .join(Remark.response).outerjoin(Response.body).outerjoin(Response.submitter)
        .where(Remark.group_id.in_(group_ids), Response.submitted_at.is_not(None))
        .group_by(Remark.group_id, Response.body_id, Body.abbreviation,
                  PublicSubmitter.organisation)
    ):
        senders.setdefault(group_id, []).append(
            (body_id, sender_abbreviation(body_id, abbreviation, organisation)))
        sizes[group_id] = sizes.get(group_id, 0) + count
    return {group_id: (group_label(members, ranks), sizes[group_id])
            for group_id, members in senders.items()}


@in_municipality_language()  # as memo_build: the municipality's document
def memo_preview(consultation: Consultation, *, limit: int) -> MemoPreview:
    """The memo with the first ``limit`` items of each part, in a fixed number of
    queries."""
    sections = memo_sections(consultation)
    bodies = memo_bodies(consultation)
    ranks = body_ranks(bodies)
    rows = _first_rows(consultation, sections, ranks, limit)
    groups = _groups({row.group_id for row in rows if row.group_id is not None}, ranks)
    by_section: dict[int | None, list[OrderedItem]] = {}
    for place, row in enumerate(rows):  # in the memo's order already
        sender, count = sender_abbreviation(row.body_id, row.abbreviation, row.organisation), 1
        if row.group_id is not None:
            sender, count = groups[row.group_id]
        by_section.setdefault(row.section_id, []).append((
            (False, 0, 0, 0, place), row.id,
            memo_item(row.wording, sender, row.reply, bool(row.approved),
                      bool(row.received_late), count, draft=True)))
    totals, remarks, late = _totals(consultation)
    ids = [s.id for s in sections if by_section.get(s.id)] + (
        [None] if by_section.get(None) else [])
    return MemoPreview(
        memo_document(consultation, sections, by_section,
                      _figures(consultation, remarks, late), bodies),
        tuple(totals[section_id] for section_id in ids),
    )


# --- what an issue lacks -------------------------------------------------------------


@dataclass(frozen=True)
class MissingReplies:
    """The memo's items without an approved reply."""

    total: int
    by_part: tuple[tuple[str, int], ...]  # (part heading, how many), in the memo's order
    first: tuple[str, ...]  # the first few: "»Opmærksomhed på …« (KMU)"


FIRST_MISSING = 3


def missing_replies(consultation: Consultation) -> MissingReplies:
    """The items (a group counts once) whose reply is missing or not approved: two
    queries and the sections'."""
    sections = memo_sections(consultation)
    lacking = and_(Remark.id.not_in(non_first_grouped(consultation)),
                   Reply.approved_at.is_(None))
    counts = dict(db.session.execute(
        select(Remark.section_id, func.count(Remark.id)).join(Remark.response)
        .outerjoin(Remark.reply).where(*_submitted(consultation), lacking)
        .group_by(Remark.section_id)
    ).all())
    headings = part_headings(consultation, sections)
    keyed = [(str(s.id), counts.get(s.id, 0)) for s in sections] + [
        (GENERAL_KEY, counts.get(None, 0))]
    first = db.session.execute(
        select(func.coalesce(Remark.memo_text, Remark.original_text), Response.body_id,
               Body.abbreviation, PublicSubmitter.organisation)
        .join(Remark.response).outerjoin(Response.body).outerjoin(Response.submitter)
        .outerjoin(Remark.reply).where(*_submitted(consultation), lacking)
        .order_by(Remark.id).limit(FIRST_MISSING)
    ).all() if counts else []
    return MissingReplies(
        total=sum(counts.values()),
        by_part=tuple((headings[key], n) for key, n in keyed if n),
        first=tuple(f"»{_shortened(text)}« ({sender_abbreviation(body_id, abbr, org)})"
                    for text, body_id, abbr, org in first),
    )


def _shortened(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
