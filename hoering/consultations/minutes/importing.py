"""Reading a referat for a consultation and saving what was read: shared by the staff
page and the ``minutes`` commands.

:func:`read_file` / :func:`read_text` give a :class:`MinutesReading` (nothing is saved);
:func:`save_reading` registers the body's decision as its response, taking the body,
meeting date and item from the document unless they are given. It refuses, with a
``DomainError`` saying why: a document without the consultation's item (the items found
are listed), a body or date that could not be read, and a meeting before the
consultation opened -- early input such as 28 March 2023, which belongs on the case as
that body's decision, not as its response (``operations.import_minutes`` refuses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from hoering.accounts.models import Body, User
from hoering.consultations import operations
from hoering.consultations.forms import section_at
from hoering.consultations.minutes.context import minutes_context
from hoering.consultations.minutes.reading import ITEM_WARNINGS, MinutesReading, read_minutes
from hoering.consultations.models import Consultation, Response
from hoering.consultations.queries import version_sections
from hoering.core.db import db
from hoering.core.documents import read_document, read_pasted
from hoering.core.errors import DomainError


def read_file(
    consultation: Consultation, content: bytes, filename: str, *, item_number: int | None = None
) -> MinutesReading:
    """A referat file (PDF, .docx, .odt, .txt, .md) read; ``UnreadableDocument`` if not."""
    document = read_document(content, filename)
    return read_minutes(document.text, minutes_context(consultation), item_number=item_number)


def read_text(
    consultation: Consultation, text: str, *, item_number: int | None = None
) -> MinutesReading:
    """Pasted text (a decision excerpt or a whole referat) read."""
    document = read_pasted(text)
    return read_minutes(document.text, minutes_context(consultation), item_number=item_number)


@dataclass(frozen=True)
class MeetingFacts:
    body: Body
    meeting_date: date
    agenda_item: int | None


def meeting_facts(
    reading: MinutesReading,
    *,
    body: Body | None = None,
    meeting_date: date | None = None,
    agenda_item: int | None = None,
) -> MeetingFacts:
    """The body, date and item to save: the given ones, else the document's."""
    if not reading.is_excerpt and reading.item is None:
        raise DomainError(item_problem(reading))
    if body is None and reading.body is not None:
        body = db.session.get(Body, reading.body.id)
    if body is None:
        raise DomainError(_("Organet kunne ikke læses af referatet. Angiv organet."))
    meeting_date = meeting_date or reading.meeting.meeting_date
    if meeting_date is None:
        raise DomainError(_("Mødedatoen kunne ikke læses af referatet. Angiv mødedatoen."))
    if agenda_item is None and reading.item is not None:
        agenda_item = reading.item.number
    return MeetingFacts(body, meeting_date, agenda_item)


def item_problem(reading: MinutesReading) -> str:
    """Why no item was chosen: the candidates, or every item found (number and title)."""
    problem = next((w.message for w in reading.warnings if w.code in ITEM_WARNINGS), None)
    return problem or str(_("Intet punkt i referatet vedrører høringen."))


def save_reading(
    consultation: Consultation,
    reading: MinutesReading,
    facts: MeetingFacts,
    *,
    actor: User | None,
) -> Response:
    """The remarks as read (sections as proposed) saved as the body's response."""
    sections = version_sections(consultation)
    remarks = [
        operations.ImportedRemark(remark.text, section_at(sections, remark.section_position))
        for remark in reading.remarks
    ]
    return save_remarks(consultation, facts, remarks, actor=actor)


def save_remarks(
    consultation: Consultation,
    facts: MeetingFacts,
    remarks: list[operations.ImportedRemark],
    *,
    actor: User | None,
) -> Response:
    return operations.import_minutes(
        consultation, facts.body, meeting_date=facts.meeting_date,
        agenda_item=facts.agenda_item, remarks=remarks, actor=actor,
    )  # fmt: skip
