"""The audit log, read-only, for administrators and auditors."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from hoering.audit.case_log import case_log_csv, case_log_json
from hoering.audit.chain import verify_chain
from hoering.audit.queries import events_query, known_actions
from hoering.db import db
from hoering.permissions import Permission, permission_required
from hoering.policies.models import Policy

bp = Blueprint("audit", __name__, url_prefix="/revision")


@bp.route("/log")
@permission_required(Permission.VIEW_AUDIT)
def log():
    filters = {
        "object_type": request.args.get("objekttype") or None,
        "object_id": request.args.get("objekt", type=int),
        "action": request.args.get("handling") or None,
    }
    page = db.paginate(
        events_query(**filters), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    return render_template(
        "audit/log.html", page=page, filters=filters, actions=known_actions()
    )


@bp.route("/kaede")
@permission_required(Permission.VERIFY_AUDIT)
def chain():
    """Whether the audit trail is intact: every hash recomputed now."""
    return render_template("audit/chain.html", result=verify_chain())


@bp.route("/politikker/<int:policy_id>/log.<fmt>")
@permission_required(Permission.VIEW_AUDIT)
def case_log(policy_id: int, fmt: str):
    """The audit log of a case as CSV or JSON, with the chain's verification result."""
    policy = db.get_or_404(Policy, policy_id)
    exports = {"csv": ("text/csv; charset=utf-8", case_log_csv),
               "json": ("application/json", case_log_json)}
    if fmt not in exports:
        abort(404)
    content_type, export = exports[fmt]
    response = Response(export(policy), content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="revisionslog-politik-{policy.id}.{fmt}"'
    )
    return response
