"""Consultations, staff side: importing a committee's decision from its minutes."""

from __future__ import annotations

from functools import partial

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.validators import ValidationError

from hoering.accounts.models import Body
from hoering.consultations import operations
from hoering.consultations.forms import (
    MinutesForm,
    MinutesReviewForm,
    body_choices,
    section_choices,
    section_from_choice,
)
from hoering.consultations.minutes.parse import parse_minutes
from hoering.consultations.minutes.results import SectionRef
from hoering.consultations.models import (
    Consultation,
    Response,
)
from hoering.consultations.queries import (
    GENERAL,
    invited_bodies,
    version_sections,
)
from hoering.consultations.views.blueprint import bp, consultation_url
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.permissions import (
    Permission,
    permission_required,
)
from hoering.core.web import flash_error, perform


def _section_refs(sections) -> list[SectionRef]:
    return [SectionRef(position=s.position, heading=s.heading) for s in sections]


def _minutes_review(consultation: Consultation, form: MinutesForm, sections) -> str:
    """The review page: the pasted minutes split into proposed remarks, each with the
    section it names."""
    parsed = parse_minutes(form.text.data, _section_refs(sections))
    choices = section_choices(sections)
    by_position = {s.position: s for s in sections}
    review = MinutesReviewForm(formdata=None, obj=None)
    review.body_id.choices = form.body_id.choices
    review.body_id.data = form.body_id.data
    review.meeting_date.data = form.meeting_date.data
    review.agenda_item.data = form.agenda_item.data
    review.text.data = form.text.data
    for remark in parsed.remarks:
        review.remarks.append_entry()
        entry = review.remarks[-1].form
        entry.section.choices = choices
        entry.text.data = remark.text
        section = by_position.get(remark.section_position)
        entry.section.data = str(section.id) if section else GENERAL
        entry.include.data = True
    return render_template(
        "consultations/minutes.html", consultation=consultation, form=review, parsed=parsed
    )


def _minutes_imported(response: Response) -> str:
    message: str  # flask_babel is untyped
    if response.no_remarks:
        assert response.body is not None  # minutes are a body's
        message = _("%(body)s er registreret med ingen bemærkninger.", body=response.body.name)
    else:
        message = _(
            "%(n)d bemærkninger fra %(source)s er gemt.",
            n=len(response.remarks),
            source=response.source,
        )
    return message


@bp.route("/hoeringer/<int:consultation_id>/referat", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def import_minutes(consultation_id: int):
    """Paste → review the proposed remarks and sections → save."""
    consultation = db.get_or_404(Consultation, consultation_id)
    sections = version_sections(consultation)
    choices = section_choices(sections)
    form = MinutesReviewForm() if "save" in request.form else MinutesForm()
    form.body_id.choices = body_choices(invited_bodies(consultation))
    for entry in getattr(form, "remarks", []):
        entry.form.section.choices = choices
    organ = request.args.get("organ", type=int)
    if request.method == "GET" and organ:
        form.body_id.data = organ
    if not form.validate_on_submit():
        return render_template(
            "consultations/minutes.html", consultation=consultation, form=form, parsed=None
        )
    review = partial(_minutes_review, consultation, form, sections)
    if "save" not in request.form:
        return review()

    def save() -> Response:
        remarks = [
            operations.ImportedRemark(
                text=entry.form.text.data,
                section=section_from_choice(entry.form.section.data, sections),
            )
            for entry in form.remarks
            if entry.form.include.data
        ]
        return operations.import_minutes(
            consultation,
            db.get_or_404(Body, form.body_id.data),
            meeting_date=form.meeting_date.data,
            agenda_item=form.agenda_item.data,
            remarks=remarks,
            actor=current_user,
        )

    return perform(
        save,
        done=_minutes_imported,
        next_url=consultation_url(consultation),
        on_error=flash_error(review),
        catch=(DomainError, ValidationError),
    )
