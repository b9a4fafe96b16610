"""The language of a page, an e-mail and a document.

- A page: the language chosen with the switch in the header (a cookie, ``LANGUAGE_COOKIE``,
  kept for a year), else the browser's (``Accept-Language``), else the municipality's
  (``BABEL_DEFAULT_LOCALE``, Danish). ``select_locale`` is Flask-Babel's locale selector.
- A document (the memo, the revised draft, exports): always the municipality's language,
  whoever downloads it (``in_municipality_language``), so that an English-speaking member of
  staff gets the same Danish memo as everybody else.
- An e-mail: to a user, the language they chose with the switch while logged in
  (``User.language``, ``in_language``), else the municipality's; to anyone else (a body's
  contact address, the secretariat's address) the municipality's
  (``in_municipality_language``), except a citizen's receipt, which is written in the
  language of the page the response was sent from (it is built in that request).

The catalogue is ``hoering/translations/en/LC_MESSAGES/messages.po`` (Danish msgids), kept
up to date with ``scripts/translations.sh``; ``tests/test_translations.py`` fails for a text
without a translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import force_locale, get_locale, gettext, refresh
from werkzeug.wrappers import Response as BaseResponse

_Response = TypeVar("_Response", bound=BaseResponse)
_Key = TypeVar("_Key")

SUPPORTED_LOCALES = ("da", "en")
LANGUAGE_COOKIE = "sprog"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # a year
# Each language's name in itself, as the switch offers it
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def gettext_str(message: str, /, **variables: Any) -> str:
    """Flask-Babel's ``gettext``, typed (Flask-Babel is untyped): import it as ``_``."""
    return str(gettext(message, **variables))


def municipality_locale() -> str:
    """The municipality's language (its documents, its e-mails): ``BABEL_DEFAULT_LOCALE``."""
    locale: str = current_app.config.get("BABEL_DEFAULT_LOCALE", "da")
    return locale


def chosen_locale() -> str | None:
    """The language chosen with the switch (the cookie), if it is one we have."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in SUPPORTED_LOCALES else None


def browser_locale() -> str | None:
    """The first of the browser's languages (best first) that we have, by its primary
    subtag: "en-US" is English even when "da" is listed after it."""
    for value, _quality in request.accept_languages:
        language = value.replace("_", "-").split("-")[0].lower()
        if language in SUPPORTED_LOCALES:
            return language
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector: the switch's choice, the browser's, the municipality's."""
    if not has_request_context():
        return municipality_locale()
    return chosen_locale() or browser_locale() or municipality_locale()


def current_locale() -> str:
    """The language of what is being rendered now (``<html lang>``)."""
    locale = get_locale()
    return str(locale.language) if locale is not None else municipality_locale()


def in_every_language(text: object) -> set[str]:
    """A lazy text as each language of the app says it ("Medlem", "Member"): what an
    import accepts for a label, whatever language its spreadsheet was written in."""
    said = set()
    for locale in SUPPORTED_LOCALES:
        with force_locale(locale):
            said.add(str(text))
    return said


def key_of_label(text: str, labels: Mapping[_Key, object]) -> _Key | None:
    """The key whose label ``text`` is, as any language of the app says it (case and
    spaces aside): "member" or "Medlem" → ``Role.MEMBER``. None when no label is."""
    word = " ".join(text.split()).casefold()
    return next((key for key, label in labels.items()
                 if word in {said.casefold() for said in in_every_language(label)}), None)


@contextmanager
def in_municipality_language() -> Iterator[None]:
    """Render a document or an e-mail in the municipality's language, whatever the page's."""
    with force_locale(municipality_locale()):
        yield


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Render an e-mail to a user in the language they chose (``User.language``), else in
    the municipality's."""
    with force_locale(language if language in SUPPORTED_LOCALES else municipality_locale()):
        yield


def remember_language(response: _Response, locale: str) -> _Response:
    """Set the switch's cookie on ``response`` (a year, the same site only)."""
    response.set_cookie(
        LANGUAGE_COOKIE, locale, max_age=LANGUAGE_COOKIE_MAX_AGE, httponly=True,
        samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


def local_target(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site (no open redirect), else ``fallback``."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not any(
                ord(char) < 32 or char == "\\" for char in target):
            return target
    return fallback


def init_i18n(app: Flask) -> None:
    """The page's language for every request, and ``current_locale`` for the templates."""

    @app.before_request
    def choose_language() -> None:
        # Flask-Babel keeps the locale on the app context, which several requests may
        # share (a test's app context): each request chooses its own
        refresh()

    @app.teardown_request
    def forget_language(_error: BaseException | None) -> None:
        refresh()

    @app.after_request
    def vary_by_language(response: Response) -> Response:
        response.vary.add("Accept-Language")  # a cache must not serve one language for
        response.vary.add("Cookie")  # another (the switch's choice is a cookie)
        return response

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"current_locale": current_locale(), "LANGUAGE_NAMES": LANGUAGE_NAMES}
