"""The memo page, memo downloads (draft and issued), follow-up tasks."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from hoering.consultations.contradictions import contradiction_summary
from hoering.consultations.models import Consultation, Consultee, Remark
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import (
    EmptyForm,
    confirmed,
    download,
    error_message,
    flash_error,
    form_error,
    perform,
)
from hoering.memos import operations
from hoering.memos.build import MemoBuild, build_memo, part_labels
from hoering.memos.digest import draft_differs
from hoering.memos.formats import FORMATS, render
from hoering.memos.forms import (
    PART_PREFIX,
    TASK_STATUS_LABELS,
    IssueForm,
    MemoTextsForm,
    MoveForm,
    TaskForm,
    TaskStatusForm,
    memo_texts_form,
)
from hoering.memos.letterhead import current_letterhead
from hoering.memos.models import FollowUpTask, MemoIssue, TaskStatus
from hoering.memos.models import issued_file as stored_file
from hoering.memos.preview import memo_preview
from hoering.memos.render import document_context
from hoering.policies.models import Policy

bp = Blueprint("memos", __name__)

# The memo page previews this many items of each part (the downloads hold them all) and
# lists this many contradictions of each kind: a memo may have 100,000 remarks.
PREVIEW_ITEMS = 25
CONTRADICTIONS_SHOWN = 50


def _form_errors(form) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


def _memo_url(consultation: Consultation, anchor: str | None = None) -> str:
    return url_for("memos.memo", consultation_id=consultation.id, _anchor=anchor)


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


def _texts_form(consultation: Consultation, labels: tuple[tuple[str, str], ...],
                formdata: bool = False) -> MemoTextsForm:
    """The texts form with a field per part heading (``labels``: key, section heading);
    with ``formdata`` as posted, else filled with the memo's texts."""
    form_class = memo_texts_form(labels)
    if formdata:
        return form_class()
    stored = consultation.memo_part_headings or {}
    return form_class(
        formdata=None, title=consultation.memo_title or "", unit=consultation.memo_unit,
        background=consultation.memo_background or "",
        responses_heading=consultation.memo_responses_heading or "",
        responses_intro=consultation.memo_responses_intro or "",
        further_work=consultation.memo_further_work,
        further_work_after=consultation.memo_further_work_after,
        consultee_list=consultation.memo_consultee_list,
        **{PART_PREFIX + key: stored.get(key, "") for key, _ in labels},
    )


def _memo_build(consultation: Consultation
                ) -> tuple[MemoBuild, tuple[int, ...], bool, list[MemoIssue]]:
    """The memo's preview, each part's item count, whether the draft differs from the
    latest issued version, and the issued versions."""
    issues = list(db.session.scalars(
        db.select(MemoIssue).where(MemoIssue.consultation_id == consultation.id)
        .options(joinedload(MemoIssue.issued_by)).order_by(MemoIssue.number.desc())
    ))
    preview = memo_preview(consultation, limit=PREVIEW_ITEMS)  # its first items only
    changed = bool(issues) and draft_differs(consultation, issues[0], preview.build)
    return preview.build, preview.totals, changed, issues


def _memo_page(consultation: Consultation, texts_form: MemoTextsForm | None = None):
    build, totals, changed, issues = _memo_build(consultation)
    texts_form = texts_form or _texts_form(consultation, build.part_labels)
    texts_form.show_defaults(build.defaults)
    tasks = db.session.scalars(
        db.select(FollowUpTask).where(FollowUpTask.policy_id == consultation.version.policy_id)
        .order_by(FollowUpTask.id)
    ).all()
    return render_template(
        "memos/memo.html", consultation=consultation, issues=issues,
        changed_since_issue=changed, texts_form=texts_form, task_form=TaskForm(formdata=None),
        tasks=tasks, status_form=TaskStatusForm(formdata=None), button_form=EmptyForm(),
        contradictions=contradiction_summary(consultation, limit=CONTRADICTIONS_SHOWN),
        contradictions_shown=CONTRADICTIONS_SHOWN, bodies=build.bodies,
        order_parts=_order_parts(build, totals),
        formats=FORMATS, TASK_STATUS_LABELS=TASK_STATUS_LABELS,
        **document_context(build.document, preview_items=PREVIEW_ITEMS, part_totals=totals),
    )


def _order_parts(build: MemoBuild, totals: tuple[int, ...]) -> list[dict[str, Any]]:
    """Each part's heading, key, total and its first items with their remark ids, for the
    order's move buttons."""
    return [
        {"heading": part.heading, "key": key, "total": total,
         "items": list(zip(ids[:PREVIEW_ITEMS], part.items[:PREVIEW_ITEMS], strict=True))}
        for part, key, ids, total in zip(build.document.parts, build.part_keys,
                                         build.item_ids, totals, strict=True)
    ]


@bp.route("/hoeringer/<int:consultation_id>/notat")
@permission_required(Permission.VIEW_CONSULTATIONS)
def memo(consultation_id: int):
    return _memo_page(db.get_or_404(Consultation, consultation_id))


@bp.route("/hoeringer/<int:consultation_id>/notat.<fmt>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def draft_file(consultation_id: int, fmt: str):
    consultation = db.get_or_404(Consultation, consultation_id)
    if fmt not in FORMATS:
        abort(404)
    data = render(build_memo(consultation), fmt, current_letterhead())
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
    form = _texts_form(consultation, part_labels(consultation.version.sections),
                      formdata=True)
    if not form.validate_on_submit():  # the page again, with what was typed
        flash(_("Teksterne kunne ikke gemmes: %(errors)s", errors=_form_errors(form)), "error")
        return _memo_page(consultation, form)
    return perform(
        lambda: operations.update_memo_texts(consultation, form.texts(), actor=current_user),
        done=_("Notatets tekster er gemt."), next_url=_memo_url(consultation, "tekster"),
        on_error=form_error(form.title, lambda: _memo_page(consultation, form)),
    )


@bp.route("/notat/hoeringsparter/<int:consultee_id>/flyt", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def move_body(consultee_id: int):
    consultee = db.get_or_404(Consultee, consultee_id)
    back = _memo_url(consultee.consultation, f"hoeringspart-{consultee.id}")
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Rækkefølgen kunne ikke ændres: %(errors)s", errors=_form_errors(form)),
              "error")
        return redirect(back)
    return perform(lambda: operations.move_body(consultee, form.offset, actor=current_user),
                   done=_("Rækkefølgen er gemt."), next_url=back, on_error=flash_error(back))


@bp.route("/notat/punkter/<int:remark_id>/flyt", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def move_item(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    back = _memo_url(db.session.get_one(Consultation, remark.consultation_id),
                     f"punkt-{remark.id}")
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Rækkefølgen kunne ikke ændres: %(errors)s", errors=_form_errors(form)),
              "error")
        return redirect(back)
    return perform(lambda: operations.move_memo_item(remark, form.offset, actor=current_user),
                   done=_("Rækkefølgen er gemt."), next_url=back, on_error=flash_error(back))


def _issue_page(consultation: Consultation, form: IssueForm, error: str | None = None):
    readiness = operations.issue_readiness(consultation)
    page = render_template(
        "memos/issue.html", consultation=consultation, form=form, error=error,
        refusal=readiness.refusal, missing=readiness.missing,
        missing_text=operations.missing_text(readiness.missing),
        number=operations.issue_count(consultation) + 1, cancel_url=_memo_url(consultation),
    )
    return (page, 409) if error else page


@bp.route("/hoeringer/<int:consultation_id>/notat/udsted", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def issue(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = IssueForm()
    if not form.validate_on_submit():
        return _issue_page(consultation, form)
    return perform(
        lambda: operations.issue_memo(consultation, actor=current_user,
                                      mark_pending=bool(form.mark_pending.data)),
        done=lambda issued: _("Høringsnotatet er udstedt som version %(n)d.", n=issued.number),
        next_url=_memo_url(consultation),
        on_error=lambda error: _issue_page(consultation, form, error_message(error)),
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
