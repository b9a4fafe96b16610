"""Consultations, staff side: importing committees' decisions from their referats.

One page, two steps. Upload one or several referats (PDF, Word, ODT, text) or paste
text → every document is read (item, body, meeting date, remarks placed; warnings) and
shown on one review page, one line per file on top, each document's facts and remarks
correctable → "save" stores every included document as its body's response, all or
nothing. Staff may pick another item of a document and read it again; nothing is saved
until they save.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms.validators import ValidationError

from hoering.accounts.models import Body
from hoering.consultations import operations
from hoering.consultations.forms import (
    MinutesDocumentForm,
    MinutesForm,
    MinutesReviewForm,
    body_choices,
    fill_imported_remarks,
    section_choices,
    section_from_choice,
)
from hoering.consultations.minutes.context import minutes_context
from hoering.consultations.minutes.importing import MeetingFacts, item_problem, save_remarks
from hoering.consultations.minutes.reading import MinutesContext, MinutesReading, read_minutes
from hoering.consultations.models import Consultation, Response
from hoering.consultations.queries import version_sections
from hoering.consultations.views.blueprint import bp, consultation_url
from hoering.core.db import db
from hoering.core.documents import UnreadableDocument, read_document, read_pasted
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import flash_error, perform
from hoering.policies.models import Section

PASTED = _l("Indsat tekst")
# A document with one of these is left out until staff choose otherwise: saving it would
# be refused (early input, a response already there) or needs an item first.
UNSAVABLE = frozenset({"early_input", "already_responded", "no_item", "several_items"})


@dataclass(frozen=True)
class _Document:
    """A document on the review page: its form entry and what was read from it."""

    form: MinutesDocumentForm
    reading: MinutesReading


@dataclass(frozen=True)
class _Page:
    consultation: Consultation
    context: MinutesContext
    sections: list[Section]
    bodies: list[Body]


@bp.route("/hoeringer/<int:consultation_id>/referat", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def import_minutes(consultation_id: int) -> ResponseReturnValue:
    """Upload or paste → review what was read → save."""
    consultation = db.get_or_404(Consultation, consultation_id)
    page = _Page(consultation, minutes_context(consultation), version_sections(consultation),
                 list(db.session.scalars(db.select(Body).order_by(Body.name))))
    if "documents-0-text" in request.form:
        return _review_step(page)
    return _upload_step(page)


def _upload_step(page: _Page) -> str:
    form = MinutesForm()
    form.body_id.choices = [("", _("Læs af referatet"))] + body_choices(page.bodies)
    if request.method == "GET":
        form.body_id.data = request.args.get("organ", type=int)
    if not form.validate_on_submit():
        return _render_upload(page, form, failures=[])
    texts, failures = _read_uploads(form)
    if not texts:
        return _render_upload(page, form, failures)
    review = MinutesReviewForm(formdata=None)
    documents = []
    for name, text in texts:
        review.documents.append_entry()
        entry = review.documents[-1].form
        entry.name.data, entry.text.data = name, text
        _set_choices(page, entry)
        reading = read_minutes(text, page.context, item_number=form.agenda_item.data)
        _fill_document(page, entry, reading, form)
        documents.append(_Document(entry, reading))
    return _render_review(page, review, documents, failures)


def _read_uploads(form: MinutesForm) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, text) of each readable document and (name, why) of each unreadable one."""
    texts, failures = [], []
    for name, content in form.uploads():
        try:
            texts.append((name, read_document(content, name).text))
        except UnreadableDocument as error:
            failures.append((name, error.message))
    if (form.text.data or "").strip():
        texts.append((str(PASTED), read_pasted(form.text.data).text))
    return texts, failures


def _fill_document(
    page: _Page, entry: MinutesDocumentForm, reading: MinutesReading, given: MinutesForm | None
) -> None:
    """The document's facts as read (unless staff gave them) and its remarks as placed."""
    if given is not None:
        entry.body_id.data = given.body_id.data or (reading.body.id if reading.body else None)
        entry.meeting_date.data = given.meeting_date.data or reading.meeting.meeting_date
        entry.include.data = not any(w.code in UNSAVABLE for w in reading.warnings)
    entry.agenda_item.data = reading.item.number if reading.item else (
        given.agenda_item.data if given is not None else entry.agenda_item.data)
    fill_imported_remarks(entry.remarks, reading.remarks, page.sections)


def _review_step(page: _Page) -> ResponseReturnValue:
    form = MinutesReviewForm()
    documents = _documents(page, form)
    reread = request.form.get("reread", type=int)
    if reread is not None and 0 <= reread < len(documents):
        document = documents[reread]
        reading = read_minutes(document.form.text.data or "", page.context,
                               item_number=document.form.agenda_item.data)
        _fill_document(page, document.form, reading, None)
        documents[reread] = _Document(document.form, reading)
        return _render_review(page, form, documents, [])
    if not form.validate_on_submit():
        return _render_review(page, form, documents, [])

    def save() -> list[Response]:
        return [_save_document(page, document) for document in documents
                if document.form.include.data]

    return perform(save, done=_saved_message, next_url=consultation_url(page.consultation),
                   on_error=flash_error(lambda: _render_review(page, form, documents, [])),
                   catch=(DomainError, ValidationError))


def _documents(page: _Page, form: MinutesReviewForm) -> list[_Document]:
    """Every posted document with its choices set, read again from its text."""
    documents = []
    for field in form.documents:
        entry = field.form
        _set_choices(page, entry)
        documents.append(_Document(entry, _read_entry(page, entry)))
    return documents


def _read_entry(page: _Page, entry: MinutesDocumentForm) -> MinutesReading:
    """The document read again from its text: as found, unless staff chose another item
    (then that one, said to be chosen)."""
    text, chosen = entry.text.data or "", entry.agenda_item.data
    reading = read_minutes(text, page.context)
    if reading.is_excerpt or chosen is None or (reading.item and reading.item.number == chosen):
        return reading
    return read_minutes(text, page.context, item_number=chosen)


def _set_choices(page: _Page, entry: MinutesDocumentForm) -> None:
    entry.body_id.choices = body_choices(page.bodies)
    choices = section_choices(page.sections)
    for remark in entry.remarks:
        remark.form.section.choices = choices


def _save_document(page: _Page, document: _Document) -> Response:
    entry, reading = document.form, document.reading
    name = entry.name.data or str(PASTED)
    if not reading.is_excerpt and reading.item is None:
        raise DomainError(f"{name}: {item_problem(reading)}")
    if not reading.is_excerpt and len(entry.remarks.entries) != len(reading.remarks):
        raise DomainError(f"{name}: " + _("Læs punktet igen, før du gemmer."))
    remarks = [
        operations.ImportedRemark(
            text=remark.form.text.data,
            section=section_from_choice(remark.form.section.data, page.sections),
        )
        for remark in entry.remarks
        if remark.form.include.data
    ]
    facts = MeetingFacts(db.get_or_404(Body, entry.body_id.data), entry.meeting_date.data,
                         entry.agenda_item.data)
    try:
        return save_remarks(page.consultation, facts, remarks, actor=current_user)
    except DomainError as error:
        raise DomainError(f"{name}: {error.message}") from error


def _saved_message(responses: list[Response]) -> str:
    parts = []
    for response in responses:
        assert response.body is not None  # minutes are a body's
        if response.no_remarks:
            parts.append(_("%(body)s er registreret med ingen bemærkninger.",
                           body=response.body.name))
        else:
            parts.append(ngettext("%(num)d bemærkning fra %(source)s er gemt.",
                                  "%(num)d bemærkninger fra %(source)s er gemt.",
                                  len(response.remarks), source=response.source))
    return " ".join(parts) or _("Intet referat var valgt, så intet er gemt.")


def _render_upload(page: _Page, form: MinutesForm, failures: list[tuple[str, str]]) -> str:
    return render_template("consultations/minutes.html", consultation=page.consultation,
                           form=form, documents=None, failures=failures)


def _render_review(
    page: _Page, form: MinutesReviewForm, documents: list[_Document],
    failures: list[tuple[str, str]],
) -> str:  # fmt: skip
    return render_template("consultations/minutes.html", consultation=page.consultation,
                           form=form, documents=documents, failures=failures)
