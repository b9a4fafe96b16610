"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV injection,
OWASP "CSV Injection"): a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a single quote in front. Every CSV the app writes passes each cell
through ``spreadsheet_safe``."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell``, with a ``'`` in front if a spreadsheet would read it as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell
