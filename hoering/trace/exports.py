"""A consultation's full trace for auditors: one row per submitted remark, as CSV or JSON.

``trace_rows`` issues two queries whatever the number of remarks.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import contains_eager, joinedload

from hoering.consultations.models import (
    ChangeLink,
    Consultation,
    Remark,
    Reply,
    Response,
    ResponseChannel,
)
from hoering.consultations.queries import GENERAL_SECTION
from hoering.core.csv_safe import spreadsheet_safe
from hoering.core.db import db
from hoering.policies.models import PolicyVersion, Section
from hoering.trace.remarks import disposition_label

# The columns, in order (also the CSV header).
FIELDS = (
    "remark_id",
    "body",  # the body's abbreviation, as in the memo
    "body_name",
    "public",  # true for a citizen's or association's response (public consultation)
    "section",
    "original_wording",
    "memo_wording",
    "disposition",  # the stored value, e.g. "incorporated"
    "disposition_label",  # in Danish, e.g. "Indarbejdet"
    "reply",
    "reply_author",
    "approved_by",
    "approved_at",
    "submitted_at",
    "channel",  # member, staff or minutes
    "source",
    "received_late",
    "linked_changes",
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _source(response: Response) -> str:
    """The minutes citation if there is one, else how the response came in."""
    if response.source:
        return response.source
    if response.channel is ResponseChannel.STAFF:
        return "Registreret af sekretariatet"
    return "Indsendt via høringsportalen"


def _linked_changes(consultation: Consultation) -> dict[int, list[str]]:
    """"Version N: heading" of the sections linked to each remark: one query."""
    rows = db.session.execute(
        select(ChangeLink.remark_id, PolicyVersion, Section.heading)
        .join(Section, Section.id == ChangeLink.section_id)
        .join(PolicyVersion, PolicyVersion.id == Section.version_id)
        .join(Remark, Remark.id == ChangeLink.remark_id)
        .where(Remark.consultation_id == consultation.id)
        .order_by(ChangeLink.remark_id, PolicyVersion.number, Section.position, ChangeLink.id)
    )
    linked: dict[int, list[str]] = {}
    for remark_id, version, heading in rows:
        linked.setdefault(remark_id, []).append(f"{version.label}: {heading}")
    return linked


def trace_rows(consultation: Consultation) -> list[dict[str, Any]]:
    """One row per submitted remark in the memo's order (the version's sections, general
    attention points last; within a section in order of submission)."""
    general_last = case((Remark.section_id.is_(None), 1), else_=0)
    remarks = db.session.scalars(
        select(Remark)
        .join(Remark.response)
        .outerjoin(Response.body)
        .outerjoin(Remark.section)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None))
        .options(
            contains_eager(Remark.response).contains_eager(Response.body),
            contains_eager(Remark.response).joinedload(Response.submitter),
            contains_eager(Remark.section),
            joinedload(Remark.reply).joinedload(Reply.author),
            joinedload(Remark.reply).joinedload(Reply.approved_by),
        )
        .order_by(general_last, Section.position, Response.submitted_at, Response.id,
                  Remark.id)
    ).unique()
    linked = _linked_changes(consultation)
    rows = []
    for remark in remarks:
        response, reply = remark.response, remark.reply
        rows.append({
            "remark_id": remark.id,
            "body": response.sender_abbreviation,
            "body_name": response.sender_name,
            "public": response.is_public,
            "section": remark.section.heading if remark.section else str(GENERAL_SECTION),
            "original_wording": remark.original_text,
            "memo_wording": remark.wording,
            "disposition": reply.disposition.value if reply else None,
            "disposition_label": disposition_label(reply.disposition) if reply else None,
            "reply": reply.text if reply else None,
            "reply_author": reply.author.name if reply and reply.author else None,
            "approved_by": reply.approved_by.name if reply and reply.approved_by else None,
            "approved_at": _iso(reply.approved_at) if reply else None,
            "submitted_at": _iso(response.submitted_at),
            "channel": response.channel.value,
            "source": _source(response),
            "received_late": response.received_late,
            "linked_changes": "; ".join(linked.get(remark.id, [])),
        })
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheet_safe(str(value))


def to_csv(rows: list[dict[str, Any]], fields: tuple[str, ...] = FIELDS) -> str:
    """Comma-separated, every cell quoted, a header row; empty cells for missing values,
    true/false for yes/no; a cell a spreadsheet would run as a formula starts with ``'``
    (``spreadsheet_safe``). Text, to be written as UTF-8."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _cell(row.get(name)) for name in fields})
    return buffer.getvalue()


def to_json(rows: Any) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
