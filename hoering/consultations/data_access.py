"""Who has seen a citizen's personal data: every page or file that shows staff the sender
of a public response (their name, e-mail, organisation and consent, or an attached
file) records a ``privacy:view`` event, its object the response, its actor the staff
member (by user id), and in ``changes`` only a short code of what was opened
(``{"viewed": {"before": null, "after": "sender"}}``), never the data itself.

Those pages are GETs (and the access-request page a POST), which otherwise write
nothing: ``record_view`` writes the one event (no client address beside it, so one
INSERT) and commits it, and refuses when anything else is pending in the session. It
sits here, beside the responses, so that both the staff pages of consultations and the
access-request pages of ``hoering.privacy`` (a layer above) can call it.

``data_views`` reads them back, with the disclosures of ``hoering.privacy``
(``privacy:export``), for the auditors' list "Hvem har set persondata".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hoering.audit.models import AuditEvent
from hoering.audit.record import record_change
from hoering.audit.tags import AuditTag
from hoering.consultations.models import Attachment, Response
from hoering.core.db import db
from hoering.core.permissions import Permission, can

if TYPE_CHECKING:
    from hoering.accounts.models import User

# What was opened: the codes a privacy:view event carries in changes["viewed"]
SENDER = "sender"  # the sender's details on the remark page
ATTACHMENT = "attachment"  # an attached file downloaded from the remark page
ATTACHMENT_TEXT = "attachment_text"  # an attached file's text, read on its own page
PERSONAL_DATA = "personal_data"  # everything held, on the access-request page

VIEWED_LABELS = {
    SENDER: _l("Afsenderens navn og e-mail (bemærkningssiden)"),
    ATTACHMENT: _l("Vedhæftet fil hentet"),
    ATTACHMENT_TEXT: _l("Vedhæftet fil læst som tekst"),
    PERSONAL_DATA: _l("Alle oplysninger (indsigt i persondata)"),
}
EXPORT_LABELS = {
    "format": _l("Alle oplysninger udleveret som fil"),
    "attachment_id": _l("Vedhæftet fil udleveret"),
}
DATA_ACCESS_TAGS = (AuditTag.PRIVACY_VIEW, AuditTag.PRIVACY_EXPORT)


class PendingWrites(RuntimeError):
    """record_view was called with other changes pending: a page that only shows data
    must not write anything but the record that it was shown."""


def sender_shown(user: Any, response: Response) -> bool:
    """Whether the remark page shows ``user`` this response's sender (the condition of
    the template consultations/remark.html): a public response not yet anonymised, to
    staff who process remarks."""
    submitter = response.submitter
    return (response.is_public and submitter is not None and submitter.purged_at is None
            and can(user, Permission.PROCESS_REMARKS))


def record_view(
    response: Response, what: str, actor: User, *, attachment: Attachment | None = None
) -> None:
    """Record and commit that ``actor`` opened ``what`` (one of VIEWED_LABELS) of the
    sender of ``response`` (``attachment``: which file). The one write of the request."""
    if what not in VIEWED_LABELS:
        raise ValueError(f"Unknown kind of personal data viewed: {what!r}")
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise PendingWrites("Only the record of the view may be written here.")
    changes: dict[str, dict[str, Any]] = {"viewed": {"before": None, "after": what}}
    if attachment is not None:
        changes["attachment_id"] = {"before": None, "after": attachment.id}
    record_change(AuditTag.PRIVACY_VIEW, response, actor=actor, changes=changes,
                  record_ip=False)
    session.commit()


@dataclass(frozen=True)
class DataView:
    """One line of "Hvem har set persondata"."""

    occurred_at: datetime
    who: str
    what: str


def _label(event: AuditEvent) -> str:
    if event.action == AuditTag.PRIVACY_VIEW:
        code = str((event.changes.get("viewed") or {}).get("after"))
        return str(VIEWED_LABELS.get(code, code))
    key = next((k for k in EXPORT_LABELS if k in event.changes), None)
    return str(EXPORT_LABELS[key]) if key else AuditTag(event.action).description


def data_views(response: Response) -> list[DataView]:
    """Every time staff saw or handed over the sender's data, oldest first."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "response", AuditEvent.object_id == response.id,
               AuditEvent.action.in_([tag.value for tag in DATA_ACCESS_TAGS]))
        .order_by(AuditEvent.id)
    )
    return [
        DataView(event.occurred_at,
                 event.actor.name if event.actor is not None else event.actor_label,
                 _label(event))
        for event in events
    ]


def data_views_for(user: Any, response: Response) -> list[DataView] | None:
    """``data_views`` of a public response for those who read the audit trail
    (auditors and administrators); None for everyone else, who see no such list."""
    if not response.is_public or not can(user, Permission.VIEW_AUDIT):
        return None
    return data_views(response)
