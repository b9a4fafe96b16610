"""Consultations, staff side: processing remarks (inbox, moving, wording, splitting,
replies with standard replies and "next unanswered", links to the revised draft,
approval). Acting on many remarks at once: hoering.consultations.views.bulk."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from hoering.audit.describe import describe
from hoering.audit.queries import events_for_objects
from hoering.consultations import operations
from hoering.consultations.bulk import MAX_REMARKS
from hoering.consultations.campaigns import operations as campaigns
from hoering.consultations.data_access import SENDER, data_views_for, record_view, sender_shown
from hoering.consultations.forms import (
    BulkAssignForm,
    BulkMoveForm,
    LinkChangeForm,
    MemoWordingForm,
    MoveRemarkForm,
    ReplyForm,
    SplitRemarkForm,
    section_choices,
    section_from_choice,
    standard_reply_choices,
)
from hoering.consultations.models import (
    ChangeLink,
    Consultation,
    Disposition,
    Remark,
    StandardReply,
)
from hoering.consultations.queries import (
    GENERAL,
    change_links_for_remark,
    colleagues,
    inbox_groups,
    inbox_page_ids,
    invited_bodies,
    load_remarks,
    next_unanswered,
    progress,
    submitted_remark_or_404,
    version_sections,
)
from hoering.consultations.revision import later_sections, passages_since
from hoering.consultations.standard_replies import standard_replies, with_standard_text
from hoering.consultations.views.blueprint import bp, remark_url
from hoering.consultations.views.filters import PUBLIC_FILTER, filter_args, inbox_filters
from hoering.core.converters import id_arg
from hoering.core.db import db
from hoering.core.form_rules import FlaskForm
from hoering.core.pagination import paginate_groups
from hoering.core.permissions import (
    Permission,
    can,
    permission_required,
)
from hoering.core.web import EmptyForm, confirmed, form_error, no_store, perform
from hoering.policies.models import Section


def _bulk_forms(sections: list[Section]) -> dict[str, FlaskForm]:
    """The fields of the inbox's actions on the selected remarks (one HTML form with the
    checkboxes; each button posts to its own action, hoering.consultations.views.bulk)."""
    move = BulkMoveForm(formdata=None)
    move.fill(sections)
    assign = BulkAssignForm(formdata=None)
    assign.fill(colleagues())
    return {"move": move, "assign": assign}


@bp.route("/hoeringer/<int:consultation_id>/bemaerkninger")
@no_store
@permission_required(Permission.VIEW_CONSULTATIONS)
def inbox(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    filters = inbox_filters()
    if filters.section not in (None, GENERAL) and id_arg("afsnit") is None:
        abort(404)  # not a section id, or beyond any id
    groups = inbox_groups(consultation, filters)
    page = paginate_groups(
        groups, [group.size for group in groups],
        lambda slices: inbox_page_ids(consultation, filters, slices), load_remarks,
        per_page=current_app.config["PAGE_SIZE"],
    )
    sections = version_sections(consultation)
    processes = can(current_user, Permission.PROCESS_REMARKS)
    return render_template(
        "consultations/inbox.html", consultation=consultation, page=page, filters=filters,
        filter_args=filter_args(filters), public_filter=PUBLIC_FILTER,
        group_sizes=campaigns.group_sizes(page.items), sections=sections,
        bodies=invited_bodies(consultation), bulk=_bulk_forms(sections) if processes else None,
        max_bulk=MAX_REMARKS,
        progress=progress(consultation, submitted=None if filters.narrows else page.total),
    )


def _reply_form(remark: Remark, reply_form: ReplyForm | None,
                standards: list[StandardReply]) -> ReplyForm:
    if reply_form is None:
        reply = remark.reply
        reply_form = ReplyForm(
            formdata=None,
            text=reply.text if reply else "",
            disposition=reply.disposition.value if reply else "",
            lock_version=reply.lock_version if reply else "",
        )
    reply_form.standard_reply.choices = standard_reply_choices(standards)
    return reply_form


def _render_remark_page(remark: Remark, reply_form: ReplyForm | None = None,
                        conflict: operations.ReplyConflict | None = None,
                        split_form: SplitRemarkForm | None = None) -> str:
    sections = version_sections(remark.response.consultation)
    move_form = MoveRemarkForm(formdata=None)
    move_form.section.choices = section_choices(sections)
    move_form.section.data = str(remark.section_id) if remark.section_id else GENERAL
    wording_form = MemoWordingForm(formdata=None, text=remark.wording)
    standards = standard_replies() if can(current_user, Permission.PROCESS_REMARKS) else []
    links = change_links_for_remark(remark)
    link_form = LinkChangeForm(formdata=None)
    link_form.section_id.choices = _change_choices(remark)
    objects = [("remark", remark.id)] + ([("reply", remark.reply.id)] if remark.reply else [])
    objects += [("change_link", link.id) for link in links]
    return render_template(
        "consultations/remark.html", remark=remark, consultation=remark.response.consultation,
        move_form=move_form, wording_form=wording_form,
        reply_form=_reply_form(remark, reply_form, standards), has_standards=bool(standards),
        filter_args=filter_args(inbox_filters()),
        conflict=conflict, button_form=EmptyForm(), events=describe(events_for_objects(objects)),
        links=links, link_form=link_form,
        split_form=split_form or SplitRemarkForm(formdata=None, text=remark.wording),
        data_views=data_views_for(current_user, remark.response),
    )


def _change_choices(remark: Remark) -> dict[str, list[SelectChoice]]:
    """What a remark can be linked to: each section of the later versions, as a whole or
    one of its changed passages against the consulted version (grouped by section)."""
    consulted = remark.response.consultation.version
    passages = passages_since(consulted)
    choices: dict[str, list[SelectChoice]] = {}
    for s in later_sections(consulted):
        group = f"{s.version.label}: {s.heading}"
        if group in choices:  # two sections with one heading: their groups apart
            group += f" ({_('afsnit %(n)d', n=s.position)})"
        choices[group] = [
            SelectChoice(str(s.id), _("%(v)s: %(h)s – hele afsnittet", v=s.version.label,
                                      h=s.heading)),
            *(SelectChoice(f"{s.id}:{p.quote}", p.label) for p in passages.get(s.id, [])),
        ]
    return choices


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>")
@no_store  # the sender's name and e-mail
@permission_required(Permission.VIEW_CONSULTATIONS)
def remark(remark_id: int):
    remark = submitted_remark_or_404(remark_id)
    if sender_shown(current_user, remark.response):  # who looked, before it is shown
        record_view(remark.response, SENDER, current_user)
    return _render_remark_page(remark)


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/afsnit", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def move_remark(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    sections = version_sections(remark.response.consultation)
    form = MoveRemarkForm()
    form.section.choices = section_choices(sections)
    if not form.validate_on_submit():
        abort(400)
    return perform(
        lambda: operations.move_remark(
            remark, section_from_choice(form.section.data, sections), actor=current_user),
        done=_("Bemærkningen er flyttet."), next_url=remark_url(remark),
    )


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/ordlyd", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def edit_wording(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    form = MemoWordingForm()
    if not form.validate_on_submit():
        flash(_("Ordlyden må ikke være tom."), "error")
        return redirect(remark_url(remark))
    return perform(
        lambda: operations.edit_memo_wording(remark, form.text.data, actor=current_user),
        done=_("Ordlyden i høringsnotatet er gemt. Den oprindelige ordlyd er bevaret."),
        next_url=remark_url(remark),
    )


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/opdel", methods=["POST"])
@no_store
@permission_required(Permission.PROCESS_REMARKS)
def split_remark(remark_id: int):
    remark = submitted_remark_or_404(remark_id)
    form = SplitRemarkForm()

    def page():
        return _render_remark_page(remark, split_form=form), 422

    if form.validate_on_submit():
        return perform(
            lambda: operations.split_remark(
                remark, operations.split_parts(form.text.data), actor=current_user),
            done=lambda parts: _("Bemærkningen er delt i %(n)d bemærkninger.", n=len(parts)),
            next_url=url_for(".inbox", consultation_id=remark.consultation_id),
            on_error=form_error(form.text, page),
        )
    return page()


def _insert_standard_reply(remark: Remark, form: ReplyForm):
    """The remark page again, the chosen standard reply's text added to what was typed
    (and its disposition chosen, if none was): nothing is saved."""
    standard = (db.session.get(StandardReply, form.standard_reply.data)
                if form.standard_reply.data else None)
    if standard is None:
        form.standard_reply.errors = [_("Vælg et standardsvar.")]
        return _render_remark_page(remark, form), 422
    form.text.data = with_standard_text(form.text.data or "", standard)
    if not form.disposition.data:
        form.disposition.data = standard.disposition.value
    form.text.errors = form.disposition.errors = []
    return _render_remark_page(remark, form), 200


def _after_saving(remark: Remark, next_unanswered_wanted: bool) -> tuple[str, str]:
    """Where to go after saving the reply (the next unanswered remark of the inbox's
    filter, if asked for) and what to say."""
    if not next_unanswered_wanted:
        return remark_url(remark), _("Svaret er gemt og afventer godkendelse.")
    filters = inbox_filters()
    args = filter_args(filters)
    following = next_unanswered(remark.response.consultation, filters, remark)
    if following is None:
        return (url_for(".inbox", consultation_id=remark.consultation_id, **args),
                _("Svaret er gemt. Der er ikke flere ubesvarede bemærkninger i filteret."))
    return (url_for(".remark", remark_id=following, **args) + "#svar",
            _("Svaret er gemt. Her er den næste ubesvarede bemærkning."))


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/svar", methods=["POST"])
@no_store
@permission_required(Permission.PROCESS_REMARKS)
def save_reply(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    form = ReplyForm()
    if "insert" in request.form:
        form.validate()  # the CSRF token; the text may well be empty still
        if form.meta.csrf and form.csrf_token.errors:
            abort(400)
        return _insert_standard_reply(remark, form)

    def conflicting(conflict: operations.ReplyConflict):
        db.session.refresh(conflict.current)
        form.lock_version.data = str(conflict.current.lock_version)
        return _render_remark_page(remark, form, conflict), 409

    def save() -> tuple[str, str]:
        operations.save_reply(
            remark, text=form.text.data, disposition=Disposition(form.disposition.data),
            based_on_version=form.based_on_version, actor=current_user)
        return _after_saving(remark, "next" in request.form)

    if form.validate_on_submit():
        return perform(save, done=lambda after: after[1], next_url=lambda after: after[0],
                       on_error=conflicting, catch=(operations.ReplyConflict,))
    return _render_remark_page(remark, form), 200


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/aendringer", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def link_change(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    form = LinkChangeForm()
    form.section_id.choices = _change_choices(remark)
    if not form.validate_on_submit():
        flash(_("Vælg et afsnit i en senere version."), "error")
        return redirect(remark_url(remark))
    section_id, passage = form.section_and_passage
    section = db.get_or_404(Section, section_id)
    return perform(
        lambda: operations.link_change(remark, section, passage=passage, actor=current_user),
        done=_("Ændringen er knyttet til bemærkningen."),
        next_url=remark_url(remark) + "#aendringer",
    )


@bp.route("/hoeringer/aendringer/<int:link_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def unlink_change(link_id: int):
    link = db.get_or_404(ChangeLink, link_id)
    back = remark_url(link.remark)
    return confirmed(
        lambda: operations.unlink_change(link, actor=current_user),
        title=_("Fjern kobling"),
        question=_("Vil du fjerne koblingen mellem bemærkningen og ændringen af «%(h)s» "
                   "(%(v)s)?", h=link.section.heading, v=link.section.version.label),
        confirm_label=_("Fjern kobling"), cancel_url=back,
        done=_("Koblingen er fjernet."), next_url=back + "#aendringer",
    )


@bp.route("/hoeringer/svar/<int:remark_id>/godkend", methods=["POST"])
@permission_required(Permission.APPROVE_REPLIES)
def approve_reply(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    reply = remark.reply
    if not EmptyForm().validate_on_submit() or reply is None:
        abort(400)
    return perform(lambda: operations.approve_reply(reply, actor=current_user),
                   done=_("Svaret er godkendt."), next_url=remark_url(remark))
