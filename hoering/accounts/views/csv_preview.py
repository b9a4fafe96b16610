"""The two pages of every import from a CSV file (bodies, users), shared by their views.

The upload shows a preview of what each line would do and stores nothing. The preview's
confirmation carries the file again (base64, in a hidden field) and the previewed plan's
digest; the file is planned anew, and imported (all of it or nothing, one commit) only if
the plan is still the one previewed: otherwise 409 and the new preview. A missing file,
or one that cannot be read, is refused on the upload's page, under the file field (422).
"""

from __future__ import annotations

import binascii
from base64 import b64decode, b64encode
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from hoering.accounts.csv_plan import ImportPlan, LineStatus
from hoering.accounts.forms import ConfirmImportForm, CsvImportForm
from hoering.core.csv_import import MAX_BYTES, CsvRefused
from hoering.core.web import flash_error, perform

Plan = ImportPlan[Any]


@dataclass(frozen=True)
class CsvImportPages:
    """An import's pages: its ``template`` (given ``form``, ``plan``, ``confirm`` and
    ``LineStatus``), how a file is planned, the endpoint of its upload page, and what the
    confirmation says when the plan changed since the preview."""

    template: str
    plan: Callable[[bytes], Plan]
    upload_endpoint: str
    changed_message: Callable[[], str]

    def upload(self) -> ResponseReturnValue:
        """The upload page; with a file, the preview of what each line would do."""
        form = CsvImportForm()
        if not form.validate_on_submit():  # the page; or no file chosen (422)
            page = render_template(self.template, form=form, plan=None)
            return (page, 422) if form.is_submitted() else page
        data = form.file.data.read(MAX_BYTES + 1)  # more is refused by the reader
        try:
            plan = self.plan(data)
        except CsvRefused as refusal:
            form.file.errors.append(refusal.message)
            return render_template(self.template, form=form, plan=None), 422
        return self.preview(plan, data)

    def preview(self, plan: Plan, data: bytes, status: int = 200) -> ResponseReturnValue:
        confirm = ConfirmImportForm(formdata=None, content=b64encode(data).decode("ascii"),
                                    digest=plan.digest)
        return render_template(self.template, form=CsvImportForm(formdata=None), plan=plan,
                               confirm=confirm, LineStatus=LineStatus), status

    def confirm(self, do_import: Callable[[Plan], Plan], *, done: Callable[[Plan], str],
                next_url: str) -> ResponseReturnValue:
        """Import the previewed file with ``do_import`` (an operation: it flushes, this
        commits), if its plan is still the previewed one."""
        form = ConfirmImportForm()
        start_again = url_for(self.upload_endpoint)
        try:
            if not form.validate_on_submit():
                raise CsvRefused(_("Forhåndsvisningen mangler. Vælg filen igen."))
            data = b64decode(form.content.data, validate=True)
            plan = self.plan(data)
        except (CsvRefused, binascii.Error) as error:
            flash(getattr(error, "message", _("Forhåndsvisningen kunne ikke læses. Vælg "
                                              "filen igen.")), "error")
            return redirect(start_again)
        if plan.digest != form.digest.data:
            flash(self.changed_message(), "error")
            return self.preview(plan, data, 409)
        return perform(lambda: do_import(plan), done=done, next_url=next_url,
                       on_error=flash_error(start_again))
