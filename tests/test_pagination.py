"""hoering.core.pagination.Page: the pager's numbers and edges, as the templates use them."""

from __future__ import annotations

import pytest

from hoering.core.pagination import Page


def page(number: int, total: int, per_page: int = 10) -> Page[int]:
    start = (number - 1) * per_page
    return Page(items=list(range(start, min(start + per_page, total))), page=number,
                per_page=per_page, total=total)


@pytest.mark.parametrize(("number", "pages", "expected"), [
    (7, 20, [1, 2, None, 5, 6, 7, 8, 9, 10, 11, None, 19, 20]),
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (20, 20, [1, 2, None, 18, 19, 20]),
    (1, 0, []),
])
def test_the_pager_shows_the_edges_and_the_pages_around_the_current_one(number, pages,
                                                                        expected):
    assert list(page(number, pages * 10).iter_pages()) == expected


def test_the_first_and_last_pages_have_no_previous_and_no_next():
    first, middle, last = page(1, 25), page(2, 25), page(3, 25)
    assert (first.has_prev, first.prev_num, first.has_next, first.next_num) == (
        False, None, True, 2)
    assert (middle.prev_num, middle.next_num) == (1, 3)
    assert (last.has_next, last.next_num, last.pages) == (False, None, 3)
    assert list(last) == [20, 21, 22, 23, 24]


def test_a_page_past_the_end_is_empty_not_an_error():
    beyond = page(9, 25)
    assert list(beyond) == [] and beyond.has_prev and not beyond.has_next
