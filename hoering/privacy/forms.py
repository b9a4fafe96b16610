"""The form staff use to find a citizen's data: receipt number and e-mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import Email, Length, NumberRange, Regexp

from hoering.core.form_rules import FlaskForm, required, strip, text_required

RECEIPT_PATTERN = r"^[Hh]-\d{4}-\d{6,}$"


class LookupForm(FlaskForm):
    receipt_number = StringField(
        _l("Kvitteringsnummer"), filters=[strip],
        description=_l("Står i kvitteringen, borgeren fik pr. e-mail, fx H-2026-000123."),
        validators=[
            text_required,
            Regexp(RECEIPT_PATTERN,
                   message=_l("Skriv kvitteringsnummeret som H-2026-000123.")),
        ],
    )
    email = StringField(
        _l("E-mail"), filters=[strip],
        description=_l("Den adresse, borgeren skrev i høringssvaret."),
        validators=[
            text_required,
            Email(message=_l("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
                  check_deliverability=False),
            Length(max=254, message=_l("Højst 254 tegn.")),
        ],
    )


class DownloadForm(LookupForm):
    """The look-up again, as hidden fields of a download button (never in a URL, where
    the e-mail would end up in logs and browser history)."""

    receipt_number = HiddenField(filters=[strip], validators=[text_required])
    email = HiddenField(filters=[strip], validators=[text_required])


class AttachmentDownloadForm(DownloadForm):
    attachment_id = IntegerField(validators=[required, NumberRange(min=1)])
