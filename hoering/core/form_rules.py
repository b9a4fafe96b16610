"""Validators and filters shared by every form, with their Danish messages, and the two
base classes every form is made from: ``FlaskForm`` (a page's form) and ``Form`` (a
subform inside a ``FormField``).

Their ``Meta`` gives every field the rules no form may forget (``field_rules``):

- text (a ``StringField`` or ``TextAreaField``, and their kinds: hidden, e-mail,
  password, search): no control characters (NUL, ESC, ...; a NUL gives a 500 on
  PostgreSQL), except tab and line breaks in multi-line text; a single-line field
  (``StringField``) takes no line break (a title with CR/LF breaks the subject of every
  e-mail it goes into);
- a date (``DateField``, ``DateTimeField``): a year from ``EARLIEST_YEAR`` to
  ``LATEST_YEAR``;

refused as a form error under the field, with the text kept. And WTForms' own messages
("Not a valid date value.", the CSRF messages) are Danish (``hoering.core.form_messages``).
"""

from __future__ import annotations

import re
import weakref
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

import flask_wtf
import wtforms
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms.fields.core import UnboundField
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, InputRequired, StopValidation, ValidationError

from hoering.core.form_messages import DANISH

required = InputRequired(message=_l("Feltet skal udfyldes."))
# free text: white space alone counts as empty (use together with the ``strip`` filter)
text_required = DataRequired(message=_l("Feltet skal udfyldes."))

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

_T = TypeVar("_T")


def strip(value: _T) -> _T | str:
    """Filter: drop surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value


# C0 and C1 control characters and DEL; multi-line text keeps tab, LF and CR. A single
# line also refuses the Unicode line and paragraph separators (e-mail headers split there).
_MULTI_LINE_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SINGLE_LINE_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = "\r\n\u2028\u2029"


class PlainText:
    """Validator: refuse control characters in text (``single_line``: line breaks too),
    naming the position of the first, so that the person can find an invisible one."""

    def __init__(self, *, single_line: bool) -> None:
        self.single_line = single_line
        self.pattern = _SINGLE_LINE_REFUSED if single_line else _MULTI_LINE_REFUSED

    def __call__(self, form: Any, field: Any) -> None:
        value = field.data
        found = self.pattern.search(value) if isinstance(value, str) else None
        if found is None:
            return
        if found.group() in _LINE_BREAKS:
            raise StopValidation(_l("Feltet kan kun have én linje: fjern linjeskiftet."))
        count = len(self.pattern.findall(value))
        if count == 1:
            raise StopValidation(_l(
                "Teksten indeholder et usynligt styretegn (tegn nr. %(n)d), som ikke kan "
                "gemmes. Det følger ofte med kopieret tekst: slet det, og prøv igen.",
                n=found.start() + 1))
        raise StopValidation(_l(
            "Teksten indeholder %(count)d usynlige styretegn, som ikke kan gemmes; det "
            "første er tegn nr. %(n)d. De følger ofte med kopieret tekst: slet dem, og "
            "prøv igen.", count=count, n=found.start() + 1))


def sane_date(form: Any, field: Any) -> None:
    """Validator: a date (or date and time) from ``EARLIEST_YEAR`` to ``LATEST_YEAR``."""
    value = field.data
    if isinstance(value, date) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(_l("Skriv en dato mellem år %(first)d og %(last)d.",
                                 first=EARLIEST_YEAR, last=LATEST_YEAR))


single_line_text = PlainText(single_line=True)
multi_line_text = PlainText(single_line=False)

# The largest whole number a form takes (a 32-bit id or count; larger ones are no id in
# the database, and a huge one overflows WTForms' NumberRange).
LARGEST_NUMBER = 2**31 - 1


def sane_number(form: Any, field: Any) -> None:
    """Validator: a whole number within ±``LARGEST_NUMBER``."""
    if isinstance(field.data, int) and abs(field.data) > LARGEST_NUMBER:
        raise StopValidation(_l("Tallet er for stort."))


def field_rules(field_class: type) -> list[Any]:
    """The validators every field of ``field_class`` gets, before its own."""
    if issubclass(field_class, wtforms.TextAreaField):
        return [multi_line_text]
    if issubclass(field_class, wtforms.StringField):
        return [single_line_text]
    if issubclass(field_class, wtforms.DateField | wtforms.DateTimeField):
        return [sane_date]
    if issubclass(field_class, wtforms.IntegerField):
        return [sane_number]
    return []


def with_field_rules(unbound: Any) -> Any:
    """``unbound`` (an ``UnboundField``) with ``field_rules`` in front of its validators;
    a ``FieldList``'s entries get them too."""
    args, kwargs = list(unbound.args), dict(unbound.kwargs)
    if issubclass(unbound.field_class, wtforms.FieldList):
        if args and isinstance(args[0], UnboundField):
            args[0] = with_field_rules(args[0])
        elif isinstance(kwargs.get("unbound_field"), UnboundField):
            kwargs["unbound_field"] = with_field_rules(kwargs["unbound_field"])
        return UnboundField(unbound.field_class, *args, name=unbound.name, **kwargs)
    rules = field_rules(unbound.field_class)
    if not rules:
        return unbound
    if len(args) >= 2:  # Field(label, validators, ...)
        args[1] = [*rules, *(args[1] or ())]
    else:
        kwargs["validators"] = [*rules, *(kwargs.get("validators") or ())]
    return UnboundField(unbound.field_class, *args, name=unbound.name, **kwargs)


def form_translations() -> Any:
    """Our messages for WTForms' and Flask-WTF's own (Danish texts, in English through the
    catalogue like every other text), whatever the page's language: WTForms' English would
    differ from ours, and it has no Danish."""
    return DANISH


# Each field of a form class with its rules, made once per field (a form is built on
# every request; a burst of public submissions builds thousands).
_WITH_RULES: weakref.WeakKeyDictionary[UnboundField, UnboundField] = (
    weakref.WeakKeyDictionary())


def _ruled(unbound: UnboundField) -> UnboundField:
    ruled = _WITH_RULES.get(unbound)
    if ruled is None:
        ruled = _WITH_RULES[unbound] = with_field_rules(unbound)
    return ruled


class RulesMeta(DefaultMeta):
    """The ``Meta`` of both base forms: ``with_field_rules`` for every field, and the
    Danish messages."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        return super().bind_field(form, _ruled(unbound_field), options)

    def get_translations(self, form: Any) -> Any:
        return form_translations() or super().get_translations(form)


class _DanishCSRF(flask_wtf.FlaskForm.Meta.csrf_class):
    """Flask-WTF's form-level CSRF check, its (English, untranslated) messages passed
    through the form's translations."""

    def validate_csrf_token(self, form: Any, field: Any) -> None:
        try:
            super().validate_csrf_token(form, field)
        except ValidationError as error:
            raise ValidationError(field.gettext(str(error.args[0]))) from None


_FROM_REQUEST: Any = object()
SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def request_formdata(form_class: type) -> Any:
    """What a submitted form is read from: the posted fields, and the posted files of its
    file fields only (a file under a text or date field's name breaks WTForms), never a
    JSON body (Flask-WTF would take one, and a list or number in a field breaks it too)."""
    if not has_request_context() or request.method not in SUBMIT_METHODS:
        return None
    file_fields = _file_fields(form_class)
    files = MultiDict([(name, upload) for name, upload in request.files.items(multi=True)
                       if name in file_fields])
    return CombinedMultiDict((files, request.form)) if files else request.form


@lru_cache(maxsize=1024)
def _file_fields(form_class: type) -> frozenset[str]:
    """The names of the file fields of ``form_class`` (looked up once per class)."""
    return frozenset(name for name in dir(form_class)
                     if isinstance(unbound := getattr(form_class, name), UnboundField)
                     and issubclass(unbound.field_class, wtforms.FileField))


class FlaskForm(flask_wtf.FlaskForm):
    """The base of every page's form (in place of Flask-WTF's ``FlaskForm``)."""

    class Meta(RulesMeta, flask_wtf.FlaskForm.Meta):
        csrf_class = _DanishCSRF

    def __init__(self, formdata: Any = _FROM_REQUEST, **kwargs: Any) -> None:
        super().__init__(formdata=request_formdata(type(self)) if formdata is _FROM_REQUEST
                         else formdata, **kwargs)


class Form(wtforms.Form):
    """The base of every subform (a ``FormField``'s form)."""

    class Meta(RulesMeta):
        pass
