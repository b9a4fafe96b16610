"""Importing users from a CSV file: name, e-mail, role, bodies and secretary.

``plan_import`` reads the file (hoering.core.csv_import) and plans, line by line
(hoering.accounts.csv_plan), what importing it would do; nothing is stored. The e-mail
address says who a line is: a new user is created without a password and gets an
invitation e-mail to choose one (hoering.accounts.invitations); a user who exists gets
the line's missing memberships (none is ever removed), the secretary flags as the line
gives them, and its name and role when the line's differ (shown as the change, a role's
as "rolle: Medlem → Sekretariat"). An empty role cell means Medlem for a new user and
changes nothing for one who exists; an empty secretary cell means not secretary of a new
membership and changes no existing one.

``import_users`` carries out a plan without errors, all of it or nothing (one
transaction: the caller commits), each user and membership audited as when made by
hand, and the import as a whole once more with its counts (no names or addresses).
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from hoering.accounts.csv_plan import ImportPlan as _Plan
from hoering.accounts.csv_plan import LineStatus, plan_table
from hoering.accounts.forms import ROLE_LABELS
from hoering.accounts.invitations import create_invited_user
from hoering.accounts.models import Body, Membership, Role, User
from hoering.accounts.operations import (
    add_membership,
    normalise_email,
    set_secretary,
    update_user,
)
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.csv_import import Column, LineError, Row, read_csv
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.i18n import key_of_label
from hoering.core.permissions import Permission, check

COLUMNS = (
    Column("name", ("navn", "name"), required=True),
    Column("email", ("e-mail", "email", "e-mailadresse", "mail"), required=True),
    Column("role", ("rolle", "role")),
    Column("bodies", ("organer", "bodies", "organ"), multiple=True),
    # "ja"/"nej" for all the line's bodies, or those of them the secretary is of
    Column("secretary", ("sekretær", "secretary", "sekretaer"), multiple=True),
)
MAX_LINES = 1_000
MAX_NAME = 200
MAX_EMAIL = 254
ROLE_WORDS: dict[str, Role] = {
    **{role.value: role for role in Role},
    "administrator": Role.ADMIN, "sekretariat": Role.STAFF, "sekretariatet": Role.STAFF,
    "medarbejder": Role.STAFF, "medlem": Role.MEMBER, "revisor": Role.AUDITOR,
    "secretariat": Role.STAFF,
}
YES = frozenset({"ja", "j", "yes", "y", "x", "1"})
NO = frozenset({"nej", "n", "no", "0"})


@dataclass(frozen=True)
class PlannedMembership:
    """One of a line's bodies: a membership to add (``exists`` False), or one that is kept
    with its secretary flag ``is_secretary`` after the import."""

    body_id: int
    abbreviation: str
    is_secretary: bool
    exists: bool = False
    secretary_changes: bool = False


@dataclass(frozen=True)
class PlannedUser:
    """What importing one line would do (``message``: the error, or what changes)."""

    line: int
    status: LineStatus
    name: str
    email: str
    role: Role | None = None  # after the import
    memberships: tuple[PlannedMembership, ...] = ()
    user_id: int | None = None  # the user it updates
    role_before: Role | None = None  # when the line changes the user's role
    name_changes: bool = False
    message: str = ""


ImportPlan = _Plan[PlannedUser]


def parse_role(text: str) -> Role | None:
    """The role a cell names: its value, its label in Danish or English, or a synonym."""
    return ROLE_WORDS.get(" ".join(text.split()).casefold()) or key_of_label(text, ROLE_LABELS)


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[role])


class _Seen:
    """The bodies (by abbreviation and by name, without case), the users of the file's
    addresses, and the lines of the file read so far."""

    def __init__(self, rows: list[Row], actor: User | None) -> None:
        bodies = list(db.session.scalars(select(Body)))
        # an abbreviation wins over another body's name spelt the same
        self.bodies = {**{body.name.casefold(): body for body in bodies},
                       **{body.abbreviation.casefold(): body for body in bodies}}
        emails = {normalise_email(row.value("email")) for row in rows}
        self.users = {user.email: user for user in db.session.scalars(
            select(User).where(User.email.in_(emails)))}
        self.lines: dict[str, int] = {}
        self.actor = actor


def _error(row: Row, message: str) -> PlannedUser:
    return PlannedUser(row.line, LineStatus.ERROR, row.value("name"), row.value("email"),
                       message=message)


def _email(row: Row) -> str:
    email = normalise_email(row.value("email"))
    if len(email) > MAX_EMAIL:
        raise DomainError(_("E-mailadressen er for lang (højst %(n)d tegn).", n=MAX_EMAIL))
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(_("«%(email)s» er ikke en gyldig e-mailadresse.",
                            email=row.value("email"))) from None
    return email


def _role(row: Row) -> Role | None:
    """The line's role; None when the cell is empty."""
    if not row.value("role"):
        return None
    role = parse_role(row.value("role"))
    if role is None:
        raise DomainError(_("Ukendt rolle «%(role)s». Brug administrator, sekretariat, "
                            "medlem eller revisor.", role=row.value("role")))
    return role


def _bodies(row: Row, seen: _Seen) -> list[Body]:
    """The line's bodies, each once, in its order."""
    found: list[Body] = []
    unknown: list[str] = []
    for value in row.values("bodies"):
        body = seen.bodies.get(value.casefold())
        if body is None:
            unknown.append(value)
        elif body not in found:
            found.append(body)
    if unknown:
        raise DomainError(ngettext(
            "Ukendt organ «%(names)s». Skriv organets forkortelse eller navn, som det står "
            "under Organer.",
            "Ukendte organer «%(names)s». Skriv organets forkortelse eller navn, som det står "
            "under Organer.", len(unknown), names="», «".join(unknown)))
    return found


def _secretary_of(row: Row, bodies: list[Body], seen: _Seen) -> set[int] | None:
    """The ids of the line's bodies the user is secretary of; None when the cell is empty
    (the existing memberships keep theirs)."""
    values = row.values("secretary")
    if not values:
        return None
    word = values[0].casefold() if len(values) == 1 else ""
    if word in YES or word in NO:
        if word in YES and not bodies:
            raise DomainError(_("«sekretær» er «%(value)s», men linjen nævner ingen organer.",
                                value=values[0]))
        return {body.id for body in bodies} if word in YES else set()
    chosen: set[int] = set()
    for value in values:
        body = seen.bodies.get(value.casefold())
        if body is None or body not in bodies:
            raise DomainError(_("«sekretær» nævner «%(value)s», som ikke står under "
                                "«organer». Skriv ja, nej eller forkortelserne på organer fra "
                                "linjen.", value=value))
        chosen.add(body.id)
    return chosen


def _memberships(user: User | None, bodies: list[Body],
                 secretary: set[int] | None) -> tuple[PlannedMembership, ...]:
    existing = {m.body_id: m for m in user.memberships} if user is not None else {}
    planned = []
    for body in bodies:
        membership = existing.get(body.id)
        before = membership.is_secretary if membership is not None else False
        after = before if secretary is None else body.id in secretary
        planned.append(PlannedMembership(body.id, body.abbreviation, after,
                                         exists=membership is not None,
                                         secretary_changes=membership is not None
                                         and before != after))
    return tuple(planned)


def _changes(user: User, name: str, role: Role,
             memberships: tuple[PlannedMembership, ...]) -> list[str]:
    changes = []
    if role is not user.role:
        changes.append(f"{_('rolle')}: {role_label(user.role)} → {role_label(role)}")
    if name != user.name:
        changes.append(f"{_('navn')}: {user.name} → {name}")
    for membership in memberships:
        body = membership.abbreviation
        if not membership.exists:
            changes.append(_("medlem af %(body)s som sekretær", body=body)
                           if membership.is_secretary else _("medlem af %(body)s", body=body))
        elif membership.secretary_changes:
            changes.append(_("sekretær for %(body)s", body=body) if membership.is_secretary
                           else _("ikke længere sekretær for %(body)s", body=body))
    return changes


def _own_role_lowered(seen: _Seen, user: User, role: Role) -> bool:
    """The importing administrator's own line would take away their role (refused, as
    by ``update_user``)."""
    return seen.actor is not None and user.id == seen.actor.id and role is not Role.ADMIN


def _plan_row(row: Row, seen: _Seen) -> PlannedUser:
    try:
        email = _email(row)
        earlier = seen.lines.setdefault(email, row.line)
        if earlier != row.line:
            raise DomainError(_("E-mailadressen står også i linje %(line)d.", line=earlier))
        if len(row.value("name")) > MAX_NAME:
            raise DomainError(_("Navnet er for langt (højst %(n)d tegn).", n=MAX_NAME))
        role = _role(row)
        bodies = _bodies(row, seen)
        secretary = _secretary_of(row, bodies, seen)
    except DomainError as error:
        return _error(row, error.message)
    name, user = row.value("name"), seen.users.get(email)
    memberships = _memberships(user, bodies, secretary)
    if user is None:
        return PlannedUser(row.line, LineStatus.NEW, name, email, role or Role.MEMBER,
                           memberships)
    role = role or user.role
    if _own_role_lowered(seen, user, role):
        return _error(row, _("Du kan ikke fjerne din egen administratorrolle."))
    changes = _changes(user, name, role, memberships)
    return PlannedUser(row.line, LineStatus.UPDATED if changes else LineStatus.UNCHANGED,
                       name, email, role, memberships, user.id,
                       role_before=user.role if role is not user.role else None,
                       name_changes=name != user.name, message="; ".join(changes))


def plan_import(data: bytes, *, actor: User | None) -> ImportPlan:
    """What importing the file would do, line by line (``CsvRefused`` for a file that
    cannot be read at all), for ``actor`` (who may not lower their own role). Changes
    nothing."""
    table = read_csv(data, COLUMNS, max_rows=MAX_LINES)
    seen = _Seen(table.rows, actor)
    return plan_table(table, lambda row: _plan_row(row, seen), _refused)


def _refused(error: LineError) -> PlannedUser:
    return PlannedUser(error.line, LineStatus.ERROR, "", "", message=error.message)


def _add_memberships(user: User, line: PlannedUser, *, actor: User | None) -> None:
    for planned in line.memberships:
        if not planned.exists:
            add_membership(user, db.session.get_one(Body, planned.body_id),
                           is_secretary=planned.is_secretary, actor=actor)
        elif planned.secretary_changes:
            membership = db.session.scalars(select(Membership).where(
                Membership.user_id == user.id, Membership.body_id == planned.body_id)).one()
            set_secretary(membership, planned.is_secretary, actor=actor)


def _import_line(line: PlannedUser, *, actor: User | None) -> User | None:
    """The user the line creates (invited by e-mail) or updates; None for a line that
    changes nothing."""
    if line.status not in (LineStatus.NEW, LineStatus.UPDATED):
        return None
    assert line.role is not None  # only an error line has none
    if line.status is LineStatus.NEW:
        return create_invited_user(name=line.name, email=line.email, role=line.role,
                                   actor=actor)
    assert line.user_id is not None  # an updated line names its user
    user = db.session.get_one(User, line.user_id)
    if line.role_before is not None or line.name_changes:
        update_user(user, name=line.name, email=user.email, role=line.role,
                    active=user.active, actor=actor)
    return user


def import_users(plan: ImportPlan, *, actor: User | None) -> ImportPlan:
    """Create the plan's new users (each invited by e-mail) and update those who exist,
    or nothing: the caller commits once (after checking the plan's digest)."""
    check(actor, Permission.MANAGE_USERS)
    if not plan.importable:
        raise DomainError(_("Filen har fejl (eller intet at ændre) og er ikke indlæst."))
    for line in plan.lines:
        user = _import_line(line, actor=actor)
        if user is not None:
            _add_memberships(user, line, actor=actor)
    record_event(AuditTag.USER_IMPORT, actor=actor, object_type="user", object_id=None,
                 changes={**plan.audit_counts(), "invitations": {
                     "before": None, "after": plan.count(LineStatus.NEW)}})
    return plan
