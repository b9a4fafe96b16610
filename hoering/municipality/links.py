"""The links the law asks of every public page: the municipality's accessibility statement
(webtilgængelighedsloven) and its privacy notice (GDPR art. 13), as set in its settings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_request_context, request

from hoering.municipality.settings import current_settings


@dataclass(frozen=True)
class LawLinks:
    accessibility_url: str
    privacy_url: str


def law_links() -> LawLinks | None:
    """The links for the page being rendered, when it is a public page (a view marked
    ``@public``) and at least one link is set; None otherwise (staff pages ask no query
    of their own for them)."""
    if not has_request_context() or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "is_public", False):
        return None
    settings = current_settings()
    links = LawLinks(settings.accessibility_url.strip(), settings.privacy_url.strip())
    return links if links.accessibility_url or links.privacy_url else None
