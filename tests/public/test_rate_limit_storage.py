"""Several gunicorn workers share the rate limit only through Redis: two separate
processes with redis:// storage count together, with memory:// each counts alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("HOERING_TEST_REDIS_URL", "redis://127.0.0.1:6379")
ROOT = Path(__file__).resolve().parents[2]
# One "worker": its own app and limiter, posting twice to the public form (an unknown
# consultation: the limit is checked before the view, so it counts all the same).
WORKER = """
import sys
from hoering import create_app
from hoering.core.db import db
app = create_app("testing", {{
    "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": {storage!r},
    "RATELIMIT_KEY_PREFIX": {prefix!r}, "PUBLIC_SUBMIT_RATE_LIMIT": "3 per minute"}})
with app.app_context():
    db.create_all()
    client = app.test_client()
    print(" ".join(str(client.post("/offentlige-hoeringer/999/svar").status_code)
                   for _ in range(2)))
"""


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _worker(storage: str, prefix: str) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", WORKER.format(storage=storage, prefix=prefix)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [int(code) for code in result.stdout.split()]


def test_memory_storage_counts_per_process():
    prefix = f"test-{uuid.uuid4().hex}"
    assert _worker("memory://", prefix) == [404, 404]
    assert _worker("memory://", prefix) == [404, 404]  # a new process starts from zero


def test_redis_storage_is_shared_by_separate_processes():
    if not _redis_reachable():
        if os.environ.get("HOERING_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    assert _worker(REDIS_URL, prefix) == [404, 404]
    assert _worker(REDIS_URL, prefix) == [404, 429]  # the third in the minute is refused
