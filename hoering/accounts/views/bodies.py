"""The administration of bodies, also imported from a CSV file."""

from __future__ import annotations

from functools import partial

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts import body_import, operations
from hoering.accounts.csv_plan import LineStatus
from hoering.accounts.forms import BodyForm
from hoering.accounts.models import Body, BodyKind
from hoering.accounts.queries import bodies_query, body_members
from hoering.accounts.views.blueprint import bp
from hoering.accounts.views.csv_preview import CsvImportPages
from hoering.core.db import db
from hoering.core.pagination import requested_page
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import confirmed, form_error, perform


@bp.route("/organer")
@permission_required(Permission.VIEW_BODIES)
def bodies():
    page = db.paginate(bodies_query(), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("accounts/bodies.html", page=page)


@bp.route("/organer/nyt", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def new_body():
    form = BodyForm()
    page = partial(render_template, "accounts/body_form.html", form=form, body=None)
    if form.validate_on_submit():
        return perform(
            lambda: operations.create_body(
                name=form.name.data, abbreviation=form.abbreviation.data,
                kind=BodyKind(form.kind.data), contact_email=form.contact_email.data,
                actor=current_user,
            ),
            done=lambda body: _("%(name)s er oprettet.", name=body.name),
            next_url=lambda body: url_for("accounts.body", body_id=body.id),
            on_error=form_error(form.name, page),
        )
    return page()


BODY_IMPORT_PAGES = CsvImportPages(
    "accounts/body_import.html", body_import.plan_import, "accounts.import_bodies",
    changed_message=lambda: _("Organerne er ændret, siden forhåndsvisningen blev vist. Se den "
                              "nye forhåndsvisning, og bekræft igen."),
)


@bp.route("/organer/indlaes", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def import_bodies():
    """Upload a CSV file of bodies: a preview of what each line would do."""
    return BODY_IMPORT_PAGES.upload()


@bp.route("/organer/indlaes/bekraeft", methods=["POST"])
@permission_required(Permission.MANAGE_BODIES)
def confirm_body_import():
    """Import the previewed file, all of it or nothing, if the bodies are as previewed."""
    return BODY_IMPORT_PAGES.confirm(
        lambda plan: body_import.import_bodies(plan, actor=current_user),
        done=lambda done: _("Filen er indlæst: %(new)d organer oprettet, %(updated)d ændret.",
                            new=done.count(LineStatus.NEW),
                            updated=done.count(LineStatus.UPDATED)),
        next_url=url_for("accounts.bodies"),
    )


@bp.route("/organer/<int:body_id>")
@permission_required(Permission.VIEW_BODIES)
def body(body_id: int):
    body = db.get_or_404(Body, body_id)
    return render_template("accounts/body.html", body=body, members=body_members(body))


@bp.route("/organer/<int:body_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def edit_body(body_id: int):
    body = db.get_or_404(Body, body_id)
    form = BodyForm(obj=None if request.method == "POST" else body)
    if request.method == "GET":
        form.kind.data = body.kind.value
    page = partial(render_template, "accounts/body_form.html", form=form, body=body)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_body(
                body, name=form.name.data, abbreviation=form.abbreviation.data,
                kind=BodyKind(form.kind.data), contact_email=form.contact_email.data,
                actor=current_user,
            ),
            done=_("Ændringerne er gemt."), next_url=url_for("accounts.body", body_id=body.id),
            on_error=form_error(form.name, page),
        )
    return page()


@bp.route("/organer/<int:body_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def delete_body(body_id: int):
    body = db.get_or_404(Body, body_id)
    return confirmed(
        lambda: operations.delete_body(body, actor=current_user),  # DomainError → 409 page
        title=_("Slet organ"),
        question=_("Vil du slette %(name)s (%(abbr)s)? Medlemskaberne fjernes også.",
                   name=body.name, abbr=body.abbreviation),
        confirm_label=_("Slet organ"), cancel_url=url_for("accounts.body", body_id=body.id),
        done=_("%(name)s er slettet.", name=body.name), next_url=url_for("accounts.bodies"),
    )
