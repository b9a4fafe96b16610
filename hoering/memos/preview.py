"""The memo page's preview: the memo as ``build_memo`` makes it, but with only the first
items of each part, read with a fixed number of bounded queries (a memo may have
100,000 remarks; the downloads hold them all).

The items are the same as the full memo's first ones: the database numbers each part's
items in the memo's order (the responses' submission order, a group where its first
remark is) and returns the first ``limit`` of each; the counts for the background come
from one aggregate query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, select, union_all

from hoering.accounts.models import Body
from hoering.consultations.campaigns.operations import common_sender
from hoering.consultations.models import (
    Consultation,
    PublicSubmitter,
    Remark,
    RemarkGroup,
    Reply,
    Response,
)
from hoering.core.db import db
from hoering.memos.build import (
    MemoFigures,
    memo_document,
    memo_item,
    memo_parts,
    memo_sections,
    sender_abbreviation,
)
from hoering.memos.document import MemoDocument, MemoItem
from hoering.policies.models import Section

_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class MemoPreview:
    document: MemoDocument  # each part with its first items only
    totals: tuple[int, ...]  # the number of items of each part in the full memo


def _submitted(consultation: Consultation) -> list[ColumnElement[bool]]:
    return [Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None)]


def _non_first_grouped(consultation: Consultation) -> Select[tuple[int]]:
    """The ids of the grouped remarks other than each group's first: summarised in the
    first's item. Found from the consultation's groups (few remarks), so that the other
    queries read the remarks from an index only."""
    grouped = (select(Remark.id, Remark.group_id)
               .join(RemarkGroup, RemarkGroup.id == Remark.group_id).join(Remark.response)
               .where(RemarkGroup.consultation_id == consultation.id,
                      Response.submitted_at.is_not(None))
               .subquery())
    firsts = select(func.min(grouped.c.id)).group_by(grouped.c.group_id)
    return select(grouped.c.id).where(grouped.c.id.not_in(firsts))


def _with_sender(query: _S) -> _S:
    return query.join(Remark.response).outerjoin(Response.body).outerjoin(Response.submitter)


def _totals(consultation: Consultation) -> tuple[dict[int | None, int], int, bool]:
    """The number of items of each part (by section id), of remarks in all, and whether
    an item is from a response received after the deadline."""
    is_item = Remark.id.not_in(_non_first_grouped(consultation))
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


def _first_rows(consultation: Consultation, sections: list[Section],
                limit: int) -> list[tuple[Any, ...]]:
    """The first ``limit`` items of each part, in the memo's order, with their sender:
    one query, each part's items taken by a LIMIT of their own."""
    order = (Response.submitted_at, Response.id, Remark.id)
    non_first = _non_first_grouped(consultation).cte("non_first")  # found once
    parts = [
        select(Remark.id.label("id"), *(column.label(f"o{n}") for n, column in enumerate(order)))
        .join(Remark.response)
        .where(*_submitted(consultation), section,
               Remark.id.not_in(select(non_first.c.id)))
        .order_by(*order).limit(limit).subquery()
        for section in [*(Remark.section_id == s.id for s in sections),
                        Remark.section_id.is_(None)]
    ]
    first = union_all(*(select(part) for part in parts)).subquery()
    return list(db.session.execute(
        _with_sender(select(
            Remark.section_id, Remark.group_id,
            func.coalesce(Remark.memo_text, Remark.original_text), Reply.text,
            Response.received_late, Response.body_id, Body.abbreviation,
            PublicSubmitter.organisation))
        .join(first, first.c.id == Remark.id)
        .outerjoin(Remark.reply)
        .order_by(first.c.o0, first.c.o1, first.c.o2)
    ))


def _groups(consultation: Consultation, group_ids: set[int]
            ) -> dict[int | None, tuple[str, int]]:
    """The common sender and the size of each of these groups."""
    senders: dict[int | None, list[str]] = {}
    sizes: dict[int | None, int] = {}
    for group_id, body_id, abbreviation, organisation, count in db.session.execute(
        _with_sender(select(Remark.group_id, Response.body_id, Body.abbreviation,
                            PublicSubmitter.organisation, func.count(Remark.id)))
        .where(Remark.group_id.in_(group_ids), Response.submitted_at.is_not(None))
        .group_by(Remark.group_id, Response.body_id, Body.abbreviation,
                  PublicSubmitter.organisation)
    ):
        senders.setdefault(group_id, []).append(
            sender_abbreviation(body_id, abbreviation, organisation))
        sizes[group_id] = sizes.get(group_id, 0) + count
    return {group_id: (common_sender(labels), sizes[group_id])
            for group_id, labels in senders.items()}


def memo_preview(consultation: Consultation, *, limit: int) -> MemoPreview:
    """The memo with the first ``limit`` items of each part: eight queries."""
    sections = memo_sections(consultation)
    rows = _first_rows(consultation, sections, limit)
    groups = _groups(consultation, {row[1] for row in rows if row[1] is not None})
    by_section: dict[int | None, list[MemoItem]] = {}
    for section_id, group_id, wording, reply, late, body_id, abbreviation, organisation in rows:
        sender, count = sender_abbreviation(body_id, abbreviation, organisation), 1
        if group_id is not None:
            sender, count = groups[group_id]
        by_section.setdefault(section_id, []).append(
            memo_item(wording, sender, reply, bool(late), count))
    totals, remarks, late = _totals(consultation)
    ids = [s.id for s in sections if by_section.get(s.id)] + (
        [None] if by_section.get(None) else [])
    return MemoPreview(
        memo_document(consultation, sections, memo_parts(sections, by_section),
                      _figures(consultation, remarks, late)),
        tuple(totals[section_id] for section_id in ids),
    )
