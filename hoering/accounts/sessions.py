"""Sessions that end, and text that survives an ending.

A session's user id is ``"<user id>:<session version>"`` (``User.get_id``), so raising the
version ends every session of the user at once (logout, a new password, a changed role,
deactivation, "Log ud på alle enheder"). A session also ends SESSION_IDLE_MINUTES after
its last request, and PERMANENT_SESSION_LIFETIME seconds after the login.

A login that waits for its second factor (hoering.accounts.two_factor) is no session yet:
the browser's session only remembers who gave the right password, and when
(``begin_pending_login``); nobody is logged in until the code is right.

When a form's POST arrives after its session expired, what was typed (never passwords,
files or the CSRF token) is kept server-side in ``form_stashes``, the browser's session
holding only a random token; the browser goes to the login page and from there back to
the form's page, where the form shows the text once, if the same user logged in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from wtforms import Form

from hoering.accounts.models import FormStash, User
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc

LOGIN_AT, SEEN_AT, STASH_TOKEN = "_login_at", "_seen_at", "_form_stash"
PENDING_LOGIN = "_pending_login"
# the two-factor secret being set up (hoering.accounts.views.two_factor), encrypted
TWO_FACTOR_SETUP = "_two_factor_setup"
STASH_MAX_CHARS = 1_000_000  # more than any form takes (a draft: 500,000)
MAX_PAGE_LENGTH = 2000
# posted names never kept (a password field, its confirmation, the CSRF token)
_SECRET_NAME = re.compile(r"csrf|pass|confirm|kode|secret|token", re.IGNORECASE)
# field types never filled in again
_SECRET_FIELD_TYPES = frozenset({"PasswordField", "FileField", "MultipleFileField",
                                 "SubmitField", "CSRFTokenField"})


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user of ``"<id>:<version>"``, or None when the
    version is no longer theirs (or the id has another shape, e.g. from before versions)."""
    user_id, _colon, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def _now() -> int:
    return int(now_utc().timestamp())


def start_session(user: User, *, keep_login_time: bool = False) -> None:
    """Log ``user`` in in this browser; ``keep_login_time``: the session's absolute
    lifetime still counts from the earlier login (after changing one's own password)."""
    session.pop(PENDING_LOGIN, None)
    login_user(user)
    now = _now()
    if not keep_login_time or LOGIN_AT not in session:
        session[LOGIN_AT] = now
    session[SEEN_AT] = now


def end_session() -> None:
    """Log out in this browser (the caller raises the version to end the others)."""
    logout_user()
    for key in (LOGIN_AT, SEEN_AT, PENDING_LOGIN, TWO_FACTOR_SETUP):
        session.pop(key, None)


class PendingLogin(NamedTuple):
    user: User
    next_target: str | None  # where the login goes on to (checked when it does)


def begin_pending_login(user: User, next_target: str | None) -> None:
    """``user`` passed the first step of a login; the second factor is still to come."""
    session[PENDING_LOGIN] = {"user": user.id, "version": user.session_version,
                              "at": _now(), "next": next_target or ""}


def pending_login() -> PendingLogin | None:
    """The login waiting for its second factor in this browser, if it still may go on:
    begun within TWO_FACTOR_LOGIN_MINUTES, by a user still active whose sessions were
    not ended since (a logout elsewhere, an administrator's reset)."""
    data = session.get(PENDING_LOGIN)
    if not isinstance(data, dict):
        return None
    user_id, at = data.get("user"), data.get("at")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    limit = current_app.config["TWO_FACTOR_LOGIN_MINUTES"] * 60
    if (user is None or not user.active or user.session_version != data.get("version")
            or not isinstance(at, int) or not 0 <= _now() - at <= limit):
        session.pop(PENDING_LOGIN, None)
        return None
    return PendingLogin(user, data.get("next") or None)


def _expired() -> bool:
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return True  # a session from before these limits
    now = _now()
    absolute = current_app.permanent_session_lifetime.total_seconds()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    return now - login_at > absolute or now - seen_at > idle


def _is_public_endpoint() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return view is None or request.endpoint == "static" or getattr(view, "is_public", False)


def _here() -> str:
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


def _form_page() -> str:
    """The page the posted form was on: the Referer when it is a page of this site, else
    the URL posted to (which shows the form on GET in most views)."""
    referrer = urlsplit(request.referrer or "")
    page = _here()
    if (referrer.netloc == request.host and referrer.path.startswith("/")
            and not referrer.path.startswith("//")):
        page = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return page if len(page) <= MAX_PAGE_LENGTH else request.path[:MAX_PAGE_LENGTH]


def enforce_session_lifetime() -> ResponseReturnValue | None:
    """Before every request: end a session past its idle or absolute lifetime, else note
    this request as its last one. On a page that needs a login the browser goes to the
    login page, from a form's POST with what was typed kept (``stash_form``)."""
    if "_user_id" not in session:
        return None
    if not _expired():
        session[SEEN_AT] = _now()
        return None
    user = load_session_user(str(session["_user_id"]))
    end_session()
    if _is_public_endpoint():
        return None  # go on as a visitor (the login page, the public pages)
    if request.method == "POST":
        next_page = _form_page()
        kept = user is not None and stash_form(user, next_page)
        flash(_("Du er blevet logget ud, fordi din session var udløbet. Log ind igen – det, "
                "du skrev, bliver sat ind igen.") if kept else
              _("Du er blevet logget ud, fordi din session var udløbet. Log ind igen."), "info")
    else:
        next_page = _here()
        flash(_("Du er blevet logget ud, fordi din session var udløbet. Log ind igen."), "info")
    return redirect(url_for("accounts.login", next=next_page))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def stash_form(user: User, page: str) -> bool:
    """Keep the posted fields (not passwords, files or the CSRF token) for ``user`` until
    they log in again in this browser; False when there is nothing (or too much) to keep.
    Commits: the request itself is refused."""
    fields = [[name, value] for name, value in request.form.items(multi=True)
              if not _SECRET_NAME.search(name)]
    if not fields or sum(len(n) + len(v) for n, v in fields) > STASH_MAX_CHARS:
        return False
    db.session.execute(delete(FormStash).where(FormStash.user_id == user.id))  # one a user
    prune_form_stashes()
    token = secrets.token_urlsafe(32)
    stash = FormStash(token_hash=_digest(token), user_id=user.id, page=page, fields=fields)
    db.session.add(stash)
    db.session.flush()
    record_event(AuditTag.FORM_STASH_CREATE, actor=user, object_type="form_stash",
                 object_id=stash.id)
    db.session.commit()
    session[STASH_TOKEN] = token
    return True


def prune_form_stashes() -> None:
    """Forget stashes older than a session's lifetime: nobody can claim them any more."""
    oldest = now_utc() - current_app.permanent_session_lifetime
    db.session.execute(delete(FormStash).where(FormStash.created_at < oldest))


def claim_stash() -> None:
    """Before every request: on the GET of the stashed form's page by the user who typed
    it, take the stash (deleted, once) for ``fill_restored_form``. Another user logged in
    here never sees it: it is deleted unread."""
    token = session.get(STASH_TOKEN)
    if not isinstance(token, str) or request.method != "GET" or not current_user.is_authenticated:
        return
    stash = db.session.scalar(select(FormStash).where(FormStash.token_hash == _digest(token)))
    if stash is not None and stash.user_id == current_user.id:
        if urlsplit(stash.page).path != request.path:
            return  # kept for the form's page
        g.restored_form_fields = stash.fields
        record_event(AuditTag.FORM_STASH_RESTORE, actor=current_user,
                     object_type="form_stash", object_id=stash.id)
    if stash is not None:
        db.session.delete(stash)
        db.session.commit()
    session.pop(STASH_TOKEN, None)


def _refillable(form: Form) -> list[Any]:
    return [f for f in form if f.type not in _SECRET_FIELD_TYPES]


def names_of(form: Form, data: MultiDict[str, str]) -> int:
    """How many names in ``data`` are fields of ``form`` (or of its sub-forms and lists)."""
    fields = _refillable(form)
    return sum(1 for key in data if any(
        key == f.name or key.startswith(f"{f.name}-") for f in fields))


def refill(form: Form, data: MultiDict[str, str]) -> None:
    """Fill ``form`` in from ``data`` as if it had been posted; passwords, files and the
    CSRF token stay as they are. Works for any WTForms form."""
    for field in _refillable(form):
        field.process(data, data=field.data)


def fill_restored_form(sender: Any, template: Any, context: dict[str, Any],
                       **extra: Any) -> None:
    """``before_render_template``: the page's form (of the template's forms, the one with
    the most of the stashed names) shows the stashed text."""
    fields = g.pop("restored_form_fields", None)
    if not fields:
        return
    data: MultiDict[str, str] = MultiDict([(name, value) for name, value in fields])
    forms = [value for value in context.values() if isinstance(value, Form)]
    best = max(forms, key=lambda form: names_of(form, data), default=None)
    if best is not None and names_of(best, data):
        refill(best, data)
        flash(_("Du blev logget ud, mens du skrev. Det, du havde skrevet, er sat ind igen: "
                "se det igennem, og gem det."), "info")
