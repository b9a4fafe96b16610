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
from hoering.core.permissions import can_view_response

bp = Blueprint("consultations", __name__)


@bp.app_context_processor
def labels():
    # can_view_response: a page links to a body's response only for those who may open it
    return {"DISPOSITION_LABELS": DISPOSITION_LABELS, "can_view_response": can_view_response}


def consultation_url(consultation: Consultation) -> str:
    return url_for("consultations.show", consultation_id=consultation.id)


def remark_url(remark: Remark) -> str:
    return url_for("consultations.remark", remark_id=remark.id)
