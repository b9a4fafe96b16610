"""What an import from a CSV file would do, line by line, before it does anything: the
plan shared by the imports of bodies and of users (hoering.accounts.body_import,
hoering.accounts.user_import).

Each line of the file is planned as new, updated, unchanged or an error with its reason.
The plan's digest identifies everything it says: the confirmation of a preview carries
the previewed plan's digest, the file is planned again, and the import is refused when
the two differ (the data changed meanwhile).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from hoering.core.csv_import import CsvTable, LineError, Row


class LineStatus(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


class PlannedLine(Protocol):
    """A line of a plan: a frozen dataclass with at least these fields (``message``: the
    error, or what changes)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def line(self) -> int: ...
    @property
    def status(self) -> LineStatus: ...
    @property
    def message(self) -> str: ...


LineT = TypeVar("LineT", bound=PlannedLine)


@dataclass(frozen=True)
class ImportPlan(Generic[LineT]):
    lines: list[LineT]

    def count(self, status: LineStatus) -> int:
        return sum(1 for line in self.lines if line.status is status)

    @property
    def importable(self) -> bool:
        """No line has an error, and something would change."""
        return not self.count(LineStatus.ERROR) and any(
            line.status in (LineStatus.NEW, LineStatus.UPDATED) for line in self.lines)

    @property
    def digest(self) -> str:
        """Identifies what the plan would do (every field of every line): the confirmation
        carries the previewed plan's, and is refused if the data changed meanwhile."""
        content = [asdict(line) for line in self.lines]
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()

    def audit_counts(self) -> dict[str, dict[str, int | None]]:
        """The import's audit changes: how many lines of each outcome (never their data)."""
        return {status.value: {"before": None, "after": self.count(status)}
                for status in LineStatus if status is not LineStatus.ERROR}


def plan_table(table: CsvTable, plan_row: Callable[[Row], LineT],
               refused: Callable[[LineError], LineT]) -> ImportPlan[LineT]:
    """The plan of every line of ``table`` in the file's order: ``plan_row`` for each
    line that was read, ``refused`` for each the reader refused."""
    lines = [plan_row(row) for row in table.rows] + [refused(error) for error in table.errors]
    return ImportPlan(sorted(lines, key=lambda line: line.line))
