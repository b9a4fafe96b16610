"""The world of the secretariat's pace (bulk actions, standard replies, next unanswered,
the approver's dashboard): a consultation on the digitalisation principles with
submitted remarks from SOU and KMU, and two caseworkers, Anna (who writes the replies)
and Bo (who approves them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from html import unescape

from hoering.accounts.models import Body, Role, User
from hoering.consultations import operations as consultations
from hoering.consultations.models import Consultation, Disposition, Remark
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import Section
from tests.conftest import IsolatedClient, login
from tests.consultations.reference import HEADINGS, OPENED_ON


@dataclass
class Pace:
    consultation: Consultation
    sections: list[Section]
    sou: Body
    kmu: Body
    anna: User  # writes the replies
    bo: User  # approves them
    member: User
    sou_remarks: list[Remark]
    kmu_remarks: list[Remark]

    @property
    def inbox_url(self) -> str:
        return f"/hoeringer/{self.consultation.id}/bemaerkninger"

    def url(self, action: str) -> str:
        """``godkend``, ``flyt`` or ``tildel``."""
        return f"{self.inbox_url}/{action}"


def build_pace(make_user, make_body, *, sou: int = 3, kmu: int = 3, suffix: str = "") -> Pace:
    """``sou`` and ``kmu`` submitted remarks (SOU's on the framing and principle 1 in
    turn, KMU's on principle 2); none answered yet. ``suffix``: for a second world."""
    sou_body = make_body(f"SOU{suffix}", f"Socialudvalget{suffix}")
    kmu_body = make_body(f"KMU{suffix}", f"Klima- og Miljøudvalget{suffix}")
    anna = make_user(Role.STAFF, name="Anna Andersen")
    bo = make_user(Role.STAFF, name="Bo Bertelsen")
    member = make_user(Role.MEMBER, bodies=(sou_body,), name="Medlem Madsen")
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=sou_body, actor=None)
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}") for h in HEADINGS], actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om digitaliseringsprincipper", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=14), invitation_text="", public=False,
        bodies=[sou_body, kmu_body], actor=None)
    consultations.open_consultation(consultation, actor=None)
    sections = list(version.sections)
    sou_response = consultations.import_minutes(
        consultation, sou_body, meeting_date=now_utc().date(), agenda_item=6,
        remarks=[consultations.ImportedRemark(f"SOU-bemærkning {i + 1}.", sections[i % 2])
                 for i in range(sou)], actor=None)
    kmu_response = consultations.import_minutes(
        consultation, kmu_body, meeting_date=now_utc().date(), agenda_item=4,
        remarks=[consultations.ImportedRemark(f"KMU-bemærkning {i + 1}.", sections[2])
                 for i in range(kmu)], actor=None)
    db.session.commit()
    return Pace(consultation, sections, sou_body, kmu_body, anna, bo, member,
                list(sou_response.remarks), list(kmu_response.remarks))


def answer(remarks: list[Remark], author: User, *,
           disposition: Disposition = Disposition.NOTED) -> None:
    for remark in remarks:
        consultations.save_reply(remark, text=f"Svar på «{remark.original_text}»",
                                 disposition=disposition, based_on_version=None, actor=author)
    db.session.commit()


def flashed(html: str) -> list[str]:
    """The flash messages on a page."""
    return [unescape(m) for m in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', html)]


def listed(html: str) -> list[int]:
    """The ids of the remarks an inbox page lists."""
    return [int(i) for i in re.findall(r'href="/hoeringer/bemaerkninger/(\d+)[?"]', html)]


def logged_in(app, user: User):
    """A test client of its own, logged in as ``user`` (so several people can act)."""
    app.test_client_class = IsolatedClient
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client
