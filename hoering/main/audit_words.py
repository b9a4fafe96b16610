"""How the audit trail names the domains' objects and values (``hoering.audit.describe``
asks; the audit package sits below the domains, so they are told here, at start-up).

Each namer is one query for all the ids of its kind on a page.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from hoering.accounts.forms import BODY_KIND_LABELS, ROLE_LABELS
from hoering.accounts.identities import BoundBy
from hoering.accounts.models import Body, Membership, User
from hoering.accounts.tokens import TokenState
from hoering.audit.describe import register_namer, register_values
from hoering.cases.models import CaseDecision
from hoering.cases.stages import STAGE_LABELS, TRANSITIONS
from hoering.consultations.data_access import VIEWED_LABELS
from hoering.consultations.forms import DISPOSITION_LABELS
from hoering.consultations.models import (
    PUBLIC_ABBREVIATION,
    ChangeLink,
    Consultation,
    Consultee,
    Remark,
    Reply,
    Response,
    ResponseChannel,
    ResponseStatus,
    StandardReply,
)
from hoering.consultations.models import PublicSubmitter as Submitter
from hoering.core.db import db
from hoering.core.formatting import quoted
from hoering.core.i18n import LANGUAGE_NAMES
from hoering.core.i18n import gettext_str as _
from hoering.memos.forms import TASK_STATUS_LABELS
from hoering.memos.models import FollowUpTask, MemoIssue
from hoering.outbox.models import MessageStatus
from hoering.policies.models import Policy, PolicyVersion, Section

CHANNEL_LABELS = {
    ResponseChannel.MEMBER: _l("indsendt af organet via høringsportalen"),
    ResponseChannel.STAFF: _l("registreret af sekretariatet"),
    ResponseChannel.MINUTES: _l("indlæst fra et referat"),
    ResponseChannel.PUBLIC: _l("sendt via den offentlige svarformular"),
}
RESPONSE_STATUS_LABELS = {ResponseStatus.DRAFT: _l("kladde"),
                          ResponseStatus.SUBMITTED: _l("indsendt")}
MESSAGE_STATUS_LABELS = {MessageStatus.PENDING: _l("venter"), MessageStatus.SENT: _l("sendt"),
                         MessageStatus.FAILED: _l("opgivet")}
LINK_STATE_LABELS = {
    TokenState.VALID: _l("gyldigt"), TokenState.UNKNOWN: _l("ukendt"),
    TokenState.EXPIRED: _l("udløbet"), TokenState.REVOKED: _l("trukket tilbage"),
    TokenState.USED: _l("brugt"),
}
BOUND_BY_LABELS = {
    BoundBy.ADMINISTRATOR: _l("af en administrator"), BoundBy.INVITATION: _l("via en invitation"),
    BoundBy.VERIFIED_EMAIL: _l("ud fra en bekræftet e-mailadresse"),
}
# Why a login was refused (the codes of hoering.accounts.auth and hoering.accounts.sso).
LOGIN_REFUSAL_LABELS = {
    "sso_only": _l("brugeren skal logge ind med single sign-on"),
    "unmatched": _l("login hos identitetsudbyderen er ikke knyttet til en bruger"),
    "inactive": _l("brugeren er deaktiveret"),
    "invitation": _l("invitationen kunne ikke bruges"),
    "provider_unreachable": _l("identitetsudbyderen svarede ikke"),
    "provider_error": _l("identitetsudbyderen meldte en fejl"),
    "invalid_id_token": _l("identitetsudbyderens svar var ugyldigt"),
    "no_id_token": _l("identitetsudbyderens svar manglede"),
    "no_subject": _l("identitetsudbyderens svar manglede brugerens id"),
    "state": _l("login var udløbet eller startet et andet sted"),
}


def _rows(query: Any) -> dict[int, str]:
    return {row[0]: row[1] for row in db.session.execute(query)}


def _users(ids: Collection[int]) -> Mapping[int, str]:
    return _rows(select(User.id, User.name).where(User.id.in_(ids)))


def _bodies(ids: Collection[int]) -> Mapping[int, str]:
    rows = db.session.execute(
        select(Body.id, Body.name, Body.abbreviation).where(Body.id.in_(ids)))
    return {i: f"{name} ({abbreviation})" for i, name, abbreviation in rows}


def _memberships(ids: Collection[int]) -> Mapping[int, str]:
    rows = db.session.execute(
        select(Membership.id, User.name, Body.name).join(User, User.id == Membership.user_id)
        .join(Body, Body.id == Membership.body_id).where(Membership.id.in_(ids)))
    return {i: _("%(user)s i %(body)s", user=user, body=body) for i, user, body in rows}


def _policies(ids: Collection[int]) -> Mapping[int, str]:
    return _rows(select(Policy.id, Policy.title).where(Policy.id.in_(ids)))


def _versions(ids: Collection[int]) -> Mapping[int, str]:
    rows = db.session.execute(
        select(PolicyVersion.id, PolicyVersion.number, Policy.title)
        .join(Policy, Policy.id == PolicyVersion.policy_id).where(PolicyVersion.id.in_(ids)))
    return {i: _("version %(number)s af »%(title)s«", number=number, title=title)
            for i, number, title in rows}


def _sections(ids: Collection[int]) -> Mapping[int, str]:
    return _rows(select(Section.id, Section.heading).where(Section.id.in_(ids)))


def _decisions(ids: Collection[int]) -> Mapping[int, str]:
    decisions = db.session.scalars(select(CaseDecision).where(CaseDecision.id.in_(ids))
                                   .options(joinedload(CaseDecision.body)))
    names = {}
    for decision in decisions:
        transition = TRANSITIONS.get(decision.action)
        label = quoted(str(transition.label)) if transition else ""
        names[decision.id] = " ".join(
            part for part in (label, f"({decision.citation})" if decision.citation else "")
            if part) or _("nr. %(id)d", id=decision.id)
    return names


def _consultations(ids: Collection[int]) -> Mapping[int, str]:
    return _rows(select(Consultation.id, Consultation.title).where(Consultation.id.in_(ids)))


def _consultees(ids: Collection[int]) -> Mapping[int, str]:
    rows = db.session.execute(
        select(Consultee.id, Body.name).join(Body, Body.id == Consultee.body_id)
        .where(Consultee.id.in_(ids)))
    return {i: name for i, name in rows}


def _sender(abbreviation: str | None, organisation: str | None, body_id: int | None) -> str:
    """As ``Response.sender_abbreviation``: "SOU", an association's name or "Borger"."""
    if body_id is not None:
        return abbreviation or ""
    return organisation or PUBLIC_ABBREVIATION


def _responses(ids: Collection[int]) -> Mapping[int, str]:
    rows = db.session.execute(
        select(Response.id, Body.abbreviation, Submitter.organisation, Response.body_id)
        .outerjoin(Body, Body.id == Response.body_id)
        .outerjoin(Submitter, Submitter.response_id == Response.id)
        .where(Response.id.in_(ids)))
    return {i: _sender(abbreviation, organisation, body_id)
            for i, abbreviation, organisation, body_id in rows}


def _remark_rows(query: Any) -> dict[int, str]:
    """Rows of (key, remark id, body abbreviation, organisation, body id) → "12 fra SOU"."""
    return {key: _("%(id)s fra %(sender)s", id=remark_id,
                   sender=_sender(abbreviation, organisation, body_id))
            for key, remark_id, abbreviation, organisation, body_id in db.session.execute(query)}


def _remark_query(key: Any) -> Any:
    return (select(key, Remark.id, Body.abbreviation, Submitter.organisation, Response.body_id)
            .join(Response, Response.id == Remark.response_id)
            .outerjoin(Body, Body.id == Response.body_id)
            .outerjoin(Submitter, Submitter.response_id == Response.id))


def _remarks(ids: Collection[int]) -> Mapping[int, str]:
    return _remark_rows(_remark_query(Remark.id).where(Remark.id.in_(ids)))


def _replies(ids: Collection[int]) -> Mapping[int, str]:
    return _remark_rows(_remark_query(Reply.id).join(Reply, Reply.remark_id == Remark.id)
                        .where(Reply.id.in_(ids)))


def _change_links(ids: Collection[int]) -> Mapping[int, str]:
    section = aliased(Section)
    query = (_remark_query(ChangeLink.id).add_columns(section.heading)
             .join(ChangeLink, ChangeLink.remark_id == Remark.id)
             .join(section, section.id == ChangeLink.section_id)
             .where(ChangeLink.id.in_(ids)))
    return {key: _("mellem bemærkning %(id)s fra %(sender)s og »%(heading)s«", id=remark_id,
                   sender=_sender(abbreviation, organisation, body_id), heading=heading)
            for key, remark_id, abbreviation, organisation, body_id, heading
            in db.session.execute(query)}


def _standard_replies(ids: Collection[int]) -> Mapping[int, str]:
    return _rows(select(StandardReply.id, StandardReply.title).where(StandardReply.id.in_(ids)))


def _memo_issues(ids: Collection[int]) -> Mapping[int, str]:
    rows = db.session.execute(
        select(MemoIssue.id, MemoIssue.number, Consultation.title)
        .join(Consultation, Consultation.id == MemoIssue.consultation_id)
        .where(MemoIssue.id.in_(ids)))
    return {i: _("høringsnotatet til »%(title)s«, version %(number)s", title=title,
                   number=number) for i, number, title in rows}


def _tasks(ids: Collection[int]) -> Mapping[int, str]:
    return _rows(select(FollowUpTask.id, FollowUpTask.title).where(FollowUpTask.id.in_(ids)))


def _numbered(ids: Collection[int]) -> Mapping[int, str]:
    """Objects named by their number alone (no query)."""
    return {i: str(i) for i in ids}


def _fixed(ids: Collection[int]) -> Mapping[int, str]:
    """Objects whose kind is their name ("kommunens indstillinger", "et personligt link")."""
    return {i: "" for i in ids}


NAMERS = {
    "user": _users,
    "body": _bodies,
    "membership": _memberships,
    "policy": _policies,
    "policy_version": _versions,
    "section": _sections,
    "case_decision": _decisions,
    "consultation": _consultations,
    "consultee": _consultees,
    "response": _responses,
    "remark": _remarks,
    "remark_group": _numbered,
    "reply": _replies,
    "standard_reply": _standard_replies,
    "change_link": _change_links,
    "memo_issue": _memo_issues,
    "follow_up_task": _tasks,
    "outbox_message": _numbered,
    "attachment": _numbered,
    "municipality_settings": _fixed,
    "access_token": _fixed,
    "form_stash": _fixed,
}


def register_audit_words() -> None:
    for object_type, namer in NAMERS.items():
        register_namer(object_type, namer)
    register_values("role", ROLE_LABELS)
    register_values("language", LANGUAGE_NAMES, object_type="user")
    register_values("kind", BODY_KIND_LABELS, object_type="body")
    register_values("disposition", DISPOSITION_LABELS)
    register_values("stage", STAGE_LABELS)
    register_values("action", {action: t.label for action, t in TRANSITIONS.items()},
                    object_type="case_decision")
    register_values("channel", CHANNEL_LABELS)
    register_values("status", RESPONSE_STATUS_LABELS, object_type="response")
    register_values("status", TASK_STATUS_LABELS, object_type="follow_up_task")
    register_values("status", MESSAGE_STATUS_LABELS, object_type="outbox_message")
    register_values("viewed", VIEWED_LABELS)
    register_values("state", LINK_STATE_LABELS, object_type="access_token")
    register_values("bound_by", BOUND_BY_LABELS)
    register_values("reason", LOGIN_REFUSAL_LABELS, object_type="user")
