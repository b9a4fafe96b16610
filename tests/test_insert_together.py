"""``core.db.insert_together``: rows of several tables in one statement on PostgreSQL,
several rows of one table in their order, a statement compiled once for its shape."""

from __future__ import annotations

from sqlalchemy import select

from hoering.consultations.models import Remark, Response
from hoering.core.db import _grouped, _together, db, insert_together, now_utc
from tests.consultations.factories import consultation_with_remarks


def test_rows_of_one_table_keep_their_order_and_refer_to_a_row_beside_them(app):
    consultation = consultation_with_remarks(1, 1)
    db.session.flush()
    moment = now_utc()
    response_id = 900_001
    texts = [f"Bemærkning nummer {n}." for n in range(4)]
    insert_together(
        (Response.__table__, {"id": response_id, "consultation_id": consultation.id,
                              "channel": "public", "status": "submitted",
                              "submitted_at": moment, "created_at": moment}),
        *((Remark.__table__, {"consultation_id": consultation.id, "response_id": response_id,
                              "original_text": text, "search_text": text.lower(),
                              "created_at": moment}) for text in texts))
    stored = db.session.scalars(select(Remark.original_text).where(
        Remark.response_id == response_id).order_by(Remark.id)).all()
    assert stored == texts


def test_the_statement_is_compiled_once_for_its_shape(app):
    """SQLAlchemy caches no multi-row VALUES: the rows come from a UNION ALL instead."""
    rows = tuple((Remark.__table__, {"consultation_id": 1, "original_text": text})
                 for text in ("a", "b", "c"))
    shape = tuple((table, keys, len(group)) for table, keys, group in _grouped(rows))
    assert shape[0][2] == 3
    assert _together(shape)._generate_cache_key() is not None
