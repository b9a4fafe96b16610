"""Writing the memo's editable parts, issuing memo versions, follow-up tasks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from hoering.accounts.models import User
from hoering.audit.record import add_and_record, deleted, record_change, update_and_record
from hoering.audit.tags import AuditTag
from hoering.consultations.models import Consultation
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check
from hoering.memos.build import build_memo
from hoering.memos.models import FollowUpTask, MemoIssue, TaskStatus
from hoering.memos.render import render_html, render_markdown
from hoering.memos.render_docx import render_docx
from hoering.memos.render_pdf import render_pdf
from hoering.policies.models import Policy

MEMO_FIELDS = ("memo_unit", "memo_background", "memo_further_work")
TASK_FIELDS = ("policy_id", "title", "owner", "due_on", "status")


def update_memo_texts(
    consultation: Consultation, *, unit: str, background: str, further_work: str,
    actor: User | None,
) -> Consultation:
    """Background left empty means: use the generated default."""
    check(actor, Permission.PROCESS_REMARKS)
    update_and_record(
        consultation, AuditTag.CONSULTATION_UPDATE_MEMO, MEMO_FIELDS,
        {"memo_unit": unit.strip(), "memo_background": background.strip() or None,
         "memo_further_work": further_work.strip()},
        actor=actor,
    )
    return consultation


def latest_issue(consultation: Consultation) -> MemoIssue | None:
    return db.session.scalar(
        select(MemoIssue).where(MemoIssue.consultation_id == consultation.id)
        .order_by(MemoIssue.number.desc()).limit(1)
    )


def issue_memo(consultation: Consultation, *, actor: User | None) -> MemoIssue:
    """Store the memo as it stands as the next issued version: the rendered files and
    the content hash, immutable from now on. Refused when nothing changed since the last
    issued version."""
    check(actor, Permission.PROCESS_REMARKS)
    if not consultation.is_opened:
        raise DomainError("Høringen er ikke åbnet; der er intet notat at udstede.")
    previous = latest_issue(consultation)
    number = (previous.number if previous else 0) + 1
    today = now_utc().astimezone(LOCAL_TZ).date()
    document = build_memo(consultation, draft=False, version=number, on=today)
    content_hash = document.content_hash()
    if previous is not None and previous.content_hash == content_hash:
        raise DomainError(
            f"Notatet er uændret siden version {previous.number}, som allerede er udstedt."
        )
    issue = MemoIssue(
        consultation_id=consultation.id, number=number,
        issued_by_id=actor.id if actor else None, content_hash=content_hash,
        markdown=render_markdown(document), html=render_html(document),
        docx=render_docx(document), pdf=render_pdf(document),
    )
    db.session.add(issue)
    db.session.flush()
    record_change(AuditTag.MEMO_ISSUE, issue, actor=actor, changes={
        "number": {"before": None, "after": number},
        "content_hash": {"before": previous.content_hash if previous else None,
                         "after": content_hash},
    })
    return issue


def issue_count(consultation: Consultation) -> int:
    return db.session.execute(
        select(func.count(MemoIssue.id)).where(MemoIssue.consultation_id == consultation.id)
    ).scalar_one()


# --- follow-up tasks (videre arbejde) ------------------------------------------------


def add_task(policy: Policy, *, title: str, owner: str, due_on: date | None,
             actor: User | None) -> FollowUpTask:
    check(actor, Permission.PROCESS_REMARKS)
    if not title.strip():
        raise DomainError("Opgaven skal have en titel.")
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
