"""The forms of the case page: a decision, its withdrawal, its correction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from hoering.core.form_rules import FlaskForm, required, strip, text_required


class DecisionForm(FlaskForm):
    action = SelectField(_l("Beslutning"), validators=[required])
    body_id = SelectField(_l("Besluttende organ"), coerce=int, validators=[required])
    meeting_date = DateField(_l("Mødedato"), validators=[required], format="%Y-%m-%d")
    agenda_item = IntegerField(_l("Punkt nr."),
                               validators=[Optional(), NumberRange(min=1, max=999)])
    version_id = SelectField(
        _l("Vedtaget version"), coerce=int, validators=[Optional()],
        description=_l("Kun ved vedtagelse: den version, kommunalbestyrelsen vedtog."))
    decision_text = TextAreaField(_l("Beslutningens tekst"), filters=[strip],
                                  validators=[text_required, Length(max=20_000)])
    recommendation = TextAreaField(_l("Indstilling (valgfri)"), filters=[strip],
                                   validators=[Length(max=20_000)])
    minutes_reference = StringField(
        _l("Henvisning til referatet (valgfri)"), filters=[strip],
        description=_l("Fx et link til referatet eller et journalnummer."),
        validators=[Length(max=500)],
    )


class WithdrawalForm(FlaskForm):
    reason = TextAreaField(_l("Begrundelse"), filters=[strip],
                           validators=[text_required, Length(max=2_000)])


class CorrectionForm(DecisionForm):
    reason = TextAreaField(_l("Hvorfor rettes beslutningen?"), filters=[strip],
                           validators=[text_required, Length(max=2_000)])
