"""A download named outside latin-1 (a citizen's "Høringssvar – Skovlunde.pdf") reaches the
browser through a real gunicorn, which encodes headers as latin-1: the name travels as
RFC 6266 ``filename*`` with an ASCII ``filename`` beside it."""

from __future__ import annotations

import http.cookiejar
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from werkzeug.http import parse_options_header

from hoering.accounts.models import Role
from hoering.core.db import db
from hoering.public.operations import PublicSubmission, UploadedFile, submit_public_response
from tests.conftest import PASSWORD
from tests.live_gunicorn import clean_env, gunicorn
from tests.public.factories import PDF_BYTES, public_consultation

ROOT = Path(__file__).resolve().parents[1]
NAME = "Høringssvar – Skovlunde.pdf"


@pytest.mark.commits  # gunicorn, another process, reads the data
def test_a_unicode_attachment_name_downloads_through_gunicorn(
    app, database_url, make_user, tmp_path
):
    response, _created = submit_public_response(public_consultation(), PublicSubmission(
        token="s" * 32, name="Karen Kultur", email="karen@example.dk",
        general_text="Se bilaget.", files=[UploadedFile(NAME, PDF_BYTES)],
    ))
    db.session.commit()
    [attachment] = response.attachments
    assert attachment.filename == NAME
    attachment_url = f"/hoeringer/bilag/{attachment.id}"
    email = make_user(Role.STAFF).email
    db.session.remove()  # nothing held open on the database gunicorn uses

    command = [sys.executable, "-m", "gunicorn", "--workers", "1",
               'hoering:create_app("testing")']
    env = clean_env(HOERING_ENV="testing", DATABASE_URL=database_url)
    with gunicorn(command, env=env, cwd=ROOT, log=tmp_path / "gunicorn.log") as base:
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
        with browser.open(f"{base}/login", data=form, timeout=30) as page:
            assert page.url.rstrip("/") == base, "not logged in"  # redirected to the start
        with browser.open(base + attachment_url, timeout=30) as download:
            assert download.status == 200
            disposition = download.headers["Content-Disposition"]
            body = download.read()
            assert download.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''H%C3%B8ringssvar%20%E2%80%93%20Skovlunde.pdf" in disposition
    assert parse_options_header(disposition) == ("attachment", {"filename": NAME})
    assert body == PDF_BYTES
