"""Importing bodies from a CSV file: name, abbreviation, type and contact e-mail.

``plan_import`` reads the file (hoering.core.csv_import) and plans, line by line
(hoering.accounts.csv_plan), what importing it would do: a new body, an update of the
body with that abbreviation (or, failing that, that name), no change, or an error with
its reason. Nothing is stored.
``import_bodies`` then carries out a plan without errors, all of it or nothing (one
transaction: the caller commits), each body audited as when made by hand, and the import
as a whole once more.

An empty cell changes nothing on a body that exists; a new body needs its type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from hoering.accounts.csv_plan import ImportPlan as _Plan
from hoering.accounts.csv_plan import LineStatus as LineStatus  # re-exported: used from here
from hoering.accounts.csv_plan import plan_table
from hoering.accounts.forms import BODY_KIND_LABELS
from hoering.accounts.models import Body, BodyKind, User
from hoering.accounts.operations import clean_contact_email, create_body, update_body
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.csv_import import Column, LineError, Row, read_csv
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.i18n import key_of_label
from hoering.core.permissions import Permission, check

COLUMNS = (
    Column("name", ("navn", "name", "organ"), required=True),
    Column("abbreviation", ("forkortelse", "abbreviation", "kort navn"), required=True),
    Column("kind", ("type", "kind", "organtype")),
    Column("contact_email", ("kontakt-e-mail", "kontakt-email", "kontaktmail", "e-mail",
                             "email", "contact_email", "contact e-mail", "contact email")),
)
MAX_LINES = 1_000
ABBREVIATION = re.compile(r"^[A-Za-zÆØÅæøå0-9-]{1,20}$")
# The type as a spreadsheet may say it: the value, the Danish label, and a few more words.
KIND_WORDS: dict[str, BodyKind] = {
    **{kind.value: kind for kind in BodyKind},
    "udvalg": BodyKind.COMMITTEE, "fagudvalg": BodyKind.COMMITTEE,
    "råd": BodyKind.COUNCIL, "raad": BodyKind.COUNCIL,
    "med": BodyKind.WORKS_COUNCIL, "med-udvalg": BodyKind.WORKS_COUNCIL,
    "hoved-med": BodyKind.WORKS_COUNCIL,
    "kommunalbestyrelse": BodyKind.CITY_COUNCIL, "byråd": BodyKind.CITY_COUNCIL,
    "skolebestyrelse": BodyKind.SCHOOL_BOARD, "dagtilbudsbestyrelse": BodyKind.SCHOOL_BOARD,
    "skole- eller dagtilbudsbestyrelse": BodyKind.SCHOOL_BOARD,
    "fagforening": BodyKind.UNION, "organisation": BodyKind.UNION,
    "fagforening eller organisation": BodyKind.UNION,
    "forening": BodyKind.ASSOCIATION,
    "lokalråd": BodyKind.LOCAL_COUNCIL, "lokalraad": BodyKind.LOCAL_COUNCIL,
    "selvejende institution": BodyKind.SELF_GOVERNING_INSTITUTION,
    "selvejende": BodyKind.SELF_GOVERNING_INSTITUTION,
    "andet": BodyKind.OTHER,
}


@dataclass(frozen=True)
class PlannedBody:
    """What importing one line would do (``message``: the error, or what changes)."""

    line: int
    status: LineStatus
    name: str
    abbreviation: str
    kind: BodyKind | None = None
    contact_email: str | None = None
    body_id: int | None = None  # the body it updates
    message: str = ""


ImportPlan = _Plan[PlannedBody]


def parse_kind(text: str) -> BodyKind | None:
    """The kind a cell names: its value, its label in Danish or English, or a synonym."""
    return (KIND_WORDS.get(" ".join(text.split()).casefold())
            or key_of_label(text, BODY_KIND_LABELS))


class _Seen:
    """The bodies that exist (by abbreviation and by name, without case) and the lines
    of the file read so far."""

    def __init__(self) -> None:
        bodies = list(db.session.scalars(select(Body)))
        self.by_abbreviation = {body.abbreviation.casefold(): body for body in bodies}
        self.by_name = {body.name.casefold(): body for body in bodies}
        self.lines: dict[str, int] = {}

    def earlier_line(self, *keys: str) -> int | None:
        found = next((self.lines[key] for key in keys if key in self.lines), None)
        return found

    def note(self, line: int, *keys: str) -> None:
        for key in keys:
            self.lines.setdefault(key, line)


def _error(row: Row, message: str) -> PlannedBody:
    return PlannedBody(row.line, LineStatus.ERROR, row.value("name"),
                       row.value("abbreviation"), message=message)


def _values(row: Row) -> tuple[str, str, BodyKind | None, str | None]:
    """The line's name, abbreviation, type and e-mail, checked (``DomainError``)."""
    name, abbreviation = row.value("name"), row.value("abbreviation").upper()
    if len(name) > 200:
        raise DomainError(_("Navnet er for langt (højst 200 tegn)."))
    if not ABBREVIATION.match(abbreviation):
        raise DomainError(_("Forkortelsen må kun have bogstaver, tal og bindestreg (højst 20)."))
    kind = parse_kind(row.value("kind")) if row.value("kind") else None
    if row.value("kind") and kind is None:
        raise DomainError(_("Ukendt type «%(kind)s». Brug fx Udvalg, Råd, MED, "
                            "Skolebestyrelse, Fagforening, Forening, Lokalråd, Selvejende "
                            "institution eller Andet.", kind=row.value("kind")))
    return name, abbreviation, kind, clean_contact_email(row.value("contact_email"))


def _existing(seen: _Seen, name: str, abbreviation: str) -> Body | None:
    by_abbreviation = seen.by_abbreviation.get(abbreviation.casefold())
    by_name = seen.by_name.get(name.casefold())
    if by_abbreviation and by_name and by_abbreviation is not by_name:
        named = f"{by_name.name} ({by_name.abbreviation})"
        abbreviated = f"{by_abbreviation.name} ({by_abbreviation.abbreviation})"
        raise DomainError(_("Navnet hører til «%(name_body)s», men forkortelsen til "
                            "«%(abbreviation_body)s».", name_body=named,
                            abbreviation_body=abbreviated))
    return by_abbreviation or by_name


def _changes(body: Body, name: str, abbreviation: str, kind: BodyKind | None,
             email: str | None) -> list[str]:
    changes = [f"{label}: {before} → {after}" for label, before, after in (
        (_("navn"), body.name, name), (_("forkortelse"), body.abbreviation, abbreviation))
        if before != after]
    if kind is not None and kind is not body.kind:
        changes.append(f"{_('type')}: {body.kind.value} → {kind.value}")
    if email is not None and email != body.contact_email:
        changes.append(f"{_('kontakt-e-mail')}: {body.contact_email or '–'} → {email}")
    return changes


def _plan_row(row: Row, seen: _Seen) -> PlannedBody:
    try:
        name, abbreviation, kind, email = _values(row)
        body = _existing(seen, name, abbreviation)
    except DomainError as error:
        return _error(row, error.message)
    keys = (f"a:{abbreviation.casefold()}", f"n:{name.casefold()}")
    earlier = seen.earlier_line(*keys)
    seen.note(row.line, *keys)
    if earlier is not None:
        return _error(row, _("Navnet eller forkortelsen står også i linje %(line)d.",
                             line=earlier))
    if body is None:
        if kind is None:
            return _error(row, _("«type» skal udfyldes for et nyt organ."))
        return PlannedBody(row.line, LineStatus.NEW, name, abbreviation, kind, email)
    changes = _changes(body, name, abbreviation, kind, email)
    status = LineStatus.UPDATED if changes else LineStatus.UNCHANGED
    return PlannedBody(row.line, status, name, abbreviation, kind, email, body.id,
                       "; ".join(changes))


def plan_import(data: bytes) -> ImportPlan:
    """What importing the file would do, line by line (``CsvRefused`` for a file that
    cannot be read at all). Changes nothing."""
    table = read_csv(data, COLUMNS, max_rows=MAX_LINES)
    seen = _Seen()
    return plan_table(table, lambda row: _plan_row(row, seen), _refused)


def _refused(error: LineError) -> PlannedBody:
    return PlannedBody(error.line, LineStatus.ERROR, "", "", message=error.message)


def import_bodies(plan: ImportPlan, *, actor: User | None) -> ImportPlan:
    """Create and update the plan's bodies, or nothing: the caller commits once."""
    check(actor, Permission.MANAGE_BODIES)
    if not plan.importable:
        raise DomainError(_("Filen har fejl (eller intet at ændre) og er ikke indlæst."))
    for line in plan.lines:
        if line.status is LineStatus.NEW:
            assert line.kind is not None  # a new body's type is required by the plan
            create_body(name=line.name, abbreviation=line.abbreviation, kind=line.kind,
                        contact_email=line.contact_email, actor=actor)
        elif line.status is LineStatus.UPDATED:
            body = db.session.get(Body, line.body_id)
            assert body is not None  # the plan's digest was checked by the caller
            update_body(body, name=line.name, abbreviation=line.abbreviation,
                        kind=line.kind or body.kind,
                        contact_email=line.contact_email or body.contact_email, actor=actor)
    record_event(AuditTag.BODY_IMPORT, actor=actor, object_type="body", object_id=None,
                 changes=plan.audit_counts())
    return plan
