"""Decision → remarks → proposed sections, for a pasted excerpt or one item's text.

Staff record a response by pasting the committee's decision, or the whole minutes item,
from the minutes (referat). :func:`parse_minutes` turns it into remarks, each with the
section of the consulted policy version it most likely concerns and a short Danish
reason, for staff to confirm. It is pure: no I/O, no Flask, no database.

4. :func:`parse_minutes` -- all three. A remark that names no part of its own inherits
    one from the paragraph introducing its list ("Ad princip 3:"), before its own
    paragraph numbers ("afsnit 2") count. ``no_remarks`` is true when no remark is left
    and the decision said so ("Godkendt.", "Anbefales.").

Known limits: plain-text minutes whose next agenda item starts with just "7. Titel"
run on into that item; a remark that refers to a section only by its content
("I beskrivelsen af samfundsopgaven ...") gets at most a suggestion from its words
(``suggest``); a lost bullet inside a paragraph that has blank lines around it is not
split.
"""

from __future__ import annotations

from hoering.consultations.minutes.decision import extract_decision
from hoering.consultations.minutes.place import Placement, explicit_reference, place_remark
from hoering.consultations.minutes.results import ParsedMinutes, ParsedRemark, SectionRef
from hoering.consultations.minutes.split import split_decision


def parse_minutes(text: str, sections: list[SectionRef]) -> ParsedMinutes:
    """Decision → remarks → proposed sections."""
    split = split_decision(extract_decision(text))
    ordered = sorted(sections, key=lambda section: section.position)
    remarks = []
    for remark in split.remarks:
        proposal = explicit_reference(remark.text, ordered, by_count=False)
        if proposal is None and remark.context:
            inherited = explicit_reference(remark.context, ordered)
            if inherited is not None:
                reason = f'listens indledning "{remark.context}" {inherited[1]}'
                proposal = (inherited[0], reason)
        placement = place_remark(remark.text, ordered) if proposal is None else Placement(*proposal)
        remarks.append(
            ParsedRemark(remark.text, placement.position, placement.reason, placement.suggested)
        )
    return ParsedMinutes(
        remarks=remarks,
        no_remarks=not remarks and split.said_no_remarks,
        lead_in=split.lead_in,
    )
