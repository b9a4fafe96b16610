"""Benchmark: does "Glemt adgangskode" answer as fast for an unknown address as for a
known one? (It must not tell which addresses exist, by its page or its timing.)

    .venv/bin/python bench/password_reset.py [--requests 50] [--postgres URL]

Posts the form alternately for an address that belongs to a user and one that does not,
through the app (test client, production's hash settings aside), and prints the median,
the 10th and 90th percentile of each and the difference of the medians. The view waits
until ``password_reset.ANSWER_SECONDS`` have passed since the request began, so both
should be that long; the difference should be within the machine's noise (a millisecond
or two), far below the work a known address causes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoering import create_app  # noqa: E402
from hoering.accounts import operations  # noqa: E402
from hoering.accounts.models import Role  # noqa: E402
from hoering.core.db import db  # noqa: E402


def _timings(client, email: str) -> float:
    started = time.perf_counter()
    response = client.post("/glemt-adgangskode", data={"email": email})
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started


def _quantiles(values: list[float]) -> str:
    deciles = statistics.quantiles(values, n=10)
    return (f"median {statistics.median(values) * 1000:7.1f} ms   "
            f"p10 {deciles[0] * 1000:7.1f} ms   p90 {deciles[-1] * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="per address")
    parser.add_argument("--postgres", help="a PostgreSQL URL instead of a SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres or f"sqlite:///{tmp}/reset.sqlite3"
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.drop_all()
            db.create_all()
            operations.create_user(name="Kendt Bruger", email="kendt@kommune.dk",
                                   role=Role.MEMBER, password=None, actor=None)
            db.session.commit()
            client = app.test_client()
            known, unknown = [], []
            for _ in range(args.requests):
                known.append(_timings(client, "kendt@kommune.dk"))
                unknown.append(_timings(client, "ukendt@kommune.dk"))
            db.drop_all()
    print(f"known address   ({args.requests}): {_quantiles(known)}")
    print(f"unknown address ({args.requests}): {_quantiles(unknown)}")
    difference = statistics.median(known) - statistics.median(unknown)
    print(f"difference of the medians: {difference * 1000:+.2f} ms")


if __name__ == "__main__":
    main()
