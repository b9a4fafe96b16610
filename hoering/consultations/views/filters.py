"""The inbox's filters as the URL carries them (``?afsnit=…&status=…``): read from the
request, and written back as URL arguments, so that a remark page, a bulk action and
"Gem og gå til næste ubesvarede" keep the filter the inbox was opened with."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from hoering.consultations.models import Disposition
from hoering.consultations.queries import InboxFilters
from hoering.core.converters import id_arg

PUBLIC_FILTER = "offentlig"  # the inbox's "Organ" filter value for public responses
STATES = ("unanswered", "unapproved", "awaiting_me")
ASSIGNED = {"mine": "mine", "ingen": "nobody"}  # URL value → InboxFilters.assigned


def inbox_filters() -> InboxFilters:
    disposition = request.args.get("behandling")
    state = request.args.get("status")
    return InboxFilters(
        section=request.args.get("afsnit") or None,
        body_id=id_arg("organ"),
        public_only=request.args.get("organ") == PUBLIC_FILTER,
        disposition=Disposition(disposition) if disposition in set(Disposition) else None,
        state=state if state in STATES else None,
        search=request.args.get("q", "")[:200],
        assigned=ASSIGNED.get(request.args.get("tildelt", "")),
        me=current_user.id if current_user.is_authenticated else None,
    )


def filter_args(filters: InboxFilters) -> dict[str, Any]:
    """The URL arguments that give ``filters`` (only those set)."""
    args = {
        "afsnit": filters.section or "",
        "organ": PUBLIC_FILTER if filters.public_only else str(filters.body_id or ""),
        "behandling": filters.disposition.value if filters.disposition else "",
        "status": filters.state or "",
        "q": filters.search,
        "tildelt": next((url for url, value in ASSIGNED.items() if value == filters.assigned),
                        ""),
    }
    return {name: value for name, value in args.items() if value}
