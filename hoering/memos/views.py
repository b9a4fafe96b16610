"""The memo page, memo downloads (draft and issued), follow-up tasks."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from hoering.consultations.contradictions import contradiction_summary
from hoering.consultations.models import Consultation
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import EmptyForm, confirmed, download, perform
from hoering.memos import operations
from hoering.memos.build import build_memo
from hoering.memos.forms import TASK_STATUS_LABELS, MemoTextsForm, TaskForm, TaskStatusForm
from hoering.memos.models import FollowUpTask, MemoIssue, TaskStatus
from hoering.memos.models import issued_file as stored_file
from hoering.memos.preview import memo_preview
from hoering.memos.render import FORMATS, document_context, render
from hoering.policies.models import Policy

bp = Blueprint("memos", __name__)

# The memo page previews this many items of each part (the downloads hold them all) and
# lists this many contradictions of each kind: a memo may have 100,000 remarks.
PREVIEW_ITEMS = 25
CONTRADICTIONS_SHOWN = 50


def _form_errors(form) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


def _memo_url(consultation: Consultation) -> str:
    return url_for("memos.memo", consultation_id=consultation.id)


def _download_name(title: str, suffix: str, extension: str) -> str:
    slug = re.sub(r"[^0-9A-Za-zæøåÆØÅ]+", "-", title).strip("-").lower()[:80]
    return f"hoeringsnotat-{slug}-{suffix}.{extension}"


def _file_response(data: bytes | str, fmt: str, filename: str) -> Response:
    response = download(data, filename, FORMATS[fmt].mimetype, inline=fmt in ("html", "pdf"))
    if fmt == "html":  # a standalone document with its own print CSS
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        )
    return response


@bp.route("/hoeringer/<int:consultation_id>/notat")
@permission_required(Permission.VIEW_CONSULTATIONS)
def memo(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    issues = db.session.scalars(
        db.select(MemoIssue).where(MemoIssue.consultation_id == consultation.id)
        .options(joinedload(MemoIssue.issued_by)).order_by(MemoIssue.number.desc())
    ).all()
    if issues:  # whether the draft differs takes the whole memo (its content hash)
        document = build_memo(consultation)
        changed = issues[0].content_hash != document.content_hash()
        totals = tuple(len(part.items) for part in document.parts)
    else:  # the preview only: its first items, read in bounded queries
        preview = memo_preview(consultation, limit=PREVIEW_ITEMS)
        document, totals, changed = preview.document, preview.totals, False
    texts_form = MemoTextsForm(
        formdata=None, unit=consultation.memo_unit,
        background=consultation.memo_background or "",
        further_work=consultation.memo_further_work,
    )
    policy = consultation.version.policy
    tasks = db.session.scalars(
        db.select(FollowUpTask).where(FollowUpTask.policy_id == policy.id)
        .order_by(FollowUpTask.id)
    ).all()
    return render_template(
        "memos/memo.html", consultation=consultation, issues=issues,
        changed_since_issue=changed,
        texts_form=texts_form, task_form=TaskForm(formdata=None), tasks=tasks,
        status_form=TaskStatusForm(formdata=None), button_form=EmptyForm(),
        contradictions=contradiction_summary(consultation, limit=CONTRADICTIONS_SHOWN),
        contradictions_shown=CONTRADICTIONS_SHOWN,
        formats=FORMATS, TASK_STATUS_LABELS=TASK_STATUS_LABELS,
        **document_context(document, preview_items=PREVIEW_ITEMS, part_totals=totals),
    )


@bp.route("/hoeringer/<int:consultation_id>/notat.<fmt>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def draft_file(consultation_id: int, fmt: str):
    consultation = db.get_or_404(Consultation, consultation_id)
    if fmt not in FORMATS:
        abort(404)
    data = render(build_memo(consultation), fmt)
    return _file_response(data, fmt, _download_name(consultation.title, "udkast", fmt))


@bp.route("/notater/<int:issue_id>.<fmt>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def issued_file(issue_id: int, fmt: str):
    issue = db.get_or_404(MemoIssue, issue_id)
    if fmt not in FORMATS:
        abort(404)
    data = stored_file(issue, fmt)
    consultation = db.session.get_one(Consultation, issue.consultation_id)
    return _file_response(
        data, fmt, _download_name(consultation.title, f"version-{issue.number}", fmt)
    )


@bp.route("/hoeringer/<int:consultation_id>/notat/tekster", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def update_texts(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = MemoTextsForm()
    if not form.validate_on_submit():
        flash(_("Teksterne kunne ikke gemmes: %(errors)s", errors=_form_errors(form)), "error")
        return redirect(_memo_url(consultation))
    return perform(
        lambda: operations.update_memo_texts(
            consultation, unit=form.unit.data or "", background=form.background.data or "",
            further_work=form.further_work.data or "", actor=current_user,
        ),
        done=_("Notatets tekster er gemt."), next_url=_memo_url(consultation),
    )


@bp.route("/hoeringer/<int:consultation_id>/notat/udsted", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def issue(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return confirmed(
        lambda: operations.issue_memo(consultation, actor=current_user),
        title=_("Udsted høringsnotat"),
        question=_("Vil du udstede høringsnotatet, som det ser ud nu? Filerne gemmes "
                   "uforanderligt som version %(n)d. Senere ændringer kræver en ny version.",
                   n=operations.issue_count(consultation) + 1),
        confirm_label=_("Udsted høringsnotat"), cancel_url=_memo_url(consultation),
        done=lambda issued: _("Høringsnotatet er udstedt som version %(n)d.", n=issued.number),
        next_url=_memo_url(consultation),
    )


def _back_to_memo() -> str:
    consultation_id = request.args.get("hoering", type=int)
    if consultation_id:
        return url_for("memos.memo", consultation_id=consultation_id, _anchor="opgaver")
    return url_for("main.dashboard")


@bp.route("/politikker/<int:policy_id>/opgaver", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def add_task(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    form = TaskForm()
    if not form.validate_on_submit():
        flash(_("Opgaven kunne ikke tilføjes: %(errors)s", errors=_form_errors(form)), "error")
        return redirect(_back_to_memo())
    return perform(
        lambda: operations.add_task(policy, title=form.title.data, owner=form.owner.data or "",
                                    due_on=form.due_on.data, actor=current_user),
        done=_("Opgaven er tilføjet."), next_url=_back_to_memo(),
    )


@bp.route("/opgaver/<int:task_id>/status", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def task_status(task_id: int):
    task = db.get_or_404(FollowUpTask, task_id)
    form = TaskStatusForm()
    if not form.validate_on_submit():
        abort(400)
    return perform(
        lambda: operations.set_task_status(task, TaskStatus(form.status.data),
                                           actor=current_user),
        done=_("Status er gemt."), next_url=_back_to_memo(),
    )


@bp.route("/opgaver/<int:task_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def delete_task(task_id: int):
    task = db.get_or_404(FollowUpTask, task_id)
    return confirmed(
        lambda: operations.delete_task(task, actor=current_user),
        title=_("Slet opgave"),
        question=_("Vil du slette opgaven «%(title)s»?", title=task.title),
        confirm_label=_("Slet opgave"), cancel_url=_back_to_memo(),
        done=_("Opgaven er slettet."), next_url=_back_to_memo(),
    )
