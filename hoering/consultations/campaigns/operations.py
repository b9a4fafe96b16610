"""Campaigns and duplicates: remarks whose text is near-identical, grouped so that staff
answer them once and the memo summarises them as one remark with its count.

How near is near-identical: both texts are normalised (case-folded, punctuation removed,
whitespace collapsed) and cut into word 3-shingles (every run of three consecutive
words). Two texts are near-identical when the Jaccard similarity of their shingle sets,
|A ∩ B| / |A ∪ B|, is at least ``THRESHOLD`` (0.8). One changed word removes and adds at
most three shingles, so a 40-word copy with one word changed scores 35/41 ≈ 0.85, and a
copy with a three-word signature added to a 40-word text 38/41 ≈ 0.93; two texts written
independently on the same subject share almost no shingles (< 0.1). Texts that are equal
after normalisation always group, however short. Texts shorter than three words are one
shingle, so they only group when equal.

Detection is greedy: remarks are taken oldest first and each joins the cluster whose
first remark it resembles most (existing groups take part with their first remark), or
starts a cluster of its own. Candidates are found with prefix filtering (Chaudhuri et
al., 2006): shingles are ordered rarest first, and two sets with Jaccard ≥ t must share
a shingle among the first |x| - ⌈t·|x|⌉ + 1 of each, so only those are indexed and
probed. That is exact (nothing above the threshold is missed) and keeps detection over
thousands of remarks to a fraction of a second.

By default only public remarks (citizens and associations) are considered. Remarks that
staff took out of a group, or whose group staff dissolved, are marked ``kept_apart`` and
never grouped again by detection.

Operations check permission, change data, record audit events and flush; the caller
commits. Audit events list remark ids and sizes, never a sender's name or e-mail.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from hoering.accounts.models import Body, User
from hoering.audit.record import record_change
from hoering.audit.tags import AuditTag
from hoering.consultations.models import (
    PUBLIC_ABBREVIATION,
    Consultation,
    Disposition,
    PublicSubmitter,
    Remark,
    RemarkGroup,
    Reply,
    Response,
    ResponseChannel,
)
from hoering.consultations.operations import approve_reply, save_reply
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check

SHINGLE_SIZE = 3  # words per shingle
THRESHOLD = 0.8  # the least Jaccard similarity of two near-identical texts
MIXED_SENDERS = _l("Borgere")  # the memo's abbreviation for a group of different senders

CREATED = AuditTag.REMARK_GROUP_CREATE
EXTENDED = AuditTag.REMARK_GROUP_EXTEND
REMOVED = AuditTag.REMARK_GROUP_REMOVE
DELETED = AuditTag.REMARK_GROUP_DELETE

_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, symbols and whitespace


# --- similarity ----------------------------------------------------------------------


def similarity_key(text: str) -> str:
    """The text as detection compares it: case-folded, punctuation removed, whitespace
    collapsed. Texts with the same key are exact duplicates."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def shingles(key: str) -> frozenset[str]:
    """The word ``SHINGLE_SIZE``-shingles of a key (a shorter key is one shingle)."""
    words = key.split()
    if len(words) <= SHINGLE_SIZE:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(
        " ".join(words[i:i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)
    )


def jaccard(a: frozenset[object], b: frozenset[object]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def similarity(a: str, b: str) -> float:
    """1.0 for texts equal after normalisation, else the shingles' Jaccard similarity."""
    key_a, key_b = similarity_key(a), similarity_key(b)
    if key_a and key_a == key_b:
        return 1.0
    return jaccard(shingles(key_a), shingles(key_b))


def near_identical(a: str, b: str) -> bool:
    return similarity(a, b) >= THRESHOLD


# --- clustering (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class Clustering:
    """What detection found: remarks that join existing groups, and new groups (each a
    list of two or more remark ids, oldest first)."""

    joined: dict[int, list[int]]  # existing group id -> remark ids joining it
    new: list[list[int]]


@dataclass
class _Cluster:
    group_id: int | None  # an existing group, or None for a cluster found now
    tokens: frozenset[int]  # the first remark's shingles, as token numbers
    members: list[int] = field(default_factory=list)  # remark ids added by this run


def _min_overlap(size: int, threshold: float) -> int:
    """The least number of shared shingles for Jaccard ≥ threshold against a set of
    ``size`` (the epsilon keeps 0.8 × 35 = 28.000000000000004 from rounding up)."""
    return math.ceil(threshold * size - 1e-9)


class _PrefixIndex:
    """Clusters by the rarest shingles of their first remark (prefix filtering)."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.postings: dict[int, list[int]] = {}

    def _prefix(self, ordered: list[int]) -> list[int]:
        return ordered[: len(ordered) - _min_overlap(len(ordered), self.threshold) + 1]

    def add(self, number: int, ordered: list[int]) -> None:
        for token in self._prefix(ordered):
            self.postings.setdefault(token, []).append(number)

    def best(self, ordered: list[int], tokens: frozenset[int],
             clusters: list[_Cluster]) -> int | None:
        """The most similar cluster at or above the threshold (the oldest on a tie)."""
        size = len(tokens)
        low, high = self.threshold * size - 1e-9, size / self.threshold + 1e-9
        best, best_score = None, 0.0
        seen: set[int] = set()
        for token in self._prefix(ordered):
            for number in self.postings.get(token, ()):
                if number in seen:
                    continue
                seen.add(number)
                other = clusters[number].tokens
                if not low <= len(other) <= high:  # too short or too long to be similar
                    continue
                score = jaccard(tokens, other)
                if score >= self.threshold and (
                    best is None or score > best_score or (score == best_score and number < best)
                ):
                    best, best_score = number, score
        return best


def cluster_texts(
    existing: Sequence[tuple[int, str]],
    remarks: Sequence[tuple[int, str]],
    *,
    threshold: float = THRESHOLD,
) -> Clustering:
    """Cluster ``remarks`` (id, text; oldest first) greedily against the first remark of
    each existing group (group id, text) and against each other."""
    keyed_existing = [(gid, similarity_key(text)) for gid, text in existing]
    keyed = [(rid, key) for rid, key in ((rid, similarity_key(t)) for rid, t in remarks) if key]
    shingled = {key: shingles(key) for _id, key in [*keyed_existing, *keyed] if key}
    frequency = Counter(s for _id, key in [*keyed_existing, *keyed] for s in shingled.get(key, ()))
    # Rarest first; ties in first-seen order, so the result does not depend on hashing.
    number_of = {s: n for n, (s, _count) in enumerate(
        sorted(frequency.items(), key=lambda item: item[1]))}

    def ordered_tokens(key: str) -> list[int]:
        return sorted(number_of[s] for s in shingled[key])

    clusters: list[_Cluster] = []
    by_key: dict[str, int] = {}
    index = _PrefixIndex(threshold)

    def start(group_id: int | None, key: str, ordered: list[int]) -> int:
        clusters.append(_Cluster(group_id, frozenset(ordered)))
        number = len(clusters) - 1
        index.add(number, ordered)
        by_key.setdefault(key, number)
        return number

    for group_id, key in keyed_existing:
        if key:
            start(group_id, key, ordered_tokens(key))
    for remark_id, key in keyed:
        number = by_key.get(key)
        if number is None:
            ordered = ordered_tokens(key)
            number = index.best(ordered, frozenset(ordered), clusters)
            if number is None:
                number = start(None, key, ordered)
        clusters[number].members.append(remark_id)
    return Clustering(
        joined={c.group_id: c.members for c in clusters
                if c.group_id is not None and c.members},
        new=[c.members for c in clusters if c.group_id is None and len(c.members) >= 2],
    )


# --- detection (writes) --------------------------------------------------------------


@dataclass(frozen=True)
class Detection:
    groups_created: int
    remarks_in_new_groups: int
    groups_extended: int
    remarks_added: int  # to groups that existed before

    @property
    def found_anything(self) -> bool:
        return bool(self.groups_created or self.remarks_added)


def _ungrouped(consultation: Consultation, include_bodies: bool) -> list[tuple[int, str]]:
    query = (
        select(Remark.id, Remark.original_text)
        .join(Remark.response)
        .where(Remark.consultation_id == consultation.id, Remark.group_id.is_(None),
               Remark.kept_apart.is_(False), Response.submitted_at.is_not(None))
        .order_by(Remark.id)
    )
    if not include_bodies:
        query = query.where(Response.channel == ResponseChannel.PUBLIC)
    return [(rid, text) for rid, text in db.session.execute(query)]


def _first_members(consultation: Consultation) -> list[tuple[int, str]]:
    """Each existing group of the consultation with its first remark's text."""
    first_ids = (
        select(func.min(Remark.id))
        .join(RemarkGroup, RemarkGroup.id == Remark.group_id)
        .where(RemarkGroup.consultation_id == consultation.id)
        .group_by(Remark.group_id)
    )
    rows = db.session.execute(
        select(Remark.group_id, Remark.original_text)
        .where(Remark.id.in_(first_ids)).order_by(Remark.id)
    )
    return [(gid, text) for gid, text in rows if gid is not None]  # grouped remarks only


def group_size(group_id: int) -> int:
    return db.session.execute(
        select(func.count(Remark.id)).where(Remark.group_id == group_id)
    ).scalar_one()


def _set_group(remark_ids: list[int], group_id: int | None) -> None:
    """Put the remarks in the group, or (None) out of any group, kept apart from now on."""
    db.session.execute(
        update(Remark).where(Remark.id.in_(remark_ids))
        .values(group_id=group_id, kept_apart=group_id is None)
    )


def _changed(before: Any, after: Any) -> dict[str, Any]:
    return {"before": before, "after": after}


def find_groups(
    consultation: Consultation, *, actor: User | None, include_bodies: bool = False
) -> Detection:
    """Group the consultation's ungrouped near-identical remarks (public ones unless
    ``include_bodies``): new groups of two or more, and additions to existing groups.
    One audit event per group created or extended."""
    check(actor, Permission.PROCESS_REMARKS)
    clustering = cluster_texts(_first_members(consultation),
                               _ungrouped(consultation, include_bodies))
    for group_id, remark_ids in clustering.joined.items():
        size = group_size(group_id)
        _set_group(remark_ids, group_id)
        group = db.session.get(RemarkGroup, group_id)
        db.session.expire(group, ["remarks"])
        record_change(EXTENDED, group, actor=actor, changes={
            "added_remark_ids": _changed(None, remark_ids),
            "size": _changed(size, size + len(remark_ids)),
        })
    for remark_ids in clustering.new:
        group = RemarkGroup(consultation_id=consultation.id)
        db.session.add(group)
        db.session.flush()
        _set_group(remark_ids, group.id)
        db.session.expire(group, ["remarks"])
        record_change(CREATED, group, actor=actor, changes={
            "consultation_id": _changed(None, consultation.id),
            "remark_ids": _changed(None, remark_ids),
            "size": _changed(None, len(remark_ids)),
        })
    db.session.flush()
    return Detection(
        groups_created=len(clustering.new),
        remarks_in_new_groups=sum(len(ids) for ids in clustering.new),
        groups_extended=len(clustering.joined),
        remarks_added=sum(len(ids) for ids in clustering.joined.values()),
    )


def detect_groups(
    consultation: Consultation, *, actor: User | None, include_bodies: bool = False
) -> int:
    """``find_groups``, returning the number of groups created."""
    return find_groups(consultation, actor=actor, include_bodies=include_bodies).groups_created


def remove_from_group(remark: Remark, *, actor: User | None) -> None:
    """Take a remark that is not near-identical after all out of its group. A group
    keeps at least two remarks (dissolve it instead). Detection leaves the remark alone
    from now on; its reply stays as it is."""
    check(actor, Permission.PROCESS_REMARKS)
    group_id = remark.group_id
    if group_id is None:
        raise DomainError(_("Bemærkningen er ikke i en gruppe."))
    size = group_size(group_id)
    if size <= 2:
        raise DomainError(
            _("En gruppe skal have mindst to bemærkninger. Opløs gruppen i stedet.")
        )
    group = db.session.get(RemarkGroup, group_id)
    remark.group_id = None
    remark.kept_apart = True
    db.session.flush()
    db.session.expire(remark, ["group"])
    db.session.expire(group, ["remarks"])
    record_change(REMOVED, group, actor=actor, changes={
        "removed_remark_ids": _changed(None, [remark.id]),
        "size": _changed(size, size - 1),
    })


def delete_group(group: RemarkGroup, *, actor: User | None) -> None:
    """Dissolve the group: its remarks are answered one by one again (their replies
    stay), and detection does not group them again."""
    check(actor, Permission.PROCESS_REMARKS)
    remark_ids = list(db.session.scalars(
        select(Remark.id).where(Remark.group_id == group.id).order_by(Remark.id)
    ))
    record_change(DELETED, group, actor=actor, changes={
        "consultation_id": _changed(group.consultation_id, None),
        "remark_ids": _changed(remark_ids, None),
        "size": _changed(len(remark_ids), None),
    })
    _set_group(remark_ids, None)
    db.session.delete(group)
    db.session.flush()


# --- answering a group ---------------------------------------------------------------


def group_members(group: RemarkGroup) -> list[Remark]:
    """The group's remarks, oldest first, with what the group page shows: one query."""
    return list(db.session.scalars(
        select(Remark)
        .where(Remark.group_id == group.id)
        .options(
            joinedload(Remark.response).joinedload(Response.body),
            joinedload(Remark.response).joinedload(Response.submitter),
            joinedload(Remark.section),
            joinedload(Remark.reply),
        )
        .order_by(Remark.id)
    ).unique())


def reply_to_group(
    group: RemarkGroup, *, text: str, disposition: Disposition, actor: User | None
) -> list[Reply]:
    """Give every remark of the group the same reply (written, or changed where it
    differs; a changed reply needs approval again), through ``save_reply``."""
    check(actor, Permission.PROCESS_REMARKS)
    members = group_members(group)
    if not members:
        raise DomainError(_("Gruppen har ingen bemærkninger."))
    return [
        save_reply(remark, text=text, disposition=disposition,
                   based_on_version=remark.reply.lock_version if remark.reply else None,
                   actor=actor)
        for remark in members
    ]


def approve_group(group: RemarkGroup, *, actor: User | None) -> int:
    """Approve the reply of every remark of the group that is not approved yet, through
    ``approve_reply`` (so the author cannot approve their own). All or nothing; returns
    the number approved."""
    check(actor, Permission.APPROVE_REPLIES)
    members = group_members(group)
    replies = [remark.reply for remark in members if remark.reply is not None]
    if len(replies) < len(members):
        raise DomainError(_("Alle bemærkninger i gruppen skal besvares, før svaret godkendes."))
    pending = [reply for reply in replies if not reply.is_approved]
    if not pending:
        raise DomainError(_("Alle svar i gruppen er allerede godkendt."))
    for reply in pending:
        approve_reply(reply, actor=actor)
    return len(pending)


# --- reading -------------------------------------------------------------------------


def sender_label(abbreviation: str | None, organisation: str | None) -> str:
    """``Response.sender_abbreviation`` from its parts, for queries that count senders."""
    return abbreviation or organisation or str(PUBLIC_ABBREVIATION)


def common_sender(labels: Iterable[str]) -> str:
    """The members' common sender, or "Borgere" when they differ."""
    distinct = set(labels)
    return distinct.pop() if len(distinct) == 1 else str(MIXED_SENDERS)


@dataclass(frozen=True)
class GroupSummary:
    group: RemarkGroup
    size: int
    answered: int
    approved: int
    first: Remark  # the oldest remark: the group's wording
    senders: tuple[tuple[str, int], ...]  # ("Borger", 38), ("Danmarks Naturfredningsforening", 2)


def group_summaries(consultation: Consultation) -> list[GroupSummary]:
    """The consultation's groups, largest first, with size, replies, first remark and
    senders: three queries whatever the number and size of groups."""
    rows = db.session.execute(
        select(RemarkGroup, func.count(Remark.id), func.count(Reply.id),
               func.count(Reply.approved_at), func.min(Remark.id))
        .join(Remark, Remark.group_id == RemarkGroup.id)
        .outerjoin(Reply, Reply.remark_id == Remark.id)
        .where(RemarkGroup.consultation_id == consultation.id)
        .group_by(RemarkGroup.id)
        .order_by(func.count(Remark.id).desc(), RemarkGroup.id)
    ).all()
    if not rows:
        return []
    first_ids = [row[4] for row in rows]
    firsts = {r.id: r for r in db.session.scalars(
        select(Remark).where(Remark.id.in_(first_ids))
        .options(joinedload(Remark.section), joinedload(Remark.reply))
    )}
    senders: dict[int | None, Counter[str]] = {}
    for group_id, abbreviation, organisation, count in db.session.execute(
        select(Remark.group_id, Body.abbreviation, PublicSubmitter.organisation,
               func.count(Remark.id))
        .join(Remark.response)
        .outerjoin(Response.body)
        .outerjoin(Response.submitter)
        .where(Remark.group_id.in_([row[0].id for row in rows]))
        .group_by(Remark.group_id, Body.abbreviation, PublicSubmitter.organisation)
    ):
        senders.setdefault(group_id, Counter())[sender_label(abbreviation, organisation)] += count
    return [
        GroupSummary(group, size, answered, approved, firsts[first_id],
                     tuple(senders.get(group.id, Counter()).most_common()))
        for group, size, answered, approved, first_id in rows
    ]


def group_count(consultation: Consultation) -> int:
    return db.session.execute(
        select(func.count(RemarkGroup.id)).where(RemarkGroup.consultation_id == consultation.id)
    ).scalar_one()


def group_sizes(remarks: Iterable[Remark]) -> dict[int, int]:
    """The size of each group these remarks belong to: one query (none if no remark is
    grouped)."""
    group_ids = {r.group_id for r in remarks if r.group_id is not None}
    if not group_ids:
        return {}
    rows = db.session.execute(
        select(Remark.group_id, func.count(Remark.id))
        .where(Remark.group_id.in_(group_ids)).group_by(Remark.group_id)
    ).all()
    return {group_id: size for group_id, size in rows if group_id is not None}


def group_or_404(group_id: int) -> RemarkGroup:
    group = db.session.get(RemarkGroup, group_id)
    if group is None:
        abort(404)
    return group
