"""Building consultations with many remarks quickly (bulk INSERTs of remarks and replies,
not one operation or ORM object each), for query-count tests and benchmarks."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind, Role, User
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import (
    Consultation,
    Disposition,
    PublicSubmitter,
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
    db.session.flush()
    sections = [*version.sections, None]
    texts = [f"Bemærkning {i} om digitalisering, økonomi og inddragelse." for i in range(n_remarks)]
    remark_ids = _insert(Remark, [
        {"response_id": responses[i % n_bodies].id, "consultation_id": consultation.id,
         "section_id": section.id if (section := sections[i % len(sections)]) else None,
         "original_text": text, "kept_apart": False, "created_at": now_utc(),
         "search_text": search_key(text + (f" Svar på bemærkning {i}." if i % 3 != 2 else ""))}
        for i, text in enumerate(texts)
    ])
    _insert(Reply, [
        {"remark_id": remark_id, "consultation_id": consultation.id,
         "text": f"Svar på bemærkning {i}.",
         "disposition": DISPOSITIONS[i % len(DISPOSITIONS)], "author_id": staff.id,
         "approved_by_id": approver.id if i % 3 == 0 else None,
         "approved_at": now_utc() if i % 3 == 0 else None, "updated_at": now_utc(),
         "lock_version": 1}
        for i, remark_id in enumerate(remark_ids)
        if i % 3 != 2
    ])
    db.session.commit()
    return consultation


def body_of(consultation: Consultation) -> Body:
    return consultation.consultees[0].body


# --- a big consultation: 1,000 bodies, 100,000 remarks ------------------------------

_VOCABULARY = (
    "borgere kommunen skal sikre bedre adgang til digitale løsninger og personlig "
    "betjening for ældre børn unge familier med handicap i hele området ved skoler "
    "institutioner plejehjem biblioteker kulturhuse sportshaller stier cykelstier "
    "busser trafik parkering natur grønne arealer klima energi vand affald genbrug "
    "økonomi budget ressourcer medarbejdere ledelse inddragelse dialog samarbejde "
    "frivillige foreninger erhvervsliv lokalsamfund landsbyer byudvikling boliger "
    "sundhed forebyggelse trivsel mental rehabilitering pleje omsorg tryghed "
    "kvalitet dokumentation data sikkerhed privatliv gennemsigtighed ansvar mål "
    "handling prioritering tidsplan evaluering opfølgning politik princip afsnit "
    "formulering præcisering tilføjelse ønske forslag bekymring støtte anbefaling"
)
_WORDS = _VOCABULARY.split()
CAMPAIGNS = 5  # campaign texts among the public remarks of ``big_consultation``


def _text(rng, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _campaign_copy(rng, template: str, i: int) -> str:
    """A copy of a campaign text: as is, with one word changed, or signed."""
    words = template.rstrip(".").split()
    if i % 3 == 1:
        words[rng.randrange(len(words))] = rng.choice(_WORDS)
    elif i % 3 == 2:
        words += ["med", "venlig", "hilsen"]
    return " ".join(words) + "."


def _insert(model, rows: list[dict]) -> list[int]:
    """Bulk INSERT (executemany), returning the new ids in the order of ``rows``."""
    if not rows:
        return []
    table = model.__table__
    return list(db.session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    ).scalars())


def _big_bodies(n_bodies: int) -> list[Body]:
    now = now_utc()
    _insert(Body, [{"name": f"Udvalg nr. {i:04d}", "abbreviation": f"U{i:04d}",
                    "kind": BodyKind.COMMITTEE, "created_at": now} for i in range(n_bodies)])
    return list(db.session.scalars(select(Body).order_by(Body.id)))


def _big_responses(consultation: Consultation, bodies: list[Body],
                   n_public: int) -> tuple[list[int], list[int]]:
    """Submitted responses: one per body and ``n_public`` from citizens (with their
    submitter rows); their ids."""
    now = now_utc()
    common = {"consultation_id": consultation.id, "status": ResponseStatus.SUBMITTED,
              "submitted_at": now, "created_at": now, "no_remarks": False,
              "received_late": False}
    body_ids = _insert(Response, [
        {**common, "body_id": body.id, "channel": ResponseChannel.MINUTES,
         "source": f"{body.name} den 9. april 2024 Punkt 6"} for body in bodies])
    public_ids = _insert(Response, [
        {**common, "body_id": None, "channel": ResponseChannel.PUBLIC, "source": ""}
        for _ in range(n_public)])
    _insert(PublicSubmitter, [
        {"response_id": rid, "receipt_number": f"H-2024-{n:06d}",
         "idempotency_token": f"big-{rid}", "name": f"Borger {n}",
         "email": f"borger{n}@example.dk", "organisation": "Grønt Netværk" if n % 10 == 0
         else "", "publish_name": False} for n, rid in enumerate(public_ids)])
    return body_ids, public_ids


def _big_remark_rows(consultation: Consultation, section_ids: list[int | None],
                     body_responses: list[int], public_responses: list[int],
                     n_remarks: int, n_public: int) -> list[dict]:
    """Body remarks of 15 to 40 random words; public remarks, of which a third are
    copies of ``CAMPAIGNS`` campaign texts (so detection finds groups)."""
    rng = random.Random(18)  # the same data every run
    campaigns = [_text(rng, 40) for _ in range(CAMPAIGNS)]
    rows = []
    for i in range(n_remarks):
        public = i >= n_remarks - n_public
        if public:
            n = i - (n_remarks - n_public)
            response_id = public_responses[n % len(public_responses)]
            copy = n // 3
            text = (_campaign_copy(rng, campaigns[copy % CAMPAIGNS], copy // CAMPAIGNS)
                    if n % 3 == 0 else _text(rng, rng.randint(15, 60)))
        else:
            response_id = body_responses[i % len(body_responses)]
            text = _text(rng, rng.randint(15, 40))
        rows.append({
            "consultation_id": consultation.id, "response_id": response_id,
            "section_id": section_ids[i % len(section_ids)], "original_text": text,
            "search_text": search_key(text + (f" Svar på bemærkning {i}." if i % 3 != 2
                                              else "")),
            "kept_apart": False, "created_at": now_utc(),
        })
    return rows


def _big_audit(rows: list[tuple[str, str, int, dict]], actor_id: int | None) -> None:
    """Audit events (action, object type, object id, changes) as the operations would
    write them, in bulk."""
    now = now_utc()
    db.session.execute(insert(AuditEvent.__table__), [
        {"occurred_at": now, "actor_id": actor_id, "action": action, "object_type": kind,
         "object_id": object_id, "changes": changes, "request_id": None}
        for action, kind, object_id, changes in rows
    ])


def _created(**values) -> dict:
    return {name: {"before": None, "after": value} for name, value in values.items()}


def big_consultation(
    n_remarks: int = 100_000, n_bodies: int = 1_000, *, public_share: float = 0.1,
    audit: bool = True,
) -> Consultation:
    """A public consultation with ``n_bodies`` invited bodies, each of which responded,
    and ``n_remarks`` remarks: ``public_share`` of them from citizens (a third of those
    copies of a few campaign texts), the rest spread over the bodies. Two thirds are
    answered, a third of those approved. With ``audit``, the remarks, submissions and
    replies have their audit events, as the operations write them. Built with bulk
    INSERTs (a few seconds, not one operation per remark)."""
    staff = accounts.create_user(name="Forfatter", email="forfatter@kommune.dk",
                                 role=Role.STAFF, password="skrivebord-lampe-1", actor=None)
    approver = accounts.create_user(name="Godkender", email="godkender@kommune.dk",
                                    role=Role.STAFF, password="stempel-lampe-2", actor=None)
    bodies = _big_bodies(n_bodies)
    policy = policies.create_policy(
        title="Politik", journal_number="85.13.00-P00-1-23", description="",
        owner_body=bodies[0], actor=None,
    )
    headings = ["Rammesætning"] + [f"Princip {n}: Tekst {n}" for n in range(1, 6)]
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}.") for h in headings], actor=None
    )
    consultation = consultations.create_consultation(
        version, title="Høring med mange bemærkninger", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=30), invitation_text="", public=True,
        bodies=bodies, actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    n_public = int(n_remarks * public_share)
    body_responses, public_responses = _big_responses(
        consultation, bodies, max(1, n_public // 2))
    section_ids: list[int | None] = [*(s.id for s in version.sections), None]
    remark_rows = _big_remark_rows(
        consultation, section_ids, body_responses, public_responses, n_remarks, n_public)
    remark_ids = _insert(Remark, remark_rows)
    answered = [(i, rid) for i, rid in enumerate(remark_ids) if i % 3 != 2]
    now = now_utc()
    reply_ids = _insert(Reply, [
        {"remark_id": rid, "consultation_id": consultation.id,
         "text": f"Svar på bemærkning {i}.",
         "disposition": DISPOSITIONS[i % len(DISPOSITIONS)], "author_id": staff.id,
         "updated_at": now, "approved_by_id": approver.id if i % 3 == 0 else None,
         "approved_at": now if i % 3 == 0 else None, "lock_version": 1}
        for i, rid in answered
    ])
    if audit:
        _big_audit([("remark:create", "remark", rid, _created(
            original_text=row["original_text"], response_id=row["response_id"],
            section_id=row["section_id"])) for rid, row in zip(remark_ids, remark_rows,
                                                               strict=True)], None)
        _big_audit([("response:submit", "response", rid, _created(status="submitted"))
                    for rid in body_responses], None)
        _big_audit([("reply:create", "reply", reply_id,
                     _created(text=f"Svar på bemærkning {i}.",
                              disposition=DISPOSITIONS[i % len(DISPOSITIONS)].value))
                    for reply_id, (i, _rid) in zip(reply_ids, answered, strict=True)],
                   staff.id)
        _big_audit([("reply:approve", "reply", reply_id, _created(approved_by_id=approver.id))
                    for reply_id, (i, _rid) in zip(reply_ids, answered, strict=True)
                    if i % 3 == 0], approver.id)
    db.session.commit()
    return consultation
