"""External consultees: a body without accounts here (a union, a local council, a
self-governing institution) responds through a personal link sent to its contact e-mail.

- When the consultation opens, ``invite_contacts`` reserves a link token for each such
  body (``hoering.accounts.tokens``) and puts the invitation in the outbox; the token
  itself is made as the e-mail is sent, so the outbox never holds it.
- The link expires with the consultee's deadline (its own later one, if it has one):
  ``follow_deadline`` keeps the tokens in step when a deadline moves, and a consultation
  closed early ends its links at once (``check_link``).
- Opening the link changes nothing (mail scanners such as Safe Links open every link in
  an e-mail). A POST on its page (``start_using``) lets that browser act for that one
  body in that one consultation, as ``stand_in(body)``: a user never stored, with a
  secretary's rights for that body only, so the members' pages, operations and rules
  apply unchanged. Every event it causes says "ekstern kontakt for <body>" and carries
  the token's id (``hoering.audit.record.acting_through_link``), never the token.
- Staff send a new link (the old one stops working) or revoke it: ``send_link``,
  ``revoke_link``. Reminders and a moved deadline reach the contact too
  (``remind_contact``, ``tell_new_deadline``), pointing to the link it has.

Operations here flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from hoering.accounts.models import Body, Membership, Role, User
from hoering.accounts.tokens import (
    AccessToken,
    TokenPurpose,
    TokenState,
    check_token,
    mark_used,
    placeholder,
    reserve_token,
    revoke,
)
from hoering.audit.record import acting_through_link, record_event
from hoering.audit.tags import AuditTag
from hoering.consultations.models import Consultation, Consultee
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.formatting import deadline_in_locale, deadline_text
from hoering.core.i18n import in_municipality_language
from hoering.core.permissions import Permission, check
from hoering.core.web import public_url
from hoering.outbox.queue import enqueue, render_body

LINK = TokenPurpose.CONSULTEE_LINK
LANDING_PATH = "/hoeringslink/"


def contact_label(body: Body) -> str:
    """Who acts through the body's link, in the audit trail: nothing beyond the body."""
    return f"ekstern kontakt for {body.name}"


def stand_in(body: Body) -> User:
    """The body's external contact as the operations' actor: a user that is never stored
    (no id: the events carry no actor, but ``acting_through_link``'s label), a member and
    secretary of ``body`` and nothing else, so the members' rules (the deadline included)
    apply as they do to a body's secretary."""
    contact = User(name=contact_label(body), email=body.contact_email or "",
                   role=Role.MEMBER, active=True, password_hash="")
    contact.memberships = [Membership(body_id=body.id, is_secretary=True)]
    return contact


def live_links(consultation: Consultation,
               moment: datetime | None = None) -> dict[int, AccessToken]:
    """The consultation's links that work now, by body id (one per body: the newest)."""
    tokens = db.session.scalars(
        select(AccessToken).where(
            AccessToken.purpose == LINK, AccessToken.consultation_id == consultation.id,
            AccessToken.revoked_at.is_(None), AccessToken.expires_at > (moment or now_utc()))
        .order_by(AccessToken.id))
    return {token.body_id: token for token in tokens if token.body_id is not None}


def _audit(tag: AuditTag, token: AccessToken, actor: User | None, **changes: object) -> None:
    record_event(tag, actor=actor, object_type="access_token", object_id=token.id, changes={
        "consultation_id": {"before": None, "after": token.consultation_id},
        "body_id": {"before": None, "after": token.body_id},
        **{name: {"before": None, "after": value} for name, value in changes.items()}})


def _send(consultee: Consultee, *, actor: User | None, renewed: bool) -> AccessToken:
    """Reserve a link for the consultee's body and queue the e-mail that carries it."""
    consultation, body = consultee.consultation, consultee.body
    assert body.contact_email  # checked by the callers
    token = reserve_token(LINK, expires_at=consultee.effective_deadline, body_id=body.id,
                          consultation_id=consultation.id)
    with in_municipality_language():
        enqueue(
            kind="invitation", dedupe_key=f"contact-link:{token.id}",
            to_address=body.contact_email,
            subject=(_("Nyt link til høring: %(title)s", title=consultation.title) if renewed
                     else _("Invitation til høring: %(title)s", title=consultation.title)),
            body_text=render_body(
                "mail/contact_invitation.txt", consultation=consultation, body=body,
                deadline=deadline_text(consultee.effective_deadline), renewed=renewed,
                url=public_url(LANDING_PATH) + placeholder(token)),
            consultation_id=consultation.id,
        )
    _audit(AuditTag.CONSULTEE_LINK_SEND, token, actor,
           expires_at=token.expires_at.isoformat(), renewed=renewed)
    return token


def invite_contacts(consultation: Consultation, *, actor: User | None) -> int:
    """A personal link to each invited body with a contact e-mail that has no working
    link yet; returns how many were queued (again: only what is missing)."""
    live = live_links(consultation)
    count = 0
    for consultee in sorted(consultation.consultees, key=lambda c: c.body_id):
        if consultee.body.contact_email and consultee.body_id not in live:
            _send(consultee, actor=actor, renewed=False)
            count += 1
    return count


def send_link(consultee: Consultee, *, actor: User | None) -> AccessToken:
    """Staff send the body's contact a new link; the one sent before stops working."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    body = consultee.body
    if not body.contact_email:
        raise DomainError(_("%(body)s har ingen kontakt-e-mail. Tilføj den på organets side.",
                            body=body.name))
    if not consultee.consultation.is_opened:
        raise DomainError(_("Høringen er ikke åbnet; linket sendes med invitationen, når den "
                            "åbner."))
    if consultee.is_past_deadline(now_utc()):
        raise DomainError(_("Høringsfristen er overskredet; et nyt link ville ikke virke."))
    previous = live_links(consultee.consultation).get(body.id)
    if previous is not None:
        _revoke(previous, actor)
    return _send(consultee, actor=actor, renewed=previous is not None)


def revoke_link(consultee: Consultee, *, actor: User | None) -> AccessToken:
    """Staff stop the body's link from working (e.g. sent to the wrong address)."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    token = live_links(consultee.consultation).get(consultee.body_id)
    if token is None:
        raise DomainError(_("%(body)s har intet gyldigt personligt link.",
                            body=consultee.body.name))
    _revoke(token, actor)
    return token


def _revoke(token: AccessToken, actor: User | None) -> None:
    revoke(token)
    _audit(AuditTag.CONSULTEE_LINK_REVOKE, token, actor)


def follow_deadline(consultation: Consultation) -> None:
    """The consultation's working links expire with each consultee's deadline as it is
    now (after the deadline, or a consultee's own, moved)."""
    live = live_links(consultation)
    for consultee in consultation.consultees:
        token = live.get(consultee.body_id)
        if token is not None:
            token.expires_at = consultee.effective_deadline
    db.session.flush()


def _notice(consultee: Consultee, *, kind: str, key: str, subject: str, news: str) -> int:
    """An e-mail to the body's contact that points to the link it was sent (a link is
    in one e-mail only); 0 for a body without a contact e-mail."""
    consultation, body = consultee.consultation, consultee.body
    if not body.contact_email:
        return 0
    message = enqueue(
        kind=kind, dedupe_key=f"{kind}:{consultation.id}:{body.id}:contact:{key}",
        to_address=body.contact_email, subject=subject,
        body_text=render_body("mail/contact_notice.txt", consultation=consultation, body=body,
                              news=news, deadline=deadline_text(consultee.effective_deadline)),
        consultation_id=consultation.id,
    )
    return int(message is not None)


def remind_contact(consultee: Consultee, local_day: str) -> int:
    """The reminder for the body's contact, at most one a day (``local_day``)."""
    deadline = deadline_text(consultee.effective_deadline)
    title = consultee.consultation.title
    with in_municipality_language():
        return _notice(consultee, kind="reminder", key=local_day,
                       subject=_("Påmindelse: høringsfrist %(deadline)s – %(title)s",
                                 deadline=deadline, title=title),
                       news=_("%(body)s har endnu ikke afgivet høringssvar på: %(title)s",
                              body=consultee.body.name, title=title))


def tell_new_deadline(consultee: Consultee, reason: str) -> int:
    """The consultation's new deadline and its reason, for the body's contact."""
    consultation = consultee.consultation
    with in_municipality_language():
        return _notice(consultee, kind="deadline", key=consultation.closes_at.isoformat(),
                       subject=_("Ny høringsfrist %(deadline)s – %(title)s",
                                 deadline=deadline_text(consultation.closes_at),
                                 title=consultation.title),
                       news=_("Høringsfristen for %(title)s er flyttet. Begrundelse: "
                              "%(reason)s", title=consultation.title, reason=reason))


# --- using a link ----------------------------------------------------------------------


@dataclass(frozen=True)
class LinkCheck:
    """A link's token (None for an unknown link), whether it works now, and for whom."""

    token: AccessToken | None
    state: TokenState
    consultee: Consultee | None

    @property
    def valid(self) -> bool:
        return self.state is TokenState.VALID


def check_link(plain: str) -> LinkCheck:
    """The link of the token ``plain``, as it stands now. Changes nothing."""
    token, state = check_token(LINK, plain)
    return _for_consultee(token, state)


def check_granted(token_id: int) -> LinkCheck:
    """The link a browser was granted (by its token's id), as it stands now."""
    token = db.session.get(AccessToken, token_id)
    if token is None or token.purpose is not LINK:
        return LinkCheck(None, TokenState.UNKNOWN, None)
    return _for_consultee(token, token.state(now_utc()))


def _for_consultee(token: AccessToken | None, state: TokenState) -> LinkCheck:
    """A link works only while its body is invited and may still respond: a body no
    longer invited, or a consultation closed before the link's expiry, ends it."""
    if token is None:
        return LinkCheck(None, state, None)
    consultee = db.session.scalar(select(Consultee).where(
        Consultee.consultation_id == token.consultation_id, Consultee.body_id == token.body_id))
    if consultee is None:
        return LinkCheck(token, TokenState.REVOKED, None)
    closed = not consultee.consultation.is_opened or consultee.is_past_deadline(now_utc())
    if state is TokenState.VALID and closed:
        state = TokenState.EXPIRED
    return LinkCheck(token, state, consultee)


def act_through(link: LinkCheck) -> User:
    """For the rest of the request: act as the link's body's contact (audited as such).
    Returns the stand-in user for the operations."""
    assert link.valid and link.token is not None and link.consultee is not None
    body = link.consultee.body
    acting_through_link(contact_label(body), link.token.id)
    return stand_in(body)


def start_using(link: LinkCheck) -> User:
    """The POST on the link's page: the first use is noted, every use audited."""
    actor = act_through(link)
    assert link.token is not None
    mark_used(link.token)
    _audit(AuditTag.CONSULTEE_LINK_USE, link.token, None)
    return actor


def refuse_use(link: LinkCheck) -> None:
    """Audit a POST with a link that no longer works (an unknown one has no token)."""
    if link.token is not None:
        _audit(AuditTag.CONSULTEE_LINK_REFUSE, link.token, None, state=link.state.value)


def explanation(link: LinkCheck) -> str:
    """Why a link does not work, for its holder."""
    if link.state is TokenState.EXPIRED and link.consultee is not None:
        deadline = deadline_in_locale(link.consultee.effective_deadline)
        return str(_("Linket er udløbet: høringsfristen var %(deadline)s, og der kan ikke "
                     "længere afgives høringssvar via linket. Kontakt sekretariatet, hvis "
                     "organet vil afgive et sent høringssvar.", deadline=deadline))
    if link.state is TokenState.REVOKED:
        return str(_("Linket er trukket tilbage, fx fordi sekretariatet har sendt et nyt. Brug "
                     "linket i den nyeste e-mail, eller kontakt sekretariatet."))
    return str(_("Linket findes ikke. Kontrollér, at hele linket fra e-mailen er kopieret "
                 "med, eller kontakt sekretariatet for et nyt."))
