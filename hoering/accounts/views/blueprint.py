"""The accounts blueprint and what it adds to every request and template."""

from __future__ import annotations

from flask import Blueprint, before_render_template, g

from hoering.accounts import sessions, sso, sso_policy, two_factor
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


@bp.app_context_processor
def sso_button():
    """``sso_provider``: the name on the single sign-on buttons, None when SSO is off."""
    return {"sso_provider": sso_policy.provider_name() if sso_policy.configured() else None}


def allow_forms_to_provider() -> None:
    """A page with a form that posts on to the identity provider's login: the browser lets
    the form's redirect leave for the provider (Content-Security-Policy ``form-action``)."""
    if sso_policy.configured():
        g.csp_form_action = sso.provider_origins()
