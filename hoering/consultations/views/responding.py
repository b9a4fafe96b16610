"""Consultations, members (and staff on a body's behalf): drafting and submitting a body's
response."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts.models import Body
from hoering.consultations import operations
from hoering.consultations.forms import (
    RemarkForm,
    section_choices,
    section_from_choice,
)
from hoering.consultations.models import (
    Consultation,
    Remark,
)
from hoering.consultations.queries import (
    GENERAL,
    consultations_for_member,
    response_for,
    version_sections,
)
from hoering.consultations.views.blueprint import bp
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import (
    Permission,
    can_respond_for,
    can_submit_for,
    can_view_response,
    permission_required,
    require_that,
)
from hoering.core.web import EmptyForm, confirmed, no_store, perform


@bp.route("/mine-hoeringer")
@permission_required(Permission.RESPOND)
def mine():
    consultations = consultations_for_member(current_user)
    my_body_ids = {m.body_id for m in current_user.memberships}
    return render_template(
        "consultations/mine.html", consultations=consultations, my_body_ids=my_body_ids,
        now=now_utc(),
    )


def _load_body_response(consultation_id: int, body_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    body = db.get_or_404(Body, body_id)
    if not any(c.body_id == body.id for c in consultation.consultees):
        abort(404)
    return consultation, body, response_for(consultation, body)


def _response_url(consultation: Consultation, body: Body, **kwargs) -> str:
    return url_for("consultations.response", consultation_id=consultation.id,
                   body_id=body.id, **kwargs)


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>", methods=["GET"])
@no_store
@permission_required(Permission.VIEW_DASHBOARD)
def response(consultation_id: int, body_id: int):
    consultation, body, response = _load_body_response(consultation_id, body_id)
    submitted = response is not None and response.is_submitted
    require_that(can_view_response(current_user, body.id, submitted=submitted))
    if not consultation.is_opened and not submitted:
        abort(404)
    sections = version_sections(consultation)
    form = RemarkForm()
    form.section.choices = section_choices(sections)
    return render_template(
        "consultations/response.html", consultation=consultation, body=body,
        response=response, sections=sections, form=form, button_form=EmptyForm(),
        may_edit=can_respond_for(current_user, body.id) and not submitted,
        may_submit=can_submit_for(current_user, body.id) and not submitted,
        now=now_utc(),
    )


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>/bemaerkninger",
          methods=["POST"])
@permission_required(Permission.RESPOND)
def add_remark(consultation_id: int, body_id: int):
    consultation, body, response = _load_body_response(consultation_id, body_id)
    require_that(can_respond_for(current_user, body.id))
    sections = version_sections(consultation)
    form = RemarkForm()
    form.section.choices = section_choices(sections)
    if form.validate_on_submit():

        def add() -> None:
            draft = response or operations.draft_response(consultation, body,
                                                          actor=current_user)
            operations.add_remark(
                draft, section=section_from_choice(form.section.data, sections),
                text=form.text.data, actor=current_user,
            )

        return perform(add, done=_("Bemærkningen er gemt i kladden."),
                       next_url=_response_url(consultation, body, _anchor="kladde"))
    return render_template(
        "consultations/response.html", consultation=consultation, body=body,
        response=response, sections=sections, form=form, button_form=EmptyForm(),
        may_edit=True, may_submit=can_submit_for(current_user, body.id), now=now_utc(),
    ), 200


def _load_draft_remark(remark_id: int) -> tuple[Remark, Body]:
    """The remark and the body whose response it is in; a citizen's remark is no draft
    (409, saying what staff can do with it instead)."""
    remark = db.get_or_404(Remark, remark_id)
    require_that(can_respond_for(current_user, remark.response.body_id))
    return remark, operations.responding_body(remark.response)


@bp.route("/hoeringer/kladder/bemaerkninger/<int:remark_id>", methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def edit_remark(remark_id: int):
    remark, body = _load_draft_remark(remark_id)
    consultation = remark.response.consultation
    sections = version_sections(consultation)
    form = RemarkForm(formdata=request.form if request.method == "POST" else None,
                      text=remark.original_text,
                      section=str(remark.section_id) if remark.section_id else GENERAL)
    form.section.choices = section_choices(sections)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_draft_remark(
                remark, section=section_from_choice(form.section.data, sections),
                text=form.text.data, actor=current_user,
            ),
            done=_("Bemærkningen er gemt."),
            next_url=_response_url(consultation, body, _anchor="kladde"),
        )
    return render_template("consultations/remark_form.html", form=form, remark=remark,
                           consultation=consultation, body=body)


@bp.route("/hoeringer/kladder/bemaerkninger/<int:remark_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def delete_remark(remark_id: int):
    remark, body = _load_draft_remark(remark_id)
    consultation = remark.response.consultation
    return confirmed(
        lambda: operations.delete_draft_remark(remark, actor=current_user),
        title=_("Slet bemærkning"),
        question=_("Vil du slette bemærkningen «%(text)s» fra kladden?",
                   text=remark.original_text[:200]),
        confirm_label=_("Slet bemærkning"), cancel_url=_response_url(consultation, body),
        done=_("Bemærkningen er slettet fra kladden."),
        next_url=_response_url(consultation, body, _anchor="kladde"),
    )


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>/indsend",
          methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def submit(consultation_id: int, body_id: int):
    consultation, body, response = _load_body_response(consultation_id, body_id)
    require_that(can_submit_for(current_user, body.id))
    if response is None:
        raise DomainError(_("Der er ingen kladde at indsende. Tilføj først bemærkninger."))
    return confirmed(
        lambda: operations.submit_response(response, actor=current_user),
        title=_("Indsend høringssvar"),
        question=_("Vil du indsende høringssvaret fra %(body)s med %(n)d bemærkninger? "
                   "Derefter er det låst.", body=body.name, n=len(response.remarks)),
        confirm_label=_("Indsend høringssvar"), cancel_url=_response_url(consultation, body),
        done=_("Høringssvaret fra %(body)s er indsendt.", body=body.name),
        next_url=_response_url(consultation, body),
    )


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>/ingen-bemaerkninger",
          methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def decline(consultation_id: int, body_id: int):
    consultation, body, _response = _load_body_response(consultation_id, body_id)
    require_that(can_submit_for(current_user, body.id))
    return confirmed(
        lambda: operations.decline(consultation, body, actor=current_user),
        title=_("Ingen bemærkninger"),
        question=_("Vil du melde, at %(body)s ikke har bemærkninger til høringen?",
                   body=body.name),
        confirm_label=_("Meld ingen bemærkninger"),
        cancel_url=_response_url(consultation, body),
        done=_("%(body)s er registreret med ingen bemærkninger.", body=body.name),
        next_url=_response_url(consultation, body),
    )
