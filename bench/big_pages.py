"""Benchmark: the other big pages of a consultation with 100,000 remarks from 1,000 bodies.

    .venv/bin/python bench/big_pages.py [--remarks 100000] [--bodies 1000] [--repeat 5]
        [--public-share 0.1]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/hoering_bigbench]

Times, as served by the app to a logged-in member of staff, the consultation page
(/hoeringer/<id>), the memo page (/hoeringer/<id>/notat) before and after a memo
version is issued (after, the page compares the draft's digest with the issued one's),
the same after one remark's memo wording changed, and the trace of one remark
(/hoeringer/bemaerkninger/<id>/spor), on SQLite and, when a PostgreSQL URL is given (or
HOERING_TEST_POSTGRES_URL is set), on PostgreSQL (in a scratch database beside the one
named, vacuumed and analysed after the bulk load). Target: under 1 s each. Prints the
median and the slowest of the repeats.

Campaign detection (``find_groups``) is timed too, over the public remarks (what the
button does) and over all remarks (``include_bodies``), each run rolled back; its peak
memory is measured in a separate run under tracemalloc. It has no 1 s target. The pages
are timed after one detection has been committed, so the memo summarises the groups.

The data (tests.consultations.factories.big_consultation): every body responded, a
tenth of the remarks are public (a third of those copies of five campaign texts), two
thirds are answered, a third of those approved, and the remarks, submissions and
replies have their audit events.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text  # noqa: E402

from hoering import create_app  # noqa: E402
from hoering.accounts import operations as accounts  # noqa: E402
from hoering.accounts.models import Role, User  # noqa: E402
from hoering.consultations.campaigns.operations import find_groups  # noqa: E402
from hoering.consultations.models import Consultation, Remark, Reply  # noqa: E402
from hoering.consultations.operations import edit_memo_wording  # noqa: E402
from hoering.core.db import db  # noqa: E402
from hoering.memos.build import memo_build  # noqa: E402
from hoering.memos.digest import memo_digest  # noqa: E402
from hoering.memos.models import MemoIssue  # noqa: E402
from tests.consultations.factories import big_consultation  # noqa: E402
from tests.pg import drop_database, recreate_database  # noqa: E402

PASSWORD = "maaler-adgangskode"  # noqa: S105
TARGET_MS = 1000


def _line(name: str, timings: list[float], extra: str = "") -> str:
    slow = "  OVER 1 s" if max(timings) > TARGET_MS and not extra else ""
    return (f"  {name:<28} median {statistics.median(timings):8.1f} ms"
            f"   max {max(timings):8.1f} ms{extra}{slow}")


def _detection(consultation: Consultation, staff: User, repeat: int,
               include_bodies: bool) -> str:
    """Times of ``find_groups`` (each run rolled back), then its peak memory."""

    def detect():
        return find_groups(consultation, actor=staff, include_bodies=include_bodies)

    timings = []
    for _ in range(repeat):
        db.session.expire_all()
        t0 = time.perf_counter()
        found = detect()
        timings.append((time.perf_counter() - t0) * 1000)
        db.session.rollback()
    db.session.expire_all()
    tracemalloc.start()
    detect()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    db.session.rollback()
    which = "all remarks" if include_bodies else "public remarks"
    return _line(f"campaign detection ({which})", timings,
                 f"   peak {peak:6.1f} MiB   {found.groups_created} groups of"
                 f" {found.remarks_in_new_groups} remarks")


def _time_page(get: Callable[[], int], repeat: int) -> list[float]:
    assert get() == 200  # warm up
    timings = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        status = get()
        timings.append((time.perf_counter() - t0) * 1000)
        assert status == 200, status
    return timings


def _traced_remark(consultation: Consultation) -> int:
    """An approved remark in the middle of the consultation."""
    ids = list(db.session.scalars(
        select(Remark.id).join(Remark.reply)
        .where(Remark.consultation_id == consultation.id, Reply.approved_at.is_not(None))
        .order_by(Remark.id)
    ))
    return ids[len(ids) // 2]


def _issue(consultation: Consultation, staff: User) -> None:
    """Version 1 of the memo as it stands, with its content hash and digest as
    ``issue_memo`` stores them but without its files (rendering 100,000 remarks as PDF
    and .docx takes minutes): the memo page then compares the draft with it."""
    build = memo_build(consultation, draft=False, version=1)
    db.session.add(MemoIssue(
        consultation_id=consultation.id, number=1, issued_by_id=staff.id,
        content_hash=build.document.content_hash(),
        digest=memo_digest(consultation, build, draft=False),
        markdown="", html="", docx=b"", pdf=b"",
    ))
    db.session.commit()


def _change(consultation: Consultation, staff: User) -> None:
    """One remark's wording in the memo, as staff edit it."""
    remark = db.session.get_one(Remark, _traced_remark(consultation))
    edit_memo_wording(remark, "En ny formulering af bemærkningen.", actor=staff)
    db.session.commit()


def run(url: str, label: str, args: argparse.Namespace) -> None:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        staff = accounts.create_user(name="Bench", email="bench@kommune.dk", role=Role.STAFF,
                                     password=PASSWORD, actor=None)
        consultation = big_consultation(args.remarks, args.bodies,
                                        public_share=args.public_share)
        if db.engine.dialect.name == "postgresql":  # as autovacuum would, in time
            with db.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        fill_seconds = time.perf_counter() - started
        print(f"{label}: {args.remarks} remarks from {args.bodies} bodies"
              f" (filled in {fill_seconds:.1f} s)", flush=True)
        for include_bodies in (False, True):
            print(_detection(consultation, staff, args.detect_repeat, include_bodies),
                  flush=True)
        find_groups(consultation, actor=staff)
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": staff.email, "password": PASSWORD})
        pages = {
            "consultation page": f"/hoeringer/{consultation.id}",
            "memo page (not issued)": f"/hoeringer/{consultation.id}/notat",
            "remark trace": f"/hoeringer/bemaerkninger/{_traced_remark(consultation)}/spor",
            "memo page (issued)": f"/hoeringer/{consultation.id}/notat",
            "memo page (issued, changed)": f"/hoeringer/{consultation.id}/notat",
        }
        for name, page in pages.items():
            if name == "memo page (issued)":
                _issue(consultation, staff)
            if name == "memo page (issued, changed)":
                _change(consultation, staff)
            timings = _time_page(lambda page=page: client.get(page).status_code, args.repeat)
            print(_line(name, timings), flush=True)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remarks", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--detect-repeat", type=int, default=3)
    parser.add_argument("--public-share", type=float, default=0.1)
    parser.add_argument("--postgres", default=os.environ.get("HOERING_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()

    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.sqlite3", "SQLite", args)
    if args.postgres:
        name = f"hoering_bigbench_{os.getpid()}"
        url = recreate_database(args.postgres, name)
        try:
            run(url, "PostgreSQL", args)
        finally:
            drop_database(args.postgres, name)


if __name__ == "__main__":
    main()
