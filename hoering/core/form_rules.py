"""Validators and filters shared by every form, with their Danish messages."""

from __future__ import annotations

from typing import TypeVar

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, InputRequired

required = InputRequired(message=_l("Feltet skal udfyldes."))
# free text: white space alone counts as empty (use together with the ``strip`` filter)
text_required = DataRequired(message=_l("Feltet skal udfyldes."))


_T = TypeVar("_T")


def strip(value: _T) -> _T | str:
    """Filter: drop surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value
