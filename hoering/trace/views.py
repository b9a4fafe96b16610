"""The trace of a remark, and a consultation's full trace as CSV or JSON, for staff and
auditors (read-only)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from hoering.consultations.models import Consultation
from hoering.consultations.queries import section_label, submitted_remark_or_404
from hoering.core.db import db
from hoering.core.i18n import in_municipality_language
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import download
from hoering.policies.models import Policy
from hoering.trace.case_log import case_log_csv, case_log_json
from hoering.trace.exports import to_csv, to_json, trace_rows
from hoering.trace.remarks import channel_text, decision_steps, remark_trace

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
    with in_municipality_language():  # an export is the municipality's document
        content = serialise(trace_rows(consultation))
    return download(content, export_filename(consultation, fmt), content_type)


def export_filename(consultation: Consultation, fmt: str) -> str:
    return f"hoering-{consultation.id}-spor.{fmt}"


@bp.route("/revision/politikker/<int:policy_id>/log.<fmt>")
@permission_required(Permission.VIEW_AUDIT)
def case_log(policy_id: int, fmt: str):
    """The audit log of a case as CSV or JSON, with the chain's verification result."""
    policy = db.get_or_404(Policy, policy_id)
    exports = {"csv": ("text/csv; charset=utf-8", case_log_csv),
               "json": ("application/json", case_log_json)}
    if fmt not in exports:
        abort(404)
    content_type, export = exports[fmt]
    with in_municipality_language():
        content = export(policy)
    return download(content, f"revisionslog-politik-{policy.id}.{fmt}", content_type)
