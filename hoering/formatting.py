"""Dates and times the Danish way: ``9. april 2024``, in Europe/Copenhagen."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime


def danish_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # converted to Europe/Copenhagen first
        return format_datetime(value, "d. MMMM y")
    return format_date(value, "d. MMMM y")


def danish_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "d. MMMM y 'kl.' HH:mm")
