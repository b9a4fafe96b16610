"""The dashboard each role lands on after login, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from hoering.accounts.models import Body, User
from hoering.accounts.operations import set_language as set_user_language
from hoering.accounts.queries import user_memberships
from hoering.audit.describe import describe
from hoering.audit.queries import recent_events
from hoering.consultations.queries import (
    consultations_for_member,
    open_consultations,
    replies_awaiting,
)
from hoering.core.db import db, now_utc
from hoering.core.i18n import SUPPORTED_LOCALES, local_target, remember_language
from hoering.core.permissions import Permission, can, permission_required, public
from hoering.policies.models import Policy
from hoering.policies.queries import policies_query

bp = Blueprint("main", __name__)


@bp.route("/")
@permission_required(Permission.VIEW_DASHBOARD)
def dashboard():
    context: dict[str, object] = {"memberships": user_memberships(current_user)}
    if can(current_user, Permission.VIEW_POLICIES):
        context["policies"] = list(db.session.scalars(policies_query().limit(10)))
        context["counts"] = {
            "policies": db.session.scalar(select(func.count()).select_from(Policy)),
            "bodies": db.session.scalar(select(func.count()).select_from(Body)),
            "users": db.session.scalar(select(func.count()).select_from(User)),
        }
    if can(current_user, Permission.VIEW_CONSULTATIONS):
        context["open_consultations"] = open_consultations(now_utc())
    if can(current_user, Permission.APPROVE_REPLIES):
        context["awaiting_approval"] = replies_awaiting(current_user)
    if current_user.memberships:
        context["my_consultations"] = [
            c for c in consultations_for_member(current_user) if c.is_open_at(now_utc())
        ]
    if can(current_user, Permission.VIEW_AUDIT):
        context["events"] = describe(recent_events(8))
    return render_template("main/dashboard.html", **context)


@bp.post("/sprog")
@public
def set_language():
    """The language switch in the header: remember the choice (a cookie; for a logged-in
    user also on the account, for their e-mails and their next login) and go back to the
    page it was made on. The form's CSRF token is checked by CSRFProtect."""
    home = url_for("main.dashboard" if current_user.is_authenticated else "public.index")
    # a page shown after a POST (a form with errors) sends no "next": the referring page
    referrer = urlsplit(request.referrer or "")
    came_from = (referrer.path + (f"?{referrer.query}" if referrer.query else "")
                 if referrer.netloc == request.host else None)
    target = local_target(request.form.get("next") or came_from, home)
    response = redirect(target, code=303)
    language = request.form.get("language", "")
    if language in SUPPORTED_LOCALES:
        remember_language(response, language)
        if current_user.is_authenticated:  # their e-mails follow the choice
            set_user_language(current_user, language)
            db.session.commit()
    return response
