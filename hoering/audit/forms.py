"""The audit log's filter: choices, not internal names (a kind of object, a person, a
handling from lists; a period as two days in Danish time). A GET form, so no CSRF."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from hoering.audit.describe import kind_label
from hoering.audit.queries import NO_USER
from hoering.audit.tags import AuditTag
from hoering.core.clock import LOCAL_TZ
from hoering.core.form_rules import FlaskForm
from hoering.core.i18n import gettext_str as _

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]  # what a date field sends, or is typed


class LogFilterForm(FlaskForm):
    """Read from the query string (``LogFilterForm(request.args)``); the choices are set
    from what the log holds (``fill``)."""

    class Meta:
        csrf = False

    objekttype = SelectField(_l("Type af objekt"), default="")
    handling = SelectField(_l("Hvad skete der"), default="")
    person = SelectField(_l("Hvem"), default="")
    fra = DateField(_l("Fra og med"), format=DATE_FORMATS, validators=[Optional()],
                    description=_l("Dansk tid, fra midnat."))
    til = DateField(_l("Til og med"), format=DATE_FORMATS, validators=[Optional()],
                    description=_l("Dansk tid; hele dagen er med."))

    def fill(self, *, object_types: Iterable[str], actions: Iterable[str],
             actors: Iterable[tuple[int, str, str]]) -> None:
        """The choices: the kinds of object and the handlings found in the log, and the
        users who appear in it as actors (id, name, e-mail)."""
        self.objekttype.choices = [SelectChoice("", _l("Alle typer")), *sorted(
            (SelectChoice(t, kind_label(t)) for t in object_types), key=_label_key)]
        self.handling.choices = [SelectChoice("", _l("Alle handlinger")), *sorted(
            (SelectChoice(a, _action_label(a)) for a in actions), key=_label_key)]
        self.person.choices = [
            SelectChoice("", _l("Alle")),
            *(SelectChoice(str(i), f"{name} ({email})") for i, name, email in actors),
            SelectChoice(NO_USER, _l("Ingen bruger (borgere, eksterne kontakter, systemet)")),
        ]

    def validate_til(self, field: Any) -> None:
        if self.fra.data and field.data and field.data < self.fra.data:
            raise ValidationError(_l("Vælg en dag samme dag som eller efter »Fra og med«."))

    # --- what the valid form filters by ---

    @property
    def actor(self) -> int | str | None:
        """A user id, ``NO_USER``, or None (anyone)."""
        value = self.person.data or ""
        if value == NO_USER:
            return NO_USER
        return int(value) if value.isdigit() else None

    @property
    def since(self) -> datetime | None:
        """The start of the first day, in Danish time (as UTC)."""
        return _start_of(self.fra.data) if self.fra.data else None

    @property
    def until(self) -> datetime | None:
        """The start of the day after the last (as UTC): that day is included."""
        return _start_of(self.til.data + timedelta(days=1)) if self.til.data else None

    def query_args(self) -> dict[str, str]:
        """The filter as typed, for the pages' links (pagination)."""
        return {name: self[name].raw_data[0] for name in
                ("objekttype", "handling", "person", "fra", "til")
                if self[name].raw_data and self[name].raw_data[0]}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def _label_key(choice: SelectChoice) -> str:
    return str(choice.label).casefold()


def _action_label(action: str) -> str:
    try:
        return _(AuditTag(action).description)
    except ValueError:
        return _("Ukendt handling")
