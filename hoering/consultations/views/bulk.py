"""The inbox's actions on many remarks: approve the selected replies, move the selected
remarks to a section, assign them to a colleague. The selection is the remarks ticked on
the page, or all that match the inbox's filter (carried in the URL); the work is done by
hoering.consultations.bulk, and its outcome (done, and refused with the reasons) is
flashed back on the inbox with the same filter."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from hoering.accounts.models import User
from hoering.consultations import bulk
from hoering.consultations.forms import (
    NOBODY,
    BulkAssignForm,
    BulkMoveForm,
    BulkSelectionForm,
    section_from_choice,
)
from hoering.consultations.models import Consultation, Remark
from hoering.consultations.queries import (
    colleagues,
    inbox_remark_ids,
    section_label,
    version_sections,
)
from hoering.consultations.views.blueprint import bp
from hoering.consultations.views.filters import filter_args, inbox_filters
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import flash_error, perform
from hoering.policies.models import Section

Action = Callable[[list[Remark]], bulk.BulkOutcome]


def _summary(done: str, outcome: bulk.BulkOutcome, unchanged: str | None = None) -> str:
    """E.g. "12 svar godkendt; 3 afvist: «…» (2), «…» (1)." """
    parts = [done]
    if unchanged and outcome.unchanged:
        parts.append(unchanged)
    if outcome.refused:
        parts.append(outcome.refusals())
    return "; ".join(parts) + "."


def _run(consultation: Consultation, form: BulkSelectionForm, action: Action,
         summary: Callable[[bulk.BulkOutcome], str]) -> ResponseReturnValue:
    """Validate the selection, run ``action`` on it, commit once, say what was done."""
    filters = inbox_filters()
    back = url_for(".inbox", consultation_id=consultation.id, **filter_args(filters))
    if not form.validate_on_submit():
        for field in form:
            if field.errors:
                flash(f"{field.label.text}: {field.errors[0]}", "error")
        return redirect(back)
    if not form.all_filtered and not form.remark_ids.data:
        flash(_("Markér en eller flere bemærkninger, eller vælg alle, der matcher "
                "filteret."), "error")
        return redirect(back)
    ids = inbox_remark_ids(consultation, filters) if form.all_filtered else form.remark_ids.data
    return perform(lambda: action(bulk.selected_remarks(consultation, ids)),
                   done=summary, next_url=back, on_error=flash_error(back))


@bp.route("/hoeringer/<int:consultation_id>/bemaerkninger/godkend", methods=["POST"])
@permission_required(Permission.APPROVE_REPLIES)
def bulk_approve(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)

    def summary(outcome: bulk.BulkOutcome) -> str:
        return _summary(ngettext("%(num)d svar godkendt", "%(num)d svar godkendt",
                                 outcome.done), outcome)

    return _run(consultation, BulkSelectionForm(),
                lambda remarks: bulk.approve_replies(remarks, actor=current_user), summary)


@bp.route("/hoeringer/<int:consultation_id>/bemaerkninger/flyt", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def bulk_move(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    sections = version_sections(consultation)
    form = BulkMoveForm()
    form.fill(sections)

    def section() -> Section | None:  # once the form is valid: one of the version's
        return section_from_choice(form.section.data, sections)

    def summary(outcome: bulk.BulkOutcome) -> str:
        return _summary(
            ngettext("%(num)d bemærkning flyttet til «%(where)s»",
                     "%(num)d bemærkninger flyttet til «%(where)s»", outcome.done,
                     where=section_label(section())), outcome,
            ngettext("%(num)d lå der allerede", "%(num)d lå der allerede",
                     outcome.unchanged))

    return _run(consultation, form,
                lambda remarks: bulk.move_remarks(remarks, section(), actor=current_user),
                summary)


@bp.route("/hoeringer/<int:consultation_id>/bemaerkninger/tildel", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def bulk_assign(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = BulkAssignForm()
    form.fill(colleagues())

    def assignee() -> User | None:  # once the form is valid: a colleague, or nobody
        value = form.assignee.data
        return None if value == NOBODY else db.session.get(User, int(value))

    def summary(outcome: bulk.BulkOutcome) -> str:
        user = assignee()
        if user is None:
            return _summary(
                ngettext("Tildelingen er fjernet fra %(num)d bemærkning",
                         "Tildelingen er fjernet fra %(num)d bemærkninger", outcome.done),
                outcome, ngettext("%(num)d var ikke tildelt nogen",
                                  "%(num)d var ikke tildelt nogen", outcome.unchanged))
        return _summary(
            ngettext("%(num)d bemærkning tildelt %(name)s",
                     "%(num)d bemærkninger tildelt %(name)s", outcome.done,
                     name=user.name), outcome,
            ngettext("%(num)d var allerede tildelt %(name)s",
                     "%(num)d var allerede tildelt %(name)s", outcome.unchanged,
                     name=user.name))

    return _run(consultation, form,
                lambda remarks: bulk.assign_remarks(remarks, assignee(), actor=current_user),
                summary)
