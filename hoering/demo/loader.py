"""Loading the demo: the Ballerup digitalisation-principles case (see DOMAIN.md), and an
open public consultation on a culture, sport and leisure policy with invented public
responses (hoering.demo.public).

Everything goes through the same operations the UI uses, so the demo also fills the
audit trail, as the system user.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, inspect, select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind, Role, User
from hoering.cases import operations as cases
from hoering.consultations import operations as consultations
from hoering.consultations.campaigns import operations as campaigns
from hoering.consultations.models import Consultation, Disposition, Remark, Response
from hoering.core.clock import LOCAL_TZ, frozen_at
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.demo import content as demo_content
from hoering.demo import public as demo_public
from hoering.demo import remarks as demo_remarks
from hoering.memos import operations as memos
from hoering.municipality import operations as municipality
from hoering.municipality.models import SETTINGS_ID, MunicipalitySettings
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import Policy, PolicyVersion


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: Role
    name: str


def database_is_migrated() -> bool:
    return inspect(db.engine).has_table(User.__tablename__)


def database_is_empty() -> bool:
    return not any(
        db.session.scalar(select(func.count()).select_from(model)) for model in (User, Body)
    )


def load_demo() -> list[DemoLogin]:
    """Fill an empty database with the demo case; return the demo logins. Flushes only."""
    if not database_is_empty():
        raise DomainError(
            "Databasen indeholder allerede data; demoen indlæses kun i en tom database."
        )
    _municipality_settings()
    bodies = {  # in the real memo's order, which so becomes the municipality's
        abbreviation: accounts.create_body(
            name=name, abbreviation=abbreviation, kind=BodyKind(kind), actor=None
        )
        for abbreviation, name, kind in demo_content.BODIES
    }

    logins, users = [], []
    for spec in demo_content.DEMO_USERS:
        user = accounts.create_user(
            name=spec["name"], email=spec["email"], role=Role(spec["role"]),
            password=spec["password"], actor=None,
        )
        for abbreviation in spec["bodies"]:
            accounts.add_membership(
                user, bodies[abbreviation],
                is_secretary=abbreviation in spec["secretary_of"], actor=None,
            )
        logins.append(DemoLogin(user.email, spec["password"], user.role, user.name))
        users.append(user)

    spec = demo_content.POLICY
    policy = policies.create_policy(
        title=spec["title"], journal_number=spec["journal_number"],
        description=spec["description"], owner_body=bodies[spec["owner"]], actor=None,
    )
    with frozen_at(_local("2024-02-20 10:00")):
        consulted = policies.create_version(
            policy, [DraftSection(h, t) for h, t in demo_content.CONSULTED_SECTIONS],
            note="Høringsversion, sendt i høring af Økonomiudvalget den 12. marts 2024",
            actor=None,
        )
    staff = [u for u in users if u.role is Role.STAFF]
    decisions = iter(demo_content.DECISIONS)
    _record_decisions(policy, bodies, decisions, until="approve_for_consultation")
    consultation, answered = _load_consultation_round(
        consulted, bodies, author=staff[0], approver=staff[1]
    )
    with frozen_at(_local("2024-06-05 09:00")):
        revised = policies.create_version(
            policy, [DraftSection(h, t) for h, t in demo_content.REVISED_SECTIONS],
            note="Revideret udkast efter høringen", actor=staff[0],
        )
        _link_incorporated_remarks(answered, revised, actor=staff[0])
    _issue_memo(consultation, policy, answered, actor=staff[0])
    _record_decisions(policy, bodies, decisions, until="adopt")
    culture = _load_open_culture_consultation(bodies)
    demo_public.load_public_responses(culture)
    # The secretariat groups the campaign's near-identical responses, to answer them once.
    campaigns.detect_groups(culture, actor=staff[0])
    return logins


def _record_decisions(policy: Policy, bodies: dict[str, Body], decisions, *, until: str) -> None:
    """Replay the case's real decisions, in order, up to and including ``until``."""
    for action, abbreviation, local, item, text in decisions:
        when = _local(local)
        with frozen_at(when):
            cases.decide(
                policy, action, body=bodies[abbreviation] if abbreviation else None,
                meeting_date=when.date() if abbreviation else None, agenda_item=item,
                decision_text=text, actor=None,
            )
        if action == until:
            return


def _link_incorporated_remarks(
    answered: list[tuple[Remark, dict[str, Any]]], revised: PolicyVersion, *, actor: User
) -> None:
    """Each remark the memo calls incorporated points at the revised section."""
    sections = {"framing": revised.sections[0]}
    sections.update({f"p{n}": revised.sections[n] for n in range(1, 6)})
    for remark, item in answered:
        if item["disposition"] in ("incorporated", "partly_incorporated"):
            consultations.link_change(remark, sections[item["section"]], actor=actor)


def _issue_memo(consultation: Consultation, policy: Policy,
                answered: list[tuple[Remark, dict[str, Any]]], *, actor: User) -> None:
    """The memo as the real one was issued: its texts, the remarks in its order, every
    reply approved and the consultation closed."""
    spec = demo_content.MEMO
    with frozen_at(_local(spec["issued_local"])):
        memos.update_memo_texts(consultation, memos.MemoTexts(
            unit=spec["unit"], background=spec["background"],
            further_work=spec["further_work"], further_work_after=spec["further_work_after"],
        ), actor=actor)
        _order_remarks(consultation, answered, actor=actor)
        for title in spec["tasks"]:
            memos.add_task(policy, title=title, owner="Digitalisering", due_on=None,
                           actor=actor)
        memos.issue_memo(consultation, actor=actor)


def _order_remarks(consultation: Consultation, answered: list[tuple[Remark, dict[str, Any]]],
                   *, actor: User) -> None:
    """Inside each part, the remarks in the real memo's order (that of
    hoering.demo.remarks), where it is not already the bodies' order."""
    place = {id(item): n for n, item in enumerate(demo_remarks.REMARKS)}
    by_part: dict[int | None, list[tuple[int, int]]] = {}
    for remark, item in answered:
        by_part.setdefault(remark.section_id, []).append((place[id(item)], remark.id))
    for section_id, remarks in by_part.items():
        memos.set_memo_item_order(consultation, section_id,
                                  [remark_id for _, remark_id in sorted(remarks)], actor=actor)


def _municipality_settings() -> None:
    """The municipality's settings, unless some are stored already."""
    if db.session.get(MunicipalitySettings, SETTINGS_ID) is None:
        spec = demo_content.MUNICIPALITY
        municipality.update_settings(
            name=spec["name"], default_unit=spec["default_unit"], secretariat_email="",
            accessibility_url=spec["accessibility_url"], privacy_url=spec["privacy_url"],
            actor=None)


def _load_open_culture_consultation(bodies: dict[str, Body]) -> Consultation:
    """The culture, sport and leisure policy (DOMAIN.md's second shape): KFU's draft, sent
    to five committees and five councils and open to the public for three months. It
    opened some weeks before the demo is loaded, so that the public responses lie in the
    past and members and citizens can still respond."""
    spec = demo_content.CULTURE_POLICY
    today = now_utc().astimezone(LOCAL_TZ).date()
    opens_on = today - timedelta(days=spec["opened_days_ago"])
    decided_on = opens_on - timedelta(days=spec["decided_days_before_opening"])
    deadline = datetime.combine(
        _add_months(opens_on, spec["public_months"]), time(23, 59), tzinfo=LOCAL_TZ
    )
    with frozen_at(datetime.combine(decided_on - timedelta(days=14), time(10, 0),
                                    tzinfo=LOCAL_TZ)):
        policy = policies.create_policy(
            title=spec["title"], journal_number=spec["journal_number"],
            description=spec["description"], owner_body=bodies[spec["owner"]], actor=None,
        )
        version = policies.create_version(
            policy, [DraftSection(h, t) for h, t in spec["sections"]],
            note="Udkast til høring", actor=None,
        )
    with frozen_at(datetime.combine(decided_on, time(16, 0), tzinfo=LOCAL_TZ)):
        cases.decide(
            policy, "approve_for_consultation", body=bodies[spec["owner"]],
            meeting_date=decided_on, agenda_item=3, actor=None,
            decision_text="Kultur- og Fritidsudvalget godkendte at sende udkastet i høring i "
                          "fem fagudvalg og fem råd og i offentlig høring i tre måneder.",
        )
    with frozen_at(datetime.combine(opens_on, time(9, 0), tzinfo=LOCAL_TZ)):
        consultation = consultations.create_consultation(
            version, title=spec["consultation_title"], opens_on=opens_on,
            closes_at=deadline.astimezone(UTC), invitation_text=spec["invitation_text"],
            public=True, bodies=[bodies[a] for a in spec["invited"]], actor=None,
        )
        consultations.open_consultation(consultation, actor=None)
    return consultation


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ)


def _demo_response(consultation: Consultation, body: Body, source: dict[str, Any],
                   imported: list[consultations.ImportedRemark], *, author: User) -> Response:
    """One body's response on its meeting day: imported from the minutes, or sent to the
    secretariat and registered by staff."""
    meeting = date.fromisoformat(source["meeting_date"])
    with frozen_at(datetime.combine(meeting, time(15, 0), tzinfo=LOCAL_TZ)):
        if source["channel"] == "minutes":
            return consultations.import_minutes(
                consultation, body, meeting_date=meeting,
                agenda_item=source["agenda_item"], remarks=imported, actor=author,
            )
        response = consultations.draft_response(consultation, body, actor=author)
        for remark in imported:
            consultations.add_remark(response, section=remark.section, text=remark.text,
                                     actor=author)
        consultations.submit_response(response, actor=author)
        return response


def _load_consultation_round(
    version: PolicyVersion, bodies: dict[str, Body], *, author: User, approver: User
) -> tuple[Consultation, list[tuple[Remark, dict[str, Any]]]]:
    """The 2024 round replayed on its dates: the 30 remarks of the real memo from their
    bodies, each with the administration's reply, written by one member of staff and
    approved by another."""
    spec = demo_content.CONSULTATION
    sections = {"framing": version.sections[0], "general": None}
    sections.update({f"p{n}": version.sections[n] for n in range(1, 6)})

    with frozen_at(_local(spec["opened_at_local"])):
        consultation = consultations.create_consultation(
            version, title=spec["title"], opens_on=date.fromisoformat(spec["opens_on"]),
            closes_at=_local(spec["closes_at_local"]).astimezone(UTC),
            invitation_text=spec["invitation_text"], public=False,
            bodies=[bodies[a] for a in spec["invited"]], actor=None,
        )
        consultations.open_consultation(consultation, actor=None)

    remarks_by_body: dict[str, list[dict[str, Any]]] = {}
    for item in demo_remarks.REMARKS:
        remarks_by_body.setdefault(item["body"], []).append(item)

    saved: list[tuple[Remark, dict[str, Any]]] = []
    for abbreviation, items in remarks_by_body.items():
        imported = [consultations.ImportedRemark(item["original"], sections[item["section"]])
                    for item in items]
        response = _demo_response(consultation, bodies[abbreviation],
                                  demo_remarks.RESPONSES[abbreviation], imported, author=author)
        saved.extend(zip(response.remarks, items, strict=True))

    with frozen_at(_local(spec["replies_written_local"])):
        for remark, item in saved:
            if item["memo"] != item["original"]:
                consultations.edit_memo_wording(remark, item["memo"], actor=author)
            consultations.save_reply(
                remark, text=item["reply"], disposition=Disposition(item["disposition"]),
                based_on_version=None, actor=author,
            )
    with frozen_at(_local(spec["replies_approved_local"])):
        for remark, _item in saved:
            assert remark.reply is not None  # saved just above
            consultations.approve_reply(remark.reply, actor=approver)
    return consultation, saved
