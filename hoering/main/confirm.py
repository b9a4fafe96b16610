"""The one pattern for actions that need a confirmation page: GET shows the question,
POST (with a valid CSRF token) performs the operation, commits once and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue

from hoering.accounts.forms import EmptyForm
from hoering.db import db


def confirmed(
    perform: Callable[[], Any],
    *,
    title: str,
    question: str,
    confirm_label: str,
    cancel_url: str,
    done: str | Callable[[Any], str],
    next_url: str,
) -> ResponseReturnValue:
    """``done`` is the success message, or a function of what ``perform`` returned."""
    form = EmptyForm()
    if form.validate_on_submit():
        result = perform()
        db.session.commit()
        flash(done(result) if callable(done) else done, "success")
        return redirect(next_url)
    return render_template(
        "confirm.html", form=form, title=title, question=question,
        confirm_label=confirm_label, cancel_url=cancel_url,
    )
