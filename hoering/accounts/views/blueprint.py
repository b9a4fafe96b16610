"""The accounts blueprint and what it adds to every request and template."""

from __future__ import annotations

from flask import Blueprint, before_render_template

from hoering.accounts import sessions
from hoering.accounts.forms import BODY_KIND_LABELS, ROLE_LABELS

bp = Blueprint("accounts", __name__)
# every request: sessions past their lifetime end; a form typed before one ended comes back
bp.before_app_request(sessions.enforce_session_lifetime)
bp.before_app_request(sessions.claim_stash)


@bp.record_once
def _connect_form_restore(state) -> None:
    before_render_template.connect(sessions.fill_restored_form, state.app)


@bp.app_context_processor
def labels():
    return {"ROLE_LABELS": ROLE_LABELS, "BODY_KIND_LABELS": BODY_KIND_LABELS}
