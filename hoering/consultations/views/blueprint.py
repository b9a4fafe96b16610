"""The consultations blueprint, shared by the view modules of each audience, with the
helpers they share."""

from __future__ import annotations

from flask import Blueprint, url_for

from hoering.consultations.forms import (
    DISPOSITION_LABELS,
)
from hoering.consultations.models import (
    Consultation,
    Remark,
)

bp = Blueprint("consultations", __name__)


@bp.app_context_processor
def labels():
    return {"DISPOSITION_LABELS": DISPOSITION_LABELS}


def consultation_url(consultation: Consultation) -> str:
    return url_for("consultations.show", consultation_id=consultation.id)


def remark_url(remark: Remark) -> str:
    return url_for("consultations.remark", remark_id=remark.id)
