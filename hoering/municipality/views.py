"""The administrators' page for the municipality's settings, Word template and logo."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from hoering.core.permissions import permission_required
from hoering.core.web import confirmed, download, form_error, perform
from hoering.municipality import operations
from hoering.municipality.forms import LogoForm, SettingsForm, TemplateForm
from hoering.municipality.models import MunicipalitySettings
from hoering.municipality.settings import current_settings

bp = Blueprint("municipality", __name__, url_prefix="/admin/kommune")
MANAGE = operations.MANAGE
TEMPLATE_MEDIA_TYPES = {
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@bp.app_context_processor
def municipality() -> dict[str, Any]:
    """``municipality_settings()``: the settings for a page's header (the name) and footer
    (the links to the accessibility statement and privacy notice), asked by base.html
    once per page (an e-mail or document template asks nothing)."""
    return {"municipality_settings": _settings_for_pages}


def _settings_for_pages() -> MunicipalitySettings | None:
    try:
        return current_settings()
    except SQLAlchemyError:  # an error page after a failed transaction: no name, no links
        return None


def _page(*, settings_form: SettingsForm | None = None,
          template_form: TemplateForm | None = None,
          logo_form: LogoForm | None = None) -> str:
    """The settings page; the form that was posted keeps what was typed and its errors,
    the others are fresh (they read no request data)."""
    settings = current_settings()
    if settings_form is None:
        settings_form = SettingsForm(formdata=None, obj=settings)
    return render_template(
        "municipality/settings.html", settings=settings, settings_form=settings_form,
        template_form=template_form or TemplateForm(formdata=None),
        logo_form=logo_form or LogoForm(formdata=None))


@bp.route("", methods=["GET", "POST"])
@permission_required(MANAGE)
def settings() -> ResponseReturnValue:
    if request.method == "GET":
        return _page()
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(settings_form=form)
    return perform(
        lambda: operations.update_settings(
            name=form.name.data, default_unit=form.default_unit.data or "",
            secretariat_email=form.secretariat_email.data or "",
            accessibility_url=form.accessibility_url.data or "",
            privacy_url=form.privacy_url.data or "", actor=current_user),
        done=_("Kommunens indstillinger er gemt."), next_url=url_for("municipality.settings"),
        on_error=form_error(form.name, partial(_page, settings_form=form)))


def _upload(form: TemplateForm | LogoForm, store: Any, done: str,
            page: partial[str]) -> ResponseReturnValue:
    """Store the uploaded file with ``store(filename, content)``; a refusal is shown
    under the file field."""
    if not form.validate_on_submit():
        return page()
    upload = form.upload()
    assert upload is not None  # validate() asks for a file
    filename, content = upload
    return perform(lambda: store(filename, content), done=done,
                   next_url=url_for("municipality.settings"),
                   on_error=form_error(form.file_field, page))


@bp.route("/skabelon", methods=["POST"])
@permission_required(MANAGE)
def upload_template() -> ResponseReturnValue:
    form = TemplateForm()
    return _upload(
        form, lambda name, content: operations.set_word_template(
            content, name, actor=current_user),
        _("Skabelonen er gemt. Nye notater og udkast bygges på den."),
        partial(_page, template_form=form))


@bp.route("/skabelon/hent")
@permission_required(MANAGE)
def template_file() -> ResponseReturnValue:
    settings = current_settings()
    if settings.word_template is None:
        abort(404)
    filename = settings.word_template_filename or "skabelon.docx"
    suffix = ".dotx" if filename.lower().endswith(".dotx") else ".docx"
    return download(settings.word_template, filename, TEMPLATE_MEDIA_TYPES[suffix])


@bp.route("/skabelon/fjern", methods=["GET", "POST"])
@permission_required(MANAGE)
def clear_template() -> ResponseReturnValue:
    return confirmed(
        lambda: operations.clear_word_template(actor=current_user),
        title=_("Fjern skabelon"),
        question=_("Vil du fjerne kommunens Word-skabelon? Nye notater og udkast bygges "
                   "derefter på den indbyggede skabelon. Notater, der allerede er udsendt, "
                   "ændres ikke."),
        confirm_label=_("Fjern skabelon"), cancel_url=url_for("municipality.settings"),
        done=_("Skabelonen er fjernet."), next_url=url_for("municipality.settings"))


@bp.route("/logo", methods=["POST"])
@permission_required(MANAGE)
def upload_logo() -> ResponseReturnValue:
    form = LogoForm()
    return _upload(form, lambda name, content: operations.set_logo(content, actor=current_user),
                   _("Logoet er gemt."), partial(_page, logo_form=form))


@bp.route("/logo/vis")
@permission_required(MANAGE)
def logo_file() -> ResponseReturnValue:
    settings = current_settings()
    if settings.logo is None:
        abort(404)
    suffix = ".png" if settings.logo_media_type == "image/png" else ".jpg"
    return download(settings.logo, f"logo{suffix}", settings.logo_media_type, inline=True)


@bp.route("/logo/fjern", methods=["GET", "POST"])
@permission_required(MANAGE)
def clear_logo() -> ResponseReturnValue:
    return confirmed(
        lambda: operations.clear_logo(actor=current_user),
        title=_("Fjern logo"),
        question=_("Vil du fjerne kommunens logo fra notater og udkast?"),
        confirm_label=_("Fjern logo"), cancel_url=url_for("municipality.settings"),
        done=_("Logoet er fjernet."), next_url=url_for("municipality.settings"))
