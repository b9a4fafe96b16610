"""The case track of a policy as one table, and the one fold that derives a policy's stage
from the facts: the political decisions staff record (a body at a meeting) and what the
consultations and memos say by themselves (a consultation opened, its deadline passed or
it was closed, a memo issued). Nothing is stored as "the stage": it is derived every time,
so nothing has to run at a deadline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hoering.cases.models import Stage
from hoering.core.errors import DomainError

STAGE_LABELS = {
    Stage.DRAFTING: _l("Udarbejdelse"),
    Stage.APPROVED_FOR_CONSULTATION: _l("Godkendt til høring"),
    Stage.IN_CONSULTATION: _l("I høring"),
    Stage.CONSULTATION_CLOSED: _l("Høringen er afsluttet"),
    Stage.MEMO_ISSUED: _l("Høringsnotat udstedt"),
    Stage.RECOMMENDED: _l("Anbefalet"),
    Stage.ADOPTED: _l("Vedtaget"),
    Stage.REJECTED: _l("Forkastet"),
}
FINAL_STAGES = frozenset({Stage.ADOPTED, Stage.REJECTED})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # what the user chooses (or reads, for a fact): a lazy text
    sources: frozenset[Stage]
    target: Stage | None  # None: the stage stays (a decision that does not move the case)
    decision: bool  # a political decision staff record (body, meeting); else a fact


_NOT_FINAL = frozenset(Stage) - FINAL_STAGES
_BEFORE_ADOPTION = _NOT_FINAL - {Stage.DRAFTING}
_BEFORE_CONSULTATION = frozenset({Stage.DRAFTING, Stage.APPROVED_FOR_CONSULTATION})
_AFTER_A_ROUND = frozenset({Stage.CONSULTATION_CLOSED, Stage.MEMO_ISSUED, Stage.RECOMMENDED})
# In the order a case usually takes: events of the same day are applied in this order.
TRANSITIONS = {
    t.action: t for t in (
        Transition("note", _l("Taget til efterretning eller drøftet (sagen skifter ikke fase)"),
                   _NOT_FINAL, None, True),
        Transition("register", _l("Anden beslutning (sagen skifter ikke fase)"),
                   _NOT_FINAL, None, True),
        Transition("recommend_for_consultation", _l("Anbefalet sendt i høring (indstilling)"),
                   frozenset({Stage.DRAFTING}), None, True),
        Transition("approve_for_consultation", _l("Godkendt til høring"),
                   frozenset({Stage.DRAFTING}), Stage.APPROVED_FOR_CONSULTATION, True),
        Transition("consultation_opened", _l("Høringen er åbnet"),
                   _BEFORE_CONSULTATION | _AFTER_A_ROUND, Stage.IN_CONSULTATION, False),
        Transition("consultation_closed", _l("Høringen er afsluttet"),
                   frozenset({Stage.IN_CONSULTATION}), Stage.CONSULTATION_CLOSED, False),
        Transition("memo_issued", _l("Høringsnotat udstedt"),
                   frozenset({Stage.CONSULTATION_CLOSED, Stage.MEMO_ISSUED}),
                   Stage.MEMO_ISSUED, False),
        Transition("recommend", _l("Anbefalet af et udvalg"),
                   frozenset({Stage.MEMO_ISSUED, Stage.RECOMMENDED}), Stage.RECOMMENDED, True),
        Transition("adopt", _l("Vedtaget af kommunalbestyrelsen"),
                   frozenset({Stage.RECOMMENDED}), Stage.ADOPTED, True),
        Transition("reject", _l("Forkastet"), _BEFORE_ADOPTION, Stage.REJECTED, True),
        Transition("send_back", _l("Sendt tilbage til udarbejdelse (ny version)"),
                   _BEFORE_ADOPTION, Stage.DRAFTING, True),
    )
}
DECISIONS = tuple(t for t in TRANSITIONS.values() if t.decision)
_RANK = {action: rank for rank, action in enumerate(TRANSITIONS)}
# What staff should expect next at each stage (overview page).
NEXT_STEP = {
    Stage.DRAFTING: _l("Udkastet skal godkendes til høring"),
    Stage.APPROVED_FOR_CONSULTATION: _l("Høringen skal åbnes"),
    Stage.IN_CONSULTATION: _l("Høringssvar skal indsamles og besvares"),
    Stage.CONSULTATION_CLOSED: _l("Høringsnotatet skal udstedes"),
    Stage.MEMO_ISSUED: _l("Fagudvalget skal anbefale"),
    Stage.RECOMMENDED: _l("Kommunalbestyrelsen skal vedtage"),
    Stage.ADOPTED: _l("Videre arbejde"),
    Stage.REJECTED: _l("Ingen"),
}


class InvalidTransition(DomainError):
    pass


@dataclass(frozen=True)
class CaseEvent:
    """A fact or a decision on the case track, on the (Danish) day it happened."""

    day: date
    action: str
    round_id: int | None = None  # the consultation of a fact
    order: int = 0  # ties on the same day and action: the order it was recorded in


def _key(event: CaseEvent) -> tuple[date, int, int]:
    return event.day, _RANK[event.action], event.order


@dataclass(frozen=True)
class Track:
    """Where the events lead, and the decisions the stage did not allow where they fall
    (left out of the track: the stage is derived without them)."""

    stage: Stage
    refused: tuple[tuple[CaseEvent, InvalidTransition], ...] = ()

    def refusal_of(self, event: CaseEvent) -> InvalidTransition | None:
        return next((error for refused, error in self.refused if refused is event), None)


def follow(events: Iterable[CaseEvent]) -> Track:
    """The events in date order through the table. A decision the stage does not allow is
    left out and listed as refused; a fact the case has moved past changes nothing (a
    consultation round closing while another is still open, say)."""
    stage, open_rounds = Stage.DRAFTING, set()
    refused = []
    for event in sorted(events, key=_key):
        transition = TRANSITIONS[event.action]
        if event.action == "consultation_opened":
            open_rounds.add(event.round_id)
        elif event.action == "consultation_closed":
            open_rounds.discard(event.round_id)
            if open_rounds:
                continue
        if stage not in transition.sources:
            if transition.decision:
                refused.append((event, _refusal(transition, stage)))
            continue
        stage = transition.target or stage
    return Track(stage, tuple(refused))


def _refusal(transition: Transition, stage: Stage) -> InvalidTransition:
    return InvalidTransition(_("»%(decision)s« er ikke muligt, når sagen er i fasen "
                               "»%(stage)s«.", decision=transition.label,
                               stage=STAGE_LABELS[stage]))


def decision_for(action: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None or not transition.decision:
        raise InvalidTransition(_("Ukendt beslutning."))
    return transition


def allowed_decisions(stage: Stage) -> list[Transition]:
    return [t for t in DECISIONS if stage in t.sources]
