"""The trace of a remark, and a consultation's full trace as CSV or JSON, for staff and
auditors (read-only)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from hoering.audit.exports import to_csv, to_json, trace_rows
from hoering.audit.trace import channel_text, remark_trace, section_label
from hoering.cases.queries import decision_steps
from hoering.consultations.models import Consultation
from hoering.consultations.queries import submitted_remark_or_404
from hoering.db import db
from hoering.permissions import Permission, permission_required

bp = Blueprint("trace", __name__)

EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "json": ("application/json", to_json),
}


@bp.route("/hoeringer/bemaerkninger/<int:remark_id>/spor")
@permission_required(Permission.VIEW_CONSULTATIONS)
def remark(remark_id: int):
    remark = submitted_remark_or_404(remark_id)
    return render_template(
        "audit/trace.html", remark=remark, consultation=remark.response.consultation,
        steps=remark_trace(remark, decisions=decision_steps(
            remark.response.consultation.version.policy)),
        channel=channel_text(remark.response),
        section=section_label(remark.section),
    )


@bp.route("/hoeringer/<int:consultation_id>/spor.<fmt>")
@permission_required(Permission.VIEW_CONSULTATIONS)
def export(consultation_id: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    consultation = db.get_or_404(Consultation, consultation_id)
    content_type, serialise = EXPORT_FORMATS[fmt]
    response = Response(serialise(trace_rows(consultation)), content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export_filename(consultation, fmt)}"'
    )
    return response


def export_filename(consultation: Consultation, fmt: str) -> str:
    return f"hoering-{consultation.id}-spor.{fmt}"
