"""A real gunicorn on a free loopback port, for what only a real server shows: headers
encoded as HTTP/1.1 sends them, an installed wheel serving requests."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.smtp import free_port


@contextmanager
def gunicorn(command: list[str], *, env: dict[str, str], cwd: Path, log: Path,
             ready_path: str = "/login", timeout: float = 60) -> Iterator[str]:
    """Start ``command`` (gunicorn and its options, without ``--bind``) on a free port of
    127.0.0.1, wait until ``ready_path`` answers (any status) and yield the base URL;
    stop it afterwards. Its output goes to ``log``, quoted when it does not come up."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"], cwd=cwd, env=env,
            stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(base + ready_path, process, log, timeout)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path,
                          timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited ({process.returncode}):\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback http
                return
        except urllib.error.HTTPError:
            return  # it answers; the test checks the status
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"gunicorn did not answer {url} in {timeout} s:\n{_tail(log)}") from None
            time.sleep(0.2)


def _tail(log: Path) -> str:
    return log.read_bytes()[-4000:].decode("utf-8", "replace") if log.exists() else ""


def clean_env(**settings: str) -> dict[str, str]:
    """The environment without the test run's own app settings and Python paths, plus
    ``settings``."""
    dropped = {"PYTHONPATH", "PYTHONHOME", "DATABASE_URL", "HOERING_ENV", "SECRET_KEY",
               "VIRTUAL_ENV", "FLASK_APP"}
    return {**{k: v for k, v in os.environ.items() if k not in dropped}, **settings}
