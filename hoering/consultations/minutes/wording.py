"""The placement steps' reasons in the page's language, without making the steps depend
on Flask (they import only the standard library, snowballstemmer and each other):
Flask-Babel is imported when a reason is translated, not when a step is imported. Outside
an app (a test of the steps, a script) the Danish text is used, as gettext does there."""

from __future__ import annotations


def gettext(text: str, **variables: object) -> str:
    """``flask_babel.gettext`` (the msgid is extracted from calls of ``_``)."""
    try:
        from flask_babel import gettext as flask_gettext
    except ImportError:  # the steps on their own
        return text % variables if variables else text
    return str(flask_gettext(text, **variables))


_ = gettext


def N_(text: str) -> str:  # noqa: N802 - gettext's name for a text marked, not translated
    """Mark ``text`` for the catalogue; translate it where it is used (``_(REASON)``)."""
    return text
