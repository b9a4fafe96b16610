"""The reference case shared by the consultation tests: the Social Committee's minutes of
9 April 2024 (item 6) and the headings of the consulted digitalisation principles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
REFERENCE = REFERENCE_DIR / "referat-socialudvalget-2024-04-09-punkt6.md"
HEADINGS = [
    "Rammesætning",
    "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
    "Princip 2: Vi skaber sammenhæng på tværs",
    "Princip 3: Digitalisering understøtter kommunens samfundsopgave",
    "Princip 4: Vi inddrager slutbrugerne",
    "Princip 5: Vi bruger data til at skabe bedre løsninger",
]
# where the reference memo places the seven remarks of the minutes (1 = framing)
REFERENCE_POSITIONS = [1, 2, 3, 4, 6, 2, 4]
SOURCE = "Socialudvalget den 9. april 2024 Punkt 6"
# The reference consultation opened the day after Økonomiudvalget sent it out (12 March
# 2024), so the committees' meetings of April 2024 fall inside it (an import refuses a
# meeting before the consultation opened as early input).
OPENED_ON = date(2024, 3, 13)
