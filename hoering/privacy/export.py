"""A citizen's access to their personal data (GDPR art. 15): staff find the public
response by its receipt number and the sender's e-mail, and hand over everything held
about it, as a page, a JSON file and the attachments.

Every disclosure is audited, its object the response: ``privacy:view`` when the data is
shown (``viewed``: ``personal_data``, see ``hoering.consultations.data_access``),
``privacy:export`` for the JSON file (``format``) and for each attachment
(``attachment_id``); never a name, an address or a receipt number. Anonymised responses
are not found (``response_by_receipt``): nothing personal is left to hand over.
"""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from hoering.accounts.models import User
from hoering.audit.record import record_change
from hoering.audit.tags import AuditTag
from hoering.consultations.data_access import PERSONAL_DATA, record_view
from hoering.consultations.models import Attachment, PublicSubmitter, Response
from hoering.consultations.queries import section_label
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check
from hoering.outbox.models import OutboxMessage
from hoering.public.operations import response_by_receipt

JSON_FORMAT = "json"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def find_response(receipt_number: str, email: str) -> Response | None:
    """The public response with this receipt number, if ``email`` (any case) is its
    sender's; None otherwise, whether or not the receipt number exists."""
    return response_by_receipt(receipt_number, email)


def _submitter(response: Response) -> PublicSubmitter:
    """The sender: every response handled here is a public one."""
    submitter = response.submitter
    assert submitter is not None
    return submitter


def receipt_messages(response: Response) -> list[OutboxMessage]:
    key = f"receipt:{_submitter(response).receipt_number}"
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == key).order_by(OutboxMessage.id)
    ))


def personal_data(response: Response) -> dict[str, Any]:
    """Everything held about the sender of a public response, JSON-ready."""
    submitter = _submitter(response)
    consultation = response.consultation
    policy = consultation.version.policy
    return {
        "receipt_number": submitter.receipt_number,
        "submitted_at": _iso(response.submitted_at),
        "sender": {
            "name": submitter.name,
            "email": submitter.email,
            "organisation": submitter.organisation,
            "publish_name": submitter.publish_name,
        },
        "consultation": {
            "id": consultation.id,
            "title": consultation.title,
            "policy": policy.title,
            "journal_number": policy.journal_number,
            "responses_published_at": _iso(consultation.responses_published_at),
        },
        "remarks": [
            {"section": section_label(remark.section), "text": remark.original_text,
             "memo_text": remark.memo_text}
            for remark in response.remarks
        ],
        "attachments": [
            {"id": a.id, "filename": a.filename, "media_type": a.media_type, "size": a.size,
             "sha256": a.sha256}
            for a in response.attachments
        ],
        "receipt_messages": [
            {"to_address": m.to_address, "subject": m.subject, "body_text": m.body_text,
             "status": m.status.value, "created_at": _iso(m.created_at),
             "sent_at": _iso(m.sent_at)}
            for m in receipt_messages(response)
        ],
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_filename(response: Response) -> str:
    return f"persondata-{_submitter(response).receipt_number}.json"


def show_personal_data(response: Response, *, actor: User) -> dict[str, Any]:
    """The data for the staff page; the view is recorded and committed (``record_view``,
    ``viewed`` = ``personal_data``)."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    data = personal_data(response)
    record_view(response, PERSONAL_DATA, actor)
    return data


def export_personal_data(response: Response, *, actor: User | None) -> dict[str, Any]:
    """The data for the JSON file; the export is audited."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    data = personal_data(response)
    data["exported_at"] = now_utc().isoformat()
    record_change(AuditTag.PRIVACY_EXPORT, response, actor=actor, changes={
        "format": {"before": None, "after": JSON_FORMAT},
    })
    return data


def export_attachment(
    response: Response, attachment_id: int, *, actor: User | None
) -> Attachment:
    """One of the response's attachments, with its content; the download is audited."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    attachment = next((a for a in response.attachments if a.id == attachment_id), None)
    if attachment is None or attachment.content is None:
        raise DomainError(_("Bilaget findes ikke."))
    record_change(AuditTag.PRIVACY_EXPORT, response, actor=actor, changes={
        "attachment_id": {"before": None, "after": attachment.id},
    })
    return attachment
