"""Staff pages for a citizen's access request: find a public response by receipt number
and e-mail, see what is held about its sender, download it as JSON and each attachment.

The receipt number and the e-mail travel in POST bodies only (never in a URL, which
would put the e-mail in server logs and browser history), and every download checks
them again. A failed look-up says the same whether or not the receipt number exists.
Pages and files carry ``Cache-Control: no-store``.
"""

from __future__ import annotations

from flask import Blueprint, make_response, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as HttpResponse

from hoering.consultations.data_access import data_views_for
from hoering.consultations.models import Response
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import download, forbid_caching
from hoering.outbox.models import MessageStatus
from hoering.privacy import export
from hoering.privacy.forms import AttachmentDownloadForm, DownloadForm, LookupForm

bp = Blueprint("privacy", __name__, url_prefix="/persondata")

# Staff handle access requests; auditors and committee members never see citizens' data.
PERMISSION = Permission.MANAGE_CONSULTATIONS


def _not_found_message() -> str:
    message: str = _("Der er ikke noget høringssvar, der passer til både kvitteringsnummeret "
                     "og e-mailadressen. Kontrollér dem, og prøv igen. Anonymiserede "
                     "høringssvar kan ikke findes.")
    return message


def message_status_labels() -> dict[str, str]:
    return {
        MessageStatus.PENDING.value: _("ikke sendt endnu"),
        MessageStatus.SENT.value: _("sendt"),
        MessageStatus.FAILED.value: _("kunne ikke sendes"),
    }


def _no_store(http_response: HttpResponse) -> HttpResponse:
    """Personal data: no copy in the browser's or a proxy's cache."""
    return forbid_caching(http_response)  # Cache-Control: no-store, Pragma: no-cache


def _lookup_page(
    form: LookupForm, *, not_found: bool = False, status: int = 200
) -> HttpResponse:
    page = render_template("privacy/lookup.html", form=form,
                           not_found=_not_found_message() if not_found else None)
    return _no_store(make_response(page, status))


def _found(form: LookupForm) -> Response | None:
    """The response the (validated) form names, or None."""
    if not form.validate_on_submit():
        return None
    return export.find_response(form.receipt_number.data, form.email.data)


@bp.route("", methods=["GET"])
@permission_required(PERMISSION)
def lookup() -> ResponseReturnValue:
    return _lookup_page(LookupForm())


@bp.route("", methods=["POST"])
@permission_required(PERMISSION)
def find() -> ResponseReturnValue:
    form = LookupForm()
    if not form.validate_on_submit():
        return _lookup_page(form)
    response = export.find_response(form.receipt_number.data, form.email.data)
    if response is None:
        return _lookup_page(form, not_found=True, status=404)
    data = export.show_personal_data(response, actor=current_user)  # recorded, committed
    page = render_template(
        "privacy/data.html", data=data, response=response,
        message_status_labels=message_status_labels(),
        data_views=data_views_for(current_user, response),
        receipt_number=form.receipt_number.data, email=form.email.data,
    )
    return _no_store(make_response(page))


@bp.route("/eksport", methods=["POST"])
@permission_required(PERMISSION)
def export_json() -> ResponseReturnValue:
    response = _found(DownloadForm())
    if response is None:
        return _lookup_page(LookupForm(formdata=None), not_found=True, status=404)
    data = export.export_personal_data(response, actor=current_user)
    db.session.commit()
    return _no_store(download(export.to_json(data), export.export_filename(response),
                              "application/json; charset=utf-8"))


@bp.route("/bilag", methods=["POST"])
@permission_required(PERMISSION)
def attachment() -> ResponseReturnValue:
    form = AttachmentDownloadForm()
    response = _found(form)
    if response is None:
        return _lookup_page(LookupForm(formdata=None), not_found=True, status=404)
    try:
        attachment = export.export_attachment(response, form.attachment_id.data,
                                              actor=current_user)
    except DomainError as error:
        db.session.rollback()
        page = render_template("errors/error.html", title=_("Bilaget findes ikke"),
                               message=error.message)
        return _no_store(make_response(page, 404))
    db.session.commit()
    assert attachment.content is not None  # export_attachment refuses one without content
    return _no_store(download(attachment.content, attachment.filename, attachment.media_type))
