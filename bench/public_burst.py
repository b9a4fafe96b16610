"""Benchmark: a burst of public responses against gunicorn and PostgreSQL on loopback.

    .venv/bin/python bench/public_burst.py [--requests 2000] [--concurrency 100]
        [--workers 2*cores+1] [--worker-class sync|gthread] [--threads 1]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432] [--keep-db]
        [--resubmit 0.05] [--check-receipts 1] [--ratelimit-storage redis://127.0.0.1:6379]
        [--only public|ceiling]

Creates a scratch database, migrates it, loads the demo (its culture consultation is
open to the public; if the demo does not load, a minimal open public consultation is
made instead) and serves the app with gunicorn in production configuration (rate
limit counters in Redis, the limit raised out of the way). ``--concurrency`` clients each
open the form once (session cookie and CSRF token), then together send ``--requests``
responses, each with its own idempotency token and text, as a browser sends the form
(multipart, an empty file field); ``--resubmit`` of the tokens (5 %) are sent a second
time, by another client, soon after the first. Each POST is timed until its 303; each
redirect is then followed once to check the receipt number. Finally the database must
hold every token exactly once, with a receipt number ``H-YYYY-NNNNNN``, its receipt
e-mail in the outbox and its audit event, and the audit log, sealed, must verify.

The same load, under the same gunicorn settings, goes to bench/bare_insert_app.py, a bare
Flask endpoint that inserts one row: the ceiling. Target: the real form reaches at least
half the ceiling's throughput. Exits 1 if a response was lost or duplicated or any
request failed; the figures are on the last line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if _VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    # `python bench/public_burst.py` from outside the virtualenv: run under it instead.
    os.execv(str(_VENV_PYTHON), [str(_VENV_PYTHON), *sys.argv])  # noqa: S606

import argparse  # noqa: E402
import http.client  # noqa: E402
import math  # noqa: E402
import queue  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from http.cookies import SimpleCookie  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bare_insert_app import create_table  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from hoering.audit.checkpoint import SigningKey  # noqa: E402
from tests.pg import drop_database, recreate_database  # noqa: E402

PUBLIC_APP = 'hoering:create_app("production")'
CEILING_APP = "bare_insert_app:create_app()"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
REDIS_START = ('redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
               "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log")
RECEIPT_RE = re.compile(r"H-\d{4}-\d{6}")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
SECTION_RE = re.compile(r'name="section-(\d+)"')
FILLER = (
    "Vi bakker op om målet, men savner en plan for driften af de lokale foreningshuse. "
    "Åbningstiderne i hallerne bør følge brugernes behov, også i weekenderne. "
    "Kulturskolen skal have plads i de nye lokaler, og tilskud bør gives for tre år ad gangen. "
)


# --- the two targets ------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    label: str
    form_path: str
    post_path: str
    receipt_prefix: str
    real_form: bool  # CSRF token and sections from the page; receipt pages to check

    def receipt_path(self, token: str) -> str:
        return f"{self.receipt_prefix}{token}"


def public_target(consultation_id: int) -> Target:
    return Target("public", f"/offentlige-hoeringer/{consultation_id}",
                  f"/offentlige-hoeringer/{consultation_id}/svar",
                  "/offentlige-hoeringer/kvittering/", real_form=True)


CEILING = Target("ceiling", "/", "/svar", "/kvittering/", real_form=False)


# --- the load -------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    seq: int  # the submission's number; its token and texts follow from it
    token: str
    resubmit: bool


def plan_jobs(requests: int, resubmit_fraction: float, concurrency: int,
              rng: random.Random) -> list[Job]:
    """The submissions in sending order; each resubmission comes within two rounds of
    clients after its first sending, so that many are in flight at the same time."""
    tokens = [uuid.uuid4().hex for _ in range(requests)]
    keyed = [(float(seq), Job(seq, token, False)) for seq, token in enumerate(tokens)]
    for seq in rng.sample(range(requests), round(requests * resubmit_fraction)):
        keyed.append((seq + rng.randint(1, 2 * concurrency) + 0.5, Job(seq, tokens[seq], True)))
    return [job for _, job in sorted(keyed, key=lambda item: item[0])]


def form_fields(job: Job, csrf_token: str, section_ids: list[int]) -> list[tuple[str, str]]:
    """What a citizen fills in; distinct per submission, the same when resent."""
    seq = job.seq
    general = (f"Høringssvar {seq} ({job.token}). " + FILLER[: 120 + (seq * 37) % 240]
               + f"Med venlig hilsen nr. {seq}.")
    fields = [("csrf_token", csrf_token), ("token", job.token),
              ("name", f"Borger Nummer {seq}"), ("email", f"borger{seq}@example.dk"),
              ("organisation", f"Foreningen {seq % 17}" if seq % 5 == 0 else ""),
              ("general_text", general)]
    for index, section_id in enumerate(section_ids):
        written = seq % 2 == 0 and index == seq % len(section_ids)
        fields.append((f"section-{section_id}",
                       f"Til afsnittet, fra svar {seq}: " + FILLER[:90] if written else ""))
    if seq % 3 == 0:
        fields.append(("publish_name", "y"))
    fields.append(("website", ""))  # the honeypot, left empty as a person leaves it
    return fields


def expected_remarks(job_seq: int, section_count: int) -> int:
    return 1 + (1 if section_count and job_seq % 2 == 0 else 0)


def multipart(fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    """The body a browser sends for the form, with the file field left empty."""
    boundary = "----burst" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                     f"\r\n\r\n{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
                 'filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n'.encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One client: its own cookies, a new connection per request (as gunicorn's sync
    worker closes each one anyway); redirects are not followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, str, bytes]:
        headers = {"Connection": "close", "User-Agent": "public-burst"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, response.getheader("Location") or "", data
        finally:
            connection.close()


@dataclass
class Sent:
    job: Job
    status: int  # 0: no answer (connection error, timeout)
    location: str
    seconds: float


@dataclass
class LoadResult:
    target: Target
    sent: list[Sent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unsent: int = 0
    seconds: float = 0.0
    receipts_seen: dict[int, str | None] = field(default_factory=dict)  # id(Sent) -> number
    receipts_checked: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds used by app, db
    section_count: int = 0

    @property
    def ok(self) -> list[Sent]:
        return [s for s in self.sent if s.status == 303
                and urlsplit(s.location).path == self.target.receipt_path(s.job.token)]

    def latencies_ms(self) -> list[float]:
        return sorted(s.seconds * 1000 for s in self.sent if s.status)


def run_load(target: Target, port: int, jobs: list[Job], concurrency: int,
             check_receipts: float, rng: random.Random, meter: CpuMeter) -> LoadResult:
    result = LoadResult(target)
    pending: queue.SimpleQueue[Job] = queue.SimpleQueue()
    for job in jobs:
        pending.put(job)
    lock = threading.Lock()
    marks: list[tuple[float, dict[str, dict[int, float]]]] = []  # when all start, all end

    def mark() -> None:
        marks.append((time.perf_counter(), meter.sample()))

    start = threading.Barrier(concurrency + 1, action=mark)
    end = threading.Barrier(concurrency + 1, action=mark)
    seqs = sorted({job.seq for job in jobs})
    check = set(rng.sample(seqs, round(len(seqs) * check_receipts)))

    def error(message: str) -> None:
        with lock:
            result.errors.append(message)

    def open_form(browser: Browser) -> tuple[str, list[int]] | None:
        """The session cookie, CSRF token and section fields; None if the page failed."""
        try:
            status, _, page = browser.request("GET", target.form_path)
            if status != 200:
                error(f"GET {target.form_path}: {status}")
                return None
            html = page.decode("utf-8", "replace")
            if not target.real_form:
                return "", []
            match = CSRF_RE.search(html)
            if match is None:
                error(f"GET {target.form_path}: no csrf_token on the page")
                return None
            return (match.group(1) or match.group(2),
                    [int(s) for s in dict.fromkeys(SECTION_RE.findall(html))])
        except Exception as exc:  # counted; the barriers need every client
            error(f"GET {target.form_path}: {exc!r}")
            return None

    def send_all(browser: Browser, csrf_token: str, section_ids: list[int],
                 mine: list[Sent]) -> None:
        while True:
            try:
                job = pending.get_nowait()
            except queue.Empty:
                return
            body, content_type = multipart(form_fields(job, csrf_token, section_ids))
            began = time.perf_counter()
            try:
                status, location, _ = browser.request("POST", target.post_path, body,
                                                      content_type)
            except (OSError, http.client.HTTPException) as exc:
                mine.append(Sent(job, 0, "", time.perf_counter() - began))
                error(f"POST {job.token}: {exc!r}")
                continue
            mine.append(Sent(job, status, location, time.perf_counter() - began))
            if status != 303:
                error(f"POST {job.token}: {status}")
            elif urlsplit(location).path != target.receipt_path(job.token):
                error(f"POST {job.token}: redirected to {location}")

    def read_receipts(browser: Browser, mine: list[Sent]) -> None:
        """Untimed: follow the redirect to the receipt page and note its number."""
        for sent in mine:
            if sent.status != 303 or sent.job.seq not in check:
                continue
            try:
                status, _, page = browser.request("GET", urlsplit(sent.location).path)
            except (OSError, http.client.HTTPException) as exc:
                error(f"GET receipt {sent.job.token}: {exc!r}")
                continue
            found = RECEIPT_RE.search(page.decode("utf-8", "replace")) if status == 200 else None
            with lock:
                result.receipts_seen[id(sent)] = found.group(0) if found else None
            if status != 200:
                error(f"GET receipt {sent.job.token}: {status}")

    def client() -> None:
        browser = Browser(port)
        form = open_form(browser)
        mine: list[Sent] = []
        with lock:
            result.section_count = max(result.section_count, len(form[1]) if form else 0)
        start.wait()
        try:
            if form is not None:
                send_all(browser, *form, mine)
        except Exception as exc:  # counted; the end barrier needs every client
            error(f"client: {exc!r}")
        end.wait()
        with lock:
            result.sent.extend(mine)
        if target.real_form:
            read_receipts(browser, mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    end.wait()
    (began, before), (ended, after) = marks
    result.seconds = ended - began
    result.cpu = {side: sum(after[side][pid] - before[side].get(pid, 0.0)
                            for pid in after[side]) for side in after}
    for thread in threads:
        thread.join()
    result.unsent = pending.qsize()
    return result


# --- checks in the database -----------------------------------------------------------


@dataclass
class Check:
    tokens: int = 0  # distinct tokens sent
    stored: int = 0  # distinct tokens stored exactly once
    lost: int = 0
    duplicated: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, count: int, what: str) -> None:
        if count:
            self.problems.append(f"{count} {what}")


def text_token(general_text: str | None) -> str | None:
    """The token form_fields wrote into the general text."""
    match = re.search(r"\(([0-9a-f]{32})\)", general_text or "")
    return match.group(1) if match else None


def check_public(url: str, consultation_id: int, load: LoadResult,
                 baseline: dict[str, set[int]]) -> Check:
    """What the run added (``baseline``: the ids of the demo's own public responses and
    e-mails) must be exactly the tokens sent, each once, with all that goes with it."""
    sent_tokens = {s.job.token: s.job for s in load.sent}
    check = Check(tokens=len(sent_tokens))
    engine = create_engine(url)
    with engine.connect() as db:
        rows = db.execute(text(
            "SELECT r.id, s.idempotency_token, s.receipt_number,"
            " (SELECT count(*) FROM remarks m WHERE m.response_id = r.id),"
            " (SELECT m.original_text FROM remarks m WHERE m.response_id = r.id"
            "  AND m.section_id IS NULL ORDER BY m.id LIMIT 1)"
            " FROM responses r LEFT JOIN public_submitters s ON s.response_id = r.id"
            " WHERE r.consultation_id = :c AND r.channel = 'public'"
        ), {"c": consultation_id}).all()
        rows = [row for row in rows if row[0] not in baseline["responses"]]
        mails = Counter(key for id_, key in db.execute(text(
            "SELECT id, dedupe_key FROM outbox_messages WHERE kind = 'receipt'"))
            if id_ not in baseline["mails"])
        audited = db.scalar(text(
            "SELECT count(*) FROM audit_events WHERE action = 'public_response:submit'"
            " AND object_id = ANY(:ids)"), {"ids": [row[0] for row in rows]})
    engine.dispose()

    per_token = Counter(row[1] for row in rows)
    numbers = {row[1]: row[2] for row in rows if row[1] is not None}
    check.lost = len(set(sent_tokens) - set(per_token))
    # Which submission a response is: its submitter's token or, failing that, the token
    # written into its text. More than one response for a submission is a duplicate.
    submissions = Counter(row[1] or text_token(row[4]) for row in rows)
    check.duplicated = sum(n - 1 for key, n in submissions.items() if key is not None)
    check.problem(submissions.get(None, 0), "responses without a token or a known text")
    check.stored = sum(1 for t, n in per_token.items() if t in sent_tokens and n == 1
                       and submissions[t] == 1)
    check.problem(len([t for t in per_token if t is not None and t not in sent_tokens]),
                  "stored responses with a token never sent")
    check.problem(len([r for r in rows if r[1] is not None and not RECEIPT_RE.fullmatch(r[2])]),
                  "receipt numbers not shaped H-YYYY-NNNNNN")
    check.problem(len(numbers) - len(set(numbers.values())), "receipt numbers used twice")
    check.problem(len([r for r in rows if r[1] is not None and (r[4] is None or r[1] not in r[4])]),
                  "responses whose text is not the one sent with their token")
    check.problem(len([r for r in rows if r[1] in sent_tokens
                       and r[3] != expected_remarks(sent_tokens[r[1]].seq, load.section_count)]),
                  "responses with the wrong number of remarks")
    expected_mail = {f"receipt:{n}" for n in numbers.values()}
    check.problem(len(expected_mail - set(mails)), "responses without a receipt e-mail")
    check.problem(len(set(mails) - expected_mail) + sum(n - 1 for n in mails.values()),
                  "receipt e-mails too many")
    check.problem(len(rows) - (audited or 0), "responses without their audit event")
    seen = [(s, load.receipts_seen[id(s)]) for s in load.sent if id(s) in load.receipts_seen]
    check.problem(len([s for s, n in seen if n != numbers.get(s.job.token)]),
                  "receipt pages without the stored receipt number")
    load.receipts_checked = len(seen)
    return check


def check_ceiling(url: str, load: LoadResult) -> Check:
    sent_tokens = {s.job.token for s in load.sent}
    check = Check(tokens=len(sent_tokens))
    engine = create_engine(url)
    with engine.connect() as db:
        rows = db.execute(text("SELECT token, text FROM bench_bare_inserts")).all()
    engine.dispose()
    per_token = Counter(row[0] for row in rows)
    check.lost = len(sent_tokens - set(per_token))
    check.duplicated = (sum(n - 1 for n in per_token.values() if n > 1)
                        + sum(n - 1 for n in Counter(r[1] for r in rows).values() if n > 1))
    check.stored = sum(1 for t, n in per_token.items() if t in sent_tokens and n == 1)
    check.problem(len(set(per_token) - sent_tokens), "stored rows with a token never sent")
    return check


# --- processes ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers(uri: str) -> bool:
    if not uri.startswith("redis://"):
        return True
    parts = urlsplit(uri)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379),
                                      timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def flask_cli(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "hoering", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def minimal_consultation(url: str) -> None:
    """An open public consultation of three sections, through the app's operations: the
    fallback when the demo does not load."""
    from datetime import UTC, datetime, timedelta

    from hoering import create_app
    from hoering.accounts import operations as accounts
    from hoering.accounts.models import BodyKind
    from hoering.consultations import operations as consultations
    from hoering.core.db import db
    from hoering.policies import operations as policies
    from hoering.policies.draft_split import DraftSection

    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": url,
                                    "SECRET_KEY": secrets.token_hex(32)})
    with app.app_context():
        body = accounts.create_body(name="Kultur- og Fritidsudvalget", abbreviation="KFU",
                                    kind=BodyKind.COMMITTEE, actor=None)
        policy = policies.create_policy(
            title="Kulturpolitik", journal_number="20.00.00-P22-1-26",
            description="Benchmark.", owner_body=body, actor=None)
        version = policies.create_version(policy, [
            DraftSection(f"Afsnit {n}", FILLER) for n in range(1, 4)], actor=None)
        now = datetime.now(UTC)
        consultation = consultations.create_consultation(
            version, title="Høring om kulturpolitikken", opens_on=now.date(),
            closes_at=now + timedelta(days=30), invitation_text="Benchmark.", public=True,
            bodies=[body], actor=None)
        consultations.open_consultation(consultation, actor=None)
        db.session.commit()
        db.engine.dispose()


class CpuMeter:
    """CPU seconds used so far by each gunicorn process and each PostgreSQL backend of
    the scratch database (from /proc, so Linux only; nothing elsewhere). On a machine
    shared with other work this is steadier than the wall-clock figures."""

    TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, server_pid: int, url: str) -> None:
        self.server_pid = server_pid
        self.engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.connection = self.engine.connect()

    @classmethod
    def _stat(cls, pid: int | str) -> list[str] | None:
        try:  # the fields after "(comm)": state is [0], ppid [1], utime [11], stime [12]
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None

    def _seconds(self, pids: list[int]) -> dict[int, float]:
        result = {}
        for pid in pids:
            fields = self._stat(pid)
            if fields:
                result[pid] = (int(fields[11]) + int(fields[12])) / self.TICKS
        return result

    def sample(self) -> dict[str, dict[int, float]]:
        if not Path("/proc/self/stat").exists():
            return {}
        workers = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                   and (self._stat(p.name) or ["", ""])[1] == str(self.server_pid)]
        backends = list(self.connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()")).scalars())
        return {"app": self._seconds([self.server_pid, *workers]),
                "db": self._seconds(backends)}

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()


class Gunicorn:
    """gunicorn serving ``app`` on a free loopback port, with its error log in a file."""

    def __init__(self, app: str, env: dict[str, str], args: argparse.Namespace,
                 pythonpath: Path | None = None) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="public_burst_", suffix=".log", delete=False)
        command = [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT),
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(args.workers),
                   "--worker-class", args.worker_class, "--threads", str(args.threads),
                   "--backlog", "2048", "--timeout", "120", "--graceful-timeout", "10",
                   "--log-level", "warning", "--error-logfile", self.log.name]
        if pythonpath:
            command += ["--pythonpath", str(pythonpath)]
        self.process = subprocess.Popen(command + [app], env=env, cwd=ROOT)  # noqa: S603

    def wait_until_answering(self, path: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n"
                                   + self.log_tail())
            try:
                status, _, _ = Browser(self.port).request("GET", path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time:\n" + self.log_tail())

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


# --- report ---------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


@dataclass(frozen=True)
class Figures:
    rate: float
    p50: float
    p90: float
    p99: float
    worst: float


def figures(load: LoadResult) -> Figures:
    latencies = load.latencies_ms()
    rate = len(latencies) / load.seconds if load.seconds else 0.0  # answered POSTs
    return Figures(rate, percentile(latencies, 50), percentile(latencies, 90),
                   percentile(latencies, 99), latencies[-1] if latencies else float("nan"))


def print_row(load: LoadResult, fig: Figures) -> None:
    errors = len(load.errors) + load.unsent
    print(f"{load.target.label:<8}{len(load.sent):>7}{len(load.ok):>7}{errors:>7}"
          f"{load.seconds:>8.2f}{fig.rate:>9.1f}{fig.p50:>8.0f}{fig.p90:>8.0f}"
          f"{fig.p99:>8.0f}{fig.worst:>8.0f}"
          + "".join(f"{1000 * load.cpu[side] / max(len(load.sent), 1):>8.1f}"
                    for side in ("app", "db") if side in load.cpu))


def print_check(load: LoadResult, check: Check) -> None:
    print(f"  {load.target.label}: {check.tokens} tokens sent, {check.stored} stored exactly once,"
          f" {check.lost} lost, {check.duplicated} duplicated")
    for problem in check.problems:
        print(f"  {load.target.label}: PROBLEM: {problem}")
    for message in load.errors[:10]:
        print(f"  {load.target.label}: error: {message}")
    if len(load.errors) > 10:
        print(f"  {load.target.label}: … and {len(load.errors) - 10} more errors")
    if load.unsent:
        print(f"  {load.target.label}: {load.unsent} submissions never sent")


def failed(load: LoadResult, check: Check) -> bool:
    return bool(load.errors or load.unsent or check.lost or check.duplicated or check.problems
                or check.stored != check.tokens)


# --- main -----------------------------------------------------------------------------


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000,
                        help="distinct submissions (default 2000)")
    parser.add_argument("--concurrency", type=int, default=100,
                        help="concurrent clients (default 100)")
    parser.add_argument("--workers", type=int, default=2 * cores + 1,
                        help=f"gunicorn workers (default 2*cores+1 = {2 * cores + 1})")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--resubmit", type=float, default=0.05,
                        help="fraction of tokens sent a second time (default 0.05)")
    parser.add_argument("--check-receipts", type=float, default=1.0,
                        help="fraction of redirects followed to the receipt page (default 1)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES,
                        help=f"PostgreSQL server, without a database (default {DEFAULT_POSTGRES})")
    parser.add_argument("--ratelimit-storage", default=DEFAULT_REDIS,
                        help=f"RATELIMIT_STORAGE_URI for the app (default {DEFAULT_REDIS})")
    parser.add_argument("--only", choices=("public", "ceiling"),
                        help="run one target only (no ratio)")
    parser.add_argument("--keep-db", action="store_true",
                        help="keep the scratch database (its name is printed)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.worker_class == "sync":
        args.threads = 1
    if not redis_answers(args.ratelimit_storage):
        print(f"Redis does not answer at {args.ratelimit_storage}; start it with\n  {REDIS_START}\n"
              "or pass --ratelimit-storage memory:// (counters per worker).", file=sys.stderr)
        return 2

    rng = random.Random(args.seed)  # noqa: S311 - a benchmark's plan, not a secret
    jobs = plan_jobs(args.requests, args.resubmit, args.concurrency, rng)
    name = f"hoering_burst_{os.getpid()}"
    url = recreate_database(args.postgres_url, name)
    key_file = Path(tempfile.mkdtemp(prefix="hoering-burst-")) / "audit-signing-key.pem"
    SigningKey.generate("hoering-revisionsspor").save(key_file)  # the audit commands' key
    env = {**os.environ, "HOERING_ENV": "production", "DATABASE_URL": url,
           "AUDIT_SIGNING_KEY_FILE": str(key_file), "AUDIT_LOG_ORIGIN": "hoering-revisionsspor",
           "SECRET_KEY": secrets.token_hex(32), "SESSION_COOKIE_SECURE": "0",
           "TRUSTED_PROXY_COUNT": "0", "PUBLIC_SUBMIT_RATE_LIMIT": "100000 per minute",
           "RATELIMIT_STORAGE_URI": args.ratelimit_storage}
    loads: dict[str, tuple[LoadResult, Check]] = {}
    try:
        flask_cli(env, "db", "upgrade")
        try:
            flask_cli(env, "demo")
        except RuntimeError as exc:
            print(f"the demo did not load ({str(exc).strip().splitlines()[-1]});"
                  " using a minimal open public consultation instead")
            minimal_consultation(url)
        create_table(url)
        engine = create_engine(url)
        with engine.connect() as db:
            consultation_id = db.scalar(text(
                "SELECT id FROM consultations WHERE public AND opened_at IS NOT NULL"
                " ORDER BY id DESC LIMIT 1"))
            baseline = {
                "responses": set(db.execute(text(
                    "SELECT id FROM responses WHERE channel = 'public'")).scalars()),
                "mails": set(db.execute(text("SELECT id FROM outbox_messages")).scalars()),
            }
        engine.dispose()
        if consultation_id is None:
            raise RuntimeError("the demo has no open public consultation")
        print(f"database {name}; gunicorn {args.workers} {args.worker_class} workers"
              f"{f' x {args.threads} threads' if args.worker_class == 'gthread' else ''};"
              f" {args.concurrency} clients; {args.requests} submissions"
              f" + {sum(job.resubmit for job in jobs)} sent twice; rate limit storage"
              f" {args.ratelimit_storage}; {cores} cores")
        load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        if load_average > cores / 2:
            print(f"note: load average {load_average:.1f} on {cores} cores at the start (other"
                  " work on the machine?): req/s and latency suffer, CPU per POST less so")

        runs = [(CEILING, CEILING_APP, ROOT / "bench"),
                (public_target(consultation_id), PUBLIC_APP, None)]
        for target, app, pythonpath in runs:
            if args.only and target.label != args.only:
                continue
            server = Gunicorn(app, env, args, pythonpath)
            try:
                server.wait_until_answering(target.form_path)
                meter = CpuMeter(server.process.pid, url)
                try:
                    load = run_load(target, server.port, jobs, args.concurrency,
                                    args.check_receipts if target.real_form else 0, rng, meter)
                finally:
                    meter.close()
            finally:
                server.stop()
            check = (check_public(url, consultation_id, load, baseline) if target.real_form
                     else check_ceiling(url, load))
            loads[target.label] = (load, check)
        if "public" in loads:  # the events are sealed into the audit log, which verifies
            flask_cli(env, "audit", "seal")
            verify = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "flask", "--app", "hoering", "audit", "verify"],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            if verify.returncode != 0:
                loads["public"][1].problems.append(
                    "audit log broken: " + (verify.stdout + verify.stderr).strip())
    finally:
        if args.keep_db:
            print(f"kept database {name}: {url}")
        else:
            drop_database(args.postgres_url, name)

    print(f"{'target':<8}{'POSTs':>7}{'303':>7}{'errors':>7}{'wall s':>8}{'req/s':>9}"
          f"{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'max ms':>8}{'app CPU':>8}{'db CPU':>8}")
    figs = {label: figures(load) for label, (load, _) in loads.items()}
    for label, (load, _) in loads.items():
        print_row(load, figs[label])
    print("(app CPU, db CPU: CPU ms per POST used by the gunicorn processes and by the"
          " PostgreSQL backends while the POSTs ran)")
    for load, check in loads.values():
        print_check(load, check)
    if "public" in loads:
        load = loads["public"][0]
        print(f"  public: {load.receipts_checked} receipt pages checked;"
              " receipt e-mails, audit events and the sealed audit log checked")
    parts = []
    if "public" in loads:
        load, check = loads["public"]
        fig = figs["public"]
        parts.append(f"public: {check.stored} ok, {check.lost} lost, {check.duplicated} duplicated,"
                     f" {len(load.errors) + load.unsent + len(check.problems)} errors,"
                     f" {fig.rate:.1f} req/s, p50 {fig.p50:.0f} ms, p99 {fig.p99:.0f} ms")
    if "ceiling" in loads:
        load, check = loads["ceiling"]
        fig = figs["ceiling"]
        bad = check.lost + check.duplicated + len(load.errors) + load.unsent + len(check.problems)
        parts.append(f"ceiling: {fig.rate:.1f} req/s, p50 {fig.p50:.0f} ms, p99 {fig.p99:.0f} ms"
                     + (f", {bad} lost/duplicated/errors" if bad else ""))
    if len(loads) == 2:
        ratio = figs["public"].rate / figs["ceiling"].rate if figs["ceiling"].rate else 0.0
        print(f"throughput ratio public/ceiling {ratio:.2f}"
              f" (target >= 0.50: {'met' if ratio >= 0.5 else 'MISSED'})")
        parts.append(f"ratio {ratio:.2f}")
    print(" | ".join(parts))
    return 1 if any(failed(load, check) for load, check in loads.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
