"""The one pattern for a request that changes something: perform the operation, commit
once, flash what was done and redirect; if the operation refuses (a ``DomainError``),
roll back and show why. ``confirmed`` puts a confirmation page in front of it: GET shows
the question, POST (with a valid CSRF token) performs the operation."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse
from wtforms import Field

from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.form_rules import FlaskForm

T = TypeVar("T")
OnError = Callable[[Any], ResponseReturnValue]  # given the error that was caught
_View = TypeVar("_View", bound=Callable[..., Any])
_Response = TypeVar("_Response", bound=BaseResponse)


class EmptyForm(FlaskForm):
    """Carries only the CSRF token, for buttons that post."""


def perform(
    operation: Callable[[], T],
    *,
    done: str | Callable[[T], str] | None,
    next_url: str | Callable[[T], str],
    on_error: OnError | None = None,
    catch: tuple[type[Exception], ...] = (DomainError,),
    code: int = 302,
) -> ResponseReturnValue:
    """Run ``operation``, commit, flash ``done`` (the success message, or a function of
    what the operation returned; None flashes nothing) and redirect to ``next_url``
    (a URL, or a function of what the operation returned) with status ``code``.

    If the operation raises one of ``catch`` nothing of it is kept: the session is rolled
    back, and the response is ``on_error(error)`` (see ``form_error``, ``flash_error``),
    or without ``on_error`` the app's error page (409, or 403 for ``NotAllowed``)."""
    try:
        result = operation()
    except catch as error:
        db.session.rollback()
        if on_error is None:
            raise
        return on_error(error)
    db.session.commit()
    if done is not None:
        flash(done(result) if callable(done) else done, "success")
    return redirect(next_url(result) if callable(next_url) else next_url, code=code)


def error_message(error: Exception) -> str:
    """A ``DomainError``'s message (or a form ``ValidationError``'s text)."""
    return getattr(error, "message", None) or str(error)


def form_error(field: Field, page: Callable[[], ResponseReturnValue]) -> OnError:
    """An ``on_error``: the form's ``page`` again, with the message under ``field``."""

    def show(error: Exception) -> ResponseReturnValue:
        field.errors.append(error_message(error))
        return page()

    return show


def flash_error(then: str | Callable[[], ResponseReturnValue]) -> OnError:
    """An ``on_error``: the message flashed as an error, then a redirect to ``then`` (a
    URL) or the response ``then()``."""

    def show(error: Exception) -> ResponseReturnValue:
        flash(error_message(error), "error")
        return redirect(then) if isinstance(then, str) else then()

    return show


def confirmed(
    operation: Callable[[], Any],
    *,
    title: str,
    question: str,
    confirm_label: str,
    cancel_url: str,
    done: str | Callable[[Any], str],
    next_url: str,
) -> ResponseReturnValue:
    """``done`` is the success message, or a function of what ``operation`` returned. A
    ``DomainError`` shows the error page (409, or 403)."""
    form = EmptyForm()
    if form.validate_on_submit():
        return perform(operation, done=done, next_url=next_url)
    return render_template(
        "confirm.html", form=form, title=title, question=question,
        confirm_label=confirm_label, cancel_url=cancel_url,
    )


def too_many_requests_page() -> ResponseReturnValue:
    """The 429 page: the app's handler, and the public form's when it has no form to show."""
    return render_template(
        "errors/error.html", title=_("For mange forsøg"),
        message=_("Der er kommet for mange forespørgsler fra din forbindelse på kort "
                  "tid. Vent lidt, og prøv igen."),
    ), 429


def public_url(path: str) -> str:
    """An absolute link for an e-mail: ``PUBLIC_BASE_URL`` followed by ``path``."""
    base_url: str = current_app.config["PUBLIC_BASE_URL"]
    return base_url.rstrip("/") + path


def download(data: bytes | str, filename: str, content_type: str, *,
             inline: bool = False) -> Response:
    """``data`` (text is sent as UTF-8) as a file named ``filename`` with the Content-Type
    ``content_type`` as given, shown in the browser when ``inline``, else saved. Werkzeug
    writes the Content-Disposition: a name outside ASCII goes as RFC 6266 ``filename*``
    (with an ASCII ``filename`` beside it), which a hand-written header cannot carry, as
    gunicorn sends headers in latin-1 only."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    response = send_file(io.BytesIO(content), mimetype=content_type,
                         as_attachment=not inline, download_name=filename)
    response.content_type = content_type  # send_file adds a second charset to text/*
    return response


def forbid_caching(response: _Response) -> _Response:
    """Personal data (a citizen's name, e-mail, text, files): no copy in the browser's
    cache (nor its back-forward history) or a proxy's. ``Pragma`` for HTTP/1.0 caches."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def no_store(view: _View) -> _View:
    """Decorator for a view whose pages or files show personal data: its responses
    carry ``forbid_caching``'s headers. Put it right under the route."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Response:
        return forbid_caching(make_response(view(*args, **kwargs)))

    setattr(wrapped, "forbids_caching", True)  # noqa: B010 - read by the tests
    return cast(_View, wrapped)


def keep_private(response: ResponseReturnValue) -> Response:
    """A page whose address holds a secret (a link's token): not cached, and no Referer
    carries the address on to another site."""
    page = forbid_caching(make_response(response))
    page.headers["Referrer-Policy"] = "no-referrer"
    return page


def private_page(view: _View) -> _View:
    """Decorator for a view whose address holds a secret: ``keep_private`` on each of its
    responses. Put it right under the route."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Response:
        return keep_private(view(*args, **kwargs))

    setattr(wrapped, "forbids_caching", True)  # noqa: B010 - read by the tests
    return cast(_View, wrapped)


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters_in_query() -> None:
    """A path or query string value with a control character (a NUL gives a 500 on
    PostgreSQL) is answered 400 before any view reads it: no page, search, filter, id or
    token holds one."""
    if _CONTROL_CHARACTERS.search(request.path) or any(
            _CONTROL_CHARACTERS.search(value) for value in request.args.values()):
        abort(400)
