"""Processing many remarks at once, from the inbox: approving their replies, moving them
to a section, assigning them to a colleague.

Each remark goes through the operation that processes one (``approve_reply``,
``move_remark``, ``assign_remark``), so every rule is checked and every change audited
per remark, as if done one at a time; a remark an operation refuses (a ``DomainError``:
its own reply, no reply, ...) is counted with the reason and the others go on. Those
operations check before they change anything, so a refusal leaves nothing half done.
The caller commits once.

Reading the selection is one query, whatever its size; the work is then linear in the
remarks changed (an UPDATE and its audit event each) and nothing more.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy import select as sql_select
from sqlalchemy.orm import contains_eager, joinedload

from hoering.accounts.models import User
from hoering.consultations import operations
from hoering.consultations.models import Consultation, Remark, Response
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.formatting import number_in_locale
from hoering.core.permissions import Permission, check
from hoering.policies.models import Section

MAX_REMARKS = 5_000  # at most this many remarks in one action
NO_REPLY = _l("Bemærkningen har intet svar")
_SENTENCE_END = re.compile(r"\.\s+(?=[A-ZÆØÅ])")  # not in "9. april"


class TooManyRemarks(DomainError):
    def __init__(self) -> None:
        super().__init__(_(
            "Der kan højst behandles %(limit)s bemærkninger ad gangen. Afgræns filteret "
            "(fx til ét afsnit, ét organ eller én status), og prøv igen.",
            limit=number_in_locale(MAX_REMARKS)))


@dataclass
class BulkOutcome:
    """What one action did: how many remarks it changed, how many were already so, and
    how many it refused, counted by reason (the first sentence of the refusal)."""

    done: int = 0
    unchanged: int = 0
    refused: Counter[str] = field(default_factory=Counter)

    def refuse(self, reason: str) -> None:
        first_sentence = _SENTENCE_END.split(reason, maxsplit=1)[0]
        self.refused[first_sentence.rstrip(".")] += 1

    @property
    def refused_count(self) -> int:
        return sum(self.refused.values())

    def refusals(self) -> str:
        """E.g. "3 afvist: «Du kan ikke godkende dit eget svar» (2), «Bemærkningen har
        intet svar» (1)"; "" when none was refused."""
        if not self.refused:
            return ""
        reasons = ", ".join(f"«{reason}» ({count})" for reason, count
                            in sorted(self.refused.items(), key=lambda item: -item[1]))
        return f"{self.refused_count} afvist: {reasons}"


def selected_remarks(consultation: Consultation,
                     ids: Sequence[int] | Select[int]) -> list[Remark]:
    """The submitted remarks of ``consultation`` among ``ids`` (a list, or a query of ids
    such as the inbox's filter), with their response and reply, in id order: one query.
    Raises ``TooManyRemarks`` over ``MAX_REMARKS``."""
    remarks = list(db.session.scalars(
        sql_select(Remark).join(Remark.response)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None),
               Remark.id.in_(ids))
        .options(contains_eager(Remark.response), joinedload(Remark.reply))
        .order_by(Remark.id).limit(MAX_REMARKS + 1)
    ).unique())
    if len(remarks) > MAX_REMARKS:
        raise TooManyRemarks
    return remarks


def _each(remarks: list[Remark], step: Callable[[Remark], bool]) -> BulkOutcome:
    """``step`` on every remark (True: it changed something); refusals counted."""
    outcome = BulkOutcome()
    for remark in remarks:
        try:
            changed = step(remark)
        except DomainError as error:
            outcome.refuse(error.message)
            continue
        if changed:
            outcome.done += 1
        else:
            outcome.unchanged += 1
    return outcome


def approve_replies(remarks: list[Remark], *, actor: User | None) -> BulkOutcome:
    """Approve each remark's reply; four eyes per reply (``approve_reply``)."""
    check(actor, Permission.APPROVE_REPLIES)

    def approve(remark: Remark) -> bool:
        if remark.reply is None:
            raise DomainError(NO_REPLY)
        operations.approve_reply(remark.reply, actor=actor)
        return True

    return _each(remarks, approve)


def move_remarks(remarks: list[Remark], section: Section | None, *,
                 actor: User | None) -> BulkOutcome:
    """Move each remark to ``section`` (None: general attention points)."""
    check(actor, Permission.PROCESS_REMARKS)

    def move(remark: Remark) -> bool:
        before = remark.section_id
        operations.move_remark(remark, section, actor=actor)
        return remark.section_id != before

    return _each(remarks, move)


def assign_remarks(remarks: list[Remark], assignee: User | None, *,
                   actor: User | None) -> BulkOutcome:
    """Assign each remark to ``assignee`` (None: to nobody)."""
    check(actor, Permission.PROCESS_REMARKS)

    def assign(remark: Remark) -> bool:
        before = remark.assigned_to_id
        operations.assign_remark(remark, assignee, actor=actor)
        return remark.assigned_to_id != before

    return _each(remarks, assign)
