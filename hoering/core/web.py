"""The one pattern for actions that need a confirmation page: GET shows the question,
POST (with a valid CSRF token) performs the operation, commits once and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from hoering.core.db import db


class EmptyForm(FlaskForm):
    """Carries only the CSRF token, for buttons that post."""


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


def too_many_requests_page() -> ResponseReturnValue:
    """The 429 page: the app's handler, and the public form's when it has no form to show."""
    return render_template(
        "errors/error.html", title=_("For mange forsøg"),
        message=_("Der er kommet for mange forespørgsler fra din forbindelse på kort "
                  "tid. Vent lidt, og prøv igen."),
    ), 429


def public_url(path: str) -> str:
    """An absolute link for an e-mail: ``PUBLIC_BASE_URL`` followed by ``path``."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
