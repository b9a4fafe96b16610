"""Building consultations with many remarks quickly (bulk rows, not one operation each),
for query-count tests and benchmarks."""

from __future__ import annotations

from datetime import timedelta

from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind, Role, User
from hoering.consultations import operations as consultations
from hoering.consultations.models import (
    Consultation,
    ConsulteeStatus,
    Disposition,
    Remark,
    Reply,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from hoering.consultations.queries import search_key
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection

DISPOSITIONS = list(Disposition)


def consultation_with_remarks(
    n_remarks: int, n_bodies: int, *, staff: User | None = None
) -> Consultation:
    """An open consultation on a six-section version with ``n_remarks`` submitted remarks
    spread over ``n_bodies`` bodies; two thirds answered, one third of those approved."""
    staff = staff or accounts.create_user(
        name="Forfatter", email="forfatter@kommune.dk", role=Role.STAFF,
        password="skrivebord-lampe-1", actor=None,
    )
    approver = accounts.create_user(
        name="Godkender", email="godkender@kommune.dk", role=Role.STAFF,
        password="stempel-lampe-2", actor=None,
    )
    bodies = [
        accounts.create_body(name=f"Udvalg nr. {i}", abbreviation=f"U{i}",
                             kind=BodyKind.COMMITTEE, actor=None)
        for i in range(n_bodies)
    ]
    owner = bodies[0]
    policy = policies.create_policy(
        title="Politik", journal_number="85.13.00-P00-1-23", description="", owner_body=owner,
        actor=None,
    )
    headings = ["Rammesætning"] + [f"Princip {n}: Tekst {n}" for n in range(1, 6)]
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}.") for h in headings], actor=None
    )
    consultation = consultations.create_consultation(
        version, title="Høring med mange bemærkninger", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=30), invitation_text="", public=False,
        bodies=bodies, actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    responses = []
    for body in bodies:
        response = Response(
            consultation=consultation, body=body, status=ResponseStatus.SUBMITTED,
            channel=ResponseChannel.MINUTES, submitted_at=now_utc(),
            source=f"{body.name} den 9. april 2024 Punkt 6",
        )
        responses.append(response)
    db.session.add_all(responses)
    for consultee in consultation.consultees:
        consultee.status = ConsulteeStatus.RESPONDED
    db.session.flush()
    sections = [*version.sections, None]
    remarks = [
        Remark(
            response=responses[i % n_bodies], consultation_id=consultation.id,
            section=sections[i % len(sections)],
            original_text=f"Bemærkning {i} om digitalisering, økonomi og inddragelse.",
            search_text=search_key(
                f"Bemærkning {i} om digitalisering, økonomi og inddragelse."
                + (f" Svar på bemærkning {i}." if i % 3 != 2 else "")
            ),
        )
        for i in range(n_remarks)
    ]
    db.session.add_all(remarks)
    db.session.flush()
    replies = [
        Reply(
            remark=remark, text=f"Svar på bemærkning {i}.",
            disposition=DISPOSITIONS[i % len(DISPOSITIONS)], author_id=staff.id,
            approved_by_id=approver.id if i % 3 == 0 else None,
            approved_at=now_utc() if i % 3 == 0 else None,
        )
        for i, remark in enumerate(remarks)
        if i % 3 != 2
    ]
    db.session.add_all(replies)
    db.session.commit()
    return consultation


def body_of(consultation: Consultation) -> Body:
    return consultation.consultees[0].body
