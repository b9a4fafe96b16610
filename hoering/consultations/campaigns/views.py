"""Campaigns and duplicates (staff): finding groups of near-identical remarks, answering
and approving a group at once, taking a remark out of its group, dissolving a group."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from hoering.audit.describe import describe
from hoering.audit.queries import events_for_objects
from hoering.consultations.campaigns import operations as campaigns
from hoering.consultations.forms import ReplyForm
from hoering.consultations.models import Consultation, Disposition, Remark, RemarkGroup
from hoering.core.db import db
from hoering.core.pagination import paginate_list
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import EmptyForm, confirmed, flash_error, perform

bp = Blueprint("campaigns", __name__, url_prefix="/hoeringer")


def _groups_url(consultation_id: int) -> str:
    return url_for("campaigns.groups", consultation_id=consultation_id)


def _group_url(group: RemarkGroup) -> str:
    return url_for("campaigns.group", group_id=group.id)


@bp.route("/<int:consultation_id>/grupper")
@permission_required(Permission.VIEW_CONSULTATIONS)
def groups(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "campaigns/groups.html", consultation=consultation,
        summaries=campaigns.group_summaries(consultation), button_form=EmptyForm(),
    )


@bp.route("/<int:consultation_id>/grupper/find", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def detect(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    found = campaigns.find_groups(consultation, actor=current_user)
    db.session.commit()
    if found.groups_created:
        flash(ngettext("Fandt %(num)d gruppe med i alt %(n)d enslydende svar.",
                       "Fandt %(num)d grupper med i alt %(n)d enslydende svar.",
                       found.groups_created, n=found.remarks_in_new_groups), "success")
    if found.remarks_added:
        flash(ngettext("%(n)d enslydende svar er føjet til %(num)d eksisterende gruppe.",
                       "%(n)d enslydende svar er føjet til %(num)d eksisterende grupper.",
                       found.groups_extended, n=found.remarks_added), "success")
    if not found.found_anything:
        flash(_("Fandt ingen nye enslydende svar."), "info")
    return redirect(_groups_url(consultation.id))


def _render_group(group: RemarkGroup, reply_form: ReplyForm | None = None):
    members = campaigns.group_members(group)
    if not members:
        abort(404)
    first = members[0]
    page = paginate_list(members, per_page=current_app.config["PAGE_SIZE"])
    if reply_form is None:
        reply = first.reply
        reply_form = ReplyForm(
            formdata=None, text=reply.text if reply else "",
            disposition=reply.disposition.value if reply else None,
        )
    return render_template(
        "campaigns/group.html", group=group, consultation=first.response.consultation,
        members=members, first=first, page=page,
        similarity={m.id: campaigns.similarity(first.original_text, m.original_text)
                    for m in page.items},
        common_reply=len({(m.reply.text, m.reply.disposition) if m.reply else None
                          for m in members}) == 1,
        unapproved=sum(1 for m in members if m.reply is None or not m.reply.is_approved),
        reply_form=reply_form, button_form=EmptyForm(),
        events=describe(events_for_objects([("remark_group", group.id)])),
    )


@bp.route("/grupper/<int:group_id>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def group(group_id: int):
    return _render_group(campaigns.group_or_404(group_id))


@bp.route("/grupper/<int:group_id>/svar", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def reply(group_id: int):
    group = campaigns.group_or_404(group_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render_group(group, form), 200
    return perform(
        lambda: campaigns.reply_to_group(
            group, text=form.text.data, disposition=Disposition(form.disposition.data),
            actor=current_user,
        ),
        done=lambda replies: _("Svaret er gemt på alle %(n)d bemærkninger i gruppen og "
                               "afventer godkendelse.", n=len(replies)),
        next_url=_group_url(group),
        # e.g. a member's reply saved by someone else meanwhile
        on_error=flash_error(_group_url(group)),
    )


@bp.route("/grupper/<int:group_id>/godkend", methods=["POST"])
@permission_required(Permission.APPROVE_REPLIES)
def approve(group_id: int):
    group = campaigns.group_or_404(group_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: campaigns.approve_group(group, actor=current_user),
        done=lambda approved: _("%(n)d svar i gruppen er godkendt.", n=approved),
        next_url=_group_url(group), on_error=flash_error(_group_url(group)),
    )


@bp.route("/grupper/<int:group_id>/bemaerkninger/<int:remark_id>/fjern", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def remove_member(group_id: int, remark_id: int):
    group = campaigns.group_or_404(group_id)
    remark = db.get_or_404(Remark, remark_id)
    if remark.group_id != group.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: campaigns.remove_from_group(remark, actor=current_user),
        done=_("Bemærkningen er taget ud af gruppen og besvares nu for sig."),
        next_url=_group_url(group), on_error=flash_error(_group_url(group)),
    )


@bp.route("/grupper/<int:group_id>/oploes", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def dissolve(group_id: int):
    group = campaigns.group_or_404(group_id)
    consultation_id = group.consultation_id
    size = campaigns.group_size(group.id)
    return confirmed(
        lambda: campaigns.delete_group(group, actor=current_user),
        title=_("Opløs gruppe"),
        question=_("Vil du opløse gruppe %(id)d med %(n)d bemærkninger? Bemærkningerne "
                   "beholder deres svar, men skal derefter behandles hver for sig, og de "
                   "grupperes ikke igen automatisk.", id=group.id, n=size),
        confirm_label=_("Opløs gruppe"), cancel_url=_group_url(group),
        done=_("Gruppen er opløst."), next_url=_groups_url(consultation_id),
    )
