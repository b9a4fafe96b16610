"""What the steps return: sections of the consulted version and parsed remarks."""

from __future__ import annotations

from dataclasses import dataclass

from hoering.consultations.minutes.wording import N_


@dataclass(frozen=True)
class SectionRef:
    """One section of the consulted policy version; position 1 is the framing text."""

    position: int
    heading: str
    text: str = ""  # the section's text, for a suggestion from the remark's words


@dataclass(frozen=True)
class ParsedRemark:
    text: str
    section_position: int | None  # None = general attention points
    reason: str  # a short Danish explanation, shown on the review page
    suggested: bool = False  # placed by its words alone (no reference): a suggestion


@dataclass(frozen=True)
class ParsedMinutes:
    remarks: list[ParsedRemark]
    no_remarks: bool
    lead_in: str | None


FRAMING_POSITION = 1


REASON_GENERAL = N_("ingen henvisning – generelt")  # translated where placed
