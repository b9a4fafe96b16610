"""The public response form. One text field per section of the consulted version is
added when the form is built (``response_form``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional, ValidationError

from hoering.core.errors import DomainError
from hoering.core.form_rules import FlaskForm, strip, text_required
from hoering.public.operations import UploadedFile, validated_files

TOKEN_RE = re.compile(r"^[0-9a-f-]{32,64}$")
SECTION_PREFIX = "section-"


def new_token() -> str:
    return uuid.uuid4().hex


class SectionLike(Protocol):
    """A section as the form needs it: a Section, or a submission's SectionKey."""

    @property
    def id(self) -> int: ...

    @property
    def heading(self) -> str: ...


class PublicResponseForm(FlaskForm):
    token = HiddenField()
    name = StringField(
        _l("Navn"), filters=[strip],
        validators=[text_required, Length(max=200, message=_l("Højst 200 tegn."))],
    )
    email = StringField(
        _l("E-mail"), filters=[strip],
        description=_l("Vi sender kvitteringen hertil. Adressen offentliggøres ikke."),
        validators=[
            text_required,
            Email(message=_l("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
                  check_deliverability=False),
            Length(max=254, message=_l("Højst 254 tegn.")),
        ],
    )
    organisation = StringField(
        _l("Forening eller organisation (valgfri)"), filters=[strip],
        description=_l("Udfyld, hvis du svarer på vegne af en forening eller organisation."),
        validators=[Optional(), Length(max=200, message=_l("Højst 200 tegn."))],
    )
    general_text = TextAreaField(
        _l("Dit høringssvar"), filters=[strip],
        description=_l("Generelle bemærkninger. Du kan også skrive til de enkelte afsnit "
                       "nedenfor."),
    )
    attachments = MultipleFileField(
        _l("Vedhæft filer (valgfrit)"),
        description=_l("Højst 3 filer à højst 10 MB: PDF, Word (.docx) eller "
                       "OpenDocument-tekst (.odt)."),
    )
    publish_name = BooleanField(
        _l("Mit navn må offentliggøres sammen med mit høringssvar"),
    )
    # The honeypot: hidden from people (and screen readers), filled in by some robots.
    website = StringField(_l("Lad dette felt være tomt"))

    section_fields: list[tuple[SectionLike, str]]

    def section_texts(self) -> dict[int, str]:
        return {section.id: self[name].data or "" for section, name in self.section_fields}

    def uploaded_files(self) -> list[UploadedFile]:
        """The chosen files (read once; the browser sends an empty part for none)."""
        if not hasattr(self, "_uploaded"):
            self._uploaded = [
                UploadedFile(upload.filename or "bilag", upload.read())
                for upload in self.attachments.data or [] if upload and upload.filename
            ]
        return self._uploaded

    def validate_token(self, field) -> None:
        if not TOKEN_RE.match(field.data or ""):
            field.data = new_token()

    def validate_attachments(self, field) -> None:
        try:
            validated_files(self.uploaded_files())
        except DomainError as error:
            raise ValidationError(error.message) from None

    def validate_general_text(self, field) -> None:
        limit = current_app.config["PUBLIC_MAX_TEXT_CHARS"]
        if len(field.data or "") > limit:
            raise ValidationError(_l("Højst %(n)d tegn.", n=limit))
        has_text = bool((field.data or "").strip()) or any(
            (self[name].data or "").strip() for _section, name in self.section_fields)
        has_files = any(u and u.filename for u in self.attachments.data or [])
        if not has_text and not has_files:
            raise ValidationError(_l(
                "Skriv dit høringssvar her eller under et afsnit, eller vedhæft det som fil."))


def response_form(sections: Sequence[SectionLike], **kwargs) -> PublicResponseForm:
    """The form with a text field per section (named ``section-<id>``)."""
    limit = current_app.config["PUBLIC_MAX_TEXT_CHARS"]
    form_class = _form_class(tuple((s.id, s.heading) for s in sections), limit)
    form = form_class(**kwargs)
    form.section_fields = [(section, f"{SECTION_PREFIX}{section.id}") for section in sections]
    if not TOKEN_RE.match(form.token.data or ""):
        form.token.data = new_token()
    return form


@lru_cache(maxsize=256)
def _form_class(sections: tuple[tuple[int, str], ...], limit: int) -> type[PublicResponseForm]:
    """The form class for these sections (id, heading), made once: a burst of citizens
    submitting to one consultation shares it (building a WTForms class is costly)."""
    too_long = Length(max=limit, message=_l("Højst %(n)d tegn.", n=limit))
    fields = {
        f"{SECTION_PREFIX}{section_id}": TextAreaField(
            _l("Bemærkninger til »%(heading)s« (valgfrit)", heading=heading),
            filters=[strip], validators=[Optional(), too_long])
        for section_id, heading in sections
    }
    return type("SectionsResponseForm", (PublicResponseForm,), fields)
