"""Who may do what: the one place that decides.

Views call ``require()`` (or use ``@permission_required``), operations call
``check()``, templates call ``can()``. Nothing else looks at a user's role.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from hoering.core.errors import NotAllowed

if TYPE_CHECKING:
    from hoering.accounts.models import Membership

_View = TypeVar("_View", bound=Callable[..., Any])


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    MEMBER = "member"
    AUDITOR = "auditor"


class Permission(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_BODIES = "view_bodies"
    MANAGE_BODIES = "manage_bodies"
    VIEW_USERS = "view_users"
    MANAGE_USERS = "manage_users"
    VIEW_POLICIES = "view_policies"
    EDIT_POLICIES = "edit_policies"
    VIEW_AUDIT = "view_audit"
    VIEW_CONSULTATIONS = "view_consultations"
    MANAGE_CONSULTATIONS = "manage_consultations"
    PROCESS_REMARKS = "process_remarks"
    APPROVE_REPLIES = "approve_replies"
    RESPOND = "respond"  # draft a body's response; which bodies: see can_respond_for()
    VERIFY_AUDIT = "verify_audit"  # see whether the audit trail (its transparency log) is intact


_READ = {
    Permission.VIEW_DASHBOARD,
    Permission.VIEW_BODIES,
    Permission.VIEW_USERS,
    Permission.VIEW_POLICIES,
    Permission.VIEW_CONSULTATIONS,
}
_STAFF_WORK = {
    Permission.VERIFY_AUDIT,
    Permission.EDIT_POLICIES,
    Permission.MANAGE_CONSULTATIONS,
    Permission.PROCESS_REMARKS,
    Permission.APPROVE_REPLIES,
    Permission.RESPOND,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.STAFF: frozenset(_READ | _STAFF_WORK),
    Role.AUDITOR: frozenset(_READ | {Permission.VIEW_AUDIT, Permission.VERIFY_AUDIT}),
    Role.MEMBER: frozenset({Permission.VIEW_DASHBOARD, Permission.RESPOND}),
}


def roles_with(permission: Permission) -> list[Role]:
    """The roles that hold ``permission`` (for listing, e.g., the staff to choose from)."""
    return [role for role, held in ROLE_PERMISSIONS.items() if permission in held]


def can(user: Any, permission: Permission) -> bool:
    """True if ``user`` (a User, or the anonymous user) holds ``permission``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return permission in ROLE_PERMISSIONS[user.role]


def _membership(user: Any, body_id: int | None) -> Membership | None:
    return next((m for m in user.memberships if m.body_id == body_id), None)


def acts_for_all_bodies(user: Any) -> bool:
    """Staff (and administrators) may act on any body's behalf."""
    return can(user, Permission.MANAGE_CONSULTATIONS)


def can_respond_for(user: Any, body_id: int | None) -> bool:
    """See and edit the body's draft response: its members, and staff. ``None`` (a
    public response, which belongs to no body) leaves staff only."""
    if not can(user, Permission.RESPOND):
        return False
    return acts_for_all_bodies(user) or _membership(user, body_id) is not None


def can_submit_for(user: Any, body_id: int | None) -> bool:
    """Submit the body's response: the body's secretary, and staff (only staff for
    ``None``, as in can_respond_for)."""
    if not can(user, Permission.RESPOND):
        return False
    if acts_for_all_bodies(user):
        return True
    membership = _membership(user, body_id)
    return membership is not None and membership.is_secretary


def can_view_response(user: Any, body_id: int, *, submitted: bool) -> bool:
    """A draft is seen only by those who may edit it; a submitted response by everyone
    who may read consultations, and by the body's own members."""
    if submitted and can(user, Permission.VIEW_CONSULTATIONS):
        return True
    return can_respond_for(user, body_id)


def require_that(allowed: bool) -> None:
    """For views, after an object-level rule from this module: 401/403 unless allowed."""
    if not current_user.is_authenticated:
        abort(401)
    if not allowed:
        abort(403)


def check(user: Any, permission: Permission) -> None:
    """For operations: raise NotAllowed unless ``user`` holds ``permission``.

    ``None`` is the system itself (CLI commands run by an operator) and may do anything.
    """
    if user is not None and not can(user, permission):
        raise NotAllowed(_("Du har ikke adgang til at udføre denne handling."))


def require(permission: Permission) -> None:
    """For views: 401 (to the login page) for anonymous visitors, 403 for the rest."""
    if not current_user.is_authenticated:
        abort(401)
    if not can(current_user, permission):
        abort(403)


def permission_required(
    permission: Permission,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        # read by the route × role tests; setattr because a function has no declared
        # attribute of that name for mypy
        setattr(view, "required_permission", permission)  # noqa: B010

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require(permission)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def public(view: _View) -> _View:
    """Mark a view as reachable without login (login page, later public pages)."""
    setattr(view, "is_public", True)  # noqa: B010 -- see permission_required
    return view


def ensure_every_route_has_an_access_rule(app: Any) -> None:
    """Refuse to start if a view is neither public nor guarded by a permission."""
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not (getattr(view, "is_public", False) or getattr(view, "required_permission", None)):
            missing.append(rule.endpoint)
    if missing:
        raise RuntimeError(f"Routes without an access rule: {', '.join(sorted(missing))}")
