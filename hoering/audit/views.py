"""The audit log, read-only, for administrators and auditors."""

from __future__ import annotations

from typing import TypedDict

from flask import Blueprint, current_app, render_template, request

from hoering.audit.chain import verify_chain
from hoering.audit.queries import events_query, known_actions
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required

bp = Blueprint("audit", __name__, url_prefix="/revision")


class _LogFilters(TypedDict):
    object_type: str | None
    object_id: int | None
    action: str | None


@bp.route("/log")
@permission_required(Permission.VIEW_AUDIT)
def log() -> str:
    filters: _LogFilters = {
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
def chain() -> str:
    """Whether the audit trail is intact: every hash recomputed now."""
    return render_template("audit/chain.html", result=verify_chain())

