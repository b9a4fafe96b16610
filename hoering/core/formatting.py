"""Dates and times the Danish way: ``9. april 2024``, in Europe/Copenhagen; a time on a page
with its zone: ``9. april 2024 kl. 15:00 (CEST)``."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime, to_user_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from hoering.core.clock import LOCAL_TZ


def danish_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # converted to Europe/Copenhagen first
        text: str = format_datetime(value, "d. MMMM y")  # flask_babel is untyped
        return text
    text = format_date(value, "d. MMMM y")
    return text


def danish_datetime(value: datetime | None) -> str:
    """``18. juni 2024 kl. 14:00 (CEST)``: Danish time, with the zone it is in then (CET in
    winter, CEST in summer), so that nobody takes it for UTC."""
    if value is None:
        return ""
    text: str = format_datetime(value, "d. MMMM y 'kl.' HH:mm")  # flask_babel is untyped
    return f"{text} ({time_zone_name(value)})"


def time_zone_name(value: datetime) -> str:
    """"CEST" or "CET": the abbreviation of the Danish zone at ``value``."""
    local: datetime = to_user_timezone(value)  # a naive value is taken as UTC
    return local.tzname() or ""


def cite_meeting(body_name: str, meeting_date: date, agenda_item: int | None) -> str:
    """A meeting cited the way minutes do: "Socialudvalget den 9. april 2024 Punkt 6"."""
    citation = f"{body_name} den {danish_date_text(meeting_date)}"
    return f"{citation} Punkt {agenda_item}" if agenda_item is not None else citation


def csrf_field() -> Markup:
    """The CSRF token as a hidden input without an id (a page may hold many forms)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def danish_date_text(value: date) -> str:
    """"9. april 2024" without a request or app context (CLI, renderers)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "d. MMMM y", locale="da")


def deadline_text(moment: datetime) -> str:
    """``30. april 2024 kl. 23:59`` in Danish time."""
    local = moment.astimezone(LOCAL_TZ)
    return f"{danish_date_text(local.date())} kl. {local:%H:%M}"
