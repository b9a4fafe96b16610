"""Reading consultations: the overview of consultees, the inbox of remarks, progress.

Each function issues a fixed number of queries whatever the number of remarks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from hoering.accounts.models import Body, Membership, User
from hoering.consultations.models import (
    SEARCH_CONFIG,
    ChangeLink,
    Consultation,
    Consultee,
    Disposition,
    Remark,
    Reply,
    Response,
)
from hoering.core.db import db
from hoering.core.pagination import GroupSlice
from hoering.core.permissions import ROLE_PERMISSIONS, Permission
from hoering.policies.models import Policy, PolicyVersion, Section

GENERAL = "generelt"  # the inbox filter value for "general attention points"
GENERAL_SECTION = _l("Generelle opmærksomhedspunkter")


def consultations_query() -> Select[Consultation]:
    return (
        select(Consultation)
        .options(selectinload(Consultation.version).selectinload(PolicyVersion.policy))
        .order_by(Consultation.closes_at.desc(), Consultation.id.desc())
    )


def open_consultations(moment: datetime) -> list[Consultation]:
    """Consultations open for responses at ``moment``, nearest deadline first."""
    return list(
        db.session.scalars(
            consultations_query()
            .where(Consultation.opened_at.is_not(None), Consultation.closes_at > moment)
            .order_by(None)
            .order_by(Consultation.closes_at, Consultation.id)
        )
    )


def consultations_for_member(user: User) -> list[Consultation]:
    """Opened consultations to which one of the user's bodies is invited."""
    body_ids = select(Membership.body_id).where(Membership.user_id == user.id)
    return list(
        db.session.scalars(
            consultations_query()
            .where(Consultation.opened_at.is_not(None))
            .where(
                Consultation.id.in_(
                    select(Consultee.consultation_id).where(Consultee.body_id.in_(body_ids))
                )
            )
        )
    )


@dataclass(frozen=True)
class ConsulteeRow:
    consultee: Consultee
    response: Response | None
    remark_count: int

    def is_overdue(self, moment: datetime) -> bool:
        return self.consultee.is_overdue(moment)


def consultee_rows(consultation: Consultation) -> list[ConsulteeRow]:
    """Each invited body with its response (if any) and number of remarks: two queries."""
    remark_counts = (
        select(Remark.response_id, func.count(Remark.id).label("n"))
        .where(Remark.consultation_id == consultation.id)
        .group_by(Remark.response_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Consultee, Response, func.coalesce(remark_counts.c.n, 0))
        .join(Consultee.body)
        .outerjoin(
            Response,
            and_(Response.consultation_id == Consultee.consultation_id,
                 Response.body_id == Consultee.body_id),
        )
        .outerjoin(remark_counts, remark_counts.c.response_id == Response.id)
        .where(Consultee.consultation_id == consultation.id)
        .options(contains_eager(Consultee.body))
        .order_by(Body.name)
    ).all()
    return [ConsulteeRow(consultee, response, count) for consultee, response, count in rows]


@dataclass(frozen=True)
class Progress:
    total: int
    answered: int
    approved: int


def progress(consultation: Consultation, *, submitted: int | None = None) -> Progress:
    """Submitted remarks, how many have a reply, how many replies are approved: one query.
    The consultation's remarks and replies are counted from their indexes, less those of
    responses not (or no longer) submitted, which are few: no join over all of them.
    ``submitted``: the number of submitted remarks, if the caller has counted them."""
    c = consultation.id
    replies = select(func.count().label("n")).select_from(Reply).where(
        Reply.consultation_id == c)
    approved = replies.where(Reply.approved_at.is_not(None))  # a partial index each
    draft = select(func.count().label("n"), func.count(Reply.approved_at).label("approved")
                   ).join(Reply.remark).join(Remark.response).where(
        Reply.consultation_id == c, Response.submitted_at.is_(None)).subquery()
    every_reply, every_approved = replies.subquery(), approved.subquery()
    counts = every_reply.join(every_approved, true()).join(draft, true())
    columns: list[Any] = [every_reply.c.n - draft.c.n, every_approved.c.n - draft.c.approved]
    if submitted is None:
        remarks = select(func.count().label("n")).select_from(Remark)
        every_remark = remarks.where(Remark.consultation_id == c).subquery()
        draft_remark = (remarks.join(Remark.response)
                        .where(Remark.consultation_id == c, Response.submitted_at.is_(None))
                        .subquery())
        counts = counts.join(every_remark, true()).join(draft_remark, true())
        columns.append(every_remark.c.n - draft_remark.c.n)
    answered, approved, *total = db.session.execute(select(*columns).select_from(counts)).one()
    return Progress(total[0] if total else submitted or 0, answered, approved)


@dataclass(frozen=True)
class InboxFilters:
    section: str | None = None  # a section id, GENERAL, or None for all
    body_id: int | None = None
    public_only: bool = False  # only citizens' and associations' responses
    disposition: Disposition | None = None
    # "unanswered", "unapproved", "awaiting_me" (unapproved, written by someone other
    # than ``me``) or None
    state: str | None = None
    search: str = ""
    assigned: str | None = None  # "mine" (assigned to ``me``), "nobody" or None
    me: int | None = None  # the user looking (for "awaiting_me" and "mine")
    active: dict[str, Any] = field(default_factory=dict)

    @property
    def narrows(self) -> bool:
        """Whether any filter is set (if none, the inbox lists every submitted remark)."""
        return bool(self.section or self.body_id or self.public_only or self.disposition
                    or self.state or self.search.strip() or self.assigned)


@dataclass(frozen=True)
class InboxGroup:
    """The matching remarks of one section (None: general attention points) from one
    sender: a body's response, or all public responses (``response_id`` None)."""

    section_id: int | None
    response_id: int | None
    size: int


def _remark_conditions(
    consultation: Consultation, filters: InboxFilters
) -> list[ColumnElement[bool]]:
    """What the filters ask of a remark and its reply (its sender is chosen apart)."""
    conditions: list[ColumnElement[bool]] = [Remark.consultation_id == consultation.id]
    if filters.section == GENERAL:
        conditions.append(Remark.section_id.is_(None))
    elif filters.section:
        conditions.append(Remark.section_id == int(filters.section))
    if filters.disposition:
        conditions.append(Reply.disposition == filters.disposition)
    if filters.state == "unanswered":
        conditions.append(Reply.id.is_(None))
    elif filters.state in ("unapproved", "awaiting_me"):
        conditions.append(Reply.id.is_not(None))
        conditions.append(Reply.approved_at.is_(None))
    if filters.state == "awaiting_me":
        conditions.append(or_(Reply.author_id.is_(None), Reply.author_id != filters.me))
    if filters.assigned == "mine":
        conditions.append(Remark.assigned_to_id == filters.me)
    elif filters.assigned == "nobody":
        conditions.append(Remark.assigned_to_id.is_(None))
    if filters.search.strip():
        conditions.append(search_condition(filters.search))
    return conditions


def _needs_reply(filters: InboxFilters) -> bool:
    return bool(filters.disposition or filters.state)


def _submitted_responses(consultation: Consultation) -> Select[int]:
    return select(Response.id).where(Response.consultation_id == consultation.id,
                                     Response.submitted_at.is_not(None))


def inbox_groups(consultation: Consultation, filters: InboxFilters) -> list[InboxGroup]:
    """The groups of the inbox in its order: the version's sections (general attention
    points last), in each the bodies by name, then the public: one query. Remarks are
    counted per response and section from an index, then the few counts are joined."""
    counted = select(Remark.response_id, Remark.section_id, func.count().label("size"))
    if _needs_reply(filters):
        counted = counted.outerjoin(Remark.reply)
    conditions = _remark_conditions(consultation, filters)
    if filters.body_id or filters.public_only:
        senders = _submitted_responses(consultation).where(
            Response.body_id == filters.body_id if filters.body_id
            else Response.body_id.is_(None))
        conditions.append(Remark.response_id.in_(senders))
    groups = counted.where(*conditions).group_by(Remark.response_id, Remark.section_id
                                                 ).subquery()
    sender = case((Response.body_id.is_(None), null()), else_=groups.c.response_id)
    rows = db.session.execute(
        select(groups.c.section_id, sender, func.sum(groups.c.size))
        .join(Response, Response.id == groups.c.response_id)
        .outerjoin(Body, Body.id == Response.body_id)
        .outerjoin(Section, Section.id == groups.c.section_id)
        .where(Response.submitted_at.is_not(None))
        .group_by(groups.c.section_id, sender, Section.position, Body.name)
        .order_by(case((groups.c.section_id.is_(None), 1), else_=0), Section.position,
                  case((Body.name.is_(None), 1), else_=0), Body.name)
    ).all()
    return [InboxGroup(section_id, response_id, int(size))
            for section_id, response_id, size in rows]


def inbox_page_ids(
    consultation: Consultation, filters: InboxFilters, slices: list[GroupSlice[InboxGroup]]
) -> list[int]:
    """The ids of these slices of groups, in the inbox's order: one query. Each slice is
    read in id order from its section's range of ``ix_remarks_consultation_section``
    (which holds the sender too), from the end if it is nearer."""
    parts = []
    for number, piece in enumerate(slices):
        group = piece.group
        part = literal_column(str(number), Integer).label("part")
        query = select(Remark.id.label("id"), part)
        if _needs_reply(filters):
            query = query.outerjoin(Remark.reply)
        section = (Remark.section_id.is_(None) if group.section_id is None
                   else Remark.section_id == group.section_id)
        sender = (Remark.response_id == group.response_id if group.response_id is not None
                  else Remark.response_id.in_(_submitted_responses(consultation).where(
                      Response.body_id.is_(None))))
        query = (query.where(*_remark_conditions(consultation, filters), section, sender)
                 .order_by(Remark.id.desc() if piece.from_end else Remark.id)
                 .limit(piece.limit).offset(piece.offset))
        parts.append(select(query.subquery()))
    if not parts:
        return []
    page = union_all(*parts).subquery()
    return list(db.session.scalars(select(page.c.id).order_by(page.c.part, page.c.id)))


def load_remarks(ids: list[int]) -> list[Remark]:
    """The remarks with these ids, in that order, with what an inbox row shows: one query."""
    remarks = db.session.scalars(
        select(Remark)
        .where(Remark.id.in_(ids))
        .options(
            joinedload(Remark.response).joinedload(Response.body),
            joinedload(Remark.response).joinedload(Response.submitter),
            joinedload(Remark.section),
            joinedload(Remark.reply),
            joinedload(Remark.assigned_to),
        )
    ).unique()
    by_id = {remark.id: remark for remark in remarks}
    return [by_id[i] for i in ids]


def inbox_remark_ids(consultation: Consultation, filters: InboxFilters) -> Select[int]:
    """The ids of every remark the inbox lists with ``filters``, on all its pages, as a
    query (what "all that match the filter" selects; to use as a subquery)."""
    query = select(Remark.id).join(Remark.response)
    if _needs_reply(filters):
        query = query.outerjoin(Remark.reply)
    query = query.where(*_remark_conditions(consultation, filters),
                        Response.submitted_at.is_not(None))
    if filters.body_id:
        query = query.where(Response.body_id == filters.body_id)
    elif filters.public_only:
        query = query.where(Response.body_id.is_(None))
    return query


def _inbox_order() -> tuple[Any, ...]:
    """The inbox's order as columns to sort and compare by: the sections (general
    attention points last), in each the bodies by name (the public last), then
    submission (``Section`` and ``Body`` joined)."""
    return (case((Section.position.is_(None), 1), else_=0), func.coalesce(Section.position, 0),
            case((Body.name.is_(None), 1), else_=0), func.coalesce(Body.name, ""), Remark.id)


def _inbox_place(remark: Remark) -> tuple[Any, ...]:
    """Where ``remark`` is in ``_inbox_order``."""
    position = remark.section.position if remark.section is not None else None
    body = remark.response.body
    name = body.name if body is not None else None
    return (int(position is None), position or 0, int(name is None), name or "", remark.id)


def next_unanswered(consultation: Consultation, filters: InboxFilters,
                    current: Remark) -> int | None:
    """The id of the unanswered remark that follows ``current`` in the inbox with these
    filters (from the top again after the last; None when none is left): one or two
    queries. The filters' state and disposition give way to "unanswered"."""
    unanswered = replace(filters, state="unanswered", disposition=None)
    query = (inbox_remark_ids(consultation, unanswered).where(Remark.id != current.id)
             .outerjoin(Section, Section.id == Remark.section_id)
             .outerjoin(Body, Body.id == Response.body_id))
    order = _inbox_order()
    here = tuple_(*(literal(value) for value in _inbox_place(current)))
    following = db.session.scalar(query.where(tuple_(*order) > here).order_by(*order).limit(1))
    if following is not None:
        return following
    return db.session.scalar(query.order_by(*order).limit(1))


def colleagues() -> list[User]:
    """The active users who may process remarks (to whom remarks can be assigned)."""
    roles = [role for role, permissions in ROLE_PERMISSIONS.items()
             if Permission.PROCESS_REMARKS in permissions]
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(roles))
        .order_by(User.name, User.id)))


@dataclass(frozen=True)
class AwaitingApproval:
    """A consultation's replies that wait for one approver: how many, and by whom."""

    consultation_id: int
    title: str
    by_author: list[tuple[str | None, int]]  # (author's name, None: the system; count)

    @property
    def total(self) -> int:
        return sum(count for _name, count in self.by_author)


def replies_awaiting(approver: User) -> list[AwaitingApproval]:
    """Replies to submitted remarks that are not approved and that ``approver`` may
    approve (written by someone else), per consultation and author: one query."""
    rows = db.session.execute(
        select(Consultation.id, Consultation.title, User.name, func.count(Reply.id))
        .select_from(Reply)
        .join(Consultation, Consultation.id == Reply.consultation_id)
        .join(Remark, Remark.id == Reply.remark_id)
        .join(Response, Response.id == Remark.response_id)
        .outerjoin(User, User.id == Reply.author_id)
        .where(Reply.approved_at.is_(None), Response.submitted_at.is_not(None),
               or_(Reply.author_id.is_(None), Reply.author_id != approver.id))
        .group_by(Consultation.id, Consultation.title, Consultation.closes_at,
                  Reply.author_id, User.name)
        .order_by(Consultation.closes_at, Consultation.id, User.name)
    ).all()
    awaiting: dict[int, AwaitingApproval] = {}
    for consultation_id, title, author, count in rows:
        entry = awaiting.setdefault(consultation_id, AwaitingApproval(consultation_id, title, []))
        entry.by_author.append((author, int(count)))
    return list(awaiting.values())


def search_key(text: str) -> str:
    """Text as the inbox search compares it: case-folded in Python, because SQLite's
    lower() leaves Æ, Ø and Å alone."""
    return " ".join(text.casefold().split())


_WORD = re.compile(r"[^\W_]+")  # letters and digits: what a search looks for
MAX_SEARCH_WORDS = 12


def search_words(text: str) -> list[str]:
    return _WORD.findall(search_key(text))[:MAX_SEARCH_WORDS]


def search_condition(text: str) -> ColumnElement[bool]:
    """Remarks whose original or memo wording or reply has every word of ``text``.

    PostgreSQL: full-text search with the Danish configuration (the GIN index
    ``ix_remarks_search_danish``); each word is stemmed, so "bemærkningerne" finds
    "bemærkning", and the last one is also a prefix (one is typing it: "digital" finds
    "digitalisering"). Only the last: a prefix of a common word reads a long list of
    the index. SQLite: each word as a substring of ``search_text``. No words (only
    punctuation): nothing."""
    words = search_words(text)
    if not words:
        return false()
    if db.session.get_bind().dialect.name == "postgresql":
        config = literal_column(SEARCH_CONFIG, REGCONFIG)
        query = " & ".join(f"'{word}'" for word in words) + ":*"  # quoted: any letter is safe
        return func.to_tsvector(config, Remark.search_text).bool_op("@@")(
            func.to_tsquery(config, query))
    return and_(*(Remark.search_text.like(f"%{word}%") for word in words))


def submitted_remark_or_404(remark_id: int) -> Remark:
    """A remark of a submitted response (drafts are not part of the record yet)."""
    remark = db.session.get(Remark, remark_id)
    if remark is None or not remark.response.is_submitted:
        abort(404)
    return remark


def version_sections(consultation: Consultation) -> list[Section]:
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.version_id == consultation.version_id)
            .order_by(Section.position)
        )
    )


def invited_bodies(consultation: Consultation) -> list[Body]:
    return list(
        db.session.scalars(
            select(Body)
            .join(Consultee, Consultee.body_id == Body.id)
            .where(Consultee.consultation_id == consultation.id)
            .order_by(Body.name)
        )
    )


def response_for(consultation: Consultation, body: Body) -> Response | None:
    return db.session.scalar(
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.body_id == body.id)
        .options(selectinload(Response.remarks).selectinload(Remark.section))
    )


# --- the revised draft ---------------------------------------------------------------

INCORPORATED = (Disposition.INCORPORATED, Disposition.PARTLY_INCORPORATED)


def change_links_for_sections(section_ids: list[int]) -> dict[int, list[ChangeLink]]:
    """The links (with remark, reply and sender, and the passage if any) to each of these
    sections: one query."""
    links = db.session.scalars(
        select(ChangeLink)
        .where(ChangeLink.section_id.in_(section_ids))
        .options(
            joinedload(ChangeLink.remark).joinedload(Remark.reply),
            joinedload(ChangeLink.remark).joinedload(Remark.response).joinedload(Response.body),
            joinedload(ChangeLink.remark).joinedload(Remark.response)
            .joinedload(Response.submitter),  # the sender's abbreviation for the public
        )
        .order_by(ChangeLink.remark_id)
    ).unique()
    grouped: dict[int, list[ChangeLink]] = {}
    for link in links:
        grouped.setdefault(link.section_id, []).append(link)
    return grouped


def change_links_for_remark(remark: Remark) -> list[ChangeLink]:
    return list(db.session.scalars(
        select(ChangeLink).where(ChangeLink.remark_id == remark.id)
        .options(joinedload(ChangeLink.section).joinedload(Section.version))
        .order_by(ChangeLink.id)
    ))


@dataclass(frozen=True)
class Contradiction:
    remark: Remark
    problem: str  # Danish, for staff and auditors


def contradictions(consultation: Consultation) -> list[Contradiction]:
    """Replies that say "incorporated" with no linked change, and linked changes whose
    reply says "not incorporated": two queries."""
    linked_ids = select(ChangeLink.remark_id)
    unlinked_incorporated = db.session.scalars(
        select(Remark).join(Remark.reply).join(Remark.response)
        .where(Remark.consultation_id == consultation.id,
               Response.submitted_at.is_not(None),
               Reply.disposition.in_(INCORPORATED),
               Remark.id.not_in(linked_ids))
        .options(contains_eager(Remark.reply), contains_eager(Remark.response)
                 .joinedload(Response.body))
        .order_by(Remark.id)
    ).unique()
    linked_not_incorporated = db.session.scalars(
        select(Remark).join(Remark.reply).join(Remark.response)
        .where(Remark.consultation_id == consultation.id,
               Reply.disposition == Disposition.NOT_INCORPORATED,
               Remark.id.in_(linked_ids))
        .options(contains_eager(Remark.reply), contains_eager(Remark.response)
                 .joinedload(Response.body))
        .order_by(Remark.id)
    ).unique()
    return [
        *(Contradiction(r, _("Svaret siger indarbejdet, men ingen ændring er knyttet til "
                             "bemærkningen.")) for r in unlinked_incorporated),
        *(Contradiction(r, _("En ændring er knyttet til bemærkningen, men svaret siger ikke "
                             "indarbejdet.")) for r in linked_not_incorporated),
    ]


def public_response_count(consultation: Consultation) -> int:
    """Citizens' and associations' responses to the consultation."""
    return db.session.execute(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id, Response.body_id.is_(None))
    ).scalar_one()


def consultations_of_policy(policy: Policy) -> list[Consultation]:
    """The consultation rounds held on any version of the policy, oldest first."""
    return list(
        db.session.scalars(
            select(Consultation)
            .join(Consultation.version)
            .where(PolicyVersion.policy_id == policy.id)
            .options(contains_eager(Consultation.version))  # the page shows each version
            .order_by(Consultation.opens_on, Consultation.id)
        )
    )


def section_label(section: Section | None) -> str:
    return section.heading if section is not None else str(GENERAL_SECTION)
