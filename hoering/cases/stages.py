"""The case track of a policy as one table: which action moves it from which stages to
which stage, and whether a deciding body and meeting must be named."""

from __future__ import annotations

from dataclasses import dataclass

from hoering.cases.models import Stage
from hoering.core.errors import DomainError

STAGE_LABELS = {
    Stage.DRAFTING: "Udarbejdelse",
    Stage.APPROVED_FOR_CONSULTATION: "Godkendt til høring",
    Stage.IN_CONSULTATION: "I høring",
    Stage.CONSULTATION_CLOSED: "Høringen er afsluttet",
    Stage.MEMO_ISSUED: "Høringsnotat udstedt",
    Stage.RECOMMENDED: "Anbefalet",
    Stage.ADOPTED: "Vedtaget",
    Stage.REJECTED: "Forkastet",
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # Danish, what the user chooses
    sources: frozenset[Stage]
    target: Stage | None  # None: the stage stays (a decision that does not move the case)
    needs_meeting: bool  # a body's decision at a meeting (body, date, agenda item)


_BEFORE_ADOPTION = frozenset({
    Stage.APPROVED_FOR_CONSULTATION, Stage.IN_CONSULTATION, Stage.CONSULTATION_CLOSED,
    Stage.MEMO_ISSUED, Stage.RECOMMENDED,
})
TRANSITIONS = {
    t.action: t for t in (
        Transition("register", "Registrér beslutning (sagen skifter ikke fase)",
                   frozenset(Stage) - {Stage.ADOPTED, Stage.REJECTED}, None, True),
        Transition("approve_for_consultation", "Godkendt til høring",
                   frozenset({Stage.DRAFTING}), Stage.APPROVED_FOR_CONSULTATION, True),
        Transition("start_consultation", "Sendt i høring",
                   frozenset({Stage.APPROVED_FOR_CONSULTATION}), Stage.IN_CONSULTATION, False),
        Transition("close_consultation", "Høringen er afsluttet",
                   frozenset({Stage.IN_CONSULTATION}), Stage.CONSULTATION_CLOSED, False),
        Transition("issue_memo", "Høringsnotat udstedt",
                   frozenset({Stage.CONSULTATION_CLOSED}), Stage.MEMO_ISSUED, False),
        Transition("recommend", "Anbefalet af et udvalg",
                   frozenset({Stage.MEMO_ISSUED, Stage.RECOMMENDED}), Stage.RECOMMENDED, True),
        Transition("adopt", "Vedtaget af kommunalbestyrelsen",
                   frozenset({Stage.RECOMMENDED}), Stage.ADOPTED, True),
        Transition("reject", "Forkastet", _BEFORE_ADOPTION, Stage.REJECTED, True),
        Transition("send_back", "Sendt tilbage til udarbejdelse (ny version)",
                   _BEFORE_ADOPTION, Stage.DRAFTING, True),
    )
}
# What staff should expect next at each stage (overview page).
NEXT_STEP = {
    Stage.DRAFTING: "Udkastet skal godkendes til høring",
    Stage.APPROVED_FOR_CONSULTATION: "Høringen skal åbnes",
    Stage.IN_CONSULTATION: "Høringssvar skal indsamles og besvares",
    Stage.CONSULTATION_CLOSED: "Høringsnotatet skal udstedes",
    Stage.MEMO_ISSUED: "Fagudvalget skal anbefale",
    Stage.RECOMMENDED: "Kommunalbestyrelsen skal vedtage",
    Stage.ADOPTED: "Videre arbejde",
    Stage.REJECTED: "Ingen",
}


class InvalidTransition(DomainError):
    pass


def transition_for(action: str, stage: Stage) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidTransition("Ukendt beslutning.")
    if stage not in transition.sources:
        raise InvalidTransition(
            f"»{transition.label}« er ikke muligt, når sagen er i fasen "
            f"»{STAGE_LABELS[stage]}«."
        )
    return transition


def allowed_transitions(stage: Stage) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if stage in t.sources]
