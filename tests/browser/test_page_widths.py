"""Every page of the demo fits the screen: on a 390 px phone and at 1280 px, as each role,
in Danish and in English, nothing makes the page scroll sideways (``scrollWidth`` of the
document within the window's width), and every template passes axe-core's WCAG 2.1 A/AA
check at both widths in both languages.

The crawl starts from each role's start page and follows the site's links breadth-first,
visiting the first URL found for each route (endpoint) only, with GET only; it never
follows links to downloads (files, exports) or that end sessions. The public form is also
sent once, for its receipt (reached by a POST, not a link). A link to a page the role may
not open (or that fails) is reported too, as is anything the browser's console reports
(e.g. what the Content-Security-Policy blocked). axe runs once per template (the first page
that shows it), not once per URL, to keep the test short. Like every browser test it runs
on one database (PostgreSQL when there is one; tests/conftest.py): the markup does not
depend on it.
"""

from __future__ import annotations

import time
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from flask import has_request_context, request, template_rendered
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from hoering.consultations.models import Consultation
from hoering.core.db import db
from hoering.demo.loader import load_demo
from tests.browser.conftest import accessibility_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data

WIDTHS = (1280, 390)
HEIGHT = 900
DEMO_PASSWORD = "demo-hoering-2024"  # noqa: S105 - the demo's published password
ROLES = {  # role → the demo login, None: not logged in
    "anonymous": None,
    "admin": "admin@hoering.demo",
    "staff": "sekretariat@hoering.demo",
    "member": "medlem@hoering.demo",
    "auditor": "revisor@hoering.demo",
}
START = {"anonymous": ["/offentlige-hoeringer", "/login"]}
# What the crawl reads and types, in each language (the browser's)
WORDS = {
    "da": {"locale": "da-DK", "password": "Adgangskode", "log_in": "Log ind",
           "dashboard": "Overblik", "name": "Navn", "response": "Dit høringssvar",
           "submit": "Indsend høringssvar", "thanks": "Tak for dit høringssvar"},
    "en": {"locale": "en-GB", "password": "Password", "log_in": "Log in",
           "dashboard": "Dashboard", "name": "Name", "response": "Your response",
           "submit": "Submit response", "thanks": "Thank you for your response"},
}
# Links the crawl does not follow: files and exports (a download, not a page), the
# identity provider, and what ends sessions.
NOT_PAGES = {
    "static", "audit.checkpoint", "audit.public_key", "audit.proof",
    "consultations.attachment", "municipality.logo_file", "municipality.template_file",
    "accounts.sso_login", "accounts.sso_callback",
    "accounts.end_own_sessions", "accounts.end_user_sessions",
}

# the elements that make the page wider than the window (the outermost few): those that
# stick out past its right edge and are not clipped by a scrolling container (one that
# is, or holds, their containing block: an absolutely positioned one escapes the others)
_SIDEWAYS = """() => {
  const width = window.innerWidth, found = [];
  const clipped = el => {
    let contained = !['absolute', 'fixed'].includes(getComputedStyle(el).position);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      contained = contained || style.position !== 'static';
      if (contained && style.overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0 && !found.some(outer => outer.contains(el))
        && !clipped(el)) {
      found.push(el);
    }
  }
  return found.slice(0, 4).map(el => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '')
    + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)');
}"""
_NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class Crawl:
    def __init__(self, app, browser, base: str, *, language: str) -> None:
        self.app, self.browser, self.base = app, browser, base
        self.words = WORDS[language]
        self.adapter = app.url_map.bind("127.0.0.1")
        # and every route of a file: a name with an extension (notat.<fmt>, bevis.json)
        self.skipped = NOT_PAGES | {rule.endpoint for rule in app.url_map.iter_rules()
                                    if "." in rule.rule.rsplit("/", 1)[-1]}
        self.templates: dict[str, str] = {}  # path?query → the page's template
        self.checked_templates: set[str] = set()
        self.too_wide: list[str] = []
        self.violations: list[str] = []
        self.pages: list[str] = []
        self.broken: list[str] = []  # links to pages that answer other than 200
        self.console_errors: list[str] = []  # e.g. what the Content-Security-Policy blocked
        self.phone_form: dict[str, float] = {}
        self.axe_seconds = 0.0

    def rendered(self, sender, template, context, **extra) -> None:
        if has_request_context():
            self.templates[request.full_path.rstrip("?")] = template.name  # the page's: last

    def endpoint(self, url: str) -> str | None:
        parts = urlsplit(url)
        try:
            endpoint, _args = self.adapter.match(parts.path, method="GET")
        except (RequestRedirect, HTTPException):
            return None
        return endpoint

    def check(self, page, role: str, label: str) -> None:
        """Both widths: no sideways scrolling; axe once per template."""
        path = urlsplit(page.url)
        key = path.path + (f"?{path.query}" if path.query else "")
        template = self.templates.get(key, key)
        new_template = template not in self.checked_templates
        self.checked_templates.add(template)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            page.evaluate(_NEXT_FRAME)
            scroll_width, inner = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner:
                culprits = ", ".join(page.evaluate(_SIDEWAYS))
                self.too_wide.append(f"{role} {label} ({template}) at {width} px: "
                                     f"{scroll_width} px wide — {culprits}")
            if new_template:
                t0 = time.monotonic()
                found = accessibility_violations(page)
                self.axe_seconds += time.monotonic() - t0
                if found:
                    self.violations.append(
                        f"{template} ({role} {label}, {width} px): {describe(found)}")
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})

    def login(self, page, email: str) -> None:
        page.goto(f"{self.base}/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label(self.words["password"]).fill(DEMO_PASSWORD)
        page.get_by_role("button", name=self.words["log_in"]).click()
        page.get_by_role("heading", name=self.words["dashboard"], level=1).wait_for()

    def crawl(self, role: str, email: str | None) -> None:
        context = self.browser.new_context(
            locale=self.words["locale"], timezone_id="Europe/Copenhagen",
            viewport={"width": WIDTHS[0], "height": HEIGHT})
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            if email:
                self.login(page, email)
            queue = deque(f"{self.base}{path}" for path in START.get(role, ["/"]))
            visited: set[str] = set()
            while queue:
                url = urldefrag(queue.popleft()).url
                endpoint = self.endpoint(url)
                if endpoint is None or endpoint in visited or endpoint in self.skipped:
                    continue
                visited.add(endpoint)
                answer = page.goto(url)
                if answer is not None and answer.status != 200:
                    self.broken.append(f"{role} {url.removeprefix(self.base)}: {answer.status}")
                    continue
                if (answer is None
                        or not answer.headers.get("content-type", "").startswith("text/html")
                        or not page.url.startswith(self.base)):
                    continue
                label = url.removeprefix(self.base)
                self.pages.append(f"{role} {label}")
                self.check(page, role, label)
                links = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
                queue.extend(link for link in links if link.startswith(self.base + "/"))
            if role == "anonymous":
                self.receipt(page)
            self.console_errors += [f"{role}: {error}" for error in errors]
        finally:
            context.close()

    def receipt(self, page) -> None:
        """The receipt comes after a POST: send the open public consultation's form."""
        consultation = db.session.scalars(
            select(Consultation).where(Consultation.public)).first()
        page.goto(f"{self.base}/offentlige-hoeringer/{consultation.id}")
        page.set_viewport_size({"width": 390, "height": HEIGHT})
        # on a phone: the person's details and the response first, the draft folded below
        self.phone_form = page.evaluate("""() => {
          const top = el => el.getBoundingClientRect().top + window.scrollY;
          const sections = [...document.querySelectorAll('form details')];
          return {name: top(document.getElementById('name')),
                  response: top(document.getElementById('general_text')),
                  draft: Math.min(...sections.map(top)), sections: sections.length,
                  open: sections.filter(d => d.open).length,
                  height: document.documentElement.scrollHeight};
        }""")
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        page.get_by_label(self.words["name"], exact=True).fill("Bredde Bodil")
        page.get_by_label("E-mail", exact=True).fill(
            "bredde.bodil.med.en.lang.adresse@eksempel-paa-et-langt-domaene.example.dk")
        page.get_by_label(self.words["response"]).fill("Et svar, der skal passe på skærmen. " * 5)
        page.get_by_role("button", name=self.words["submit"]).click()
        page.get_by_role("heading", name=self.words["thanks"], level=1).wait_for()
        self.pages.append("anonymous receipt")
        self.check(page, "anonymous", "(receipt)")


@pytest.mark.parametrize("language", list(WORDS))
def test_every_page_fits_at_390_and_1280_px_and_passes_axe(app, live_server, browser,
                                                          language):
    load_demo()
    db.session.commit()
    crawl = Crawl(app, browser, live_server, language=language)
    started = time.monotonic()
    with template_rendered.connected_to(crawl.rendered, app):
        for role, email in ROLES.items():
            crawl.crawl(role, email)
    took = time.monotonic() - started
    print(f"\n{language}: {len(crawl.pages)} pages, {len(crawl.checked_templates)} templates, "
          f"{took:.0f} s (axe {crawl.axe_seconds:.0f} s); "
          f"the public form on a phone: {crawl.phone_form}")
    assert len(crawl.checked_templates) >= 45, sorted(crawl.checked_templates)
    form = crawl.phone_form
    assert form["sections"] == 7 and form["open"] == 0, form
    assert form["name"] < form["response"] < form["draft"], form
    problems = []
    for title, found in [("Pages wider than the window:", crawl.too_wide),
                         ("axe-core:", crawl.violations),
                         ("Links to pages that do not open:", crawl.broken),
                         ("Browser console:", crawl.console_errors)]:
        problems += [title, *found] if found else []
    assert problems == [], "\n".join(problems)
