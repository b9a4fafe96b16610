"""Consultations, staff side: setting one up, opening it, publishing the public responses,
reminding consultees and reopening a response."""

from __future__ import annotations

from functools import partial

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts.models import Body, User
from hoering.accounts.queries import all_bodies, users_with
from hoering.consultations import consultee_links, lifecycle, operations
from hoering.consultations.campaigns import operations as campaigns
from hoering.consultations.consultees import consultee_counts, consultee_page
from hoering.consultations.forms import (
    ConsultationForm,
    ConsulteeDeadlineForm,
    ReasonForm,
    body_choices,
    staff_choices,
    utc_to_local,
)
from hoering.consultations.models import (
    Consultation,
    Consultee,
    ConsulteeStatus,
    Response,
)
from hoering.consultations.queries import (
    consultations_query,
    progress,
    public_response_count,
)
from hoering.consultations.views.blueprint import bp, consultation_url
from hoering.core.db import db, now_utc
from hoering.core.pagination import requested_page
from hoering.core.permissions import (
    Permission,
    permission_required,
)
from hoering.core.web import EmptyForm, confirmed, form_error, perform
from hoering.policies.models import PolicyVersion


@bp.route("/hoeringer/")
@permission_required(Permission.VIEW_CONSULTATIONS)
def index():
    page = db.paginate(consultations_query(), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("consultations/index.html", page=page, now=now_utc())


def _consultation_form(consultation: Consultation | None = None) -> ConsultationForm:
    form = ConsultationForm()
    form.bodies.choices = body_choices(all_bodies())
    staff = users_with(Permission.MANAGE_CONSULTATIONS)
    current = consultation.responsible if consultation is not None else None
    if current is not None and current not in staff:
        staff.append(current)  # no longer staff: shown until replaced
    form.responsible.choices = staff_choices(staff)
    if request.method == "GET" and consultation is not None:
        form.responsible.data = consultation.responsible_id
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
    page = partial(render_template, "consultations/form.html", form=form, version=version,
                   consultation=None)
    if form.validate_on_submit():
        bodies = [db.get_or_404(Body, body_id) for body_id in form.bodies.data]
        return perform(
            lambda: operations.create_consultation(
                version, title=form.title.data, opens_on=form.opens_on.data,
                closes_at=form.closes_at, invitation_text=form.invitation_text.data or "",
                public=form.public.data, bodies=bodies, actor=current_user,
            ),
            done=_("Høringen er oprettet. Åbn den, når høringsparterne skal kunne svare."),
            next_url=consultation_url, on_error=form_error(form.bodies, page),
        )
    return page()


@bp.route("/hoeringer/<int:consultation_id>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def show(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    status = request.args.get("status")
    shown = ConsulteeStatus(status) if status in set(ConsulteeStatus) else None
    counts = consultee_counts(consultation)
    return render_template(
        "consultations/show.html", consultation=consultation,
        rows=consultee_page(consultation, counts, status=shown,
                            per_page=current_app.config["PAGE_SIZE"]),
        counts=counts, status=shown, progress=progress(consultation),
        public_responses=public_response_count(consultation) if consultation.public else 0,
        group_count=campaigns.group_count(consultation),
        readiness=lifecycle.readiness_problems(consultation),
        links=consultee_links.live_links(consultation),
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

    def update() -> None:
        moved = lifecycle.deadline_moves(consultation, form.closes_at)
        if moved and not form.confirm_deadline.data:
            raise lifecycle.DeadlineRefused(_(
                "Bekræft, at fristen skal flyttes, og at høringsparterne skal have besked."))
        operations.update_consultation(
            consultation, title=form.title.data, opens_on=form.opens_on.data,
            closes_at=form.closes_at, invitation_text=form.invitation_text.data or "",
            public=form.public.data, deadline_reason=form.deadline_reason.data or "",
            actor=current_user,
        )
        bodies = [db.get_or_404(Body, body_id) for body_id in sorted(set(form.bodies.data))]
        operations.set_consultees(consultation, bodies, actor=current_user)
        responsible = (db.get_or_404(User, form.responsible.data)
                       if form.responsible.data is not None else None)
        operations.assign_responsible(consultation, responsible, actor=current_user)

    page = partial(render_template, "consultations/form.html", form=form,
                   version=consultation.version, consultation=consultation)
    if form.validate_on_submit():
        return perform(update, done=_("Ændringerne er gemt."),
                       next_url=consultation_url(consultation),
                       on_error=lambda error: form_error(
                           form.deadline_date if isinstance(error, lifecycle.DeadlineRefused)
                           else form.bodies, page)(error))
    return page()


@bp.route("/hoeringer/<int:consultation_id>/afslut", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def close(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return confirmed(
        lambda: lifecycle.close_consultation(consultation, actor=current_user),
        title=_("Afslut høringen"),
        question=_("Vil du afslutte «%(title)s» nu? Fristen bliver dette øjeblik, og der "
                   "kan ikke længere afgives høringssvar. Sagen går videre til "
                   "høringsnotatet.", title=consultation.title),
        confirm_label=_("Afslut høringen"), cancel_url=consultation_url(consultation),
        done=_("Høringen er afsluttet."), next_url=consultation_url(consultation),
    )


@bp.route("/hoeringer/<int:consultation_id>/aabn", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def open_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    question = _("Vil du åbne «%(title)s» for høringssvar? Version %(n)d af politikken "
                 "låses, så teksten ikke kan ændres under høringen.",
                 title=consultation.title, n=consultation.version.number)
    problems = lifecycle.readiness_problems(consultation)
    if problems:
        question = " ".join([_("Disse inviterede organer kan ikke svare:")] + [
            f"{p.body.name} {p.problem}." for p in problems] + [
            _("Ret dem først (under Organer), eller åbn høringen alligevel."), question])
    return confirmed(
        lambda: operations.open_consultation(consultation, actor=current_user),
        title=_("Åbn høring"), question=question,
        confirm_label=_("Åbn høringen alligevel") if problems else _("Åbn høring"),
        cancel_url=consultation_url(consultation),
        done=_("Høringen er åbnet, og version %(n)d er låst.", n=consultation.version.number),
        next_url=consultation_url(consultation),
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
        confirm_label=_("Offentliggør"), cancel_url=consultation_url(consultation),
        done=_("Høringssvarene er offentliggjort."), next_url=consultation_url(consultation),
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
        cancel_url=consultation_url(consultation),
        done=_("Høringssvarene vises ikke længere offentligt."),
        next_url=consultation_url(consultation),
    )


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
    return redirect(consultation_url(consultee.consultation))


@bp.route("/hoeringer/parter/<int:consultee_id>/frist", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def consultee_deadline(consultee_id: int):
    consultee = db.get_or_404(Consultee, consultee_id)
    form = ConsulteeDeadlineForm()
    if request.method == "GET" and consultee.deadline is not None:
        local = utc_to_local(consultee.deadline)
        form.deadline_date.data, form.deadline_time.data = local.date(), local.time()
    page = partial(render_template, "consultations/consultee_deadline.html",
                   consultee=consultee, form=form)
    if form.validate_on_submit():
        return perform(
            lambda: operations.set_consultee_deadline(consultee, form.deadline,
                                                      actor=current_user),
            done=_("Fristen for %(body)s er gemt.", body=consultee.body.name),
            next_url=consultation_url(consultee.consultation),
            on_error=form_error(form.deadline_date, page))
    return page()


@bp.route("/hoeringer/svar/<int:response_id>/genaabn", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def reopen(response_id: int):
    response = db.get_or_404(Response, response_id)
    body = operations.responding_body(response)  # a citizen's response: 409, with why
    form = ReasonForm()
    if form.validate_on_submit():
        return perform(
            lambda: operations.reopen_response(response, reason=form.reason.data,
                                               actor=current_user),
            done=_("Høringssvaret fra %(body)s er genåbnet.", body=body.name),
            next_url=consultation_url(response.consultation),
        )
    return render_template("consultations/reopen.html", form=form, response=response)
