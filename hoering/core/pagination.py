"""Pagination for large lists: a light count query, and a page that is found by sorting
ids only and then loaded in full (Flask-SQLAlchemy sorts and counts the full rows)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from hoering.core.db import db


class _IdPagination(Pagination):
    def _query_items(self) -> list[Any]:
        ids_select: Select = self._query_args["ids"]
        ids = list(db.session.scalars(ids_select.limit(self.per_page).offset(self._query_offset)))
        return list(self._query_args["load"](ids))

    def _query_count(self) -> int:
        return db.session.scalar(self._query_args["count_select"])


class _ListPagination(Pagination):
    def _query_items(self) -> list[Any]:
        items = self._query_args["items"]
        return list(items[self._query_offset:self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def paginate_list(items: Sequence[Any], *, per_page: int) -> Pagination:
    """The page named by ``?page=`` of a list already in memory."""
    return _ListPagination(
        items=items, page=request.args.get("page", 1, type=int), per_page=per_page,
        max_per_page=None, error_out=False, count=True,
    )


def paginate_ids(
    ids: Select, load: Callable[[list[int]], Sequence[Any]], count: Select, *, per_page: int
) -> Pagination:
    """The page named by ``?page=``: ``ids`` selects the ordered ids, ``load`` returns the
    objects for one page of ids in that order, ``count`` selects the number of rows."""
    return _IdPagination(
        ids=ids, load=load, count_select=count,
        page=request.args.get("page", 1, type=int), per_page=per_page,
        max_per_page=None, error_out=False, count=True,
    )
