"""Every route, hostile input: no 5xx, and nothing half-stored.

Logged in as an administrator (who may use every route), on the access matrix's world
(``tests/test_access_matrix.py``: one of everything, committed once per backend), each
route of ``app.url_map`` (the matrix lists them all, and its own test fails for a route
it lacks) is sent hostile values with hypothesis, from a fixed seed and a bounded number
of examples:

- in the path: huge and negative numbers, numbers in other scripts, text, RTL
  overrides, NUL, 100,000 characters (and, mostly, the world's valid ids, so that the
  view's own handling of the query or the form is reached);
- in the query string: the names the app reads and those of the page's GET forms;
- in a POST: the fields of the HTML forms that post to the URL (found by reading every
  GET page of the world once) and of the WTForms form classes the view uses (or, with
  neither, of every form class of the app), the page's values for them, some replaced
  by hostile values (several values for one name, a file where text is expected), some
  left out, some unknown ones added; now and then sent as a JSON body instead, with
  numbers, null, lists and objects as values, or a list as the whole body.

Nothing may answer 5xx (in testing an error propagates, and is reported with the route
and the input). A POST answered 4xx, or with its form shown again, must leave the row
count of every table unchanged; a GET may store only one ``privacy:view`` event (who
saw a citizen's data). Each example runs in a SAVEPOINT rolled back after it, so that a
successful POST (which may store) does not change the world for the next.

``HOERING_FUZZ_EXAMPLES`` sets the number of examples per route (default below).
"""

from __future__ import annotations

import inspect
import io
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from wtforms.fields.core import UnboundField

import tests.conftest as harness
import tests.test_access_matrix as access_matrix
from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from tests.conftest import login
from tests.test_access_matrix import (
    MATRIX,
    World,
    url_args,
)

access_world = access_matrix.access_world  # the matrix's world, a fixture of this module too
COMMITTED_WORLDS = ("access_world",)  # its tests run last in the module (tests/conftest.py)
SEED = 20260401
EXAMPLES = int(os.environ.get("HOERING_FUZZ_EXAMPLES", "10"))
ROUTES = [(endpoint, method) for endpoint, methods in MATRIX.items() for method in methods]

# --- hostile values ----------------------------------------------------------------------

NUMBERS = [
    "0", "-1", "-2147483649", "2147483648", "4294967296", "9223372036854775808",
    "-9223372036854775809", str(10**20), "1" + "0" * 400, "1e309", "NaN", "-0", "1.5",
    "0x10", " 7 ", "+5", "١٢٣", "²", "Ⅻ", "٣٠",
]
TEXTS = [
    "", " ", "\x00", "a\x00b", "\u202egnirøh", "\u200b\u200f\u2066", "\ufeff", "\r\n\t",
    "𝔥ø𝔯𝔦𝔫𝔤", "👍🏽", "<script>alert(1)</script>", "' OR '1'='1", "../../../etc/passwd",
    "%00%ff", "{{7*7}}", "true", "null", "[]", '{"a": 1}', "2024-02-30", "9999-12-31",
    "0001-01-01", "10000-01-01", "-2024-01-01", "25:61", "a@b", "x" * 300 + "@example.dk",
    "x" * 100_000,
]
scalar = st.one_of(
    st.sampled_from(NUMBERS + TEXTS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=20),
)
upload = st.builds(
    lambda content, name: (io.BytesIO(content), name),
    st.sampled_from([b"", b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04", b"\x00" * 16]),
    st.sampled_from(["bilag.pdf", "../../x.pdf", "\u202efdp.exe", "a" * 300 + ".pdf", "x"]),
)
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3), upload)
# a JSON body (Flask-WTF reads one as the form): numbers, null, lists, objects for text
json_value = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(), scalar, st.lists(scalar, max_size=3),
    st.dictionaries(st.text(max_size=5), scalar, max_size=2),
)
query_value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))
path_value = st.sampled_from(NUMBERS + TEXTS[:-1] + ["x" * 2000, "a/b", "%2F"])

# the names the app reads from query strings (beside those of the pages' GET forms)
QUERY_NAMES = ["page", "q", "organ", "afsnit", "status", "behandling", "handling",
               "objekttype", "objekt", "person", "fra", "til", "med", "next", "hoering"]
EXTRA_FIELDS = ["csrf_token", "id", "page", "unknown"]

# --- the pages' forms --------------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> a value the page offers


class _FormReader(HTMLParser):
    """The forms of a page: each field's name with the value the page gives it."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path, self.forms, self._select = path, [], None
        self.form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("method", "get").lower(),
                             urlsplit(a.get("action") or self.path).path)
            self.forms.append(self.form)
        elif self.form is not None and a.get("name"):
            self._field(tag, a)
        if tag == "option" and self._select is not None and self.form is not None:
            self.form.fields.setdefault(self._select, a.get("value", ""))

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self.form is not None
        name = a["name"]
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            self.form.fields.setdefault(name, "Tekst")
        elif tag in ("input", "button") and (
                a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.form.fields.setdefault(name, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str, path: str) -> list[Form]:
    reader = _FormReader(path)
    reader.feed(html)
    return reader.forms


def _fields_of(form_class: type) -> set[str]:
    return {name for klass in form_class.__mro__ for name, attr in vars(klass).items()
            if isinstance(attr, UnboundField)}


def view_form_fields(view: Any) -> list[str]:
    """The field names of the form classes a view function uses: those its code (and
    that of the functions of its module it calls, and of its lambdas) names."""
    view = inspect.unwrap(view)
    module, names, seen = view.__module__, set(), set()
    pending = [view.__code__]
    while pending:
        code = pending.pop()
        if code in seen:
            continue
        seen.add(code)
        pending += [c for c in code.co_consts if inspect.iscode(c)]
        for name in code.co_names:
            used = view.__globals__.get(name)
            if isinstance(used, type) and issubclass(used, FlaskForm):
                names |= _fields_of(used)
            elif inspect.isfunction(used) and used.__module__ == module:
                pending.append(used.__code__)
    return sorted(names)


@cache
def _all_form_fields() -> list[str]:
    """The field names of every form class the app's modules define (not those a view
    makes on the fly, which come and go: the examples must not depend on them)."""
    names: set[str] = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending += form_class.__subclasses__()
        if "<locals>" not in form_class.__qualname__:
            names |= _fields_of(form_class)
    return sorted(names)


# --- URLs --------------------------------------------------------------------------------


def valid_args(endpoint: str, arguments: set[str], world: World) -> dict[str, str]:
    """The world's values for a route's arguments, as the access matrix fills them in."""
    return {name: str(v) for name, v in url_args(endpoint, arguments, world).items()}


_ARGUMENT = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def build_path(rule_text: str, values: dict[str, str]) -> str:
    return _ARGUMENT.sub(lambda m: quote(values[m.group(1)], safe=""), rule_text)


def the_rule(app, endpoint: str, method: str):
    return next(r for r in app.url_map.iter_rules()
                if r.endpoint == endpoint and method in r.methods)


# --- the database ------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """The number of rows of every table, in one query."""
    tables = db.metadata.sorted_tables
    counts = db.session.execute(select(*(
        select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables
    ))).one()
    return dict(zip([t.name for t in tables], counts, strict=True))


@contextmanager
def undone() -> Iterator[None]:
    """Whatever the block commits is undone after it (a SAVEPOINT of the test's
    connection, beneath the session's own)."""
    connection = harness._test_connection
    assert connection is not None, "needs the rolled-back test transaction"
    db.session.close()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        db.session.rollback()
        db.session.close()
        savepoint.rollback()


_FORMS: dict[str, dict[str, Form]] = {}  # per database: form action path -> its fields
_QUERY_FIELDS: dict[str, dict[str, list[str]]] = {}  # per database: page path -> names


def _crawl(app, client, world: World) -> None:
    """Every GET page of the world, once per database: the forms on them."""
    key = str(db.engine.url)
    if key in _FORMS:
        return
    posts: dict[str, Form] = {}
    queries: dict[str, list[str]] = {}
    with undone():
        for endpoint, method in ROUTES:
            if method != "GET":
                continue
            rule = the_rule(app, endpoint, "GET")
            path = build_path(rule.rule, valid_args(endpoint, rule.arguments, world))
            answer = client.get(path)
            if "html" not in answer.content_type:
                continue
            for form in forms_of(answer.text, path):
                if form.method == "post":
                    known = posts.setdefault(form.action, Form("post", form.action))
                    for name, given_value in form.fields.items():
                        known.fields.setdefault(name, given_value)
                else:
                    queries.setdefault(path, []).extend(form.fields)
    _FORMS[key], _QUERY_FIELDS[key] = posts, queries


# --- one request -------------------------------------------------------------------------


def _summary(data: Any) -> str:
    """The input, readable: long values cut short."""
    def short(v: Any) -> Any:
        if isinstance(v, str) and len(v) > 60:
            return f"{v[:20]!r}…({len(v)} characters)"
        if isinstance(v, tuple):
            return f"<file {v[1][:40]!r}>"
        if isinstance(v, list):
            return [short(x) for x in v]
        return v

    if isinstance(data, list):
        return repr(short(data))
    return repr({k: short(v) for k, v in (data or {}).items()})


def _shows_its_form_again(answer, path: str) -> bool:
    """A 200 page with a form posting to the same URL (the form shown again)."""
    if answer.status_code != 200 or "html" not in answer.content_type:
        return False
    return any(f.method == "post" and f.action == path for f in forms_of(answer.text, path))


def _check_stored(method: str, answer, path: str, before: dict[str, int],
                  after: dict[str, int], described: str) -> None:
    changed = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    if method == "GET":
        if changed:  # only the record of who saw a citizen's data
            assert changed == {"audit_events": 1}, f"a GET stored {changed}: {described}"
            action = db.session.scalar(select(AuditEvent.action).order_by(
                AuditEvent.id.desc()).limit(1))
            assert action == "privacy:view", f"a GET stored {action}: {described}"
    elif answer.status_code >= 400 or _shows_its_form_again(answer, path):
        assert changed == {}, (
            f"half-stored {changed} though it answered {answer.status_code}: {described}")


def _request(client, method: str, path: str, query: dict, form: tuple[Any, bool] | None,
             admin) -> None:
    data, as_json = form or (None, False)
    if method == "POST" and path == "/logout":
        login(client, admin)  # the example before may have logged out
    described = (f"{method} {path} query={_summary(query)} "
                 f"{'json' if as_json else 'form'}={_summary(data)}")
    body = {"json": data} if as_json else {"data": data}
    before = row_counts()
    try:
        answer = client.open(path, method=method, query_string=query, **body)
    except Exception as error:  # testing propagates errors: this would be a 500
        raise AssertionError(f"{type(error).__name__} ({error}): {described}") from error
    assert answer.status_code < 500, f"{answer.status_code}: {described}"
    db.session.rollback()  # what the request did not commit is gone, as after a request
    _check_stored(method, answer, path, before, row_counts(), described)


def _draw_path(draw, rule, valid: dict[str, str]) -> str:
    """Mostly the world's valid ids (so the view gets to the query and form); else one
    argument hostile."""
    values = dict(valid)
    if valid and draw(st.integers(0, 3)) == 0:
        values[draw(st.sampled_from(sorted(valid)))] = draw(path_value)
    return build_path(rule.rule, values)


def _draw_form(draw, path: str, key: str, view_fields: list[str]) -> tuple[Any, bool]:
    """The form data, and whether it goes as JSON: the page's form (or, without one, the
    view's form classes' fields) with some fields hostile, some missing, some unknown."""
    form = _FORMS[key].get(path)
    baseline = dict(form.fields) if form else {}
    names = sorted(set(baseline) | set(view_fields)) or _all_form_fields()
    missing = draw(st.sets(st.sampled_from(names), max_size=3))
    data: dict[str, Any] = {name: v for name, v in baseline.items() if name not in missing}
    if draw(st.integers(0, 5)) == 0:  # wrong types: a JSON body, now and then a list
        data.update(draw(st.dictionaries(st.sampled_from(names + EXTRA_FIELDS), json_value,
                                         min_size=1, max_size=4)))
        return (list(data.values()) if draw(st.integers(0, 4)) == 0 else data), True
    data.update(draw(st.dictionaries(st.sampled_from(names + EXTRA_FIELDS), value,
                                     min_size=1, max_size=4)))
    return data, False


FUZZ = settings(
    max_examples=EXAMPLES, database=None, deadline=None, derandomize=False,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: bounded time in CI
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)


def test_every_route_is_fuzzed(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint != "static" for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == set(ROUTES)


@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
def test_hostile_input_gives_no_server_error_and_stores_nothing_half(
    app, client, make_user, access_world, endpoint, method
):
    admin = make_user(Role.ADMIN)
    assert login(client, admin).status_code == 302
    _crawl(app, client, access_world)
    rule = the_rule(app, endpoint, method)
    valid = valid_args(endpoint, rule.arguments, access_world)
    key = str(db.engine.url)
    view_fields = view_form_fields(app.view_functions[endpoint])

    @seed(SEED + zlib.crc32(f"{endpoint} {method}".encode()))  # fixed, other per route
    @FUZZ
    @given(st.data())
    def fuzz(data) -> None:
        path = _draw_path(data.draw, rule, valid)
        names = QUERY_NAMES + _QUERY_FIELDS[key].get(path, [])
        query = data.draw(st.dictionaries(st.sampled_from(names), query_value, max_size=3))
        form = _draw_form(data.draw, path, key, view_fields) if method == "POST" else None
        with undone():
            _request(client, method, path, query, form, admin)

    fuzz()
