"""Profile: where a public submission's CPU time goes, in one process.

    .venv/bin/python bench/public_profile.py [--requests 1000] [--top 40]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432]

Makes a scratch database with the demo, as bench/public_burst.py does, builds the app in
production configuration (rate limit counters in Redis) and sends ``--requests`` public
responses through Flask's test client, one after the other, with the same form as the
burst (multipart, an empty file field), after 100 to warm up. Prints the CPU time per
POST, then runs them again under cProfile timing CPU time only (waiting for PostgreSQL
and Redis left out; cProfile's own cost inflates every figure about threefold, the
shares stay) and prints the functions with the most cumulative time. No gunicorn: what
it adds is the same for every app (bench/public_burst.py measures it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if _VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    os.execv(str(_VENV_PYTHON), [str(_VENV_PYTHON), *sys.argv])  # noqa: S606

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
import secrets  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WARM_UP = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    name = f"hoering_profile_{os.getpid()}"
    key_file = Path(tempfile.mkdtemp(prefix="hoering-profile-")) / "audit-signing-key.pem"
    # the configuration reads the environment when it is imported: set it first
    os.environ.update({
        "HOERING_ENV": "production", "AUDIT_SIGNING_KEY_FILE": str(key_file),
        "AUDIT_LOG_ORIGIN": "hoering-revisionsspor", "SECRET_KEY": secrets.token_hex(32),
        "SESSION_COOKIE_SECURE": "0", "TRUSTED_PROXY_COUNT": "0",
        "PUBLIC_SUBMIT_RATE_LIMIT": "100000 per minute",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "DATABASE_URL": f"{args.postgres_url}/{name}"})
    import public_burst as burst
    from sqlalchemy import text

    from hoering import create_app
    from hoering.audit.checkpoint import SigningKey
    from hoering.core.db import db
    from tests.pg import drop_database, recreate_database

    SigningKey.generate("hoering-revisionsspor").save(key_file)
    recreate_database(args.postgres_url, name)
    try:
        burst.flask_cli(dict(os.environ), "db", "upgrade")
        burst.flask_cli(dict(os.environ), "demo")
        app = create_app("production")
        with app.app_context():
            consultation_id = db.session.scalar(text(
                "SELECT id FROM consultations WHERE public AND opened_at IS NOT NULL"
                " ORDER BY id DESC LIMIT 1"))
        client = app.test_client()
        page = client.get(f"/offentlige-hoeringer/{consultation_id}").get_data(as_text=True)
        found = burst.CSRF_RE.search(page)
        csrf = found.group(1) or found.group(2)
        sections = [int(s) for s in dict.fromkeys(burst.SECTION_RE.findall(page))]

        def post(seq: int) -> None:
            body, content_type = burst.multipart(burst.form_fields(
                burst.Job(seq, uuid.uuid4().hex, False), csrf, sections))
            answer = client.post(f"/offentlige-hoeringer/{consultation_id}/svar", data=body,
                                 content_type=content_type)
            assert answer.status_code == 303, answer.status_code

        for seq in range(WARM_UP):
            post(seq)
        started = time.process_time()
        for seq in range(WARM_UP, WARM_UP + args.requests):
            post(seq)
        cpu_ms = 1000 * (time.process_time() - started) / args.requests
        print(f"{args.requests} POSTs: {cpu_ms:.2f} ms CPU per POST (this process: app,"
              " test client, database driver)")
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for seq in range(WARM_UP + args.requests, WARM_UP + 2 * args.requests):
            post(seq)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue().replace(str(ROOT / ".venv" / "lib"), "…"))
    finally:
        drop_database(args.postgres_url, name)


if __name__ == "__main__":
    main()
