"""The trace of one remark, for auditors: from the body's submission to the text change in
the revised version (and, later, the decision that adopted the policy).

Every step comes from an audit event where there is one (and links to it); facts that
have no event of their own in the remark's history (the memo versions it appears in) are
read from their tables. A fixed number of queries, however long the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from hoering.audit.describe import actor_name
from hoering.audit.models import AuditEvent
from hoering.audit.tags import AuditTag
from hoering.cases.queries import decisions_of
from hoering.consultations.forms import DISPOSITION_LABELS
from hoering.consultations.models import Disposition, Remark, Response, ResponseChannel
from hoering.consultations.queries import GENERAL_SECTION, section_label
from hoering.core.db import db
from hoering.core.formatting import quoted
from hoering.memos.models import MemoIssue
from hoering.policies.models import Policy, Section

# What ``TraceStep.kind`` can be; "decision" steps come from the caller (see remark_trace).
SUBMITTED = "submitted"
REOPENED = "reopened"
MOVED = "moved"
MEMO_WORDING = "memo_wording"
REPLY_WRITTEN = "reply_written"
REPLY_CHANGED = "reply_changed"
REPLY_APPROVED = "reply_approved"
IN_MEMO = "in_memo"
CHANGE_LINKED = "change_linked"
CHANGE_UNLINKED = "change_unlinked"
DECISION = "decision"
SYSTEM = "Systemet"  # who acted, on a page, when no user did


@dataclass(frozen=True)
class TraceStep:
    """One step of a remark's history. ``title`` and ``detail`` are in the language of the
    moment (an export: the municipality's, ``hoering.core.i18n``); ``detail`` may
    hold several lines. ``event_id`` is the audit event the step rests on (None for a fact
    without an event); ``object_type``/``object_id`` are that event's object, for a link to
    the audit log. A linked text change carries its ``section_id`` and ``version_id``
    (for a link to the revised text). ``actor_label`` is as the log records it (an e-mail
    address, "system"); ``actor_name`` is what a page shows ("Louise Kjær Andersen",
    "Systemet")."""

    when: datetime
    title: str
    detail: str
    actor_label: str
    event_id: int | None
    object_type: str | None = None
    object_id: int | None = None
    kind: str = ""
    section_id: int | None = None
    version_id: int | None = None
    actor_name: str = ""

    @property
    def who(self) -> str:
        return self.actor_name or self.actor_label


def disposition_label(value: Disposition | str | None) -> str:
    """"incorporated" → "Indarbejdet"; "" for none."""
    if value is None:
        return ""
    try:
        return str(DISPOSITION_LABELS[Disposition(value)])
    except ValueError:
        return str(value)


def channel_text(response: Response) -> str:
    """How the response came in: "indsendt via høringsportalen", "registreret af
    sekretariatet" or "indlæst fra referat: Socialudvalget den 9. april 2024 Punkt 6"."""
    if response.channel is ResponseChannel.MINUTES:
        return str(_("indlæst fra referat: %(source)s", source=response.source)
                   if response.source else _("indlæst fra referat"))
    if response.channel is ResponseChannel.STAFF:
        return str(_("registreret af sekretariatet (%(source)s)", source=response.source)
                   if response.source else _("registreret af sekretariatet"))
    if response.channel is ResponseChannel.PUBLIC:
        return str(_("indsendt af offentligheden via svarformularen"))
    return str(_("indsendt via høringsportalen"))


def _quote(text: str | None) -> str:
    return quoted((text or "").strip())


def _after(event: AuditEvent, name: str) -> Any:
    change = (event.changes or {}).get(name)
    return change.get("after") if isinstance(change, dict) else None


def _before(event: AuditEvent, name: str) -> Any:
    change = (event.changes or {}).get(name)
    return change.get("before") if isinstance(change, dict) else None


class UnknownTraceTag(LookupError):
    """An event in a remark's history whose tag the trace has no reading for (and does not
    ignore on purpose): rather than a step silently missing from an auditor's trace."""


# The object types whose events make up a remark's history, with the tags read of each
# (None: all of them, so every tag such an object can carry must be in STEP_READERS or
# TRACE_IGNORES).
SUBMIT_TAGS = frozenset({AuditTag.RESPONSE_SUBMIT, AuditTag.PUBLIC_RESPONSE_SUBMIT})
TRACED_TAGS: dict[str, frozenset[AuditTag] | None] = {
    "remark": None,
    "reply": None,
    "change_link": None,
    "response": frozenset({AuditTag.RESPONSE_SUBMIT, AuditTag.PUBLIC_RESPONSE_SUBMIT,
                           AuditTag.RESPONSE_REOPEN}),
    "memo_issue": frozenset({AuditTag.MEMO_ISSUE}),
}


def _history(remark: Remark, reply_id: int | None, issue_ids: list[int]) -> list[AuditEvent]:
    """The events of the remark, its reply, its response's submissions, the consultation's
    memo issues and every change link ever made to (or removed from) the remark, oldest
    first: one query. Change links are found by the remark id recorded in the event, so
    links removed since are found too."""

    def of(kind: str, object_id: int):
        condition = and_(AuditEvent.object_type == kind, AuditEvent.object_id == object_id)
        tags = TRACED_TAGS[kind]
        return condition if tags is None else and_(
            condition, AuditEvent.action.in_(sorted(tag.value for tag in tags)))

    conditions = [
        of("remark", remark.id),
        of("response", remark.response_id),
        and_(
            AuditEvent.object_type == "change_link",
            or_(
                AuditEvent.changes[("remark_id", "after")].as_integer() == remark.id,
                AuditEvent.changes[("remark_id", "before")].as_integer() == remark.id,
            ),
        ),
    ]
    if reply_id is not None:
        conditions.append(of("reply", reply_id))
    conditions += [of("memo_issue", issue_id) for issue_id in issue_ids]
    return list(db.session.scalars(
        select(AuditEvent).where(or_(*conditions))
        .options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id)
    ))


def _sections(ids: set[int]) -> dict[int, Section]:
    if not ids:
        return {}
    sections = db.session.scalars(
        select(Section).where(Section.id.in_(ids)).options(joinedload(Section.version))
    )
    return {section.id: section for section in sections}


def _section_ids(events: list[AuditEvent]) -> set[int]:
    ids: set[Any] = set()  # whatever the events recorded; ints are kept below
    for event in events:
        if event.action == AuditTag.REMARK_MOVE or event.object_type == "change_link":
            ids.update((_before(event, "section_id"), _after(event, "section_id")))
    return {i for i in ids if isinstance(i, int)}


@dataclass
class _Reading:
    """One remark's events being read into steps: what the step readers need, and what
    they gather (the steps, and the reply's states and memo issue events for the memo
    steps read afterwards)."""

    remark: Remark
    sections: dict[int, Section]
    submitted_in: str  # the section the remark was submitted in, as the trace names it
    created_id: int  # the remark's creation event (submissions before it are not its own)
    submits: list[AuditEvent]  # the response's submissions since then
    steps: list[TraceStep] = field(default_factory=list)
    # The reply's state after each of its events: (event id, time, state), for the memo.
    reply_states: list[tuple[int, datetime, str]] = field(default_factory=list)
    reply_now: dict[str, Any] = field(default_factory=dict)
    issue_events: dict[int | None, AuditEvent] = field(default_factory=dict)  # by issue id

    @classmethod
    def of(cls, remark: Remark, events: list[AuditEvent]) -> _Reading:
        created_id = next((e.id for e in events if e.action == AuditTag.REMARK_CREATE), 0)
        reading = cls(
            remark=remark, sections=_sections(_section_ids(events)), submitted_in="",
            created_id=created_id,
            submits=[e for e in events
                     if e.action in SUBMIT_TAGS and e.id > created_id],
        )
        first_move = next((e for e in events if e.action == AuditTag.REMARK_MOVE), None)
        reading.submitted_in = (  # submitted in the section it was first moved from
            reading.heading(_before(first_move, "section_id")) if first_move is not None
            else section_label(remark.section)
        )
        return reading

    def heading(self, section_id: int | None) -> str:
        if section_id is None:
            return str(GENERAL_SECTION)
        section = self.sections.get(section_id)
        return section.heading if section else str(_("afsnit #%(id)s (slettet)",
                                                     id=section_id))

    def changed_section(self, section_id: int | None) -> str:
        section = self.sections.get(section_id) if section_id is not None else None
        if section is None:
            return str(_("afsnit #%(id)s (slettet)", id=section_id))
        return f"{section.version.label}: {section.heading}"

    def add(self, event: AuditEvent, kind: str, title: str, detail: str,
            **link: int | None) -> None:
        """A step resting on ``event``; ``link`` may hold ``section_id`` and ``version_id``."""
        self.steps.append(_event_step(event, kind, title, detail, **link))


def _event_step(event: AuditEvent, kind: str, title: str, detail: str,
                **link: int | None) -> TraceStep:
    return TraceStep(
        when=event.occurred_at, title=title, detail=detail, actor_label=event.actor_label,
        event_id=event.id, object_type=event.object_type, object_id=event.object_id,
        kind=kind, actor_name=actor_name(event), **link,
    )


# --- how each tag reads as a step -----------------------------------------------------


def _read_submit(reading: _Reading, event: AuditEvent) -> None:
    if event.id <= reading.created_id:
        return  # a submission from before the remark existed
    remark = reading.remark
    final = event is reading.submits[-1] and remark.response.submitted_at is not None
    reading.add(event, SUBMITTED, _("Indsendt"), (
        _submitted_detail(remark, reading.submitted_in) if final
        else _("Høringssvaret blev indsendt og senere genåbnet.")
    ))


def _read_reopen(reading: _Reading, event: AuditEvent) -> None:
    if event.id <= reading.created_id:
        return  # a reopening from before the remark existed
    reason = _after(event, "reason") or ""
    reading.add(event, REOPENED, _("Høringssvar genåbnet"),
                _("Begrundelse: %(reason)s", reason=reason) if reason else "")


def _read_move(reading: _Reading, event: AuditEvent) -> None:
    reading.add(
        event, MOVED, _("Flyttet til et andet afsnit"),
        _("Fra »%(before)s« til »%(after)s«.",
          before=reading.heading(_before(event, "section_id")),
          after=reading.heading(_after(event, "section_id"))),
    )


def _read_from_attachment(reading: _Reading, event: AuditEvent) -> None:
    reading.add(
        event, SUBMITTED, _("Taget ud af en vedhæftet fil"),
        _("Administrationen tog bemærkningen ud af den vedhæftede fil #%(attachment)s til "
          "høringssvaret, i »%(section)s«.", attachment=_after(event, "attachment_id"),
          section=reading.submitted_in),
    )


def _read_memo_wording(reading: _Reading, event: AuditEvent) -> None:
    original = reading.remark.original_text
    before, after = _before(event, "memo_text"), _after(event, "memo_text")
    original_mark = " " + _("(den oprindelige ordlyd)")
    reading.add(event, MEMO_WORDING, _("Ordlyd i notatet ændret"), "\n".join((
        _("Før: %(text)s", text=_quote(before if before is not None else original))
        + (original_mark if before is None else ""),
        _("Efter: %(text)s", text=_quote(after if after is not None else original))
        + (original_mark if after is None else ""),
    )))


def _read_reply(reading: _Reading, event: AuditEvent) -> None:
    for name in ("text", "disposition"):
        if name in (event.changes or {}):
            reading.reply_now[name] = _after(event, name)
    created = event.action == AuditTag.REPLY_CREATE
    reading.add(
        event, REPLY_WRITTEN if created else REPLY_CHANGED,
        _("Svar skrevet") if created else _("Svar ændret"),
        f"{disposition_label(reading.reply_now.get('disposition'))}: "
        f"{_quote(reading.reply_now.get('text'))}"
        + ("" if created else "\n" + _("Svaret skal godkendes igen.")),
    )
    reading.reply_states.append((event.id, event.occurred_at, "draft"))


def _read_approval(reading: _Reading, event: AuditEvent) -> None:
    reading.add(event, REPLY_APPROVED, _("Svar godkendt"),
                _("Godkendt af %(who)s.", who=_who(event)))
    reading.reply_states.append((event.id, event.occurred_at, "approved"))


def _read_change_link(reading: _Reading, event: AuditEvent) -> None:
    created = event.action == AuditTag.CHANGE_LINK_CREATE
    section_id = _after(event, "section_id") if created else _before(event, "section_id")
    section = reading.sections.get(section_id)
    reading.add(
        event, CHANGE_LINKED if created else CHANGE_UNLINKED,
        _("Ændring knyttet: %(section)s", section=reading.changed_section(section_id))
        if created else
        _("Ændring fjernet: %(section)s", section=reading.changed_section(section_id)),
        _("Bemærkningen er besvaret af ændringen af afsnittet i den reviderede version.")
        if created else _("Koblingen til ændringen er fjernet igen."),
        section_id=section.id if section else None,
        version_id=section.version_id if section else None,
    )


def _note_issue(reading: _Reading, event: AuditEvent) -> None:
    """No step yet: the memo steps are read from the issues themselves (see _memo_steps)."""
    reading.issue_events[event.object_id] = event


StepReader = Callable[[_Reading, AuditEvent], None]

# How each tag in a remark's history reads as a step (see TRACED_TAGS).
STEP_READERS: dict[AuditTag, StepReader] = {
    AuditTag.RESPONSE_SUBMIT: _read_submit,
    AuditTag.PUBLIC_RESPONSE_SUBMIT: _read_submit,  # a citizen's, with no remark:create
    AuditTag.RESPONSE_REOPEN: _read_reopen,
    AuditTag.REMARK_MOVE: _read_move,
    AuditTag.REMARK_FROM_ATTACHMENT: _read_from_attachment,
    AuditTag.REMARK_EDIT_MEMO_WORDING: _read_memo_wording,
    AuditTag.REPLY_CREATE: _read_reply,
    AuditTag.REPLY_UPDATE: _read_reply,
    AuditTag.REPLY_APPROVE: _read_approval,
    AuditTag.CHANGE_LINK_CREATE: _read_change_link,
    AuditTag.CHANGE_LINK_DELETE: _read_change_link,
    AuditTag.MEMO_ISSUE: _note_issue,
}

# Tags of a remark's history that make no step, on purpose.
TRACE_IGNORES: frozenset[AuditTag] = frozenset({
    AuditTag.REMARK_CREATE,  # its id separates earlier submissions (see _Reading.of)
    AuditTag.REMARK_UPDATE,  # drafting, before the response is submitted
    AuditTag.REMARK_DELETE,  # a draft remark deleted has no trace to show
    AuditTag.REMARK_SPLIT,  # its memo wording is a step of its own (remark:edit_memo_wording)
    AuditTag.REMARK_ASSIGN,  # who in the secretariat works on it: no step of its handling
})


def step_reader(event: AuditEvent) -> StepReader | None:
    """How ``event`` reads as a step; None for a tag the trace ignores on purpose.
    Raises ``UnknownTraceTag`` for any other tag (also one that is no ``AuditTag``)."""
    try:
        tag = AuditTag(event.action)
    except ValueError:
        raise UnknownTraceTag(
            f"Audit event #{event.id} has the unknown tag {event.action!r}.") from None
    if tag in TRACE_IGNORES:
        return None
    reader = STEP_READERS.get(tag)
    if reader is None:
        raise UnknownTraceTag(
            f"Audit event #{event.id}: the trace has no reading for {tag.value!r}.")
    return reader


def remark_trace(remark: Remark, *, decisions: Iterable[TraceStep] = ()) -> list[TraceStep]:
    """The remark's history in time order (ties in the order the events were recorded).

    ``decisions`` is the extension point for the case track: steps for the decisions
    that recommended and adopted the policy (kind ``DECISION``, with their own event ids)
    are merged into the same order. Raises ``UnknownTraceTag`` for an event in the
    history whose tag the trace cannot read.
    """
    reply = remark.reply
    issues = list(db.session.scalars(
        select(MemoIssue).where(MemoIssue.consultation_id == remark.consultation_id)
        .options(joinedload(MemoIssue.issued_by)).order_by(MemoIssue.number)
    ))
    events = _history(remark, reply.id if reply else None, [i.id for i in issues])
    reading = _Reading.of(remark, events)
    for event in events:
        reader = step_reader(event)
        if reader is not None:
            reader(reading, event)
    steps = reading.steps + _unrecorded_submission(reading) + _memo_steps(reading, issues)
    steps.extend(decisions)
    return sorted(steps, key=_order)


def _unrecorded_submission(reading: _Reading) -> list[TraceStep]:
    """The submission as a step without an event, when it has none (e.g. data loaded in
    bulk)."""
    response = reading.remark.response
    if response.submitted_at is None or reading.submits:
        return []
    return [TraceStep(
        when=response.submitted_at, title=_("Indsendt"),
        detail=_submitted_detail(reading.remark, reading.submitted_in),
        actor_label=response.submitted_by.email if response.submitted_by else "system",
        event_id=None, object_type="response", object_id=response.id, kind=SUBMITTED,
        actor_name=response.submitted_by.name if response.submitted_by else SYSTEM,
    )]


_MEMO_REPLY = {
    "approved": _l("Med administrationens godkendte svar."),
    "draft": _l("Administrationens svar var endnu ikke godkendt."),
    "unanswered": _l("Bemærkningen var endnu ikke besvaret."),
}


def _memo_steps(reading: _Reading, issues: list[MemoIssue]) -> list[TraceStep]:
    """A step for each memo version issued since the response was submitted, with the
    reply's state at the time (on its issue event, if it has one)."""
    reply = reading.remark.reply
    submitted_at = reading.remark.response.submitted_at
    steps = []
    for issue in issues:
        if submitted_at is None or issue.issued_at < submitted_at:
            continue
        event = reading.issue_events.get(issue.id)
        states = reading.reply_states
        state = _reply_state_at(states, event.id if event else None, issue.issued_at)
        if not states and reply is not None and reply.updated_at <= issue.issued_at:
            # a reply without events (e.g. loaded in bulk): judge by its own timestamps
            approved = reply.approved_at is not None and reply.approved_at <= issue.issued_at
            state = "approved" if approved else "draft"
        title = _("Med i høringsnotat version %(n)d", n=issue.number)
        if event is not None:
            steps.append(_event_step(event, IN_MEMO, title, str(_MEMO_REPLY[state])))
        else:
            steps.append(TraceStep(
                when=issue.issued_at, title=title, detail=str(_MEMO_REPLY[state]),
                actor_label=issue.issued_by.email if issue.issued_by else "system",
                event_id=None, object_type="memo_issue", object_id=issue.id, kind=IN_MEMO,
                actor_name=issue.issued_by.name if issue.issued_by else SYSTEM,
            ))
    return steps


def _order(step: TraceStep) -> tuple[datetime, float]:
    return step.when, step.event_id if step.event_id is not None else float("inf")


def _reply_state_at(states: list[tuple[int, datetime, str]], event_id: int | None,
                    moment: datetime) -> str:
    """The reply's state when a memo was issued: by event order if the issue has an
    event, else by time."""
    state = "unanswered"
    for state_event_id, when, value in states:
        if (state_event_id < event_id) if event_id is not None else (when <= moment):
            state = value
    return state


def _who(event: AuditEvent) -> str:
    """The actor's name (and the e-mail recorded in the event)."""
    if event.actor is None:
        return event.actor_label
    return f"{event.actor.name} ({event.actor_label})"


def _submitted_detail(remark: Remark, section: str) -> str:
    response = remark.response
    who = response.submitted_by
    sender = (f"{response.sender_name} ({response.sender_abbreviation})"
              if response.body is not None else response.sender_name)
    lines = [f"{sender}, {channel_text(response)}."]
    if response.submitter is not None:
        lines.append(_("Kvitteringsnummer %(number)s.",
                       number=response.submitter.receipt_number))
    if who is not None:
        person = f"{who.name} ({who.email})"
        lines.append(_("Indsendt af %(who)s.", who=person)
                     if response.channel is ResponseChannel.MEMBER
                     else _("Registreret af %(who)s.", who=person))
    if response.received_late:
        lines.append(_("Modtaget efter høringsfristen."))
    lines.append(_("Afsnit: %(section)s.", section=section))
    lines.append(_("Oprindelig ordlyd: %(text)s", text=_quote(remark.original_text)))
    return "\n".join(lines)


def decision_steps(policy: Policy) -> list[TraceStep]:
    """The decisions that recommended and adopted the policy, as steps of a remark's trace
    (each with its audit event): two queries."""
    decisions = [d for d in decisions_of(policy) if d.action in ("recommend", "adopt")]
    events = {
        event.object_id: event
        for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "case_decision",
            AuditEvent.action == AuditTag.DECISION_CREATE.value,
            AuditEvent.object_id.in_([d.id for d in decisions])))
    }
    steps = []
    for decision in decisions:
        event = events.get(decision.id)
        title = (_("Politikken vedtaget: %(citation)s", citation=decision.citation)
                 if decision.action == "adopt" else
                 _("Politikken anbefalet: %(citation)s", citation=decision.citation))
        steps.append(TraceStep(
            when=event.occurred_at if event else decision.created_at,
            title=title + (" " + _("(trukket tilbage)") if decision.is_withdrawn else ""),
            detail=decision.decision_text + (
                " " + _("Trukket tilbage: %(reason)s", reason=decision.withdrawal_reason)
                if decision.is_withdrawn else ""),
            actor_label=event.actor_label if event else "system",
            event_id=event.id if event else None,
            object_type="case_decision", object_id=decision.id, kind=DECISION,
            actor_name=actor_name(event) if event else SYSTEM,
        ))
    return steps
