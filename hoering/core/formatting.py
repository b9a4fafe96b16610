"""Dates and times the Danish way: ``9. april 2024``, in Europe/Copenhagen; in English
``9 April 2024``; a time on a page with its zone: ``9. april 2024 kl. 15:00 (CEST)``.

The template filters (``danish_date``, ``danish_datetime``) and ``date_in_locale`` /
``deadline_in_locale`` (for messages) follow the language of the moment (a document is
rendered in the municipality's: ``hoering.core.i18n``). ``danish_date_text``,
``deadline_text`` and ``cite_meeting`` are always Danish: what the documents, the e-mails
and the stored citations say."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from flask_babel import format_date, format_datetime, get_locale, to_user_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from hoering.core.clock import LOCAL_TZ
from hoering.core.i18n import gettext_str as _

# The patterns per language (CLDR); a language missing here is written the Danish way
DATE_PATTERNS = {"da": "d. MMMM y", "en": "d MMMM y"}
DATETIME_PATTERNS = {"da": "d. MMMM y 'kl.' HH:mm", "en": "d MMMM y 'at' HH:mm"}


def _language() -> str:
    """The language of the moment (a request's, a forced one), else Danish."""
    locale = get_locale()
    language = str(locale.language) if locale is not None else "da"
    return language if language in DATE_PATTERNS else "da"


def danish_date(value: date | datetime | None) -> str:
    """``9. april 2024`` (``9 April 2024`` in English)."""
    if value is None:
        return ""
    pattern = DATE_PATTERNS[_language()]
    if isinstance(value, datetime):  # converted to Europe/Copenhagen first
        text: str = format_datetime(value, pattern)  # flask_babel is untyped
        return text
    text = format_date(value, pattern)
    return text


def danish_datetime(value: datetime | None) -> str:
    """``18. juni 2024 kl. 14:00 (CEST)`` (``18 June 2024 at 14:00 (CEST)`` in English):
    Danish time, with the zone it is in then (CET in winter, CEST in summer), so that
    nobody takes it for UTC."""
    if value is None:
        return ""
    text: str = format_datetime(value, DATETIME_PATTERNS[_language()])  # flask_babel is untyped
    return f"{text} ({time_zone_name(value)})"


def time_zone_name(value: datetime) -> str:
    """"CEST" or "CET": the abbreviation of the Danish zone at ``value``."""
    local: datetime = to_user_timezone(value)  # a naive value is taken as UTC
    return local.tzname() or ""


def date_in_locale(value: date) -> str:
    """A day in the language of the moment (a message), without a request too."""
    language = _language()
    return babel_format_date(value, DATE_PATTERNS[language], locale=language)


def number_in_locale(number: int) -> str:
    """``1.000`` (``1,000`` in English)."""
    return format_decimal(number, locale=_language())


def deadline_in_locale(moment: datetime) -> str:
    """A moment in Danish time, in the language of the moment: ``30. april 2024 kl. 23:59``
    or ``30 April 2024 at 23:59``."""
    local = moment.astimezone(LOCAL_TZ)
    language = _language()
    return babel_format_datetime(local, DATETIME_PATTERNS[language], tzinfo=LOCAL_TZ,
                                 locale=language)


def quoted(text: str) -> str:
    """A quotation in the language's marks: »Princip 3« in Danish, “Principle 3” in English."""
    return _("»%(text)s«", text=text)


def cite_meeting(body_name: str, meeting_date: date, agenda_item: int | None) -> str:
    """A meeting cited the way minutes do: "Socialudvalget den 9. april 2024 Punkt 6"."""
    citation = f"{body_name} den {danish_date_text(meeting_date)}"
    return f"{citation} Punkt {agenda_item}" if agenda_item is not None else citation


def csrf_field() -> Markup:
    """The CSRF token as a hidden input without an id (a page may hold many forms)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def danish_date_text(value: date) -> str:
    """"9. april 2024" without a request or app context (CLI, renderers)."""
    return babel_format_date(value, "d. MMMM y", locale="da")


def deadline_text(moment: datetime) -> str:
    """``30. april 2024 kl. 23:59`` in Danish time."""
    local = moment.astimezone(LOCAL_TZ)
    return f"{danish_date_text(local.date())} kl. {local:%H:%M}"
