"""Benchmark: generating the memo of a consultation with 5,000 remarks in each format.

    .venv/bin/python bench/memo.py [--remarks 5000] [--bodies 40]

Builds the memo document and renders it as Markdown, HTML, .docx and PDF, printing the
time of each (target: under 3 s each) and the peak memory (tracemalloc) for a quarter,
half and all of the remarks, to show that memory grows linearly with the memo's size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoering import create_app  # noqa: E402
from hoering.core.db import db  # noqa: E402
from hoering.memos.build import build_memo  # noqa: E402
from hoering.memos.render import render  # noqa: E402
from tests.consultations.factories import consultation_with_remarks  # noqa: E402

FORMATS = ("md", "html", "docx", "pdf")


def measure(remarks: int, bodies: int) -> dict[str, tuple[float, float]]:
    """Seconds and peak MiB for building the document and for each format."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/m.sqlite3"})
        with app.app_context(), app.test_request_context():
            db.create_all()
            consultation = consultation_with_remarks(remarks, bodies)
            db.session.expire_all()
            results = {}
            # times first, without tracemalloc (it slows Python down several times)
            started = time.perf_counter()
            document = build_memo(consultation)
            build_seconds = time.perf_counter() - started
            seconds = {}
            for fmt in FORMATS:
                started = time.perf_counter()
                assert render(document, fmt)
                seconds[fmt] = time.perf_counter() - started
            # then the peak memory of building the document and of each rendering
            db.session.expire_all()
            tracemalloc.start()
            document = build_memo(consultation)
            results["build"] = (build_seconds, tracemalloc.get_traced_memory()[1] / 2**20)
            for fmt in FORMATS:
                tracemalloc.reset_peak()
                render(document, fmt)
                results[fmt] = (seconds[fmt], tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
            db.session.remove()
            db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remarks", type=int, default=5000)
    parser.add_argument("--bodies", type=int, default=40)
    args = parser.parse_args()
    sizes = [args.remarks // 4, args.remarks // 2, args.remarks]
    table = {size: measure(size, args.bodies) for size in sizes}
    print(f"{'step':<6}" + "".join(f"{size:>10} remarks     " for size in sizes))
    for step in ("build", *FORMATS):
        row = "".join(
            f"{table[size][step][0]:>8.2f} s {table[size][step][1]:>7.1f} MiB" for size in sizes
        )
        print(f"{step:<6}{row}")
    worst = max(table[args.remarks][fmt][0] for fmt in FORMATS)
    print(f"slowest format at {args.remarks} remarks: {worst:.2f} s (target < 3 s)")


if __name__ == "__main__":
    main()
