"""Consultations, members (and staff on a body's behalf): drafting and submitting a body's
response.

The same pages serve a body's external contact, who has no account and comes through
the body's personal link (hoering.consultations.views.external): each page is a function
of the ``Responder`` (who acts, and where the page's links and forms lead), and the same
operations apply the same rules to both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts.models import Body, User
from hoering.consultations import operations
from hoering.consultations.forms import (
    RemarkForm,
    section_choices,
    section_from_choice,
)
from hoering.consultations.models import (
    Consultation,
    Remark,
    Response,
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
)
from hoering.core.web import EmptyForm, confirmed, no_store, perform


@dataclass(frozen=True)
class ResponsePages:
    """The endpoints of one set of response pages: ``prefix`` + ``response``,
    ``add_remark``, ``edit_remark``, ``delete_remark``, ``submit``, ``decline``.
    ``remarks_by_body``: a remark's pages also name the consultation and the body."""

    prefix: str
    remarks_by_body: bool = False


MEMBER_PAGES = ResponsePages("consultations.")


@dataclass(frozen=True)
class Responder:
    """Who drafts and submits on these pages: a logged-in member or staff, or a body's
    external contact (``external``: a stand-in user for the operations' rules)."""

    actor: User
    pages: ResponsePages = MEMBER_PAGES
    external: bool = False


@dataclass(frozen=True)
class ResponseUrls:
    """The response pages' URLs for one body's response, for the templates:
    ``urls("submit")``, ``urls("edit_remark", remark)``, ``urls("response", _anchor=...)``."""

    pages: ResponsePages
    consultation: Consultation
    body: Body

    def __call__(self, page: str, remark: Remark | None = None, **kwargs: Any) -> str:
        args: dict[str, Any] = {}
        if remark is None or self.pages.remarks_by_body:
            args = {"consultation_id": self.consultation.id, "body_id": self.body.id}
        if remark is not None:
            args["remark_id"] = remark.id
        return url_for(self.pages.prefix + page, **args, **kwargs)


def _member() -> Responder:
    return Responder(current_user._get_current_object())


def _allow(allowed: bool) -> None:
    """403 unless allowed (a member's page has checked the login already; a link's page
    its grant)."""
    if not allowed:
        abort(403)


@bp.route("/mine-hoeringer")
@permission_required(Permission.RESPOND)
def mine():
    consultations = consultations_for_member(current_user)
    my_body_ids = {m.body_id for m in current_user.memberships}
    return render_template(
        "consultations/mine.html", consultations=consultations, my_body_ids=my_body_ids,
        now=now_utc(),
    )


def load_body_response(consultation_id: int,
                       body_id: int) -> tuple[Consultation, Body, Response | None]:
    """The consultation, an invited body and its response (None before a draft); 404 for
    a body that is not invited."""
    consultation = db.get_or_404(Consultation, consultation_id)
    body = db.get_or_404(Body, body_id)
    if not any(c.body_id == body.id for c in consultation.consultees):
        abort(404)
    return consultation, body, response_for(consultation, body)


def _remark_form(consultation: Consultation, **values: Any) -> RemarkForm:
    form = RemarkForm(**values)
    form.section.choices = section_choices(version_sections(consultation), placeholder=True)
    return form


def render_response(responder: Responder, consultation: Consultation, body: Body,
                    response: Response | None, form: RemarkForm | None = None) -> str:
    """The body's response page: its draft (editable for those who may) or what it
    submitted, and the form for another remark."""
    submitted = response is not None and response.is_submitted
    return render_template(
        "consultations/response.html", consultation=consultation, body=body,
        response=response, sections=version_sections(consultation),
        form=form or _remark_form(consultation), button_form=EmptyForm(),
        may_edit=can_respond_for(responder.actor, body.id) and not submitted,
        may_submit=can_submit_for(responder.actor, body.id) and not submitted,
        urls=ResponseUrls(responder.pages, consultation, body),
        external=responder.external, now=now_utc(),
    )


def show_response(responder: Responder, consultation_id: int, body_id: int) -> str:
    consultation, body, response = load_body_response(consultation_id, body_id)
    submitted = response is not None and response.is_submitted
    _allow(can_view_response(responder.actor, body.id, submitted=submitted))
    if not consultation.is_opened and not submitted:
        abort(404)
    return render_response(responder, consultation, body, response)


def add_remark_from_form(responder: Responder, consultation_id: int,
                         body_id: int) -> ResponseReturnValue:
    consultation, body, response = load_body_response(consultation_id, body_id)
    _allow(can_respond_for(responder.actor, body.id))
    form = _remark_form(consultation)
    if not form.validate_on_submit():
        return render_response(responder, consultation, body, response, form), 200
    sections = version_sections(consultation)

    def add() -> None:
        draft = response or operations.draft_response(consultation, body,
                                                      actor=responder.actor)
        operations.add_remark(
            draft, section=section_from_choice(form.section.data, sections),
            text=form.text.data, actor=responder.actor,
        )

    urls = ResponseUrls(responder.pages, consultation, body)
    return perform(add, done=_("Bemærkningen er gemt i kladden."),
                   next_url=urls("response", _anchor="kladde"))


def draft_remark(responder: Responder, remark_id: int) -> tuple[Remark, Body]:
    """The remark and the body whose response it is in; a citizen's remark is no draft
    (409, saying what staff can do with it instead)."""
    remark = db.get_or_404(Remark, remark_id)
    _allow(can_respond_for(responder.actor, remark.response.body_id))
    return remark, operations.responding_body(remark.response)


def edit_remark_form(responder: Responder, remark: Remark, body: Body) -> ResponseReturnValue:
    consultation = remark.response.consultation
    sections = version_sections(consultation)
    form = _remark_form(consultation, formdata=request.form if request.method == "POST" else None,
                        text=remark.original_text,
                        section=str(remark.section_id) if remark.section_id else GENERAL)
    urls = ResponseUrls(responder.pages, consultation, body)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_draft_remark(
                remark, section=section_from_choice(form.section.data, sections),
                text=form.text.data, actor=responder.actor,
            ),
            done=_("Bemærkningen er gemt."), next_url=urls("response", _anchor="kladde"),
        )
    return render_template("consultations/remark_form.html", form=form, remark=remark,
                           consultation=consultation, body=body, urls=urls)


def confirm_delete_remark(responder: Responder, remark: Remark,
                          body: Body) -> ResponseReturnValue:
    urls = ResponseUrls(responder.pages, remark.response.consultation, body)
    return confirmed(
        lambda: operations.delete_draft_remark(remark, actor=responder.actor),
        title=_("Slet bemærkning"),
        question=_("Vil du slette bemærkningen «%(text)s» fra kladden?",
                   text=remark.original_text[:200]),
        confirm_label=_("Slet bemærkning"), cancel_url=urls("response"),
        done=_("Bemærkningen er slettet fra kladden."),
        next_url=urls("response", _anchor="kladde"),
    )


def confirm_submit(responder: Responder, consultation_id: int,
                   body_id: int) -> ResponseReturnValue:
    consultation, body, response = load_body_response(consultation_id, body_id)
    _allow(can_submit_for(responder.actor, body.id))
    if response is None:
        raise DomainError(_("Der er ingen kladde at indsende. Tilføj først bemærkninger."))
    urls = ResponseUrls(responder.pages, consultation, body)
    return confirmed(
        lambda: operations.submit_response(response, actor=responder.actor),
        title=_("Indsend høringssvar"),
        question=_("Vil du indsende høringssvaret fra %(body)s med %(n)d bemærkninger? "
                   "Derefter er det låst.", body=body.name, n=len(response.remarks)),
        confirm_label=_("Indsend høringssvar"), cancel_url=urls("response"),
        done=_("Høringssvaret fra %(body)s er indsendt.", body=body.name),
        next_url=urls("response"),
    )


def confirm_decline(responder: Responder, consultation_id: int,
                    body_id: int) -> ResponseReturnValue:
    consultation, body, _response = load_body_response(consultation_id, body_id)
    _allow(can_submit_for(responder.actor, body.id))
    urls = ResponseUrls(responder.pages, consultation, body)
    return confirmed(
        lambda: operations.decline(consultation, body, actor=responder.actor),
        title=_("Ingen bemærkninger"),
        question=_("Vil du melde, at %(body)s ikke har bemærkninger til høringen?",
                   body=body.name),
        confirm_label=_("Meld ingen bemærkninger"), cancel_url=urls("response"),
        done=_("%(body)s er registreret med ingen bemærkninger.", body=body.name),
        next_url=urls("response"),
    )


# --- the members' pages ----------------------------------------------------------------


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>", methods=["GET"])
@no_store
@permission_required(Permission.VIEW_DASHBOARD)
def response(consultation_id: int, body_id: int):
    return show_response(_member(), consultation_id, body_id)


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>/bemaerkninger",
          methods=["POST"])
@permission_required(Permission.RESPOND)
def add_remark(consultation_id: int, body_id: int):
    return add_remark_from_form(_member(), consultation_id, body_id)


@bp.route("/hoeringer/kladder/bemaerkninger/<int:remark_id>", methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def edit_remark(remark_id: int):
    responder = _member()
    return edit_remark_form(responder, *draft_remark(responder, remark_id))


@bp.route("/hoeringer/kladder/bemaerkninger/<int:remark_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def delete_remark(remark_id: int):
    responder = _member()
    return confirm_delete_remark(responder, *draft_remark(responder, remark_id))


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>/indsend",
          methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def submit(consultation_id: int, body_id: int):
    return confirm_submit(_member(), consultation_id, body_id)


@bp.route("/hoeringer/<int:consultation_id>/organer/<int:body_id>/ingen-bemaerkninger",
          methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def decline(consultation_id: int, body_id: int):
    return confirm_decline(_member(), consultation_id, body_id)
