"""Benchmark: the inbox of a consultation with 100,000 remarks from 40 bodies.

    .venv/bin/python bench/inbox.py [--remarks 100000] [--bodies 40] [--repeat 20]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/hoering_bench]

Times the inbox page as served by the app (first page, filtered by body and status,
free-text search, last page) on SQLite and, when a PostgreSQL URL is given (or
HOERING_TEST_POSTGRES_URL is set), on PostgreSQL. Target: under 50 ms median each on
PostgreSQL at 100,000 remarks (SQLite is timed for comparison). Prints the median and
the slowest of the repeats per page and backend. The data is bulk-inserted, then
vacuumed and analysed as autovacuum would.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from math import ceil
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from hoering import create_app  # noqa: E402
from hoering.accounts import operations as accounts  # noqa: E402
from hoering.accounts.models import Role  # noqa: E402
from hoering.core.db import db  # noqa: E402
from tests.consultations.factories import body_of, consultation_with_remarks  # noqa: E402
from tests.pg import drop_database, recreate_database  # noqa: E402

PASSWORD = "maaler-adgangskode"  # noqa: S105


def analyse() -> None:
    """Statistics and visibility map as autovacuum would leave them after a bulk load (a
    fresh table has neither: plans are guesses and index-only scans visit the heap)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if connection.dialect.name == "postgresql"
                                else "ANALYZE"))


def run(url: str, label: str, remarks: int, bodies: int, repeat: int) -> None:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        staff = accounts.create_user(name="Bench", email="bench@kommune.dk", role=Role.STAFF,
                                     password=PASSWORD, actor=None)
        consultation = consultation_with_remarks(remarks, bodies)
        fill_seconds = time.perf_counter() - started
        analyse()
        pages = {
            "first page": f"/hoeringer/{consultation.id}/bemaerkninger",
            "filtered": (f"/hoeringer/{consultation.id}/bemaerkninger"
                         f"?organ={body_of(consultation).id}&status=unapproved"),
            "searched": f"/hoeringer/{consultation.id}/bemaerkninger?q=bemærkning%201234",
            "last page": (f"/hoeringer/{consultation.id}/bemaerkninger"
                          f"?page={ceil(remarks / app.config['PAGE_SIZE'])}"),
        }
        client = app.test_client()
        client.post("/login", data={"email": staff.email, "password": PASSWORD})
        print(f"{label}: {remarks} remarks from {bodies} bodies (filled in {fill_seconds:.1f} s)")
        for name, page in pages.items():
            warm_up = client.get(page)
            assert b'href="/hoeringer/bemaerkninger/' in warm_up.data, (name, "no remarks")
            timings = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                response = client.get(page)
                timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            print(f"  {name:<11} median {statistics.median(timings):6.1f} ms"
                  f"   slowest {max(timings):6.1f} ms")
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remarks", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", default=os.environ.get("HOERING_TEST_POSTGRES_URL"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite3", "SQLite", args.remarks, args.bodies, args.repeat)
    if args.postgres:
        name = f"hoering_bench_{os.getpid()}"
        url = recreate_database(args.postgres, name)
        try:
            run(url, "PostgreSQL", args.remarks, args.bodies, args.repeat)
        finally:
            drop_database(args.postgres, name)


if __name__ == "__main__":
    main()
