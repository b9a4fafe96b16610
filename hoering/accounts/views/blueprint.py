"""The accounts blueprint and what it adds to every request and template."""

from __future__ import annotations

from flask import Blueprint, before_render_template

from hoering.accounts import sessions, two_factor
from hoering.accounts.forms import BODY_KIND_LABELS, ROLE_LABELS

bp = Blueprint("accounts", __name__)
# every request: sessions past their lifetime end; a form typed before one ended comes back
bp.before_app_request(sessions.enforce_session_lifetime)
bp.before_app_request(sessions.claim_stash)


@bp.record_once
def _connect_form_restore(state) -> None:
    before_render_template.connect(sessions.fill_restored_form, state.app)


@bp.record_once
def _refuse_unknown_two_factor_roles(state) -> None:
    unknown = two_factor.unknown_role_names(state.app.config["TWO_FACTOR_REQUIRED_ROLES"])
    if unknown:
        raise RuntimeError(
            f"TWO_FACTOR_REQUIRED_ROLES nævner roller, der ikke findes: {', '.join(unknown)} "
            "(rollerne er admin, staff, member og auditor).")


@bp.app_context_processor
def labels():
    return {"ROLE_LABELS": ROLE_LABELS, "BODY_KIND_LABELS": BODY_KIND_LABELS}
