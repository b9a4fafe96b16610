"""Forms for the memo page (its texts, its order, issuing), follow-up tasks."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Field, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional

from hoering.core.form_rules import FlaskForm, strip, text_required
from hoering.memos.models import TaskStatus
from hoering.memos.operations import PENDING_CHOICE, MemoTexts
from hoering.memos.texts import GENERAL_KEY, MemoDefaults

TASK_STATUS_LABELS = {
    TaskStatus.OPEN: _l("Ikke startet"),
    TaskStatus.IN_PROGRESS: _l("I gang"),
    TaskStatus.DONE: _l("Afsluttet"),
}



class MemoTextsForm(FlaskForm):
    """Every fixed text of the memo; an empty field is the default (shown in the field
    as its placeholder: ``show_defaults``). The part headings are fields of their own,
    one per part (``memo_texts_form``)."""

    title = StringField(_l("Titel"), filters=[strip], validators=[Length(max=400)])
    unit = StringField(_l("Udstedende enhed"), filters=[strip], validators=[Length(max=200)])
    background = TextAreaField(_l("Baggrund"), filters=[strip],
                               validators=[Length(max=20_000)])
    responses_heading = StringField(_l("Overskrift over høringssvarene"), filters=[strip],
                                    validators=[Length(max=300)])
    responses_intro = TextAreaField(_l("Indledning til høringssvarene"), filters=[strip],
                                    validators=[Length(max=2_000)])
    further_work = TextAreaField(
        _l("Videre arbejde: tekst før opgavelisten"), filters=[strip],
        description=_l("Afsnit adskilles af en tom linje."), validators=[Length(max=20_000)])
    further_work_after = TextAreaField(
        _l("Videre arbejde: tekst efter opgavelisten"), filters=[strip],
        description=_l("Afsnit adskilles af en tom linje."), validators=[Length(max=20_000)])
    consultee_list = BooleanField(
        _l("Vis en liste over alle høringsparter, og om de har svaret"))

    def part_fields(self) -> list[tuple[str, Field]]:
        """(part key, field) of each part heading's field, in the memo's order."""
        return [(name.removeprefix(PART_PREFIX), field) for name, field in self._fields.items()
                if name.startswith(PART_PREFIX)]

    def show_defaults(self, defaults: MemoDefaults) -> None:
        """Each text field shows its default: in its hint, and as its placeholder while
        it is empty."""
        shown = {"title": defaults.title, "unit": defaults.unit,
                 "background": defaults.background,
                 "responses_heading": defaults.responses_heading,
                 "responses_intro": defaults.responses_intro}
        shown.update({PART_PREFIX + key: text for key, text in defaults.part_headings.items()})
        for name, text in shown.items():
            if name in self._fields:
                field = self._fields[name]
                field.render_kw = {**(field.render_kw or {}), "placeholder": text}
                field.description = _("Står feltet tomt, bruges standardteksten: »%(text)s«",
                                      text=" ".join(text.split()))

    def texts(self) -> MemoTexts:
        return MemoTexts(
            title=self.title.data or "", unit=self.unit.data or "",
            background=self.background.data or "",
            responses_heading=self.responses_heading.data or "",
            responses_intro=self.responses_intro.data or "",
            part_headings={key: field.data or "" for key, field in self.part_fields()},
            further_work=self.further_work.data or "",
            further_work_after=self.further_work_after.data or "",
            consultee_list=bool(self.consultee_list.data),
        )


PART_PREFIX = "part_"


@lru_cache(maxsize=256)
def memo_texts_form(parts: tuple[tuple[str, str], ...]) -> type[MemoTextsForm]:
    """The texts form with a heading field for each part: (key, section heading) — the
    key is the section's id as text, or "general"."""
    fields = {
        PART_PREFIX + key: StringField(
            _l("Overskrift over bemærkningerne til »%(heading)s«", heading=heading)
            if key != GENERAL_KEY else _l("Overskrift over de generelle bemærkninger"),
            filters=[strip], validators=[Length(max=300)])
        for key, heading in parts
    }
    return type("MemoTextsPartsForm", (MemoTextsForm,), fields)


class MoveForm(FlaskForm):
    """A move up or down: the button pressed says which."""

    direction = StringField(validators=[AnyOf(("up", "down"),
                                              message=_l("Vælg op eller ned."))])

    @property
    def offset(self) -> int:
        return -1 if self.direction.data == "up" else 1


class IssueForm(FlaskForm):
    mark_pending = BooleanField(PENDING_CHOICE)


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
