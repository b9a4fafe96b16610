"""Whether the draft differs from the latest issued memo, without building the memo.

Building a memo of 100,000 remarks takes seconds; the memo page only needs to know
whether the draft still equals the version issued last. A memo is made of its frame (its
texts, sections, bodies, tasks and the municipality's settings: everything but the
items) and of two lists of rows: the submitted remarks with the replies as the memo
shows them, and the senders of the submitted responses, in submission order. The digest
is SHA-256 over the frame's canonical JSON and over each row's SHA-256, which the
database computes (``core.db.row_digest``): only 32 bytes a row leave it.

``issue_memo`` stores the issued memo's digest (``draft=False``: only approved replies,
the others "besvares senere"); the page compares the draft's (``draft=True``) with it.
Equal digests mean equal memos. A different digest may, rarely, stand for the same memo
(a wording changed only in the spaces the memo strips): the page then says the draft
differs, and issuing it is refused as unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import ColumnElement, Select, case, false, func, select

from hoering.accounts.models import Body
from hoering.consultations.models import (
    PUBLIC_ABBREVIATION,
    Consultation,
    PublicSubmitter,
    Remark,
    Reply,
    Response,
)
from hoering.core.db import db, row_digest
from hoering.core.i18n import in_municipality_language
from hoering.memos.build import MemoBuild, build_memo
from hoering.memos.models import MemoIssue
from hoering.memos.order import body_ranks

# Part of every digest: raise it when the memo is built differently from the same data,
# so that no stored digest vouches for a memo the new code would build otherwise.
DIGEST_VERSION = b"hoering memo digest 1\n"


def memo_digest(consultation: Consultation, build: MemoBuild, *, draft: bool) -> str:
    """The digest of the memo ``build_memo(consultation, draft=draft)`` would build, in
    two queries. ``build``: that memo or its preview (``memo_preview``), made of the
    same data; only what lies around its items is read (hex SHA-256)."""
    digest = hashlib.sha256(DIGEST_VERSION)
    digest.update(_frame(build).encode("utf-8"))
    db.session.flush()  # what ``session.execute`` would do first
    connection = db.session.connection()  # plain rows, past the ORM: 100,000 of them
    for rows in (_remark_rows(consultation, draft=draft), _sender_rows(consultation)):
        digest.update(_digest_of(connection.execute(rows).scalars()))
    return digest.hexdigest()


def draft_differs(consultation: Consultation, issue: MemoIssue, preview: MemoBuild) -> bool:
    """Whether the draft differs from ``issue`` (``preview``: the draft's preview): by
    their digests, or for a memo issued before digests were stored by the content hash
    of the whole draft."""
    if issue.digest is not None:
        return issue.digest != memo_digest(consultation, preview, draft=True)
    return issue.content_hash != build_memo(consultation).content_hash()


def _frame(build: MemoBuild) -> str:
    """Everything of the memo but its items: the document with its parts emptied (their
    headings kept), the parts' sections and the bodies' order (the items' order follows
    from them), and the public's abbreviation, as one JSON text."""
    document = build.document
    around = replace(document, parts=tuple(replace(part, items=()) for part in document.parts))
    with in_municipality_language():
        public = str(PUBLIC_ABBREVIATION)
    return json.dumps([around.canonical_json(), build.part_keys,
                       sorted(body_ranks(build.bodies).items()), public], ensure_ascii=False)


def _digest_of(row_digests: Iterable[bytes]) -> bytes:
    digest = hashlib.sha256()
    for row in row_digests:
        digest.update(row)
    return digest.digest()


def _remark_rows(consultation: Consultation, *, draft: bool) -> Select[bytes]:
    """Each submitted remark as ``memo_build`` reads it, with its reply as the memo
    shows it (``memo_item``): a draft every reply, an issued memo only an approved one
    and "besvares senere" where it has none."""
    shown: ColumnElement[str]
    pending: ColumnElement[bool]
    if draft:
        shown, pending = Reply.text.expression, false()
    else:
        shown = case((Reply.approved_at.is_not(None), Reply.text))
        pending = shown.is_(None)
    return (
        select(row_digest(Remark.id, Remark.response_id, Remark.section_id, Remark.group_id,
                          func.coalesce(Remark.memo_text, Remark.original_text), shown, pending,
                          Remark.memo_position))
        .join(Remark.response).outerjoin(Remark.reply)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None))
        .order_by(Remark.id)
    )


def _sender_rows(consultation: Consultation) -> Select[bytes]:
    """Each submitted response's sender, in submission order (``build._senders``)."""
    return (
        select(row_digest(Response.id, Response.body_id, Body.abbreviation,
                          PublicSubmitter.organisation, Response.received_late))
        .outerjoin(Response.body).outerjoin(Response.submitter)
        .where(Response.consultation_id == consultation.id,
               Response.submitted_at.is_not(None))
        .order_by(Response.submitted_at, Response.id)
    )
