"""Consultations, staff side: the personal data found in what the public page shows
(decide, per finding, to mask or keep it) and publishing the answers ("Det sagde I – det
gjorde vi")."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hoering.consultations import publication
from hoering.consultations.forms import MaskingForm
from hoering.consultations.models import (
    Consultation,
    MaskedField,
    MaskingChoice,
    Remark,
    Response,
)
from hoering.consultations.personal_data import PersonalDataKind
from hoering.consultations.views.blueprint import bp, consultation_url
from hoering.core.db import db
from hoering.core.pagination import paginate_list
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import confirmed, perform

KIND_TITLES = {
    PersonalDataKind.CPR: _l("CPR-nummer"),
    PersonalDataKind.PHONE: _l("Telefonnummer"),
    PersonalDataKind.EMAIL: _l("E-mailadresse"),
}
FIELD_LABELS = {
    MaskedField.ORIGINAL: _l("Bemærkningen, som den blev sendt"),
    MaskedField.WORDING: _l("Ordlyden i høringsnotatet"),
    MaskedField.REPLY: _l("Administrationens bemærkning (godkendt)"),
}


def _remarks(ids: set[int]) -> dict[int, Remark]:
    remarks = db.session.scalars(
        select(Remark).where(Remark.id.in_(sorted(ids))).options(
            joinedload(Remark.response).joinedload(Response.body),
            joinedload(Remark.response).joinedload(Response.submitter)))
    return {remark.id: remark for remark in remarks.unique()}


def _saved(consultation: Consultation, skipped: int) -> str:
    left = publication.undecided_count(consultation)
    parts: list[str] = [_("Afgørelserne er gemt."), (
        ngettext("%(num)d fund mangler stadig en afgørelse.",
                 "%(num)d fund mangler stadig en afgørelse.", left)
        if left else _("Alle fund er afgjort."))]
    if skipped:
        parts.append(_("Nogle tekster er ændret, mens du læste dem: se dem igen."))
    return " ".join(parts)


@bp.route("/hoeringer/<int:consultation_id>/personoplysninger", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def personal_data(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    items = publication.found_items(consultation)
    page = paginate_list(items, per_page=current_app.config["PAGE_SIZE"])
    form = MaskingForm()
    if form.validate_on_submit():
        choices = form.choices()
        return perform(
            lambda: publication.decide_findings(consultation, choices, actor=current_user),
            done=lambda skipped: _saved(consultation, skipped),
            next_url=url_for(".personal_data", consultation_id=consultation.id,
                             page=page.page),
        )
    if request.method == "POST":
        abort(400)  # a choice that is none, or no CSRF token: not from this page
    for item in page.items:
        form.findings.append_entry(SimpleNamespace(
            key=item.key, choice=(item.decision or MaskingChoice.MASK).value))
    return render_template(
        "consultations/personal_data.html", consultation=consultation, page=page,
        rows=list(zip(page.items, form.findings, strict=True)), form=form,
        remarks=_remarks({item.text.remark_id for item in page.items}),
        undecided=sum(item.decision is None for item in items), total=len(items),
        KIND_TITLES=KIND_TITLES, FIELD_LABELS=FIELD_LABELS,
    )


@bp.route("/hoeringer/<int:consultation_id>/offentliggoer-svar", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def publish_answers(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return confirmed(
        lambda: publication.publish_answers(consultation, actor=current_user),
        title=_("Offentliggør svarene (Det sagde I – det gjorde vi)"),
        question=_("Vil du vise alle godkendte svar med de bemærkninger, de besvarer, "
                   "ordnet efter afsnit, på den offentlige side for «%(title)s», sammen med "
                   "høringsnotatet og den reviderede version? Personoplysninger vises kun, "
                   "hvor I har valgt at beholde dem.", title=consultation.title),
        confirm_label=_("Offentliggør svarene"), cancel_url=consultation_url(consultation),
        done=_("Svarene er offentliggjort."), next_url=consultation_url(consultation),
    )


@bp.route("/hoeringer/<int:consultation_id>/offentliggoer-svar/tilbagekald",
          methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def unpublish_answers(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return confirmed(
        lambda: publication.unpublish_answers(consultation, actor=current_user),
        title=_("Fjern svarene fra den offentlige side"),
        question=_("Vil du fjerne svarene (Det sagde I – det gjorde vi) fra den offentlige "
                   "side for «%(title)s»?", title=consultation.title),
        confirm_label=_("Fjern svarene"), cancel_url=consultation_url(consultation),
        done=_("Svarene vises ikke længere offentligt."),
        next_url=consultation_url(consultation),
    )
