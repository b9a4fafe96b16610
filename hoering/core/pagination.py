"""Pagination for large lists: a light count query, and a page that is found by sorting
ids only and then loaded in full (Flask-SQLAlchemy sorts and counts the full rows).

A ``Page`` has the attributes of Flask-SQLAlchemy's ``Pagination`` that the templates use
(``items``, ``page``, ``pages``, ``total``, ``has_prev``/``prev_num``,
``has_next``/``next_num``, ``iter_pages``), so pages from ``db.paginate`` and from here
share the ``pagination`` macro. It is our own: Flask-SQLAlchemy 3 does not support
making a ``Pagination`` by hand (its constructor and query hooks are private)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

from flask import request
from sqlalchemy import Select

from hoering.core.converters import MAX_ID
from hoering.core.db import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """Page ``page`` (from 1) of ``total`` items, ``per_page`` to a page. A page past the
    last one has no items (no 404, like ``db.paginate(..., error_out=False)``)."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(
        self, *, left_edge: int = 2, left_current: int = 2, right_current: int = 4,
        right_edge: int = 2,
    ) -> Iterator[int | None]:
        """Page numbers for a pager, ``None`` for a gap (as Flask-SQLAlchemy's): on page 7
        of 20, 1 2 None 5 6 7 8 9 10 11 None 19 20."""
        shown = {*range(1, left_edge + 1),
                 *range(self.page - left_current, self.page + right_current + 1),
                 *range(self.pages - right_edge + 1, self.pages + 1)}
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if number > previous + 1:
                yield None
            yield number
            previous = number

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


MAX_PAGE = MAX_ID  # a page beyond this is this page (empty): its offset fits a BIGINT


def requested_page() -> int:
    """``?page=``, or 1 if it is missing, not a number or below 1, at most ``MAX_PAGE``.
    Pass it to ``db.paginate(page=...)``, which would read ``?page=`` unbounded."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def paginate_list(items: Sequence[T], *, per_page: int) -> Page[T]:
    """The page named by ``?page=`` of a list already in memory."""
    page = requested_page()
    offset = (page - 1) * per_page
    return Page(list(items[offset:offset + per_page]), page, per_page, len(items))


def paginate_ids(
    ids: Select[int],
    load: Callable[[list[int]], Sequence[T]],
    count: Select[int],
    *,
    per_page: int,
) -> Page[T]:
    """The page named by ``?page=``: ``ids`` selects the ordered ids, ``load`` returns the
    objects for one page of ids in that order, ``count`` selects the number of rows."""
    page = requested_page()
    page_ids = list(db.session.scalars(ids.limit(per_page).offset((page - 1) * per_page)))
    items = list(load(page_ids))
    total: int = db.session.scalar(count) or 0
    return Page(items, page, per_page, total)
