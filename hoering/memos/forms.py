"""Forms for the memo page, follow-up tasks and change links."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from hoering.core.form_rules import FlaskForm, strip, text_required
from hoering.memos.models import TaskStatus

TASK_STATUS_LABELS = {
    TaskStatus.OPEN: _l("Ikke startet"),
    TaskStatus.IN_PROGRESS: _l("I gang"),
    TaskStatus.DONE: _l("Afsluttet"),
}


class MemoTextsForm(FlaskForm):
    unit = StringField(_l("Udstedende enhed"), description=_l("Fx Digitalisering."),
                       filters=[strip], validators=[Length(max=200)])
    background = TextAreaField(
        _l("Baggrund"),
        description=_l("Lad feltet stå tomt for at bruge den foreslåede tekst."),
        filters=[strip], validators=[Length(max=20_000)],
    )
    further_work = TextAreaField(_l("Videre arbejde (indledende tekst)"), filters=[strip],
                                 validators=[Length(max=20_000)])


class TaskForm(FlaskForm):
    title = StringField(_l("Opgave"), filters=[strip],
                        validators=[text_required,
                                    Length(max=300)])
    owner = StringField(_l("Ansvarlig"), filters=[strip], validators=[Length(max=200)])
    due_on = DateField(_l("Frist"), validators=[Optional()], format="%Y-%m-%d")


class TaskStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in TASK_STATUS_LABELS.items()],
    )
