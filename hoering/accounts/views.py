"""Login/logout, and the administration of users, bodies (also imported from a CSV file)
and memberships."""

from __future__ import annotations

import binascii
from base64 import b64decode, b64encode
from functools import partial
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    before_render_template,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts import body_import, invitations, operations, sessions
from hoering.accounts.auth import (
    LoginRefused,
    LoginThrottled,
    authenticate,
    check_throttle,
    record_logout,
    record_wrong_current_password,
)
from hoering.accounts.forms import (
    BODY_KIND_LABELS,
    ROLE_LABELS,
    BodyForm,
    BodyImportForm,
    ConfirmImportForm,
    LoginForm,
    MembershipForm,
    NewUserForm,
    OwnPasswordForm,
    PasswordForm,
    UserForm,
    body_choices,
)
from hoering.accounts.models import Body, BodyKind, Membership, Role, User
from hoering.accounts.passwords import WeakPassword
from hoering.accounts.queries import (
    all_bodies,
    bodies_query,
    body_members,
    user_memberships,
    users_query,
)
from hoering.core.csv_import import MAX_BYTES, CsvRefused
from hoering.core.db import db
from hoering.core.pagination import requested_page
from hoering.core.permissions import Permission, permission_required, public
from hoering.core.web import EmptyForm, confirmed, flash_error, form_error, perform

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


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.dashboard")


# --- login and logout ----------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, ip=g.client_ip)
        except LoginRefused as refusal:
            db.session.commit()  # the failure is counted and audited
            form.password.errors.append(refusal.message)
            return (render_template("accounts/login.html", form=form), refusal.status_code,
                    _retry_after(refusal))
        sessions.prune_form_stashes()
        db.session.commit()
        sessions.start_session(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


def _retry_after(refusal: LoginRefused) -> dict[str, str]:
    if isinstance(refusal, LoginThrottled):
        return {"Retry-After": str(refusal.retry_after)}
    return {}


@bp.route("/logout", methods=["POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def logout():
    record_logout(current_user)  # ends the user's sessions in every browser
    db.session.commit()
    sessions.end_session()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/invitation/<invitation_token>", methods=["GET", "POST"])
@public
def invitation(invitation_token: str):
    """An invitation link: the page shows a form (opening it uses nothing up); the POST
    with the chosen password uses the link and sends the user to log in."""
    try:
        user = invitations.invited_user(invitation_token)
    except invitations.InvitationRefused as refusal:
        return render_template("accounts/invitation.html", refusal=refusal.message), 410
    form = PasswordForm()
    page = partial(render_template, "accounts/invitation.html", form=form, user=user,
                   refusal=None)
    if form.validate_on_submit():
        return perform(
            lambda: invitations.accept(invitation_token, form.password.data),
            done=_("Din adgangskode er gemt. Log ind med den."),
            next_url=url_for("accounts.login"), on_error=form_error(form.password, page),
        )
    return page()


@bp.route("/min-konto/adgangskode", methods=["GET", "POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def own_password():
    """A new password, given the current one: the user's other sessions end, this one
    goes on. Wrong current passwords count as login failures (and are throttled alike)."""
    form = OwnPasswordForm()
    page = partial(render_template, "accounts/password.html", form=form, user=current_user,
                   own=True)
    if not form.validate_on_submit():
        return page()
    user = current_user._get_current_object()
    try:
        check_throttle(user.email, g.client_ip)
    except LoginThrottled as refusal:
        db.session.commit()  # audited
        form.current_password.errors.append(refusal.message)
        return page(), refusal.status_code, _retry_after(refusal)

    def change() -> None:
        operations.set_password(user, form.password.data, actor=user,
                                current_password=form.current_password.data)
        sessions.start_session(user, keep_login_time=True)  # with the new version

    def refused(error: Exception):
        if isinstance(error, operations.WrongPassword):
            record_wrong_current_password(user, g.client_ip)
            db.session.commit()
            return form_error(form.current_password, page)(error)
        return form_error(form.password, page)(error)

    return perform(change, done=_("Din adgangskode er skiftet. Du er logget ud på dine "
                                  "andre enheder."),
                   next_url=url_for("main.dashboard"), on_error=refused)


@bp.route("/min-konto/log-ud-overalt", methods=["GET", "POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def end_own_sessions():
    user = current_user._get_current_object()

    def end_all() -> None:
        operations.end_sessions(user, actor=user)
        sessions.end_session()

    return confirmed(
        end_all, title=_("Log ud på alle enheder"),
        question=_("Vil du logge ud på alle enheder, også denne? Alle steder, hvor du er "
                   "logget ind, skal du logge ind igen."),
        confirm_label=_("Log ud på alle enheder"), cancel_url=url_for("accounts.own_password"),
        done=_("Du er logget ud på alle enheder."), next_url=url_for("accounts.login"),
    )


# --- users ---------------------------------------------------------------------------


@bp.route("/brugere")
@permission_required(Permission.VIEW_USERS)
def users():
    page = db.paginate(users_query(), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("accounts/users.html", page=page)


@bp.route("/brugere/ny", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def new_user():
    form = NewUserForm()
    page = partial(render_template, "accounts/user_form.html", form=form, user=None)
    if form.validate_on_submit():
        return perform(
            lambda: operations.create_user(
                name=form.name.data, email=form.email.data, role=Role(form.role.data),
                password=form.password.data, actor=current_user,
            ),
            done=lambda user: _("Brugeren %(name)s er oprettet.", name=user.name),
            next_url=lambda user: url_for("accounts.user", user_id=user.id),
            on_error=_password_or(form.email, form, page),
        )
    return page()


def _password_or(field, form, page):
    """An ``on_error``: a refused password under the password field, other refusals
    under ``field``."""

    def show(error: Exception):
        target = form.password if isinstance(error, WeakPassword) else field
        return form_error(target, page)(error)

    return show


@bp.route("/brugere/<int:user_id>")
@permission_required(Permission.VIEW_USERS)
def user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = MembershipForm()
    form.body_id.choices = body_choices(all_bodies())
    return render_template(
        "accounts/user.html", user=user, memberships=user_memberships(user),
        membership_form=form, button_form=EmptyForm(),
    )


@bp.route("/brugere/<int:user_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.role.data = user.role.value
    page = partial(render_template, "accounts/user_form.html", form=form, user=user)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_user(
                user, name=form.name.data, email=form.email.data, role=Role(form.role.data),
                active=form.active.data, actor=current_user,
            ),
            done=_("Ændringerne er gemt."), next_url=url_for("accounts.user", user_id=user.id),
            on_error=form_error(form.email, page),
        )
    return page()


@bp.route("/brugere/<int:user_id>/adgangskode", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        return redirect(url_for("accounts.own_password"))  # needs the current password
    form = PasswordForm()
    page = partial(render_template, "accounts/password.html", form=form, user=user)
    if form.validate_on_submit():
        return perform(
            lambda: operations.set_password(user, form.password.data, actor=current_user),
            done=_("Adgangskoden for %(name)s er skiftet, og %(name)s er logget ud på alle "
                   "enheder.", name=user.name),
            next_url=url_for("accounts.user", user_id=user.id),
            on_error=form_error(form.password, page),
        )
    return page()


@bp.route("/brugere/<int:user_id>/log-ud-overalt", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def end_user_sessions(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        return redirect(url_for("accounts.end_own_sessions"))
    user_url = url_for("accounts.user", user_id=user.id)
    return confirmed(
        lambda: operations.end_sessions(user, actor=current_user),
        title=_("Log ud på alle enheder"),
        question=_("Vil du logge %(name)s ud på alle enheder? %(name)s skal logge ind igen "
                   "alle steder, fx hvis en computer eller telefon er blevet væk.",
                   name=user.name),
        confirm_label=_("Log ud på alle enheder"), cancel_url=user_url,
        done=_("%(name)s er logget ud på alle enheder.", name=user.name), next_url=user_url,
    )


# --- memberships ---------------------------------------------------------------------


@bp.route("/brugere/<int:user_id>/medlemskaber", methods=["POST"])
@permission_required(Permission.MANAGE_USERS)
def add_membership(user_id: int):
    user = db.get_or_404(User, user_id)
    form = MembershipForm()
    form.body_id.choices = body_choices(all_bodies())
    user_url = url_for("accounts.user", user_id=user.id)
    if not form.validate_on_submit():
        flash(_("Vælg et organ."), "error")
        return redirect(user_url)
    body = db.get_or_404(Body, form.body_id.data)
    return perform(
        lambda: operations.add_membership(
            user, body, is_secretary=form.is_secretary.data, actor=current_user
        ),
        done=_("%(user)s er nu medlem af %(body)s.", user=user.name, body=body.name),
        next_url=user_url, on_error=flash_error(user_url),
    )


@bp.route("/medlemskaber/<int:membership_id>/sekretaer", methods=["POST"])
@permission_required(Permission.MANAGE_USERS)
def toggle_secretary(membership_id: int):
    membership = db.get_or_404(Membership, membership_id)
    user_url = url_for("accounts.user", user_id=membership.user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(user_url)
    return perform(
        lambda: operations.set_secretary(membership, not membership.is_secretary,
                                         actor=current_user),
        done=_("Ændringen er gemt."), next_url=user_url,
    )


@bp.route("/medlemskaber/<int:membership_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def delete_membership(membership_id: int):
    membership = db.get_or_404(Membership, membership_id)
    user_url = url_for("accounts.user", user_id=membership.user_id)
    return confirmed(
        lambda: operations.remove_membership(membership, actor=current_user),
        title=_("Fjern medlemskab"),
        question=_("Vil du fjerne %(user)s fra %(body)s?",
                   user=membership.user.name, body=membership.body.name),
        confirm_label=_("Fjern medlemskab"), cancel_url=user_url,
        done=_("Medlemskabet er fjernet."), next_url=user_url,
    )


# --- bodies --------------------------------------------------------------------------


@bp.route("/organer")
@permission_required(Permission.VIEW_BODIES)
def bodies():
    page = db.paginate(bodies_query(), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("accounts/bodies.html", page=page)


@bp.route("/organer/nyt", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def new_body():
    form = BodyForm()
    page = partial(render_template, "accounts/body_form.html", form=form, body=None)
    if form.validate_on_submit():
        return perform(
            lambda: operations.create_body(
                name=form.name.data, abbreviation=form.abbreviation.data,
                kind=BodyKind(form.kind.data), contact_email=form.contact_email.data,
                actor=current_user,
            ),
            done=lambda body: _("%(name)s er oprettet.", name=body.name),
            next_url=lambda body: url_for("accounts.body", body_id=body.id),
            on_error=form_error(form.name, page),
        )
    return page()


@bp.route("/organer/indlaes", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def import_bodies():
    """Upload a CSV file of bodies: a preview of what each line would do."""
    form = BodyImportForm()
    if not form.validate_on_submit():
        return render_template("accounts/body_import.html", form=form, plan=None)
    data = form.file.data.read(MAX_BYTES + 1)
    try:
        plan = body_import.plan_import(data)
    except CsvRefused as refusal:
        form.file.errors.append(refusal.message)
        return render_template("accounts/body_import.html", form=form, plan=None), 422
    return _import_preview(plan, data)


def _import_preview(plan: body_import.ImportPlan, data: bytes, status: int = 200):
    confirm = ConfirmImportForm(formdata=None, content=b64encode(data).decode("ascii"),
                                digest=plan.digest)
    return render_template("accounts/body_import.html", form=BodyImportForm(formdata=None),
                           plan=plan, confirm=confirm, LineStatus=body_import.LineStatus), status


@bp.route("/organer/indlaes/bekraeft", methods=["POST"])
@permission_required(Permission.MANAGE_BODIES)
def confirm_body_import():
    """Import the previewed file, all of it or nothing, if the bodies are as previewed."""
    form = ConfirmImportForm()
    start_again = url_for("accounts.import_bodies")
    try:
        if not form.validate_on_submit():
            raise CsvRefused(_("Forhåndsvisningen mangler. Vælg filen igen."))
        data = b64decode(form.content.data, validate=True)
        plan = body_import.plan_import(data)
    except (CsvRefused, binascii.Error) as error:
        flash(getattr(error, "message", _("Forhåndsvisningen kunne ikke læses. Vælg filen "
                                          "igen.")), "error")
        return redirect(start_again)
    if plan.digest != form.digest.data:
        flash(_("Organerne er ændret, siden forhåndsvisningen blev vist. Se den nye "
                "forhåndsvisning, og bekræft igen."), "error")
        return _import_preview(plan, data, 409)
    return perform(
        lambda: body_import.import_bodies(plan, actor=current_user),
        done=lambda done: _("Filen er indlæst: %(new)d organer oprettet, %(updated)d ændret.",
                            new=done.count(body_import.LineStatus.NEW),
                            updated=done.count(body_import.LineStatus.UPDATED)),
        next_url=url_for("accounts.bodies"), on_error=flash_error(start_again),
    )


@bp.route("/organer/<int:body_id>")
@permission_required(Permission.VIEW_BODIES)
def body(body_id: int):
    body = db.get_or_404(Body, body_id)
    return render_template("accounts/body.html", body=body, members=body_members(body))


@bp.route("/organer/<int:body_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def edit_body(body_id: int):
    body = db.get_or_404(Body, body_id)
    form = BodyForm(obj=None if request.method == "POST" else body)
    if request.method == "GET":
        form.kind.data = body.kind.value
    page = partial(render_template, "accounts/body_form.html", form=form, body=body)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_body(
                body, name=form.name.data, abbreviation=form.abbreviation.data,
                kind=BodyKind(form.kind.data), contact_email=form.contact_email.data,
                actor=current_user,
            ),
            done=_("Ændringerne er gemt."), next_url=url_for("accounts.body", body_id=body.id),
            on_error=form_error(form.name, page),
        )
    return page()


@bp.route("/organer/<int:body_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def delete_body(body_id: int):
    body = db.get_or_404(Body, body_id)
    return confirmed(
        lambda: operations.delete_body(body, actor=current_user),  # DomainError → 409 page
        title=_("Slet organ"),
        question=_("Vil du slette %(name)s (%(abbr)s)? Medlemskaberne fjernes også.",
                   name=body.name, abbr=body.abbreviation),
        confirm_label=_("Slet organ"), cancel_url=url_for("accounts.body", body_id=body.id),
        done=_("%(name)s er slettet.", name=body.name), next_url=url_for("accounts.bodies"),
    )
