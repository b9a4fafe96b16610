"""Staff see words, not internal codes: a crawl of the demo as each role, in Danish and in
English (the test client, breadth-first from the role's first page, GET only, at most two
URLs per endpoint, no downloads and no logout) finds no audit tag (``remark:create``) and no
field name or stored value in snake_case (``body_id``, ``already_covered``) in any page's
visible text.
Attribute values, URLs, hidden inputs, scripts and styles are not visible text."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from hoering.audit.models import AuditEvent
from hoering.audit.tags import AuditTag
from hoering.consultations.models import Remark, Response, ResponseChannel
from hoering.core.db import db
from hoering.core.i18n import LANGUAGE_COOKIE
from hoering.demo.loader import DemoLogin, load_demo
from tests.conftest import empty_all_tables

COMMITTED_WORLDS = ("demo",)

TAGS = {tag.value for tag in AuditTag}
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# A URL whose path ends in a file name is a download (memo files, exports, checkpoints).
DOWNLOAD = re.compile(r"\.[a-z]{2,4}$")
SKIPPED_ENDPOINTS = {"accounts.logout", "static"}
PER_ENDPOINT = 2
MIN_PAGES = {"visitor": 4, "member": 5, "secretary": 5}  # the others: 40 (they see ~50-110)
ROLES = {  # the demo's logins (tests/test_demo.py), and a visitor
    "admin": "admin@hoering.demo",
    "staff": "sekretariat@hoering.demo",
    "approver": "afdelingsleder@hoering.demo",
    "member": "medlem@hoering.demo",
    "secretary": "sekretaer.sou@hoering.demo",
    "auditor": "revisor@hoering.demo",
    "visitor": None,
}


class VisibleText(HTMLParser):
    """A page's text as a reader sees it (and its links): no tags, attributes, scripts or
    styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def codes_in(text: str) -> set[str]:
    """The audit tags and snake_case names in ``text``."""
    return {tag for tag in TAGS if tag in text} | set(SNAKE_CASE.findall(text))


def test_codes_in_finds_tags_and_field_names_but_not_danish():
    assert codes_in("Louise: remark:create (body_id 22)") == {"remark:create", "body_id"}
    assert codes_in("9. april 2024 kl. 15:00 (CEST) – Louise flyttede bemærkningen.") == set()
    page = VisibleText()
    page.feed('<p title="body_id">Tekst <a href="/x?section_id=1">link</a></p>'
              '<input type="hidden" name="remark_id" value="auth:login">'
              '<script>var section_id = 1;</script>')
    assert page.text == "Tekst link" and page.links == ["/x?section_id=1"]


@pytest.fixture(scope="module")
def demo(app) -> Iterator[list[DemoLogin]]:
    with app.app_context():
        logins = load_demo()
        db.session.commit()
        db.session.remove()
    yield logins
    with app.app_context():
        empty_all_tables()


def _seeds(role: str) -> list[str]:
    """Where the crawl starts: the role's first page, plus pages the links reach only for
    some objects (a citizen's remark and its trace; the audit log by each kind of object,
    so that every kind of event in the demo is read)."""
    if role == "visitor":
        return ["/offentlige-hoeringer", "/login"]
    if role in ("member", "secretary"):
        return ["/"]
    citizen = db.session.scalars(select(Remark).join(Response).where(
        Response.channel == ResponseChannel.PUBLIC).order_by(Remark.id)).first()
    seeds = ["/", f"/hoeringer/bemaerkninger/{citizen.id}",
             f"/hoeringer/bemaerkninger/{citizen.id}/spor"]
    if role in ("admin", "auditor"):
        kinds = db.session.scalars(select(AuditEvent.object_type).distinct())
        seeds += [f"/revision/log?objekttype={kind}" for kind in kinds]
    return seeds


def crawl(app, client, role: str) -> tuple[int, dict[str, set[str]]]:
    """The pages' codes by URL, and how many pages were read."""
    adapter = app.url_map.bind("localhost")
    per_endpoint: Counter[str] = Counter()
    queue, seen, found, pages = deque(_seeds(role)), set(), {}, 0
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        answer = client.get(url)
        if answer.status_code != 200 or "text/html" not in answer.content_type:
            continue
        pages += 1
        page = VisibleText()
        page.feed(answer.get_data(as_text=True))
        if codes := codes_in(page.text):
            found[url] = codes
        for href in page.links:
            link = urlsplit(href)
            if link.scheme or link.netloc or not link.path.startswith("/"):
                continue
            if DOWNLOAD.search(link.path):
                continue
            try:
                endpoint, _args = adapter.match(link.path, method="GET")
            except HTTPException:
                continue
            if endpoint in SKIPPED_ENDPOINTS or per_endpoint[endpoint] >= PER_ENDPOINT:
                continue
            per_endpoint[endpoint] += 1
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return pages, found


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_shows_an_internal_code(app, client, demo, role, language):
    client.set_cookie(LANGUAGE_COOKIE, language)
    email = ROLES[role]
    if email is not None:
        password = next(d.password for d in demo if d.email == email)
        assert client.post("/login", data={"email": email, "password": password}
                           ).status_code == 302
    pages, found = crawl(app, client, role)
    assert pages >= MIN_PAGES.get(role, 40), pages  # the crawl really went round
    assert found == {}, "\n".join(f"{url}: {sorted(codes)}" for url, codes in found.items())
