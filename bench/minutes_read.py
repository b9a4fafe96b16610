"""Benchmark: a whole referat PDF read, its item found and its remarks placed.

    .venv/bin/python bench/minutes_read.py [--runs 5]

Builds the Social Committee's referat of 9 April 2024 (../shared/reference) as a PDF
with the test factory (19 A4 pages: running header, "Side X af Y", a bullet cut by a
page break, a hyphenated word), then times the steps ``minutes read`` runs: the text
(``hoering.core.documents.read_document``), then the items, the meeting, the decision,
its split and placement (``hoering.consultations.minutes.reading.read_minutes``). The
consultation's context is built in memory, so no database is timed. Target: ≤ 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoering.consultations.minutes.meeting import KnownBody  # noqa: E402
from hoering.consultations.minutes.reading import MinutesContext, read_minutes  # noqa: E402
from hoering.consultations.minutes.results import SectionRef  # noqa: E402
from hoering.core.documents import read_document  # noqa: E402
from tests import document_factory as factory  # noqa: E402
from tests.consultations.reference import HEADINGS  # noqa: E402

CONTEXT = MinutesContext(
    sections=[SectionRef(i, h, f"Tekst til {h}") for i, h in enumerate(HEADINGS, start=1)],
    journal_number="85.13.00-P00-1-23", title="Politiske principper for digitalisering",
    consultation_title="Høring om de politiske principper for digitalisering",
    bodies=[KnownBody(1, "Socialudvalget", "SOU"), KnownBody(2, "Økonomiudvalget", "ØU")],
    decisions=[], opens_on=date(2024, 3, 13), closes_on=date(2024, 4, 30),
    today=date(2024, 5, 1), invited_body_ids=frozenset({1}), responded_body_ids=frozenset(),
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    pdf = factory.referat_pdf(factory.referat_text(), break_inside="Under princip nr. tre bør det",
                              hyphenate="digitalisering")
    reads, wholes = [], []
    for _ in range(runs):
        start = time.perf_counter()
        document = read_document(pdf, "referat.pdf")
        read = time.perf_counter()
        reading = read_minutes(document.text, CONTEXT)
        done = time.perf_counter()
        reads.append(read - start)
        wholes.append(done - start)
    assert reading.item is not None and len(reading.remarks) == 7
    print(f"referat PDF: {document.pages} pages, {len(pdf) // 1024} KB, "
          f"item {reading.item.number}, {len(reading.remarks)} remarks")
    print(f"read the text: {statistics.median(reads):.3f} s (median of {runs})")
    print(f"read, find the item, split and place: {statistics.median(wholes):.3f} s "
          f"(median of {runs}; target ≤ 2 s)")


if __name__ == "__main__":
    main()
