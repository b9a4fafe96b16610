"""The rules every form gets from its base class (hoering.core.form_rules): every form
is made from it, every text field refuses control characters (single-line fields line
breaks too), every date field years outside 2000-2100, and WTForms' and Flask-WTF's own
messages are Danish (with Flask-Babel's locale, which really is "da")."""

from __future__ import annotations

import importlib
import io
import pkgutil

import flask_wtf
import pytest
import wtforms
from flask_babel import get_locale
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

import hoering
from hoering.core import form_rules
from hoering.core.form_rules import FlaskForm, Form


def _hoering_forms() -> list[type]:
    for module in pkgutil.walk_packages(hoering.__path__, "hoering."):
        importlib.import_module(module.name)
    found, todo = [], [wtforms.Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("hoering.") and sub.__module__ != form_rules.__name__:
                found.append(sub)
    return found


def test_every_form_is_made_from_the_core_base_classes():
    forms = _hoering_forms()
    assert len(forms) > 25
    strays = [f"{f.__module__}.{f.__qualname__}" for f in forms
              if not issubclass(f, FlaskForm | Form)]
    assert strays == [], "use hoering.core.form_rules.FlaskForm (or Form for a subform)"


def _fields(form):
    for field in form:
        yield field
        if isinstance(field, FormField):
            yield from _fields(field.form)


def test_every_text_and_date_field_of_every_form_has_its_rule_first(app):
    with app.test_request_context("/"):
        checked = 0
        for form_class in _hoering_forms():
            form = form_class(formdata=None) if issubclass(form_class, FlaskForm) else (
                form_class())
            for field in _fields(form):
                expected = form_rules.field_rules(type(field))
                if expected:
                    assert list(field.validators[:len(expected)]) == expected, (
                        f"{form_class.__qualname__}.{field.name}")
                    checked += 1
        assert checked > 40


class _Sample(FlaskForm):
    title = StringField(validators=[Length(max=50)])
    text = TextAreaField()
    hidden = HiddenField()
    day = DateField(validators=[Optional()], format="%Y-%m-%d")
    names = FieldList(StringField(), min_entries=1)


class _Row(Form):
    note = StringField()


class _WithRows(FlaskForm):
    rows = FieldList(FormField(_Row), min_entries=1)


def _validated(app, form_class, **data):
    with app.test_request_context("/", method="POST", data=MultiDict(data)):
        form = form_class()
        form.validate()
        return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@pytest.mark.parametrize("field, value, message", [
    ("title", "a\x00b", "usynligt styretegn (tegn nr. 2)"),
    ("title", "a\x1bb\x00c", "2 usynlige styretegn"),
    ("title", "Titel\r\nBcc: x@example.dk", "kun have én linje"),
    ("title", "Titel\u2028mere", "kun have én linje"),
    ("title", "Titel\tmed tab", "usynligt styretegn"),
    ("hidden", "1\x00", "usynligt styretegn"),
    ("text", "a\x00b", "usynligt styretegn (tegn nr. 2)"),
    ("text", "a\x7fb", "usynligt styretegn"),
    ("text", "a\x9bb", "usynligt styretegn"),
    ("names-0", "a\x00b", "usynligt styretegn"),
])
def test_control_characters_are_a_form_error(app, field, value, message):
    errors = _validated(app, _Sample, **{field: value})
    key = "names" if field.startswith("names") else field
    assert any(message in e for e in _flat(errors[key])), errors


def _flat(errors):
    for error in errors:
        if isinstance(error, list | tuple):
            yield from _flat(error)
        else:
            yield str(error)


def test_tabs_and_line_breaks_are_fine_in_multi_line_text(app):
    assert _validated(app, _Sample, title="Titel", text="a\tb\r\nc\nd") == {}


def test_a_form_built_again_reuses_its_fields_with_their_rules(app):
    """The rules are put in front of a field's validators once, not on every request."""
    with app.test_request_context("/", method="POST", data={"title": "a\x00b"}):
        first, second = _Sample(), _Sample()
        assert first.title.validators is second.title.validators
        assert first.title.validators[0] is form_rules.single_line_text
        assert not second.validate() and "usynligt styretegn" in str(second.errors["title"])


class _WithFile(FlaskForm):
    note = StringField()
    upload = FileField()


def test_posted_files_go_to_file_fields_only(app):
    """A file under a text field's name is no text (it would break WTForms); a file
    field gets its file, the second form of a class as the first."""
    for _ in range(2):
        data = {"note": (io.BytesIO(b"x"), "a.txt"), "upload": (io.BytesIO(b"%PDF"), "b.pdf")}
        with app.test_request_context("/", method="POST", data=data,
                                      content_type="multipart/form-data"):
            form = _WithFile()
            assert form.note.data is None and form.upload.data.filename == "b.pdf"


def test_a_subform_inside_a_form_field_gets_the_rules(app):
    errors = _validated(app, _WithRows, **{"rows-0-note": "a\x00b"})
    assert "usynligt styretegn" in str(errors)


@pytest.mark.parametrize("value, message", [
    ("0001-01-01", "Skriv en dato mellem år 2000 og 2100."),
    ("1999-12-31", "Skriv en dato mellem år 2000 og 2100."),
    ("2101-01-01", "Skriv en dato mellem år 2000 og 2100."),
    ("9999-12-31", "Skriv en dato mellem år 2000 og 2100."),
    ("30-04-2026", "Skriv en gyldig dato (år-måned-dag, fx 2026-04-30)."),
    ("i morgen", "Skriv en gyldig dato (år-måned-dag, fx 2026-04-30)."),
])
def test_dates_outside_the_sane_range_or_not_dates_are_refused_in_danish(app, value, message):
    assert _validated(app, _Sample, day=value)["day"] == [message]
    assert _validated(app, _Sample, day="2000-01-01") == {}
    assert _validated(app, _Sample, day="2100-12-31") == {}


def test_wtforms_own_messages_are_danish_with_the_danish_locale(app):
    with app.test_request_context("/"):
        assert str(get_locale()) == "da"
    errors = _validated(app, _Sample, title="x" * 51)
    assert errors["title"] == ["Feltet må højst være på 50 tegn."]


def test_a_missing_or_wrong_csrf_token_is_told_in_danish(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for data in ({}, {"csrf_token": "forkert"}):
        errors = _validated(app, _Sample, title="Titel", **data)
        [message] = errors["csrf_token"]
        assert message.startswith("Formularen kunne ikke bekræftes"), message
    assert issubclass(FlaskForm.Meta.csrf_class, flask_wtf.FlaskForm.Meta.csrf_class)
