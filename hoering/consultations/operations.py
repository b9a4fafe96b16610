"""Everything that writes consultations, responses, remarks and replies.

Each function checks permission and state, changes data, records audit events and
flushes; the caller commits. Member actions are refused after the deadline; staff may
still register a response then, and it is marked as received late.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from hoering.accounts.models import Body, User
from hoering.audit.record import (
    add_and_record,
    changes_between,
    deleted,
    record_change,
    snapshot,
    update_and_record,
)
from hoering.audit.tags import AuditTag
from hoering.consultations import consultee_links, lifecycle, publication
from hoering.consultations.models import (
    Attachment,
    ChangeLink,
    Consultation,
    Consultee,
    ConsulteeStatus,
    Disposition,
    Remark,
    Reply,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from hoering.consultations.notifications import (
    enqueue_invitations,
    enqueue_receipts,
    enqueue_reminder,
)
from hoering.consultations.queries import search_key
from hoering.consultations.revision import changed_passages, normalise_quote
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError, NotAllowed
from hoering.core.formatting import cite_meeting, date_in_locale, deadline_in_locale
from hoering.core.permissions import (
    Permission,
    acts_for_all_bodies,
    can,
    can_respond_for,
    can_submit_for,
    check,
)
from hoering.policies.models import PolicyVersion, Section
from hoering.policies.operations import freeze_version

CONSULTATION_FIELDS = ("version_id", "title", "opens_on", "closes_at", "invitation_text", "public",
                       "responsible_id")
CHANGE_LINK_FIELDS = ("remark_id", "section_id", "passage")  # passage: policy text
RESPONSE_FIELDS = ("consultation_id", "body_id", "status", "channel", "no_remarks",
                   "received_late", "source", "meeting_date", "agenda_item")
REMARK_FIELDS = ("response_id", "section_id", "original_text")
REPLY_FIELDS = ("text", "disposition", "approved_by_id")


class ReplyConflict(DomainError):
    """Someone else saved the reply since this user opened it."""

    def __init__(self, current: Reply) -> None:
        super().__init__(_(
            "Svaret er blevet ændret af en anden, siden du åbnede det. Din tekst er ikke "
            "gemt. Se den nye tekst nedenfor, og gem igen, hvis din ændring stadig skal med."
        ))
        self.current = current


def _check_rule(
    actor: User | None, rule: Callable[[User, int | None], bool], body_id: int | None
) -> None:
    """Object-level rules from hoering.core.permissions; None (the system) may do anything."""
    if actor is not None and not rule(actor, body_id):
        raise NotAllowed(_("Du har ikke adgang til at udføre denne handling."))


def _audit(
    action: AuditTag, obj: Any, actor: User | None, changes: dict[str, Any] | None = None
) -> None:
    record_change(action, obj, actor=actor, changes=changes)


# --- consultations -------------------------------------------------------------------


def _validate_period(opens_on: date, closes_at: datetime) -> None:
    if closes_at.astimezone(LOCAL_TZ).date() < opens_on:
        raise DomainError(_("Høringsfristen skal ligge efter åbningsdatoen."))


def create_consultation(
    version: PolicyVersion,
    *,
    title: str,
    opens_on: date,
    closes_at: datetime,
    invitation_text: str,
    public: bool,
    bodies: list[Body],
    actor: User | None,
) -> Consultation:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    _validate_period(opens_on, closes_at)
    if not bodies:
        raise DomainError(_("Vælg mindst ét organ, der skal høres."))
    consultation = Consultation(
        version=version, title=title.strip(), opens_on=opens_on, closes_at=closes_at,
        invitation_text=invitation_text.strip(), public=public,
        responsible_id=actor.id if actor is not None else None,
    )
    add_and_record(consultation, AuditTag.CONSULTATION_CREATE, CONSULTATION_FIELDS, actor=actor)
    for body in bodies:
        invite_body(consultation, body, actor=actor)
    return consultation


def update_consultation(
    consultation: Consultation,
    *,
    title: str,
    opens_on: date,
    closes_at: datetime,
    invitation_text: str,
    public: bool,
    deadline_reason: str = "",
    actor: User | None,
) -> Consultation:
    """Change the consultation's details. Moving an opened consultation's deadline needs
    a reason and tells the invited bodies (hoering.consultations.lifecycle)."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    _validate_period(opens_on, closes_at)
    previous = consultation.closes_at
    announce = lifecycle.check_deadline_change(consultation, closes_at, deadline_reason)
    update_and_record(
        consultation, AuditTag.CONSULTATION_UPDATE, CONSULTATION_FIELDS,
        {"title": title.strip(), "opens_on": opens_on, "closes_at": closes_at,
         "invitation_text": invitation_text.strip(), "public": public},
        actor=actor,
    )
    if announce:
        lifecycle.announce_deadline_change(consultation, previous, deadline_reason,
                                           actor=actor)
        consultee_links.follow_deadline(consultation)
    return consultation


def assign_responsible(consultation: Consultation, responsible: User | None, *,
                       actor: User | None) -> Consultation:
    """Make ``responsible`` (an active member of staff, or None: nobody) the one in charge
    of the consultation, who gets the bodies' receipts."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if responsible is consultation.responsible:
        return consultation
    if responsible is not None and not can(responsible, Permission.MANAGE_CONSULTATIONS):
        raise DomainError(_("%(name)s er ikke en aktiv medarbejder i sekretariatet.",
                            name=responsible.name))
    update_and_record(consultation, AuditTag.CONSULTATION_RESPONSIBLE, ("responsible_id",),
                      {"responsible": responsible}, actor=actor)
    return consultation


def invite_body(consultation: Consultation, body: Body, *, actor: User | None) -> Consultee:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if any(c.body_id == body.id for c in consultation.consultees):
        raise DomainError(_("%(body)s er allerede høringspart.", body=body.name))
    consultee = Consultee(consultation=consultation, body=body)
    db.session.add(consultee)
    db.session.flush()
    _audit(AuditTag.CONSULTEE_CREATE, consultee, actor,
           {"body_id": {"before": None, "after": body.id},
            "consultation_id": {"before": None, "after": consultation.id}})
    return consultee


def set_consultees(consultation: Consultation, bodies: list[Body], *,
                   actor: User | None) -> None:
    """Make ``bodies`` exactly the consultation's consultees: invite the new ones, remove
    the others (refused for a body that has a response already)."""
    wanted = {body.id for body in bodies}
    invited = {consultee.body_id for consultee in consultation.consultees}
    for body in sorted(bodies, key=lambda b: b.id):
        if body.id not in invited:
            invite_body(consultation, body, actor=actor)
    for consultee in [c for c in consultation.consultees if c.body_id not in wanted]:
        remove_consultee(consultee, actor=actor)


def remove_consultee(consultee: Consultee, *, actor: User | None) -> None:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if _response_of(consultee.consultation, consultee.body) is not None:
        raise DomainError(_("%(body)s har allerede et høringssvar og kan ikke fjernes.",
                            body=consultee.body.name))
    _audit(AuditTag.CONSULTEE_DELETE, consultee, actor,
           {"body_id": {"before": consultee.body_id, "after": None}})
    consultation = consultee.consultation
    db.session.delete(consultee)
    db.session.flush()
    db.session.expire(consultation, ["consultees"])


def open_consultation(consultation: Consultation, *, actor: User | None) -> Consultation:
    """Open for responses. The consulted version is frozen from now on."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if consultation.is_opened:
        raise DomainError(_("Høringen er allerede åbnet."))
    if consultation.is_past_deadline(now_utc()):
        raise DomainError(_("Høringsfristen er overskredet. Ret fristen, før høringen åbnes."))
    if not consultation.version.is_frozen:
        freeze_version(consultation.version, actor=actor)
    consultation.opened_at = now_utc()
    db.session.flush()
    invitations = enqueue_invitations(consultation, actor=actor)
    _audit(AuditTag.CONSULTATION_OPEN, consultation, actor,
           {"opened_at": {"before": None, "after": consultation.opened_at.isoformat()},
            "invitations": {"before": None, "after": invitations}})
    return consultation


def record_reminder(consultee: Consultee, *, actor: User | None, messages: int) -> Consultee:
    """Count a reminder of the consultee (``messages`` e-mails were queued for it)."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if consultee.status is not ConsulteeStatus.INVITED:
        raise DomainError(_("%(body)s har allerede svaret.", body=consultee.body.name))
    consultee.reminders_sent += 1
    consultee.last_reminded_at = now_utc()
    db.session.flush()
    _audit(AuditTag.CONSULTEE_REMIND, consultee, actor,
           {"reminders_sent": {"before": consultee.reminders_sent - 1,
                               "after": consultee.reminders_sent},
            "messages": {"before": None, "after": messages}})
    return consultee


def set_consultee_deadline(consultee: Consultee, deadline: datetime | None, *,
                           actor: User | None) -> Consultee:
    """Give one consultee a later deadline of its own (None: the consultation's again)."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if deadline is not None and deadline <= consultee.consultation.closes_at:
        raise DomainError(_("En individuel frist skal ligge efter høringens frist "
                            "(%(deadline)s).",
                            deadline=deadline_in_locale(consultee.consultation.closes_at)))
    before = consultee.deadline
    consultee.deadline = deadline
    db.session.flush()
    consultee_links.follow_deadline(consultee.consultation)
    _audit(AuditTag.CONSULTEE_DEADLINE, consultee, actor, {"deadline": {
        "before": before.isoformat() if before else None,
        "after": deadline.isoformat() if deadline else None}})
    return consultee


def send_reminder(consultee: Consultee, *, actor: User | None) -> int:
    """Staff remind a body now: an e-mail to each member (at most one a day each),
    counted and audited. Returns the number of e-mails queued."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if consultee.status is not ConsulteeStatus.INVITED:
        raise DomainError(_("%(body)s har allerede svaret.", body=consultee.body.name))
    if consultee.is_past_deadline(now_utc()):
        raise DomainError(_("Høringsfristen er overskredet; der sendes ikke påmindelser efter "
                            "fristen."))
    messages = enqueue_reminder(consultee, now_utc())
    record_reminder(consultee, actor=actor, messages=messages)
    return messages


# --- responses -----------------------------------------------------------------------


def _consultee_of(consultation: Consultation, body: Body) -> Consultee:
    consultee = next((c for c in consultation.consultees if c.body_id == body.id), None)
    if consultee is None:
        raise DomainError(_("%(body)s er ikke høringspart i denne høring.", body=body.name))
    return consultee


def _response_of(consultation: Consultation, body: Body) -> Response | None:
    return db.session.scalar(
        select(Response).where(
            Response.consultation_id == consultation.id, Response.body_id == body.id
        )
    )


def _ensure_can_respond_now(consultation: Consultation, actor: User | None,
                            body_id: int | None = None) -> None:
    """Members respond while the consultation is open for their body (until its own
    later deadline, if it has one); staff also after the deadline."""
    if not consultation.is_opened:
        raise DomainError(_("Høringen er ikke åbnet endnu."))
    consultee = next((c for c in consultation.consultees if c.body_id == body_id), None)
    past = (consultee.is_past_deadline(now_utc()) if consultee is not None
            else consultation.is_past_deadline(now_utc()))
    if past and not (
        actor is None or acts_for_all_bodies(actor)
    ):
        raise DomainError(
            _("Høringsfristen er overskredet. Kontakt sekretariatet, hvis organet vil "
              "afgive et sent høringssvar.")
        )


def _ensure_draft(response: Response) -> None:
    if response.is_submitted:
        raise DomainError(
            _("Høringssvaret er indsendt og låst. Sekretariatet kan genåbne det.")
        )


CITIZENS_RESPONSE_LOCKED = _l(
    "Et høringssvar fra en borger kan hverken genåbnes eller rettes: borgerens tekst "
    "bevares, som den blev indsendt. Sekretariatet kan dele det op i flere bemærkninger, "
    "rette ordlyden i høringsnotatet og besvare bemærkningerne."
)


def responding_body(response: Response) -> Body:
    """The body whose response this is. A citizen's response (public consultation) has
    none: it is stored whole, so it cannot be reopened and its remarks are no draft."""
    if response.body is None:
        raise DomainError(CITIZENS_RESPONSE_LOCKED)
    return response.body


def draft_response(
    consultation: Consultation, body: Body, *, actor: User | None
) -> Response:
    """The body's draft response, created on first use."""
    _check_rule(actor, can_respond_for, body.id)
    _consultee_of(consultation, body)
    response = _response_of(consultation, body)
    if response is not None:
        return response
    _ensure_can_respond_now(consultation, actor, body.id)
    is_member = actor is not None and any(m.body_id == body.id for m in actor.memberships)
    channel = ResponseChannel.MEMBER if is_member else ResponseChannel.STAFF
    response = Response(consultation=consultation, body=body, channel=channel)
    add_and_record(response, AuditTag.RESPONSE_CREATE, RESPONSE_FIELDS, actor=actor)
    return response


def _section_in_version(consultation: Consultation, section: Section | None) -> None:
    if section is not None and section.version_id != consultation.version_id:
        raise DomainError(_("Afsnittet hører ikke til den version, der er i høring."))


def _index_for_search(remark: Remark) -> None:
    parts = [remark.original_text, remark.memo_text or ""]
    if remark.reply is not None:
        parts.append(remark.reply.text)
    remark.search_text = search_key(" ".join(parts))


def _clean_remark_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError(_("Bemærkningen må ikke være tom."))
    return text


def add_remark(
    response: Response, *, section: Section | None, text: str, actor: User | None
) -> Remark:
    _check_rule(actor, can_respond_for, response.body_id)
    _ensure_draft(response)
    _ensure_can_respond_now(response.consultation, actor, response.body_id)
    _section_in_version(response.consultation, section)
    remark = Remark(
        response=response, consultation_id=response.consultation_id, section=section,
        original_text=_clean_remark_text(text),
    )
    _index_for_search(remark)
    add_and_record(remark, AuditTag.REMARK_CREATE, REMARK_FIELDS, actor=actor)
    return remark


def update_draft_remark(
    remark: Remark, *, section: Section | None, text: str, actor: User | None
) -> Remark:
    response = remark.response
    _check_rule(actor, can_respond_for, response.body_id)
    responding_body(response)
    _ensure_draft(response)
    _ensure_can_respond_now(response.consultation, actor, response.body_id)
    _section_in_version(response.consultation, section)
    update_and_record(
        remark, AuditTag.REMARK_UPDATE, REMARK_FIELDS,
        {"section": section, "original_text": _clean_remark_text(text)}, actor=actor,
    )
    _index_for_search(remark)
    return remark


def delete_draft_remark(remark: Remark, *, actor: User | None) -> None:
    response = remark.response
    _check_rule(actor, can_respond_for, response.body_id)
    responding_body(response)
    _ensure_draft(response)
    _ensure_can_respond_now(response.consultation, actor, response.body_id)
    _audit(AuditTag.REMARK_DELETE, remark, actor, deleted(remark, REMARK_FIELDS))
    db.session.delete(remark)
    db.session.flush()
    db.session.expire(response, ["remarks"])


def _mark_submitted(response: Response, *, no_remarks: bool, actor: User | None) -> None:
    moment = now_utc()
    consultation = response.consultation
    response.status = ResponseStatus.SUBMITTED
    response.no_remarks = no_remarks
    response.submitted_at = moment
    response.submitted_by_id = actor.id if actor is not None else None
    assert response.body is not None  # a body's response: public ones are stored whole
    consultee = _consultee_of(consultation, response.body)
    response.received_late = consultee.is_past_deadline(moment)
    db.session.flush()
    db.session.expire(consultee, ["status"])  # derived from the response just submitted
    receipts = enqueue_receipts(response)  # to the body and the secretariat
    _audit(AuditTag.RESPONSE_SUBMIT, response, actor, {
        "status": {"before": ResponseStatus.DRAFT.value, "after": ResponseStatus.SUBMITTED.value},
        "no_remarks": {"before": None, "after": no_remarks},
        "received_late": {"before": None, "after": response.received_late},
        "receipts": {"before": None, "after": receipts},
    })


def submit_response(response: Response, *, actor: User | None) -> Response:
    """Submit on the body's behalf (its secretary, or staff). Locks the response."""
    _check_rule(actor, can_submit_for, response.body_id)
    _ensure_draft(response)
    _ensure_can_respond_now(response.consultation, actor, response.body_id)
    if not response.remarks:
        raise DomainError(
            _("Høringssvaret har ingen bemærkninger. Tilføj bemærkninger, eller meld "
              "\u00bbingen bemærkninger\u00ab.")
        )
    _mark_submitted(response, no_remarks=False, actor=actor)
    return response


def decline(consultation: Consultation, body: Body, *, actor: User | None) -> Response:
    """The body has no remarks ("ingen bemærkninger")."""
    _check_rule(actor, can_submit_for, body.id)
    response = draft_response(consultation, body, actor=actor)
    _ensure_draft(response)
    _ensure_can_respond_now(consultation, actor, body.id)
    if response.remarks:
        raise DomainError(
            _("Kladden indeholder bemærkninger. Slet dem, før organet melder ingen bemærkninger.")
        )
    _mark_submitted(response, no_remarks=True, actor=actor)
    return response


def reopen_response(response: Response, *, reason: str, actor: User | None) -> Response:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    body = responding_body(response)
    if not response.is_submitted:
        raise DomainError(_("Høringssvaret er ikke indsendt."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Skriv en begrundelse for at genåbne høringssvaret."))
    response.status = ResponseStatus.DRAFT
    response.submitted_at = None
    response.submitted_by_id = None
    response.no_remarks = False
    db.session.flush()
    db.session.expire(_consultee_of(response.consultation, body), ["status"])
    _audit(AuditTag.RESPONSE_REOPEN, response, actor, {
        "status": {"before": ResponseStatus.SUBMITTED.value, "after": ResponseStatus.DRAFT.value},
        "reason": {"before": None, "after": reason},
    })
    return response


@dataclass(frozen=True)
class ImportedRemark:
    text: str
    section: Section | None


def import_minutes(
    consultation: Consultation,
    body: Body,
    *,
    meeting_date: date,
    agenda_item: int | None,
    remarks: list[ImportedRemark],
    actor: User | None,
) -> Response:
    """Register the body's decision from the minutes as its submitted response.

    No remarks ("Taget til efterretning") registers the body as declined. A meeting
    before the consultation opened is early input, not a response: refused.
    """
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if meeting_date < consultation.opens_on:
        raise DomainError(_(
            "Mødet den %(meeting)s ligger før høringen åbnede den %(opened)s: det er tidligt "
            "input og gemmes ikke som organets høringssvar. Registrér det på sagen som "
            "organets beslutning.", meeting=date_in_locale(meeting_date),
            opened=date_in_locale(consultation.opens_on)))
    existing = _response_of(consultation, body)
    if existing is not None and existing.is_submitted:
        raise DomainError(_(
            "%(body)s har allerede et indsendt høringssvar. Genåbn det først, hvis det skal "
            "erstattes.", body=body.name))
    response = existing or draft_response(consultation, body, actor=actor)
    for remark in list(response.remarks):
        delete_draft_remark(remark, actor=actor)
    update_and_record(
        response, AuditTag.RESPONSE_UPDATE, RESPONSE_FIELDS,
        {"channel": ResponseChannel.MINUTES, "meeting_date": meeting_date,
         "agenda_item": agenda_item, "source": cite_meeting(body.name, meeting_date, agenda_item)},
        actor=actor,
    )
    for item in remarks:
        add_remark(response, section=item.section, text=item.text, actor=actor)
    _mark_submitted(response, no_remarks=not remarks, actor=actor)
    return response


# --- processing remarks (staff) ------------------------------------------------------


def _ensure_processable(remark: Remark) -> None:
    if not remark.response.is_submitted:
        raise DomainError(_("Bemærkningen er en kladde og kan først behandles, når den er "
                            "indsendt."))


def move_remark(remark: Remark, section: Section | None, *, actor: User | None) -> Remark:
    check(actor, Permission.PROCESS_REMARKS)
    _ensure_processable(remark)
    _section_in_version(remark.response.consultation, section)
    before = remark.section_id
    remark.section = section
    db.session.flush()
    if before != remark.section_id:
        _audit(AuditTag.REMARK_MOVE, remark, actor,
               {"section_id": {"before": before, "after": remark.section_id}})
    return remark


def assign_remark(remark: Remark, assignee: User | None, *, actor: User | None) -> Remark:
    """Give the remark to a colleague in the secretariat to process (None: to nobody)."""
    check(actor, Permission.PROCESS_REMARKS)
    _ensure_processable(remark)
    if assignee is not None and not can(assignee, Permission.PROCESS_REMARKS):
        raise DomainError(_("%(name)s kan ikke behandle bemærkninger og kan derfor ikke få "
                            "dem tildelt.", name=assignee.name))
    before = remark.assigned_to_id
    remark.assigned_to_id = assignee.id if assignee is not None else None
    db.session.flush()
    if before != remark.assigned_to_id:
        _audit(AuditTag.REMARK_ASSIGN, remark, actor,
               {"assigned_to_id": {"before": before, "after": remark.assigned_to_id}})
    return remark


def edit_memo_wording(remark: Remark, text: str, *, actor: User | None) -> Remark:
    """Change the wording quoted in the memo; the original wording stays the record."""
    check(actor, Permission.PROCESS_REMARKS)
    _ensure_processable(remark)
    text = _clean_remark_text(text)
    new_value = None if text == remark.original_text else text
    before = remark.memo_text
    remark.memo_text = new_value
    _index_for_search(remark)
    db.session.flush()
    if before != new_value:
        _audit(AuditTag.REMARK_EDIT_MEMO_WORDING, remark, actor,
               {"memo_text": {"before": before, "after": new_value}})
    return remark


SPLIT_MARK = "---"  # a line of its own between the parts, when staff split a remark


def split_parts(text: str) -> list[str]:
    """The non-empty parts of ``text`` between lines that hold only ``---``."""
    return [p.strip() for p in re.split(r"^[ \t]*---[ \t]*$", text, flags=re.MULTILINE)
            if p.strip()]


def split_remark(remark: Remark, parts: list[str], *, actor: User | None) -> list[Remark]:
    """Split one remark (typically a citizen's whole response) into several: the first
    part becomes the remark's memo wording, each further part a new remark of the same
    response and section. The original wording stays the record on the first remark."""
    check(actor, Permission.PROCESS_REMARKS)
    _ensure_processable(remark)
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) < 2:
        raise DomainError(_("Del teksten i mindst to dele med en linje, der kun indeholder "
                            "%(mark)s.", mark=SPLIT_MARK))
    if remark.reply is not None:
        raise DomainError(_("Bemærkningen er allerede besvaret og kan ikke deles."))
    edit_memo_wording(remark, parts[0], actor=actor)
    created = []
    for text in parts[1:]:
        part = Remark(response=remark.response, consultation_id=remark.consultation_id,
                      section=remark.section, original_text=text)
        _index_for_search(part)
        add_and_record(part, AuditTag.REMARK_CREATE, REMARK_FIELDS, actor=actor)
        created.append(part)
    _audit(AuditTag.REMARK_SPLIT, remark, actor,
           {"split_into": {"before": None, "after": [remark.id] + [r.id for r in created]}})
    return [remark, *created]


def remarks_from_attachment(
    attachment: Attachment, remarks: list[ImportedRemark], *, actor: User | None
) -> list[Remark]:
    """New remarks of a submitted public response, taken by staff out of its attached
    file (which stays the record); each is audited with the file it came from."""
    check(actor, Permission.PROCESS_REMARKS)
    response = attachment.response
    if not response.is_submitted:
        raise DomainError(_("Høringssvaret er ikke indsendt."))
    if attachment.content is None:
        raise DomainError(_("Filen er slettet og kan ikke længere læses."))
    if not remarks:
        raise DomainError(_("Vælg mindst én bemærkning at gemme."))
    created = []
    for item in remarks:
        _section_in_version(response.consultation, item.section)
        remark = Remark(response=response, consultation_id=response.consultation_id,
                        section=item.section, original_text=_clean_remark_text(item.text))
        _index_for_search(remark)
        add_and_record(remark, AuditTag.REMARK_CREATE, REMARK_FIELDS, actor=actor)
        _audit(AuditTag.REMARK_FROM_ATTACHMENT, remark, actor,
               {"attachment_id": {"before": None, "after": attachment.id}})
        created.append(remark)
    return created


def save_reply(
    remark: Remark,
    *,
    text: str,
    disposition: Disposition,
    based_on_version: int | None,
    actor: User | None,
) -> Reply:
    """Write or change the administration's reply.

    ``based_on_version`` is the reply's ``lock_version`` when the user opened it (None
    if there was no reply yet). If someone saved since, ReplyConflict is raised and
    nothing is changed. A changed reply needs approval again.
    """
    check(actor, Permission.PROCESS_REMARKS)
    _ensure_processable(remark)
    text = text.strip()
    if not text:
        raise DomainError(_("Skriv administrationens bemærkning."))
    reply = remark.reply
    if reply is None:
        if based_on_version is not None:
            raise DomainError(_("Svaret findes ikke længere. Genindlæs siden."))
        reply = Reply(remark=remark, consultation_id=remark.consultation_id, text=text,
                      disposition=disposition, author_id=actor.id if actor else None)
        _index_for_search(remark)
        add_and_record(reply, AuditTag.REPLY_CREATE, REPLY_FIELDS, actor=actor)
        return reply
    if based_on_version is None or based_on_version != reply.lock_version:
        raise ReplyConflict(reply)
    before = snapshot(reply, REPLY_FIELDS)
    if (reply.text, reply.disposition) == (text, disposition):
        return reply
    reply.text, reply.disposition = text, disposition
    reply.author_id = actor.id if actor else None
    reply.updated_at = now_utc()
    reply.approved_by_id = reply.approved_at = None
    _index_for_search(remark)
    try:
        db.session.flush()
    except StaleDataError as error:  # another save committed since the check above
        raise ReplyConflict(reply) from error
    _audit(AuditTag.REPLY_UPDATE, reply, actor,
           changes_between(before, snapshot(reply, REPLY_FIELDS)))
    return reply


def approve_reply(reply: Reply, *, actor: User | None) -> Reply:
    """A second member of staff approves; the author cannot approve their own reply."""
    check(actor, Permission.APPROVE_REPLIES)
    if actor is None:
        raise DomainError(_("Et svar godkendes af en navngiven bruger."))
    if reply.is_approved:
        raise DomainError(_("Svaret er allerede godkendt."))
    if reply.author_id == actor.id:
        raise DomainError(_("Du kan ikke godkende dit eget svar. En kollega skal godkende det."))
    reply.approved_by_id = actor.id
    reply.approved_at = now_utc()
    db.session.flush()
    _audit(AuditTag.REPLY_APPROVE, reply, actor,
           {"approved_by_id": {"before": None, "after": reply.approved_by_id}})
    return reply


# --- the revised draft: which section changes answer which remarks -------------------


def link_change(remark: Remark, section: Section, *, actor: User | None,
                passage: str | None = None) -> ChangeLink:
    """Record that the change to ``section`` (in a later version of the policy) answers
    ``remark``: the changed ``passage`` of it (its quote, one of the section's changed
    passages against the consulted version), or, without one, the section as a whole."""
    check(actor, Permission.PROCESS_REMARKS)
    _ensure_processable(remark)
    consulted = remark.response.consultation.version
    revised = section.version
    if revised.policy_id != consulted.policy_id or revised.number <= consulted.number:
        raise DomainError(
            _("Ændringen skal ligge i en senere version af den politik, der var i høring.")
        )
    if passage is not None:
        passage = normalise_quote(passage)
        quotes = {p.quote for p in changed_passages(consulted, revised).get(section.id, [])}
        if passage not in quotes:
            raise DomainError(_("Den valgte ændring findes ikke (længere) i afsnittet. "
                                "Genindlæs siden, og vælg igen."))
    if db.session.scalar(select(ChangeLink).where(
            ChangeLink.remark_id == remark.id, ChangeLink.section_id == section.id)):
        raise DomainError(_("Bemærkningen er allerede knyttet til dette afsnit."))
    link = ChangeLink(remark_id=remark.id, section_id=section.id, passage=passage,
                      created_by_id=actor.id if actor else None)
    add_and_record(link, AuditTag.CHANGE_LINK_CREATE, CHANGE_LINK_FIELDS, actor=actor)
    return link


def unlink_change(link: ChangeLink, *, actor: User | None) -> None:
    check(actor, Permission.PROCESS_REMARKS)
    record_change(AuditTag.CHANGE_LINK_DELETE, link, actor=actor,
                  changes=deleted(link, CHANGE_LINK_FIELDS))
    db.session.delete(link)
    db.session.flush()


def publish_responses(consultation: Consultation, *, actor: User | None) -> Consultation:
    """Show the submitted responses on the public page (names only with consent; the
    personal data found in them masked unless staff kept it, and every finding decided)."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if not consultation.public:
        raise DomainError(_("Kun offentlige høringer har en offentlig side."))
    if consultation.responses_published_at is not None:
        raise DomainError(_("Høringssvarene er allerede offentliggjort."))
    publication.ensure_decided(consultation)
    consultation.responses_published_at = now_utc()
    db.session.flush()
    record_change(AuditTag.CONSULTATION_PUBLISH_RESPONSES, consultation, actor=actor, changes={
        "responses_published_at": {
            "before": None, "after": consultation.responses_published_at.isoformat()},
    })
    return consultation


def unpublish_responses(consultation: Consultation, *, actor: User | None) -> Consultation:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if consultation.responses_published_at is None:
        raise DomainError(_("Høringssvarene er ikke offentliggjort."))
    before = consultation.responses_published_at.isoformat()
    consultation.responses_published_at = None
    db.session.flush()
    record_change(AuditTag.CONSULTATION_UNPUBLISH_RESPONSES, consultation, actor=actor, changes={
        "responses_published_at": {"before": before, "after": None},
    })
    return consultation


def set_change_links(section: Section, remark_ids: list[int], *, remarks: list[Remark],
                     actor: User | None, passages: dict[int, str | None] | None = None,
                     ) -> None:
    """Make ``remark_ids`` (out of ``remarks``, those the section may answer) exactly the
    remarks that the change to ``section`` answers: link the new ones, unlink the rest.
    ``passages``: the changed passage each remark is linked to (None or absent: the whole
    section); a link to another passage is replaced (unlinked and linked again)."""
    passages = passages or {}
    links = {link.remark_id: link for link in db.session.scalars(
        select(ChangeLink).where(ChangeLink.section_id == section.id))}
    by_id = {remark.id: remark for remark in remarks}
    wanted = set(remark_ids) & set(by_id)
    moved = {remark_id for remark_id in wanted & set(links)
             if links[remark_id].passage != _quote_or_none(passages.get(remark_id))}
    for remark_id in sorted((set(links) - wanted) | moved):
        unlink_change(links[remark_id], actor=actor)
    for remark_id in sorted((wanted - set(links)) | moved):
        link_change(by_id[remark_id], section, actor=actor,
                    passage=_quote_or_none(passages.get(remark_id)))


def _quote_or_none(passage: str | None) -> str | None:
    return normalise_quote(passage) or None if passage else None


def enqueue_reminders(moment: datetime, *, days_before: int) -> int:
    """Reminders to the members of bodies that are still only invited, for opened
    consultations whose deadline lies after ``moment`` and within ``days_before`` days.

    At most one reminder per consultation, body, member and Danish calendar day of
    ``moment`` (a daily cron sends one a day). A consultee that got at least one new
    reminder is registered as reminded (``record_reminder``: counter and audit event).
    Returns the number of messages enqueued.
    """
    consultees = db.session.scalars(
        select(Consultee)
        .join(Consultee.consultation)
        .where(
            Consultation.opened_at.is_not(None),
            Consultation.closes_at > moment,
            Consultation.closes_at <= moment + timedelta(days=days_before),
            Consultee.status == ConsulteeStatus.INVITED,
        )
        .order_by(Consultation.id, Consultee.body_id)
    ).all()
    count = 0
    for consultee in consultees:
        enqueued = enqueue_reminder(consultee, moment)
        if enqueued:
            record_reminder(consultee, actor=None, messages=enqueued)
        count += enqueued
    return count
