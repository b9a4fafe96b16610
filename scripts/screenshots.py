#!/usr/bin/env python3
"""Screenshots of the main pages, for review: each role (and a visitor), at a phone's and a
desktop's width, in one language per run.

    .venv/bin/python scripts/screenshots.py                  # Danish, into instance/screenshots
    .venv/bin/python scripts/screenshots.py --lang en --out /tmp/shots

The demo is migrated and loaded into a scratch SQLite database (``flask db upgrade`` and
``flask demo``, as scripts/dev.sh does; the development database is not touched), the app
is served on a free loopback port, and Debian's Chromium (``chromium`` on PATH, or
``HOERING_CHROMIUM``) logs in as each demo login and photographs its pages. ``--lang``
sets the browser's Accept-Language (and locale), so the same run covers English once a
catalogue exists. The files are ``OUT/LANG/ROLE/NN-page-WIDTH.png``, with an
``OUT/LANG/index.html`` that shows them all.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout: the app beside this folder
PASSWORD = "demo-hoering-2024"  # noqa: S105 -- the demo logins' (hoering/demo/content.py)
LOGINS = {  # role → the demo's login (README, "Run it"); the visitor logs in as nobody
    "besoegende": None,
    "admin": "admin@hoering.demo",
    "sekretariat": "sekretariat@hoering.demo",
    "afdelingsleder": "afdelingsleder@hoering.demo",
    "medlem": "medlem@hoering.demo",
    "sekretaer": "sekretaer.sou@hoering.demo",
    "revisor": "revisor@hoering.demo",
}
WIDTHS = (390, 1280)
HEIGHTS = {390: 844, 1280: 800}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@dataclass(frozen=True)
class Shot:
    name: str  # in the file name: "oversigt", "bemaerkninger"
    path: str


def _pages(app: Any) -> dict[str, list[Shot]]:
    """Each role's main pages, with the demo's ids."""
    from flask import url_for
    from sqlalchemy import select

    from hoering.consultations.models import (
        Consultation,
        Remark,
        RemarkGroup,
        Response,
        ResponseChannel,
    )
    from hoering.core.db import db

    with app.test_request_context():
        consultations = list(db.session.scalars(select(Consultation).order_by(Consultation.id)))
        digital = next(c for c in consultations if not c.public)
        culture = next(c for c in consultations if c.public)
        remark = db.session.scalars(select(Remark).where(
            Remark.consultation_id == digital.id).order_by(Remark.id)).first()
        citizen = db.session.scalars(select(Remark).join(Response).where(
            Response.channel == ResponseChannel.PUBLIC).order_by(Remark.id)).first()
        group = db.session.scalars(select(RemarkGroup.id)).first()
        policy_id = digital.version.policy_id
        sou = next(c.body for c in digital.consultees if c.body.abbreviation == "SOU")

        def shots(*pairs: tuple[str, str]) -> list[Shot]:
            return [Shot(name, path) for name, path in pairs]

        consultation = ("hoering", url_for("consultations.show", consultation_id=digital.id))
        inbox = ("bemaerkninger", url_for("consultations.inbox", consultation_id=digital.id))
        remark_page = ("bemaerkning", url_for("consultations.remark", remark_id=remark.id))
        trace = ("spor", url_for("trace.remark", remark_id=remark.id))
        audit = ("revisionslog", url_for("audit.log"))
        staff = shots(
            ("oversigt", url_for("main.dashboard")),
            ("politikker", url_for("policies.index")),
            ("sag", url_for("cases.case", policy_id=policy_id)),
            ("version", url_for("policies.version", version_id=digital.version_id)),
            consultation, inbox, remark_page,
            ("borgers-bemaerkning", url_for("consultations.remark", remark_id=citizen.id)),
            ("enslydende", url_for("campaigns.group", group_id=group)),
            ("notat", url_for("memos.memo", consultation_id=digital.id)),
            trace,
        )
        return {
            "besoegende": shots(
                ("offentlige-hoeringer", url_for("public.index")),
                ("offentlig-hoering", url_for("public.consultation",
                                              consultation_id=culture.id)),
                ("log-ind", url_for("accounts.login")),
            ),
            "admin": shots(
                ("oversigt", url_for("main.dashboard")),
                ("brugere", url_for("accounts.users")),
                ("organer", url_for("accounts.bodies")),
                ("kommunen", url_for("municipality.settings")),
                audit,
            ),
            "sekretariat": staff,
            "afdelingsleder": shots(("oversigt", url_for("main.dashboard")), inbox,
                                    remark_page),
            "medlem": shots(
                ("oversigt", url_for("main.dashboard")),
                ("mine-hoeringer", url_for("consultations.mine")),
                ("hoeringssvar", url_for("consultations.response", consultation_id=culture.id,
                                         body_id=sou.id)),
            ),
            "sekretaer": shots(
                ("oversigt", url_for("main.dashboard")),
                ("hoeringssvar", url_for("consultations.response", consultation_id=culture.id,
                                         body_id=sou.id)),
            ),
            "revisor": shots(
                ("oversigt", url_for("main.dashboard")), audit,
                ("revisionslog-bemaerkninger", url_for("audit.log", objekttype="remark")),
                ("kontrol", url_for("audit.chain")), trace,
            ),
        }


def _prepare_database(scratch: Path) -> dict[str, str]:
    """A migrated scratch SQLite database with the demo; the environment that finds it."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{scratch / 'demo.sqlite3'}",
           "AUDIT_SIGNING_KEY_FILE": str(scratch / "audit-signing-key.pem"),
           "HOERING_ENV": "development",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                       os.environ.get("PYTHONPATH")]))}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "hoering", *command],  # noqa: S603
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def _serve(app: Any) -> tuple[str, Callable[[], None]]:
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)

    return f"http://127.0.0.1:{server.server_port}", stop


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()
    page.wait_for_load_state()
    if "/login" in page.url:
        raise SystemExit(f"Login as {email} failed (still on {page.url}).")


def take(out: Path, lang: str, roles: list[str], widths: tuple[int, ...]) -> list[Path]:
    chromium = os.environ.get("HOERING_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("chromium not found on PATH (apt-get install chromium), or set "
                         "HOERING_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="hoering-screenshots-") as tmp:
        env = _prepare_database(Path(tmp))
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "AUDIT_SIGNING_KEY_FILE")})
        from hoering import create_app

        app = create_app("development", {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                                         "RATELIMIT_ENABLED": False, "DEBUG": False})
        pages = _pages(app)
        base, stop = _serve(app)
        written: list[Path] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium,
                                                     args=CHROMIUM_ARGS)
                for role in roles:
                    context = browser.new_context(
                        locale=lang, timezone_id="Europe/Copenhagen",
                        extra_http_headers={"Accept-Language": f"{lang};q=1.0"},
                        viewport={"width": widths[0], "height": HEIGHTS.get(widths[0], 900)})
                    page = context.new_page()
                    page.set_default_timeout(20_000)
                    if LOGINS[role]:
                        _log_in(page, base, LOGINS[role])
                    folder = out / lang / role
                    folder.mkdir(parents=True, exist_ok=True)
                    for number, shot in enumerate(pages[role], start=1):
                        for width in widths:
                            page.set_viewport_size({"width": width,
                                                    "height": HEIGHTS.get(width, 900)})
                            answer = page.goto(base + shot.path)
                            status = answer.status if answer else 0
                            target = folder / f"{number:02d}-{shot.name}-{width}.png"
                            page.screenshot(path=str(target), full_page=True)
                            written.append(target)
                            print(f"{status} {target.relative_to(out)}  ({shot.path})")
                    context.close()
                browser.close()
        finally:
            stop()
    _write_index(out / lang, written)
    return written


def _write_index(folder: Path, written: list[Path]) -> None:
    """One page that shows every screenshot of the run, by role."""
    rows, role = [], None
    for path in written:
        if path.parent.name != role:
            role = path.parent.name
            rows.append(f"<h2>{html.escape(role)}</h2>")
        relative = path.relative_to(folder).as_posix()
        rows.append(f'<figure><img src="{html.escape(relative)}" alt="" loading="lazy" '
                    f'style="max-width:100%;border:1px solid #ccc">'
                    f"<figcaption>{html.escape(relative)}</figcaption></figure>")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>hoering – skærmbilleder</title>"
        "<h1>hoering – skærmbilleder</h1>" + "\n".join(rows) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "instance" / "screenshots",
                        help="folder for the screenshots (default instance/screenshots)")
    parser.add_argument("--lang", default="da", choices=["da", "en"],
                        help="the browser's language (Accept-Language); default da")
    parser.add_argument("--role", action="append", choices=list(LOGINS), dest="roles",
                        help="only this role (repeat for more); default every role")
    parser.add_argument("--width", action="append", type=int, dest="widths",
                        help=f"only this width in px (repeat); default {WIDTHS}")
    args = parser.parse_args(argv)
    written = take(args.out.resolve(), args.lang, args.roles or list(LOGINS),
                   tuple(args.widths or WIDTHS))
    print(f"{len(written)} skærmbilleder i {args.out / args.lang} (se index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
