"""Forms for the municipality's settings, its Word template and its logo."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import EmailField, StringField, URLField
from wtforms.validators import Email, Length, Optional, ValidationError

from hoering.core.errors import DomainError
from hoering.core.form_rules import FlaskForm, strip, text_required
from hoering.municipality.operations import MAX_LOGO_BYTES, check_web_address


def _web_address(form: Any, field: Any) -> None:
    """The operation's rule (http or https, a whole address), as a form error."""
    try:
        check_web_address(field.data or "")
    except DomainError as error:
        raise ValidationError(error.message) from error


class SettingsForm(FlaskForm):
    name = StringField(
        _l("Kommunens navn"), filters=[strip], validators=[text_required, Length(max=200)],
        description=_l("Fx Ballerup Kommune. Står i sidehovedet på notater og udkast."))
    default_unit = StringField(
        _l("Udsendende enhed"), filters=[strip], validators=[Length(max=200)],
        description=_l("Den enhed, der normalt udsender høringsnotatet, fx Digitalisering."))
    secretariat_email = EmailField(
        _l("Sekretariatets e-mail"), filters=[strip],
        validators=[Optional(), Email(message=_l(
            "Skriv en gyldig e-mailadresse, fx sekretariat@kommune.dk.")), Length(max=254)])
    accessibility_url = URLField(
        _l("Link til tilgængelighedserklæringen"), filters=[strip],
        validators=[Length(max=500), _web_address],
        description=_l("De offentlige sider linker til den."))
    privacy_url = URLField(
        _l("Link til privatlivspolitikken"), filters=[strip],
        validators=[Length(max=500), _web_address],
        description=_l("Borgere, der afgiver høringssvar, får et link til den."))


class _UploadForm(FlaskForm):
    """One file (the field ``file_field`` names: each form's its own, as both are on one
    page), read once (``upload``)."""

    file_field_name = ""

    @property
    def file_field(self) -> Any:
        return self[self.file_field_name]

    def upload(self) -> tuple[str, bytes] | None:
        """(file name, content) of the chosen file, None if none was chosen."""
        if not hasattr(self, "_upload"):
            data = self.file_field.data
            self._upload = ((data.filename, data.read())
                            if data and getattr(data, "filename", "") else None)
        return self._upload

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if self.upload() is None:
            self.file_field.errors = [*self.file_field.errors, _l("Vælg en fil.")]
            return False
        return valid


class TemplateForm(_UploadForm):
    file_field_name = "template"
    template = FileField(
        _l("Word-skabelon"),
        description=_l("En .dotx- eller .docx-fil, gemt fra Word. Notatets og det "
                       "reviderede udkasts Word-dokumenter bygges på den: typografier, "
                       "sidestørrelse, margener, sidehoved og sidefod."))


class LogoForm(_UploadForm):
    file_field_name = "logo"
    logo = FileField(_l("Logo"), description=_l(
        "PNG eller JPEG, højst %(n)d MB. Står i sidehovedet på notater og udkast.",
        n=MAX_LOGO_BYTES // (1024 * 1024)))
