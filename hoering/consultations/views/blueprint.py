"""The consultations blueprint, shared by the view modules of each audience."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("consultations", __name__)
