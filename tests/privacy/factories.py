"""Public consultations with citizens' responses, and their policies' final decisions,
at fixed moments (``hoering.core.clock.frozen_at``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import count

from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind
from hoering.cases.models import CaseDecision
from hoering.consultations import operations as consultations
from hoering.consultations.models import Consultation, Response
from hoering.core.clock import frozen_at
from hoering.core.db import db
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.public.operations import PublicSubmission, UploadedFile, submit_public_response

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SUBMITTED_AT = datetime(2025, 1, 10, 10, 0, tzinfo=UTC)
MOMENT = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)  # the purge runs now
RETENTION_DAYS = 365  # so the limit is 1 April 2025


@dataclass
class World:
    adopted: Consultation  # adopted 4 March 2025: due
    rejected: Consultation  # rejected 11 February 2025: due
    recent: Consultation  # adopted 1 September 2025: not yet
    recorded_late: Consultation  # meeting 1 February 2025, recorded 1 June 2025: not yet
    undecided: Consultation
    not_public: Consultation  # adopted long ago, but nobody from the public responded
    responses: dict[int, list[Response]]  # by consultation id

    @property
    def due(self) -> list[Consultation]:
        return [self.adopted, self.rejected]

    @property
    def kept(self) -> list[Consultation]:
        return [self.recent, self.recorded_late, self.undecided]


_serial = count(1)


@dataclass
class Citizen:
    name: str
    email: str
    filename: str
    organisation: str = ""


def make_owner() -> Body:
    n = next(_serial)
    return accounts.create_body(name=f"Kultur- og Fritidsudvalget {n}", abbreviation=f"KFU{n}",
                                kind=BodyKind.COMMITTEE, actor=None)


def make_consultation(title: str, *, public: bool = True) -> Consultation:
    """An open consultation (public or not) on a two-section version, created and
    opened at ``SUBMITTED_AT``."""
    with frozen_at(SUBMITTED_AT):
        owner = make_owner()
        policy = policies.create_policy(
            title=f"Politik: {title}", journal_number="00.01.10-P35-14-23", description="",
            owner_body=owner, actor=None,
        )
        version = policies.create_version(
            policy, [DraftSection("Indledning", "Tekst"), DraftSection("Vision", "Tekst")],
            actor=None,
        )
        consultation = consultations.create_consultation(
            version, title=title, opens_on=SUBMITTED_AT.date(),
            closes_at=SUBMITTED_AT + timedelta(days=30), invitation_text="", public=public,
            bodies=[owner], actor=None,
        )
        consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation


def citizens_of(consultation: Consultation) -> list[Citizen]:
    """Two senders per consultation, their names and addresses unique to it."""
    n = consultation.id
    return [
        Citizen(f"Jens Fiktivsen{n}", f"Jens.Fiktivsen{n}@Example.dk",
                f"Jens Fiktivsen{n}s høringssvar.pdf"),
        Citizen(f"Grethe Opdigtet{n}", f"grethe.opdigtet{n}@example.dk",
                f"Svar fra Grethe Opdigtet{n}.pdf", organisation="Idrætsforeningen Fremad"),
    ]


def submit(consultation: Consultation, citizen: Citizen, *, publish_name: bool = True) -> Response:
    """A citizen's response with a remark on the first section, a general remark and a
    PDF attachment, submitted at ``SUBMITTED_AT``."""
    section = consultation.version.sections[0]
    with frozen_at(SUBMITTED_AT):
        response, stored = submit_public_response(consultation, PublicSubmission(
            token=f"token-{citizen.email.lower()}", name=citizen.name, email=citizen.email,
            organisation=citizen.organisation, publish_name=publish_name,
            general_text="Generel bemærkning om kulturpolitikken.",
            section_texts={section.id: "Indledningen bør nævne foreningslivet."},
            files=[UploadedFile(citizen.filename, PDF)],
        ))
    assert stored
    db.session.commit()
    return response


def public_consultation_with_responses(title: str) -> tuple[Consultation, list[Response]]:
    consultation = make_consultation(title)
    responses = [submit(consultation, c) for c in citizens_of(consultation)]
    return consultation, responses


def decide_finally(consultation: Consultation, action: str, *, meeting_date: date,
                   recorded_at: datetime) -> None:
    """The City Council adopts (``adopt``) or rejects (``reject``) the policy at a meeting
    on ``meeting_date``; staff record it at ``recorded_at``. The row is written directly:
    the steps before (and whether the case track allows it on that day) are not what these
    tests are about, only the final decision's dates."""
    policy = consultation.version.policy
    db.session.add(CaseDecision(
        policy_id=policy.id, action=action, body_id=policy.owner_body_id,
        meeting_date=meeting_date, agenda_item=4, decision_text="Besluttet.",
        created_at=recorded_at))
    db.session.commit()
