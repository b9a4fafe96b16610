"""The memo's order: of the bodies (the abbreviation list, the consultee list and the
default order of the remarks) and of the items inside each part.

The bodies: the secretary's order for this memo (``Consultee.memo_position``), else the
municipality's (``Body.position``), else by abbreviation in natural order (U2 before U10)
— the natural sort only where no order was ever set. Public senders come after them.

The items of a part (a remark, or a group of remarks where its first remark is): the
secretary's order (``Remark.memo_position``), then those without one in the bodies' order,
then as they were submitted. ``build`` sorts its rows with ``item_key``; the preview and
the moves let the database sort with the same key (``part_items``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import (
    CTE,
    Integer,
    Select,
    and_,
    case,
    column,
    func,
    or_,
    select,
    text,
    union_all,
)

from hoering.accounts.models import Body, BodyKind
from hoering.consultations.campaigns.operations import common_sender
from hoering.consultations.models import (
    Consultation,
    Consultee,
    Remark,
    RemarkGroup,
    Response,
)
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.memos.document import ConsulteeAnswer

_DIGITS = re.compile(r"(\d+)")


class MemoBody(NamedTuple):
    """An invited body as the memo shows it, with what it answered."""

    consultee_id: int
    body_id: int
    abbreviation: str
    name: str
    kind: BodyKind
    memo_position: int | None  # the secretary's place for it in this memo
    answer: ConsulteeAnswer
    late: bool  # its response came after the deadline
    own_deadline: datetime | None = None  # a later deadline of its own (UTC)


def natural_key(text: str) -> tuple[str | int, ...]:
    """"U10" → ("u", 10, ""): numbers compare as numbers, so U2 comes before U10."""
    return tuple(int(part) if part.isdigit() else part
                 for part in _DIGITS.split(text.casefold()))


def body_key(memo_position: int | None, position: int | None,
             abbreviation: str) -> tuple[int, int, tuple[str | int, ...]]:
    if memo_position is not None:
        return (0, memo_position, ())
    if position is not None:
        return (1, position, ())
    return (2, 0, natural_key(abbreviation))


def memo_bodies(consultation: Consultation) -> list[MemoBody]:
    """The consultation's invited bodies in the memo's order, with their answers: one
    query."""
    answered = and_(Response.consultation_id == Consultee.consultation_id,
                    Response.body_id == Consultee.body_id, Response.submitted_at.is_not(None))
    rows = list(db.session.execute(
        select(Consultee.id, Body.id, Body.abbreviation, Body.name, Body.kind,
               Consultee.memo_position, Body.position, Response.id, Response.no_remarks,
               Response.received_late, Consultee.deadline)
        .join(Body, Body.id == Consultee.body_id).outerjoin(Response, answered)
        .where(Consultee.consultation_id == consultation.id)
    ))
    rows.sort(key=lambda r: (body_key(r[5], r[6], r[2]), r[2], r[0]))
    return [
        MemoBody(consultee_id, body_id, abbreviation, name, kind, memo_position,
                 _answer(response_id, no_remarks), bool(late), own_deadline)
        for (consultee_id, body_id, abbreviation, name, kind, memo_position, _position,
             response_id, no_remarks, late, own_deadline) in rows
    ]


def _answer(response_id: int | None, no_remarks: bool | None) -> ConsulteeAnswer:
    if response_id is None:
        return ConsulteeAnswer.NONE
    return ConsulteeAnswer.NO_REMARKS if no_remarks else ConsulteeAnswer.RECEIVED


def body_ranks(bodies: Iterable[MemoBody]) -> dict[int, int]:
    """Each body's place in the memo's order, by body id."""
    return {body.body_id: rank for rank, body in enumerate(bodies)}


def sender_rank(ranks: dict[int, int], body_id: int | None) -> int:
    """A sender's place: the bodies in their order, a body no longer invited after
    them, the public last."""
    if body_id is None:
        return len(ranks) + 1
    return ranks.get(body_id, len(ranks))


SenderKey = tuple[int, int]  # (the sender's place, the response's in submission order)
ItemKey = tuple[bool, int, int, int, int]


def sender_key(ranks: dict[int, int], body_id: int | None, submitted: int) -> SenderKey:
    """A response's place: its sender's, then its place among the consultation's
    responses in the order they were submitted (``submitted``)."""
    return (sender_rank(ranks, body_id), submitted)


def item_key(memo_position: int | None, sender: SenderKey, remark_id: int) -> ItemKey:
    """The sort key of an item: its secretary's place, else (after those) its
    response's place, then the remark's inside the response."""
    return (memo_position is None, memo_position or 0, *sender, remark_id)


def group_label(members: Iterable[tuple[int | None, str]], ranks: dict[int, int]) -> str:
    """What follows a group's item: its one sender, or its bodies in the memo's order
    ("BSU, SOU"), with the public as one ("Borgere" when they differ)."""
    bodies: dict[str, int] = {}
    public: set[str] = set()
    for body_id, label in members:
        if body_id is None:
            public.add(label)
        else:
            bodies[label] = sender_rank(ranks, body_id)
    if not bodies:
        return common_sender(public)
    labels = sorted(bodies, key=lambda label: (bodies[label], label))
    return ", ".join(labels + ([common_sender(public)] if public else []))


def moved(ids: list[int], item_id: int, offset: int) -> list[int]:
    """``ids`` with ``item_id`` moved ``offset`` places (-1 up, 1 down)."""
    if item_id not in ids:
        raise DomainError(_("Punktet findes ikke i notatet."))
    index = ids.index(item_id)
    target = index + offset
    if not 0 <= target < len(ids):
        raise DomainError(_("Punktet står allerede først.") if offset < 0
                          else _("Punktet står allerede sidst."))
    result = list(ids)
    result.insert(target, result.pop(index))
    return result


# --- the same order in SQL ----------------------------------------------------------


def ranks_table(ranks: dict[int, int]) -> CTE:
    """The bodies' places as a table (body_id, rank) for ``part_items``: a VALUES list
    with its numbers bound, written as text, so that the statements around it are
    compiled once for each number of bodies (SQLAlchemy's ``values`` cannot be cached,
    and compiling the preview's query around 1,000 bodies took 150 ms a page)."""
    rows = list(ranks.items()) or [(0, 0)]  # VALUES needs a row; no body has id 0
    listed = ", ".join(f"(:body_{n}, :rank_{n})" for n in range(len(rows)))
    table = text(f"(SELECT column1 AS body_id, column2 AS rank FROM (VALUES {listed}) AS v)"  # noqa: S608 - placeholders only
                 " AS ranks").bindparams(
        **{f"body_{n}": body_id for n, (body_id, _) in enumerate(rows)},
        **{f"rank_{n}": rank for n, (_, rank) in enumerate(rows)})
    return (select(column("body_id", Integer), column("rank", Integer)).select_from(table)
            .cte("memo_body_ranks"))


ORDER_COLUMNS = ("unplaced", "memo_position", "rank", "submitted_at", "response_id", "id")


def part_items(consultation: Consultation, section_id: int | None, ranks: dict[int, int],
               table: CTE, non_first: CTE) -> Select[*tuple[Any, ...]]:
    """The items of one part in the memo's order (``item_key`` in SQL): the remark's id
    and the order's other columns (``ORDER_COLUMNS``, its stored place among them).

    The invited bodies' items come from ``table`` (``ranks_table``) joined to their
    responses by index, the others (the public, a body no longer invited) apart: every
    remark joined to a table of places would make SQLite scan that table per remark."""
    where = (Remark.consultation_id == consultation.id, Remark.id.not_in(select(
        non_first.c.id)), Remark.section_id.is_(None) if section_id is None
        else Remark.section_id == section_id)
    invited = (
        select(Remark.id, Remark.memo_position, table.c.rank, Response.submitted_at,
               Response.id.label("response_id"))
        .select_from(table)
        .join(Response, and_(Response.consultation_id == consultation.id,
                             Response.body_id == table.c.body_id,
                             Response.submitted_at.is_not(None)))
        .join(Remark, Remark.response_id == Response.id).where(*where))
    # the public (last) and a body no longer invited (before them), in one reading
    public_rank = case((Response.body_id.is_(None), len(ranks) + 1), else_=len(ranks))
    apart = (select(Remark.id, Remark.memo_position, public_rank, Response.submitted_at,
                    Response.id)
             .select_from(Response).join(Remark, Remark.response_id == Response.id)
             .where(*where, Response.consultation_id == consultation.id,
                    Response.submitted_at.is_not(None),
                    or_(Response.body_id.is_(None),
                        Response.body_id.not_in(select(table.c.body_id)))))
    items = union_all(invited, apart).subquery()
    order = (items.c.memo_position.is_(None), items.c.memo_position, items.c.rank,
             items.c.submitted_at, items.c.response_id)
    return (select(items.c.id, *(c.label(name) for c, name in zip(order, ORDER_COLUMNS,
                                                                   strict=False)))
            .order_by(*order, items.c.id))


def non_first_grouped(consultation: Consultation) -> Select[tuple[int]]:
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
