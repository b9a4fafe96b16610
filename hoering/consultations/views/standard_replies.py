"""The secretariat's standard replies: the list, adding, editing and deleting one (with
confirmation). Inserting one into a reply is on the remark page (views.processing)."""

from __future__ import annotations

from functools import partial

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hoering.consultations import standard_replies as operations
from hoering.consultations.forms import StandardReplyForm
from hoering.consultations.models import Disposition, StandardReply
from hoering.consultations.views.blueprint import bp
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import confirmed, form_error, perform


@bp.route("/standardsvar")
@permission_required(Permission.PROCESS_REMARKS)
def standard_replies():
    return render_template("consultations/standard_replies.html",
                           standards=operations.standard_replies())


@bp.route("/standardsvar/nyt", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def new_standard_reply():
    form = StandardReplyForm()
    page = partial(render_template, "consultations/standard_reply_form.html", form=form,
                   standard=None)
    if form.validate_on_submit():
        return perform(
            lambda: operations.create_standard_reply(
                disposition=Disposition(form.disposition.data), title=form.title.data,
                text=form.text.data, actor=current_user),
            done=lambda standard: _("Standardsvaret «%(title)s» er oprettet.",
                                    title=standard.title),
            next_url=url_for(".standard_replies"), on_error=form_error(form.title, page),
        )
    return page()


@bp.route("/standardsvar/<int:standard_reply_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def edit_standard_reply(standard_reply_id: int):
    standard = db.get_or_404(StandardReply, standard_reply_id)
    form = StandardReplyForm(obj=None if request.method == "POST" else standard)
    if request.method == "GET":
        form.disposition.data = standard.disposition.value
    page = partial(render_template, "consultations/standard_reply_form.html", form=form,
                   standard=standard)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_standard_reply(
                standard, disposition=Disposition(form.disposition.data),
                title=form.title.data, text=form.text.data, actor=current_user),
            done=_("Ændringerne er gemt. Svar, hvor standardsvaret allerede er indsat, "
                   "beholder deres tekst."),
            next_url=url_for(".standard_replies"), on_error=form_error(form.title, page),
        )
    return page()


@bp.route("/standardsvar/<int:standard_reply_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def delete_standard_reply(standard_reply_id: int):
    standard = db.get_or_404(StandardReply, standard_reply_id)
    back = url_for(".standard_replies")
    return confirmed(
        lambda: operations.delete_standard_reply(standard, actor=current_user),
        title=_("Slet standardsvar"),
        question=_("Vil du slette standardsvaret «%(title)s»? Svar, hvor det allerede er "
                   "indsat, beholder deres tekst.", title=standard.title),
        confirm_label=_("Slet standardsvar"), cancel_url=back,
        done=_("Standardsvaret «%(title)s» er slettet.", title=standard.title),
        next_url=back,
    )
