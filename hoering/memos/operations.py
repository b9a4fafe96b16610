"""Writing the memo's editable texts and its order, issuing memo versions (only with
approved replies, once the consultation has closed), follow-up tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select, update

from hoering.accounts.models import User
from hoering.audit.record import add_and_record, deleted, record_change, update_and_record
from hoering.audit.tags import AuditTag
from hoering.consultations.models import Consultation, Consultee, Remark
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.formatting import deadline_in_locale
from hoering.core.i18n import in_municipality_language
from hoering.core.permissions import Permission, check
from hoering.memos.build import memo_build, memo_sections
from hoering.memos.digest import memo_digest
from hoering.memos.formats import render
from hoering.memos.letterhead import current_letterhead
from hoering.memos.models import FollowUpTask, MemoIssue, TaskStatus
from hoering.memos.order import (
    MemoBody,
    body_ranks,
    memo_bodies,
    moved,
    non_first_grouped,
    part_items,
    ranks_table,
)
from hoering.memos.preview import MissingReplies, missing_replies
from hoering.memos.texts import GENERAL_KEY, local_date
from hoering.policies.models import Policy

MEMO_FIELDS = ("memo_title", "memo_unit", "memo_background", "memo_responses_heading",
               "memo_responses_intro", "memo_part_headings", "memo_further_work",
               "memo_further_work_after", "memo_consultee_list")
TASK_FIELDS = ("policy_id", "title", "owner", "due_on", "status")
ISSUED_FORMATS = ("md", "html", "docx", "pdf")


@dataclass(frozen=True)
class MemoTexts:
    """The memo's editable texts as staff typed them: an empty one means the default
    (``hoering.memos.texts``); Videre arbejde has no default."""

    unit: str = ""
    background: str = ""
    further_work: str = ""  # before the follow-up tasks
    title: str = ""
    responses_heading: str = ""
    responses_intro: str = ""
    part_headings: dict[str, str] = field(default_factory=dict)  # by part key
    further_work_after: str = ""  # after the follow-up tasks
    consultee_list: bool = False


_LIMITS = (("title", 400, _l("Titlen")), ("unit", 200, _l("Enheden")),
           ("responses_heading", 300, _l("Overskriften over høringssvarene")))


def update_memo_texts(consultation: Consultation, texts: MemoTexts, *,
                      actor: User | None) -> Consultation:
    """Store what staff typed; a text left empty means: use the generated default."""
    check(actor, Permission.PROCESS_REMARKS)
    for name, limit, label in _LIMITS:
        if len(getattr(texts, name).strip()) > limit:
            raise DomainError(_("%(label)s må højst være på %(n)d tegn.", label=label,
                                n=limit))
    keys = {str(section.id) for section in memo_sections(consultation)} | {GENERAL_KEY}
    headings = {key: text.strip() for key, text in sorted(texts.part_headings.items())
                if text.strip()}
    if set(headings) - keys:
        raise DomainError(_("En overskrift hører til et afsnit, der ikke er i høringen."))
    if any(len(text) > 300 for text in headings.values()):
        raise DomainError(_("En overskrift må højst være på 300 tegn."))
    update_and_record(
        consultation, AuditTag.CONSULTATION_UPDATE_MEMO, MEMO_FIELDS,
        {"memo_title": texts.title.strip() or None, "memo_unit": texts.unit.strip(),
         "memo_background": texts.background.strip() or None,
         "memo_responses_heading": texts.responses_heading.strip() or None,
         "memo_responses_intro": texts.responses_intro.strip() or None,
         "memo_part_headings": headings, "memo_further_work": texts.further_work.strip(),
         "memo_further_work_after": texts.further_work_after.strip(),
         "memo_consultee_list": texts.consultee_list},
        actor=actor,
    )
    return consultation


def latest_issue(consultation: Consultation) -> MemoIssue | None:
    return db.session.scalar(
        select(MemoIssue).where(MemoIssue.consultation_id == consultation.id)
        .order_by(MemoIssue.number.desc()).limit(1)
    )


# --- issuing -------------------------------------------------------------------------

PENDING_CHOICE = _l("Udsted med de ubesvarede bemærkninger markeret »besvares senere«")


@dataclass(frozen=True)
class IssueReadiness:
    """Whether the memo may be issued: ``refusal`` says why not whatever the secretary
    chooses; ``missing`` are the items an issue would mark "besvares senere"."""

    refusal: str | None
    missing: MissingReplies


def issue_readiness(consultation: Consultation) -> IssueReadiness:
    if not consultation.is_opened:
        return IssueReadiness(_("Høringen er ikke åbnet; der er intet notat at udstede."),
                              MissingReplies(0, (), ()))
    refusal = None
    if consultation.is_open_at(now_utc()):
        refusal = _("Høringen er stadig åben (frist %(deadline)s); notatet kan udstedes, når "
                    "høringsfristen er udløbet.",
                    deadline=deadline_in_locale(consultation.closes_at))
    return IssueReadiness(refusal, missing_replies(consultation))


def missing_text(missing: MissingReplies) -> str:
    """"3 bemærkninger har ikke et godkendt svar: 2 under »Høringssvar til princip 1«,
    1 under »…«. Først: »…« (KMU), …"."""
    parts = ", ".join(_("%(n)d under »%(heading)s«", n=n, heading=heading)
                      for heading, n in missing.by_part)
    text: str = ngettext("%(num)d bemærkning har ikke et godkendt svar: %(parts)s.",
                         "%(num)d bemærkninger har ikke et godkendt svar: %(parts)s.",
                         missing.total, parts=parts)
    if missing.first:
        text += " " + _("Først: %(first)s.", first=", ".join(missing.first))
    return text


def issue_memo(consultation: Consultation, *, actor: User | None,
               mark_pending: bool = False) -> MemoIssue:
    """Store the memo as it stands as the next issued version: the rendered files and
    the content hash, immutable from now on. Refused while the consultation is open,
    when nothing changed since the last issued version, and when an item has no
    approved reply, unless the secretary chose ``mark_pending``: those items then say
    "besvares senere". An issued memo never holds a reply that was not approved."""
    check(actor, Permission.PROCESS_REMARKS)
    readiness = issue_readiness(consultation)
    if readiness.refusal is not None:
        raise DomainError(readiness.refusal)
    if readiness.missing.total and not mark_pending:
        raise DomainError(_(
            "Notatet kan ikke udstedes: %(missing)s Godkend svarene, eller vælg at udstede "
            "med de ubesvarede bemærkninger markeret »besvares senere«.",
            missing=missing_text(readiness.missing)))
    previous = latest_issue(consultation)
    number = (previous.number if previous else 0) + 1
    with in_municipality_language():  # the memo is the municipality's document
        build = memo_build(consultation, draft=False, version=number,
                           on=local_date(now_utc()))
    document = build.document
    content_hash = document.content_hash()
    if previous is not None and previous.content_hash == content_hash:
        raise DomainError(_("Notatet er uændret siden version %(n)d, som allerede er udstedt.",
                            n=previous.number))
    letterhead = current_letterhead()
    with in_municipality_language():
        files = {fmt: render(document, fmt, letterhead) for fmt in ISSUED_FORMATS}
    issue = MemoIssue(
        consultation_id=consultation.id, number=number,
        issued_by_id=actor.id if actor else None, content_hash=content_hash,
        digest=memo_digest(consultation, build, draft=False),
        markdown=files["md"].decode("utf-8"), html=files["html"].decode("utf-8"),
        docx=files["docx"], pdf=files["pdf"],
    )
    db.session.add(issue)
    db.session.flush()
    record_change(AuditTag.MEMO_ISSUE, issue, actor=actor, changes={
        "number": {"before": None, "after": number},
        "content_hash": {"before": previous.content_hash if previous else None,
                         "after": content_hash},
        "pending": {"before": None, "after": readiness.missing.total},
    })
    return issue


def issue_count(consultation: Consultation) -> int:
    return db.session.execute(
        select(func.count(MemoIssue.id)).where(MemoIssue.consultation_id == consultation.id)
    ).scalar_one()


# --- the order of the bodies and of the items ---------------------------------------


def move_body(consultee: Consultee, offset: int, *, actor: User | None) -> None:
    """Move a body one place up (-1) or down (1) in this memo's order; every body gets
    its place stored."""
    check(actor, Permission.PROCESS_REMARKS)
    bodies = memo_bodies(consultee.consultation)
    order = moved([b.consultee_id for b in bodies], consultee.id, offset)
    _store_body_order(consultee.consultation, bodies, order, actor=actor)


def set_body_order(consultation: Consultation, consultee_ids: list[int], *,
                   actor: User | None) -> None:
    """This memo's order of the bodies, as a list of every consultee."""
    check(actor, Permission.PROCESS_REMARKS)
    bodies = memo_bodies(consultation)
    if sorted(consultee_ids) != sorted(b.consultee_id for b in bodies):
        raise DomainError(_("Rækkefølgen skal rumme hver høringspart én gang."))
    _store_body_order(consultation, bodies, consultee_ids, actor=actor)


def _store_body_order(consultation: Consultation, bodies: list[MemoBody], order: list[int],
                      *, actor: User | None) -> None:
    abbreviations = {b.consultee_id: b.abbreviation for b in bodies}
    before = [b.abbreviation for b in bodies]
    after = [abbreviations[consultee_id] for consultee_id in order]
    if before == after:
        return  # the order as it is: nothing to store
    consultees = {c.id: c for c in consultation.consultees}
    for place, consultee_id in enumerate(order, start=1):
        consultees[consultee_id].memo_position = place
    db.session.flush()
    record_change(AuditTag.CONSULTATION_ORDER_MEMO, consultation, actor=actor, changes={
        "body_order": {"before": before, "after": after}})


def move_memo_item(remark: Remark, offset: int, *, actor: User | None) -> None:
    """Move a remark's item (a group's: its first remark's) one place up (-1) or down
    (1) inside its part; every item of the part gets its place stored."""
    check(actor, Permission.PROCESS_REMARKS)
    consultation = db.session.get_one(Consultation, remark.consultation_id)
    items = _part_order(consultation, remark.section_id)
    order = moved([remark_id for remark_id, _ in items], remark.id, offset)
    _store_item_order(consultation, remark.section_id, items, order, actor=actor)


def set_memo_item_order(consultation: Consultation, section_id: int | None,
                        remark_ids: list[int], *, actor: User | None) -> None:
    """A part's order of its items (a section's, or None: the general part), as a list
    of the remark id of every item (a group's first remark)."""
    check(actor, Permission.PROCESS_REMARKS)
    items = _part_order(consultation, section_id)
    if sorted(remark_ids) != sorted(remark_id for remark_id, _ in items):
        raise DomainError(_("Rækkefølgen skal rumme hvert punkt under overskriften én gang."))
    _store_item_order(consultation, section_id, items, remark_ids, actor=actor)


def _part_order(consultation: Consultation, section_id: int | None
                ) -> list[tuple[int, int | None]]:
    """The part's items in the memo's order: (remark id, stored place)."""
    ranks = body_ranks(memo_bodies(consultation))
    items = part_items(consultation, section_id, ranks, ranks_table(ranks),
                       non_first_grouped(consultation).cte("non_first"))
    return [(row.id, row.memo_position) for row in db.session.execute(items)]


def _store_item_order(consultation: Consultation, section_id: int | None,
                      items: list[tuple[int, int | None]], order: list[int], *,
                      actor: User | None) -> None:
    """Store each item's place where it changes (one UPDATE per changed row, sent
    together) and record the stretch of the part whose order changed."""
    before = [remark_id for remark_id, _ in items]
    differ = [n for n, (a, b) in enumerate(zip(before, order, strict=True)) if a != b]
    if not differ:
        return  # the order as it is: nothing to store
    stored = dict(items)
    db.session.flush()
    db.session.execute(update(Remark), [
        {"id": remark_id, "memo_position": place}
        for place, remark_id in enumerate(order, start=1) if stored[remark_id] != place])
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Remark):
            db.session.expire(obj, ["memo_position"])
    start, end = differ[0], differ[-1] + 1
    record_change(AuditTag.CONSULTATION_ORDER_MEMO, consultation, actor=actor, changes={
        "part": {"before": None, "after": GENERAL_KEY if section_id is None else section_id},
        "from_place": {"before": None, "after": start + 1},
        "remark_order": {"before": before[start:end], "after": order[start:end]},
    })


# --- follow-up tasks (videre arbejde) ------------------------------------------------


def add_task(policy: Policy, *, title: str, owner: str, due_on: date | None,
             actor: User | None) -> FollowUpTask:
    check(actor, Permission.PROCESS_REMARKS)
    if not title.strip():
        raise DomainError(_("Opgaven skal have en titel."))
    task = FollowUpTask(policy_id=policy.id, title=title.strip(), owner=owner.strip(),
                        due_on=due_on, status=TaskStatus.OPEN)
    add_and_record(task, AuditTag.TASK_CREATE, TASK_FIELDS, actor=actor)
    return task


def set_task_status(task: FollowUpTask, status: TaskStatus, *, actor: User | None) -> None:
    check(actor, Permission.PROCESS_REMARKS)
    update_and_record(task, AuditTag.TASK_UPDATE, TASK_FIELDS, {"status": status}, actor=actor)


def delete_task(task: FollowUpTask, *, actor: User | None) -> None:
    check(actor, Permission.PROCESS_REMARKS)
    record_change(AuditTag.TASK_DELETE, task, actor=actor, changes=deleted(task, TASK_FIELDS))
    db.session.delete(task)
    db.session.flush()
