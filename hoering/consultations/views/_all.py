"""Consultations: setting up (staff), responding (members and staff), importing minutes,
and processing remarks (staff)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from hoering.accounts.models import Body
from hoering.accounts.queries import all_bodies
from hoering.audit.queries import events_for_objects
from hoering.consultations import operations
from hoering.consultations.campaigns import operations as campaigns
from hoering.consultations.forms import (
    DISPOSITION_LABELS,
    ConsultationForm,
    LinkChangeForm,
    MemoWordingForm,
    MinutesForm,
    MinutesReviewForm,
    MoveRemarkForm,
    ReasonForm,
    RemarkForm,
    ReplyForm,
    SplitRemarkForm,
    body_choices,
    section_choices,
    section_from_choice,
    utc_to_local,
)
from hoering.consultations.minutes.parser import SectionRef, parse_minutes
from hoering.consultations.models import (
    Attachment,
    ChangeLink,
    Consultation,
    Consultee,
    Disposition,
    Remark,
    Response,
)
from hoering.consultations.queries import (
    GENERAL,
    InboxFilters,
    change_links_for_remark,
    consultations_for_member,
    consultations_query,
    consultee_rows,
    inbox_count_query,
    inbox_ids_query,
    invited_bodies,
    load_remarks,
    progress,
    public_response_count,
    response_for,
    submitted_remark_or_404,
    version_sections,
)
from hoering.consultations.revision import later_sections
from hoering.consultations.views.blueprint import bp
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.pagination import paginate_ids
from hoering.core.permissions import (
    Permission,
    can_respond_for,
    can_submit_for,
    can_view_response,
    permission_required,
    require_that,
)
from hoering.core.web import EmptyForm, confirmed
from hoering.policies.models import PolicyVersion, Section


@bp.app_context_processor
def labels():
    return {"DISPOSITION_LABELS": DISPOSITION_LABELS}


def _consultation_url(consultation: Consultation) -> str:
    return url_for("consultations.show", consultation_id=consultation.id)


def _remark_url(remark: Remark) -> str:
    return url_for("consultations.remark", remark_id=remark.id)


# --- staff: setting up ---------------------------------------------------------------


@bp.route("/hoeringer/")
@permission_required(Permission.VIEW_CONSULTATIONS)
def index():
    page = db.paginate(
        consultations_query(), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    return render_template("consultations/index.html", page=page, now=now_utc())


def _consultation_form(consultation: Consultation | None = None) -> ConsultationForm:
    form = ConsultationForm()
    form.bodies.choices = body_choices(all_bodies())
    if request.method == "GET" and consultation is not None:
        local = utc_to_local(consultation.closes_at)
        form.title.data = consultation.title
        form.opens_on.data = consultation.opens_on
        form.deadline_date.data, form.deadline_time.data = local.date(), local.time()
        form.invitation_text.data = consultation.invitation_text
        form.public.data = consultation.public
    return form


@bp.route("/politikker/versioner/<int:version_id>/hoering", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def new(version_id: int):
    version = db.get_or_404(PolicyVersion, version_id)
    form = _consultation_form()
    if request.method == "GET":
        form.title.data = _("Høring om %(title)s", title=version.policy.title)
        form.opens_on.data = now_utc().date()
    if form.validate_on_submit():
        bodies = [db.get_or_404(Body, body_id) for body_id in form.bodies.data]
        try:
            consultation = operations.create_consultation(
                version, title=form.title.data, opens_on=form.opens_on.data,
                closes_at=form.closes_at, invitation_text=form.invitation_text.data or "",
                public=form.public.data, bodies=bodies, actor=current_user,
            )
        except DomainError as error:
            form.bodies.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Høringen er oprettet. Åbn den, når høringsparterne skal kunne svare."),
                  "success")
            return redirect(_consultation_url(consultation))
    return render_template("consultations/form.html", form=form, version=version,
                           consultation=None)


@bp.route("/hoeringer/<int:consultation_id>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def show(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "consultations/show.html", consultation=consultation,
        rows=consultee_rows(consultation), progress=progress(consultation),
        public_responses=public_response_count(consultation) if consultation.public else 0,
        group_count=campaigns.group_count(consultation),
        now=now_utc(), button_form=EmptyForm(),
    )


@bp.route("/hoeringer/<int:consultation_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def edit(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = _consultation_form(consultation)
    invited = {c.body_id for c in consultation.consultees}
    if request.method == "GET":
        form.bodies.data = sorted(invited)
    if form.validate_on_submit():
        try:
            operations.update_consultation(
                consultation, title=form.title.data, opens_on=form.opens_on.data,
                closes_at=form.closes_at, invitation_text=form.invitation_text.data or "",
                public=form.public.data, actor=current_user,
            )
            wanted = set(form.bodies.data)
            for body_id in sorted(wanted - invited):
                operations.invite_body(consultation, db.get_or_404(Body, body_id),
                                       actor=current_user)
            for consultee in [c for c in consultation.consultees if c.body_id not in wanted]:
                operations.remove_consultee(consultee, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            form.bodies.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Ændringerne er gemt."), "success")
            return redirect(_consultation_url(consultation))
    return render_template("consultations/form.html", form=form, version=consultation.version,
                           consultation=consultation)


@bp.route("/hoeringer/<int:consultation_id>/aabn", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def open_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return confirmed(
        lambda: operations.open_consultation(consultation, actor=current_user),
        title=_("Åbn høring"),
        question=_("Vil du åbne «%(title)s» for høringssvar? Version %(n)d af politikken "
                   "låses, så teksten ikke kan ændres under høringen.",
                   title=consultation.title, n=consultation.version.number),
        confirm_label=_("Åbn høring"), cancel_url=_consultation_url(consultation),
        done=_("Høringen er åbnet, og version %(n)d er låst.", n=consultation.version.number),
        next_url=_consultation_url(consultation),
    )


@bp.route("/hoeringer/<int:consultation_id>/offentliggoer", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def publish_responses(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return confirmed(
        lambda: operations.publish_responses(consultation, actor=current_user),
        title=_("Offentliggør høringssvar"),
        question=_("Vil du vise de indsendte høringssvar på den offentlige side for "
                   "«%(title)s»? Borgeres navne vises kun, hvor de har givet samtykke; "
                   "e-mailadresser og vedhæftede filer vises aldrig.",
                   title=consultation.title),
        confirm_label=_("Offentliggør"), cancel_url=_consultation_url(consultation),
        done=_("Høringssvarene er offentliggjort."), next_url=_consultation_url(consultation),
    )


@bp.route("/hoeringer/<int:consultation_id>/offentliggoer/tilbagekald",
          methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def unpublish_responses(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return confirmed(
        lambda: operations.unpublish_responses(consultation, actor=current_user),
        title=_("Fjern høringssvarene fra den offentlige side"),
        question=_("Vil du fjerne de indsendte høringssvar fra den offentlige side for "
                   "«%(title)s»?", title=consultation.title),
        confirm_label=_("Fjern fra den offentlige side"),
        cancel_url=_consultation_url(consultation),
        done=_("Høringssvarene vises ikke længere offentligt."),
        next_url=_consultation_url(consultation),
    )


@bp.route("/hoeringer/bilag/<int:attachment_id>")
@permission_required(Permission.PROCESS_REMARKS)
def attachment(attachment_id: int):
    """A file a citizen attached (staff only: it may hold personal data)."""
    attached = db.get_or_404(Attachment, attachment_id)
    if attached.content is None:
        abort(404)
    response = current_app.response_class(attached.content, content_type=attached.media_type)
    quoted = attached.filename.replace('"', "")
    response.headers["Content-Disposition"] = f'attachment; filename="{quoted}"'
    return response


@bp.route("/hoeringer/parter/<int:consultee_id>/paamindelse", methods=["POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def remind(consultee_id: int):
    consultee = db.get_or_404(Consultee, consultee_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    messages = operations.send_reminder(consultee, actor=current_user)
    db.session.commit()
    if messages:
        flash(_("Påmindelsen til %(body)s er sendt til %(n)d medlemmer.",
                body=consultee.body.name, n=messages), "success")
    else:
        flash(_("Påmindelsen til %(body)s er registreret, men der er ikke sendt e-mail: "
                "organet har ingen aktive medlemmer, eller de har allerede fået en "
                "påmindelse i dag.", body=consultee.body.name), "info")
    return redirect(_consultation_url(consultee.consultation))


@bp.route("/hoeringer/svar/<int:response_id>/genaabn", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def reopen(response_id: int):
    response = db.get_or_404(Response, response_id)
    form = ReasonForm()
    if form.validate_on_submit():
        operations.reopen_response(response, reason=form.reason.data, actor=current_user)
        db.session.commit()
        flash(_("Høringssvaret fra %(body)s er genåbnet.", body=response.body.name), "success")
        return redirect(_consultation_url(response.consultation))
    return render_template("consultations/reopen.html", form=form, response=response)


# --- staff: importing a committee's decision from the minutes -----------------------


def _section_refs(sections) -> list[SectionRef]:
    return [SectionRef(position=s.position, heading=s.heading) for s in sections]


@bp.route("/hoeringer/<int:consultation_id>/referat", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def import_minutes(consultation_id: int):
    """Paste → review the proposed remarks and sections → save."""
    consultation = db.get_or_404(Consultation, consultation_id)
    sections = version_sections(consultation)
    choices = section_choices(sections)
    by_position = {s.position: s for s in sections}
    form = MinutesReviewForm() if "save" in request.form else MinutesForm()
    form.body_id.choices = body_choices(invited_bodies(consultation))
    for entry in getattr(form, "remarks", []):
        entry.form.section.choices = choices
    if request.method == "GET" and request.args.get("organ", type=int):
        form.body_id.data = request.args.get("organ", type=int)
    parsed = None
    if form.validate_on_submit():
        if "save" in request.form:
            try:
                remarks = [
                    operations.ImportedRemark(
                        text=entry.form.text.data,
                        section=section_from_choice(entry.form.section.data, sections),
                    )
                    for entry in form.remarks
                    if entry.form.include.data
                ]
                response = operations.import_minutes(
                    consultation, db.get_or_404(Body, form.body_id.data),
                    meeting_date=form.meeting_date.data, agenda_item=form.agenda_item.data,
                    remarks=remarks, actor=current_user,
                )
            except (DomainError, ValidationError) as error:
                db.session.rollback()
                flash(getattr(error, "message", str(error)), "error")
            else:
                db.session.commit()
                if response.no_remarks:
                    flash(_("%(body)s er registreret med ingen bemærkninger.",
                            body=response.body.name), "success")
                else:
                    flash(_("%(n)d bemærkninger fra %(source)s er gemt.",
                            n=len(response.remarks), source=response.source), "success")
                return redirect(_consultation_url(consultation))
        parsed = parse_minutes(form.text.data, _section_refs(sections))
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
        return render_template("consultations/minutes.html", consultation=consultation,
                               form=review, parsed=parsed)
    return render_template("consultations/minutes.html", consultation=consultation,
                           form=form, parsed=None)


# --- staff: processing remarks -------------------------------------------------------


PUBLIC_FILTER = "offentlig"  # the inbox's "Organ" filter value for public responses


def _inbox_filters() -> InboxFilters:
    disposition = request.args.get("behandling")
    return InboxFilters(
        section=request.args.get("afsnit") or None,
        body_id=request.args.get("organ", type=int),
        public_only=request.args.get("organ") == PUBLIC_FILTER,
        disposition=Disposition(disposition) if disposition in set(Disposition) else None,
        state=request.args.get("status") if request.args.get("status") in (
            "unanswered", "unapproved") else None,
        search=request.args.get("q", "")[:200],
    )


@bp.route("/hoeringer/<int:consultation_id>/bemaerkninger")
@permission_required(Permission.VIEW_CONSULTATIONS)
def inbox(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    filters = _inbox_filters()
    if filters.section not in (None, GENERAL) and not filters.section.isdigit():
        abort(404)
    page = paginate_ids(
        inbox_ids_query(consultation, filters), load_remarks,
        inbox_count_query(consultation, filters), per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "consultations/inbox.html", consultation=consultation, page=page, filters=filters,
        public_filter=PUBLIC_FILTER, group_sizes=campaigns.group_sizes(page.items),
        sections=version_sections(consultation), bodies=invited_bodies(consultation),
        progress=progress(consultation),
    )


def _render_remark_page(remark: Remark, reply_form: ReplyForm | None = None,
                        conflict: operations.ReplyConflict | None = None,
                        split_form: SplitRemarkForm | None = None) -> str:
    sections = version_sections(remark.response.consultation)
    move_form = MoveRemarkForm(formdata=None)
    move_form.section.choices = section_choices(sections)
    move_form.section.data = str(remark.section_id) if remark.section_id else GENERAL
    wording_form = MemoWordingForm(formdata=None, text=remark.wording)
    if reply_form is None:
        reply = remark.reply
        reply_form = ReplyForm(
            formdata=None,
            text=reply.text if reply else "",
            disposition=reply.disposition.value if reply else None,
            lock_version=reply.lock_version if reply else "",
        )
    links = change_links_for_remark(remark)
    link_form = LinkChangeForm(formdata=None)
    link_form.section_id.choices = [
        SelectChoice(s.id, f"{s.version.label}: {s.heading}")
        for s in later_sections(remark.response.consultation.version)
    ]
    objects = [("remark", remark.id)] + ([("reply", remark.reply.id)] if remark.reply else [])
    objects += [("change_link", link.id) for link in links]
    return render_template(
        "consultations/remark.html", remark=remark, consultation=remark.response.consultation,
        move_form=move_form, wording_form=wording_form, reply_form=reply_form,
        conflict=conflict, button_form=EmptyForm(), events=events_for_objects(objects),
        links=links, link_form=link_form,
        split_form=split_form or SplitRemarkForm(formdata=None, text=remark.wording),
    )


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def remark(remark_id: int):
    remark = submitted_remark_or_404(remark_id)
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
    operations.move_remark(remark, section_from_choice(form.section.data, sections),
                           actor=current_user)
    db.session.commit()
    flash(_("Bemærkningen er flyttet."), "success")
    return redirect(_remark_url(remark))


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/ordlyd", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def edit_wording(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    form = MemoWordingForm()
    if not form.validate_on_submit():
        flash(_("Ordlyden må ikke være tom."), "error")
        return redirect(_remark_url(remark))
    operations.edit_memo_wording(remark, form.text.data, actor=current_user)
    db.session.commit()
    flash(_("Ordlyden i høringsnotatet er gemt. Den oprindelige ordlyd er bevaret."), "success")
    return redirect(_remark_url(remark))


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/opdel", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def split_remark(remark_id: int):
    remark = submitted_remark_or_404(remark_id)
    form = SplitRemarkForm()
    if form.validate_on_submit():
        try:
            parts = operations.split_remark(
                remark, operations.split_parts(form.text.data), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            form.text.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Bemærkningen er delt i %(n)d bemærkninger.", n=len(parts)), "success")
            return redirect(url_for(".inbox", consultation_id=remark.consultation_id))
    return _render_remark_page(remark, split_form=form), 422


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/svar", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def save_reply(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            operations.save_reply(
                remark, text=form.text.data, disposition=Disposition(form.disposition.data),
                based_on_version=form.based_on_version, actor=current_user,
            )
        except operations.ReplyConflict as conflict:
            db.session.rollback()
            db.session.refresh(conflict.current)
            form.lock_version.data = str(conflict.current.lock_version)
            return _render_remark_page(remark, form, conflict), 409
        db.session.commit()
        flash(_("Svaret er gemt og afventer godkendelse."), "success")
        return redirect(_remark_url(remark))
    return _render_remark_page(remark, form), 200


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/aendringer", methods=["POST"])
@permission_required(Permission.PROCESS_REMARKS)
def link_change(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    form = LinkChangeForm()
    form.section_id.choices = [
        SelectChoice(s.id, s.heading) for s in later_sections(remark.response.consultation.version)
    ]
    if not form.validate_on_submit():
        flash(_("Vælg et afsnit i en senere version."), "error")
        return redirect(_remark_url(remark))
    operations.link_change(remark, db.get_or_404(Section, form.section_id.data),
                           actor=current_user)
    db.session.commit()
    flash(_("Ændringen er knyttet til bemærkningen."), "success")
    return redirect(_remark_url(remark) + "#aendringer")


@bp.route("/hoeringer/aendringer/<int:link_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def unlink_change(link_id: int):
    link = db.get_or_404(ChangeLink, link_id)
    remark_url = _remark_url(link.remark)
    return confirmed(
        lambda: operations.unlink_change(link, actor=current_user),
        title=_("Fjern kobling"),
        question=_("Vil du fjerne koblingen mellem bemærkningen og ændringen af «%(h)s» "
                   "(%(v)s)?", h=link.section.heading, v=link.section.version.label),
        confirm_label=_("Fjern kobling"), cancel_url=remark_url,
        done=_("Koblingen er fjernet."), next_url=remark_url + "#aendringer",
    )


@bp.route("/hoeringer/svar/<int:remark_id>/godkend", methods=["POST"])
@permission_required(Permission.APPROVE_REPLIES)
def approve_reply(remark_id: int):
    remark = db.get_or_404(Remark, remark_id)
    if not EmptyForm().validate_on_submit() or remark.reply is None:
        abort(400)
    operations.approve_reply(remark.reply, actor=current_user)
    db.session.commit()
    flash(_("Svaret er godkendt."), "success")
    return redirect(_remark_url(remark))


# --- members (and staff on a body's behalf): responding ------------------------------


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
        response = response or operations.draft_response(consultation, body, actor=current_user)
        operations.add_remark(
            response, section=section_from_choice(form.section.data, sections),
            text=form.text.data, actor=current_user,
        )
        db.session.commit()
        flash(_("Bemærkningen er gemt i kladden."), "success")
        return redirect(_response_url(consultation, body, _anchor="kladde"))
    return render_template(
        "consultations/response.html", consultation=consultation, body=body,
        response=response, sections=sections, form=form, button_form=EmptyForm(),
        may_edit=True, may_submit=can_submit_for(current_user, body.id), now=now_utc(),
    ), 200


def _load_draft_remark(remark_id: int) -> Remark:
    remark = db.get_or_404(Remark, remark_id)
    require_that(can_respond_for(current_user, remark.response.body_id))
    return remark


@bp.route("/hoeringer/kladder/bemaerkninger/<int:remark_id>", methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def edit_remark(remark_id: int):
    remark = _load_draft_remark(remark_id)
    consultation, body = remark.response.consultation, remark.response.body
    sections = version_sections(consultation)
    form = RemarkForm(formdata=request.form if request.method == "POST" else None,
                      text=remark.original_text,
                      section=str(remark.section_id) if remark.section_id else GENERAL)
    form.section.choices = section_choices(sections)
    if form.validate_on_submit():
        operations.update_draft_remark(
            remark, section=section_from_choice(form.section.data, sections),
            text=form.text.data, actor=current_user,
        )
        db.session.commit()
        flash(_("Bemærkningen er gemt."), "success")
        return redirect(_response_url(consultation, body, _anchor="kladde"))
    return render_template("consultations/remark_form.html", form=form, remark=remark,
                           consultation=consultation, body=body)


@bp.route("/hoeringer/kladder/bemaerkninger/<int:remark_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.RESPOND)
def delete_remark(remark_id: int):
    remark = _load_draft_remark(remark_id)
    consultation, body = remark.response.consultation, remark.response.body
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
