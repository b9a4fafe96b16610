"""A whole referat (or a pasted excerpt) read against one consultation: the steps in order.

:func:`read_minutes` takes the document's text (from ``hoering.core.documents``) and a
:class:`MinutesContext` -- what the consultation contributes: its sections, journal
number and titles, the registered bodies, the decisions on its case, its dates and who
was invited or has responded -- and returns a :class:`MinutesReading`:

1. the agenda items (``items.split_items``); a text without item headings is an excerpt
   and is read as a whole, as before;
2. the item this consultation concerns (``items.find_item``: staff's choice, else the
   journal number, "Tidligere behandling" citing a decision on the case, or the title's
   words); several candidates or none leave ``item`` empty and say why;
3. the meeting (``meeting.read_meeting``) and the registered body it names
   (``meeting.match_body``);
4. the item's decision, split into remarks and placed (``parse.parse_minutes``);
5. the warnings staff should see before saving: no item or several (``no_item``,
   ``several_items``) and :func:`warnings_for`.

Pure: no Flask, no database. ``context.py`` builds the context from a consultation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from hoering.consultations.minutes.items import (
    AgendaItem,
    EarlierDecision,
    find_item,
    split_items,
)
from hoering.consultations.minutes.meeting import KnownBody, Meeting, match_body, read_meeting
from hoering.consultations.minutes.parse import parse_minutes
from hoering.consultations.minutes.results import ParsedMinutes, ParsedRemark, SectionRef
from hoering.core.formatting import date_in_locale


@dataclass(frozen=True)
class MinutesContext:
    sections: list[SectionRef]
    journal_number: str | None
    title: str  # the policy's title; the consultation's is tried too
    consultation_title: str
    bodies: Sequence[KnownBody]
    decisions: Sequence[EarlierDecision]
    opens_on: date
    closes_on: date  # the deadline's local date
    today: date
    invited_body_ids: frozenset[int]
    responded_body_ids: frozenset[int]  # a submitted response


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


@dataclass(frozen=True)
class MinutesReading:
    item: AgendaItem | None
    candidates: list[AgendaItem]
    item_reason: str  # how the item was found, or why none was
    is_excerpt: bool  # no agenda items: the text was read as one decision
    meeting: Meeting
    body: KnownBody | None
    parsed: ParsedMinutes | None  # None: no item chosen in a whole document
    items: list[AgendaItem] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    @property
    def remarks(self) -> list[ParsedRemark]:
        return self.parsed.remarks if self.parsed else []

    @property
    def no_remarks(self) -> bool:
        return bool(self.parsed and self.parsed.no_remarks)


def read_minutes(
    text: str, context: MinutesContext, *, item_number: int | None = None
) -> MinutesReading:
    """``text`` read against the consultation in ``context``; the steps in the docstring."""
    items = split_items(text)
    meeting = read_meeting(text)
    body = match_body(meeting.body_name, context.bodies, document_text=text)
    parsed: ParsedMinutes | None
    if not items:
        parsed = parse_minutes(text, context.sections)
        reading = MinutesReading(None, [], "", True, meeting, body, parsed)
    else:
        match = find_item(
            items,
            journal_number=context.journal_number,
            title=f"{context.title} {context.consultation_title}",
            decisions=context.decisions,
            item_number=item_number,
        )
        parsed = parse_minutes(match.item.text, context.sections) if match.item else None
        reading = MinutesReading(
            match.item, match.candidates, match.how, False, meeting, body, parsed, items
        )
    return _with_warnings(reading, context)


def _with_warnings(reading: MinutesReading, context: MinutesContext) -> MinutesReading:
    return MinutesReading(
        reading.item, reading.candidates, reading.item_reason, reading.is_excerpt,
        reading.meeting, reading.body, reading.parsed, reading.items,
        _item_warnings(reading) + warnings_for(reading.meeting.meeting_date, reading.body,
                                               context),
    )  # fmt: skip


ITEM_WARNINGS = frozenset({"several_items", "no_item"})  # the review page lists the items


def _item_warnings(reading: MinutesReading) -> list[Warning]:
    """A whole referat without the consultation's item: the candidates, or every item."""
    if reading.is_excerpt or reading.item is not None:
        return []
    if reading.candidates:
        listed = "; ".join(_("punkt %(n)d: %(title)s", n=i.number, title=i.title)
                           for i in reading.candidates)
        return [Warning("several_items", _("Flere punkter kan være høringens: %(items)s.",
                                           items=listed))]
    listed = "; ".join(_("punkt %(n)d: %(title)s", n=i.number, title=i.title)
                       for i in reading.items)
    return [Warning("no_item", _("Intet punkt vedrører høringen. Punkter fundet: %(items)s.",
                                 items=listed))]


def warnings_for(
    meeting_date: date | None, body: KnownBody | None, context: MinutesContext
) -> list[Warning]:
    """What staff should know before saving: a meeting before the consultation opened
    (early input), after its deadline (late) or in the future; a body not invited, or
    one that has responded already (an import never overwrites)."""
    found: list[Warning] = []
    if meeting_date is not None:
        found += _date_warnings(meeting_date, context)
    if body is not None:
        if body.id not in context.invited_body_ids:
            found.append(Warning("not_invited", _("%(body)s er ikke inviteret til høringen.",
                                                  body=body.name)))
        if body.id in context.responded_body_ids:
            found.append(Warning(
                "already_responded",
                _("%(body)s har allerede et indsendt høringssvar; det overskrives ikke.",
                  body=body.name),
            ))  # fmt: skip
    return found


def _date_warnings(meeting_date: date, context: MinutesContext) -> list[Warning]:
    when = date_in_locale(meeting_date)
    found = []
    if meeting_date < context.opens_on:
        found.append(Warning(
            "early_input",
            _("Mødet den %(when)s ligger før høringen åbnede den %(opened)s: det er tidligt "
              "input, ikke et høringssvar. Det hører til på sagen som organets beslutning.",
              when=when, opened=date_in_locale(context.opens_on)),
        ))  # fmt: skip
    elif meeting_date > context.closes_on:
        found.append(Warning(
            "late",
            _("Mødet den %(when)s ligger efter høringsfristen den %(deadline)s.", when=when,
              deadline=date_in_locale(context.closes_on)),
        ))  # fmt: skip
    if meeting_date > context.today:
        found.append(Warning("future_meeting", _("Mødedatoen %(when)s ligger i fremtiden.",
                                                 when=when)))
    return found
