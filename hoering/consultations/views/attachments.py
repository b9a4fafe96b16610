"""Consultations, staff side: the files citizens attached to their responses -- the file
itself, and its text read on a page beside the response, where staff split it into
remarks with the minutes' splitter and placement (the file stays the record)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.validators import ValidationError

from hoering.consultations import operations
from hoering.consultations.data_access import ATTACHMENT, ATTACHMENT_TEXT, record_view
from hoering.consultations.forms import (
    AttachmentRemarksForm,
    fill_imported_remarks,
    section_choices,
    section_from_choice,
)
from hoering.consultations.minutes.context import section_refs
from hoering.consultations.minutes.parse import parse_minutes
from hoering.consultations.minutes.results import ParsedMinutes
from hoering.consultations.models import Attachment, Remark
from hoering.consultations.queries import version_sections
from hoering.consultations.views.blueprint import bp
from hoering.core.db import db
from hoering.core.documents import UnreadableDocument, read_document
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import download, flash_error, no_store, perform
from hoering.policies.models import Section


def _attachment_or_404(attachment_id: int) -> Attachment:
    attached = db.get_or_404(Attachment, attachment_id)
    if attached.content is None:
        abort(404)
    return attached


@bp.route("/hoeringer/bilag/<int:attachment_id>")
@no_store
@permission_required(Permission.PROCESS_REMARKS)
def attachment(attachment_id: int):
    """A file a citizen attached (staff only: it may hold personal data)."""
    attached = _attachment_or_404(attachment_id)
    content, filename, media_type = attached.content, attached.filename, attached.media_type
    assert content is not None
    record_view(attached.response, ATTACHMENT, current_user, attachment=attached)  # who looked
    return download(content, filename, media_type)


@bp.route("/hoeringer/bilag/<int:attachment_id>/tekst", methods=["GET", "POST"])
@no_store
@permission_required(Permission.PROCESS_REMARKS)
def attachment_text(attachment_id: int):
    """The file's text beside the response → proposed remarks → saved as remarks."""
    attached = _attachment_or_404(attachment_id)
    sections = version_sections(attached.response.consultation)
    try:
        text = read_document(attached.content or b"", attached.filename).text
    except UnreadableDocument as error:
        return _render(attached, None, error.message, None, None)
    parsed = parse_minutes(text, section_refs(attached.response.consultation))
    if request.method == "GET":
        record_view(attached.response, ATTACHMENT_TEXT, current_user, attachment=attached)
        form = _proposed(parsed, sections)
        return _render(attached, text, None, parsed, form)
    form = AttachmentRemarksForm()
    for entry in form.remarks:
        entry.form.section.choices = section_choices(sections)
    if not form.validate_on_submit():
        return _render(attached, text, None, parsed, form)

    def save() -> list[Remark]:
        chosen = [
            operations.ImportedRemark(entry.form.text.data,
                                      section_from_choice(entry.form.section.data, sections))
            for entry in form.remarks if entry.form.include.data
        ]  # fmt: skip
        return operations.remarks_from_attachment(attached, chosen, actor=current_user)

    return perform(
        save,
        done=lambda created: ngettext("%(num)d bemærkning er gemt fra filen.",
                                      "%(num)d bemærkninger er gemt fra filen.", len(created)),
        next_url=url_for("consultations.remark", remark_id=_first_remark_id(attached)),
        on_error=flash_error(lambda: _render(attached, text, None, parsed, form)),
        catch=(DomainError, ValidationError),
    )


def _first_remark_id(attached: Attachment) -> int:
    return min(remark.id for remark in attached.response.remarks)


def _proposed(parsed: ParsedMinutes, sections: list[Section]) -> AttachmentRemarksForm:
    form = AttachmentRemarksForm(formdata=None)
    fill_imported_remarks(form.remarks, parsed.remarks, sections)
    return form


def _render(attached: Attachment, text: str | None, problem: str | None,
            parsed: ParsedMinutes | None, form: AttachmentRemarksForm | None) -> str:
    return render_template(
        "consultations/attachment_text.html", attachment=attached,
        response=attached.response, consultation=attached.response.consultation,
        text=text, problem=problem, parsed=parsed, form=form,
        title=_("Tekst fra %(file)s", file=attached.filename),
    )  # fmt: skip
