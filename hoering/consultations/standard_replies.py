"""Standard replies: text blocks per disposition that the secretariat keeps, to insert
into a reply and then edit there. Reading them, and the operations that write them
(each checks permission, records its audit event and flushes; the caller commits)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hoering.accounts.models import User
from hoering.audit.record import add_and_record, deleted, record_change, update_and_record
from hoering.audit.tags import AuditTag
from hoering.consultations.models import Disposition, StandardReply
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check

FIELDS = ("disposition", "title", "text")
DISPOSITION_ORDER = list(Disposition)


def standard_replies() -> list[StandardReply]:
    """Every standard reply, by disposition (in the order of the reply form), then title."""
    replies = db.session.scalars(select(StandardReply).order_by(StandardReply.title,
                                                                StandardReply.id))
    return sorted(replies, key=lambda r: DISPOSITION_ORDER.index(r.disposition))


def _clean(title: str, text: str) -> tuple[str, str]:
    title, text = title.strip(), text.strip()
    if not title:
        raise DomainError(_("Giv standardsvaret en titel."))
    if not text:
        raise DomainError(_("Skriv standardsvarets tekst."))
    return title, text


def create_standard_reply(*, disposition: Disposition, title: str, text: str,
                          actor: User | None) -> StandardReply:
    check(actor, Permission.PROCESS_REMARKS)
    title, text = _clean(title, text)
    standard = StandardReply(disposition=disposition, title=title, text=text,
                             created_by_id=actor.id if actor is not None else None)
    add_and_record(standard, AuditTag.STANDARD_REPLY_CREATE, FIELDS, actor=actor)
    return standard


def update_standard_reply(standard: StandardReply, *, disposition: Disposition, title: str,
                          text: str, actor: User | None) -> StandardReply:
    """Replies it was inserted into keep their text: it was copied, then edited."""
    check(actor, Permission.PROCESS_REMARKS)
    title, text = _clean(title, text)
    update_and_record(standard, AuditTag.STANDARD_REPLY_UPDATE, FIELDS,
                      {"disposition": disposition, "title": title, "text": text}, actor=actor)
    return standard


def delete_standard_reply(standard: StandardReply, *, actor: User | None) -> None:
    check(actor, Permission.PROCESS_REMARKS)
    record_change(AuditTag.STANDARD_REPLY_DELETE, standard, actor=actor,
                  changes=deleted(standard, FIELDS))
    db.session.delete(standard)
    db.session.flush()


def with_standard_text(typed: str, standard: StandardReply) -> str:
    """What the reply field holds after inserting ``standard``: what was typed (kept),
    then the standard text in a paragraph of its own."""
    typed = typed.rstrip()
    return f"{typed}\n\n{standard.text}" if typed else standard.text
