"""Forms for policies, versions and sections."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from hoering.core.form_rules import FlaskForm, required
from hoering.policies.kle import is_valid_journal_number


def _kle(_form, field) -> None:
    if field.data and not is_valid_journal_number(field.data):
        raise ValidationError(_l("Journalnummeret skal have formen 85.13.00-P00-1-23."))


class PolicyForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[required, Length(max=300)])
    owner_body_id = SelectField(_l("Ejer (organ)"), coerce=int, validators=[required])
    journal_number = StringField(
        _l("Journalnummer (KLE)"),
        description=_l("Fx 85.13.00-P00-1-23."),
        validators=[required, Length(max=30), _kle],
    )
    description = TextAreaField(_l("Kort beskrivelse"), validators=[Length(max=5000)])


class DraftForm(FlaskForm):
    source = TextAreaField(
        _l("Udkastets tekst"),
        description=_l(
            "Indsæt teksten som Markdown eller almindelig tekst. Den deles i afsnit ved "
            "overskrifterne (fx ## Princip 1, eller en kort linje alene)."
        ),
        validators=[required, Length(max=500_000)],
    )
    note = StringField(_l("Note til versionen"), validators=[Length(max=300)])


class SectionForm(FlaskForm):
    heading = StringField(_l("Overskrift"), validators=[required, Length(max=300)])
    text = TextAreaField(_l("Tekst"), validators=[Length(max=100_000)])
