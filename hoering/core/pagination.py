"""Pagination for large lists: a light count query, and a page that is found by sorting
ids only and then loaded in full (Flask-SQLAlchemy sorts and counts the full rows).

A ``Page`` has the attributes of Flask-SQLAlchemy's ``Pagination`` that the templates use
(``items``, ``page``, ``pages``, ``total``, ``has_prev``/``prev_num``,
``has_next``/``next_num``, ``iter_pages``), so pages from ``db.paginate`` and from here
share the ``pagination`` macro. It is our own: Flask-SQLAlchemy 3 does not support
making a ``Pagination`` by hand (its constructor and query hooks are private).

Lists of tens of thousands whose order follows a few groups (the inbox: by section, then
sender, then id) are paged by ``paginate_groups``: the sizes of the groups are counted
(that is the total too), and a page is read as slices of the one or two groups it
falls in, each from its group's start or end, whichever is nearer. No query skips past
the rows before the page: the offset within a group is at most half of it, and an
index on the group's key (ending with the order) makes even that an index range."""

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
G = TypeVar("G")


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


@dataclass(frozen=True)
class GroupSlice(Generic[G]):
    """``limit`` items of ``group`` after skipping ``offset``, counted from the group's
    first item, or from its last one if ``from_end`` (then read in reverse)."""

    group: G
    offset: int
    limit: int
    from_end: bool = False


def page_slices(
    groups: Sequence[G], sizes: Sequence[int], start: int, count: int
) -> list[GroupSlice[G]]:
    """The slices of consecutive groups of these sizes that hold items ``start`` to
    ``start + count`` (exclusive) of the whole list."""
    slices: list[GroupSlice[G]] = []
    end, first = start + count, 0
    for group, size in zip(groups, sizes, strict=True):
        low, high = max(start, first), min(end, first + size)
        if low < high:
            offset, limit = low - first, high - low
            after = size - offset - limit
            slices.append(GroupSlice(group, min(offset, after), limit, after < offset))
        first += size
        if first >= end:
            break
    return slices


def paginate_groups(
    groups: Sequence[G],
    sizes: Sequence[int],
    fetch: Callable[[list[GroupSlice[G]]], list[int]],
    load: Callable[[list[int]], Sequence[T]],
    *,
    per_page: int,
) -> Page[T]:
    """The page named by ``?page=`` of a list made of ``groups`` in order, with these
    ``sizes``: ``fetch`` returns the ids of slices of groups in order, ``load`` the
    objects for those ids. A page past the last one queries nothing more."""
    page = requested_page()
    slices = page_slices(groups, sizes, (page - 1) * per_page, per_page)
    ids = fetch(slices) if slices else []
    items = list(load(ids)) if ids else []
    return Page(items, page, per_page, sum(sizes))
