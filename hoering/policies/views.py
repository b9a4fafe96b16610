"""Policies, their versions and the sections of a version."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts.forms import body_choices
from hoering.accounts.models import Body
from hoering.accounts.queries import all_bodies
from hoering.core.db import db
from hoering.core.pagination import requested_page
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import EmptyForm, confirmed, form_error, perform
from hoering.policies import operations
from hoering.policies.draft_split import split_draft
from hoering.policies.forms import DraftForm, PolicyForm, SectionForm
from hoering.policies.models import Policy, PolicyVersion, Section
from hoering.policies.queries import policies_query

bp = Blueprint("policies", __name__, url_prefix="/politikker")


def _policy_form(policy: Policy | None = None) -> PolicyForm:
    form = PolicyForm(obj=policy if request.method == "GET" else None)
    form.owner_body_id.choices = body_choices(all_bodies())
    return form


def _version_url(version: PolicyVersion, **anchor) -> str:
    return url_for("policies.version", version_id=version.id, **anchor)


# --- policies ------------------------------------------------------------------------


@bp.route("/")
@permission_required(Permission.VIEW_POLICIES)
def index():
    page = db.paginate(policies_query(), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("policies/index.html", page=page)


@bp.route("/ny", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def new():
    form = _policy_form()
    if not form.owner_body_id.choices:
        flash(_("Opret først et organ, der kan eje politikken."), "info")
    if form.validate_on_submit():
        owner = db.get_or_404(Body, form.owner_body_id.data)
        return perform(
            lambda: operations.create_policy(
                title=form.title.data, journal_number=form.journal_number.data,
                description=form.description.data or "", owner_body=owner, actor=current_user,
            ),
            done=_("Politikken er oprettet. Tilføj nu den første version."),
            next_url=lambda policy: url_for("policies.new_version", policy_id=policy.id),
        )
    return render_template("policies/policy_form.html", form=form, policy=None)


@bp.route("/<int:policy_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def edit(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    form = _policy_form(policy)
    if form.validate_on_submit():
        owner = db.get_or_404(Body, form.owner_body_id.data)
        return perform(
            lambda: operations.update_policy(
                policy, title=form.title.data, journal_number=form.journal_number.data,
                description=form.description.data or "", owner_body=owner, actor=current_user,
            ),
            done=_("Ændringerne er gemt."), next_url=url_for("cases.policy", policy_id=policy.id),
        )
    return render_template("policies/policy_form.html", form=form, policy=policy)


# --- versions ------------------------------------------------------------------------


def _draft_preview(policy: Policy, form: DraftForm) -> str:
    """The new-version page with the (validated) draft split into sections."""
    preview = split_draft(form.source.data)
    if not preview:
        form.source.errors.append(_("Udkastet er tomt. Indsæt teksten til den nye version."))
    return render_template("policies/version_new.html", policy=policy, form=form, preview=preview)


@bp.route("/<int:policy_id>/versioner/ny", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def new_version(policy_id: int):
    """Paste a draft, see how it splits into sections, then create the version."""
    policy = db.get_or_404(Policy, policy_id)
    form = DraftForm()
    if not form.validate_on_submit():
        return render_template("policies/version_new.html", policy=policy, form=form,
                               preview=None)
    preview = partial(_draft_preview, policy, form)
    if "create" not in request.form:
        return preview()
    return perform(
        lambda: operations.create_version_from_draft(
            policy, form.source.data, note=form.note.data or "", actor=current_user
        ),
        done=lambda version: _(
            "Version %(n)d er oprettet med %(count)d afsnit. Ret afsnittene herunder.",
            n=version.number, count=len(version.sections)),
        next_url=_version_url, on_error=form_error(form.source, preview),
    )


@bp.route("/versioner/<int:version_id>")
@permission_required(Permission.VIEW_POLICIES)
def version(version_id: int):
    version = db.get_or_404(PolicyVersion, version_id)
    return render_template("policies/version.html", version=version, policy=version.policy,
                           button_form=EmptyForm())


@bp.route("/versioner/<int:version_id>/kopi", methods=["POST"])
@permission_required(Permission.EDIT_POLICIES)
def copy_version(version_id: int):
    source = db.get_or_404(PolicyVersion, version_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: operations.copy_version(source, actor=current_user),
        done=lambda version: _("Version %(n)d er oprettet som kopi af version %(m)d.",
                               n=version.number, m=source.number),
        next_url=_version_url,
    )


@bp.route("/versioner/<int:version_id>/laas", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def freeze_version(version_id: int):
    version = db.get_or_404(PolicyVersion, version_id)
    return confirmed(
        lambda: operations.freeze_version(version, actor=current_user),
        title=_("Lås version"),
        question=_("Vil du låse version %(n)d af «%(title)s»? En låst version kan ikke "
                   "redigeres igen; ændringer kræver en ny version.",
                   n=version.number, title=version.policy.title),
        confirm_label=_("Lås version"), cancel_url=_version_url(version),
        done=_("Version %(n)d er låst.", n=version.number), next_url=_version_url(version),
    )


# --- sections ------------------------------------------------------------------------


@bp.route("/versioner/<int:version_id>/afsnit/nyt", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def new_section(version_id: int):
    version = db.get_or_404(PolicyVersion, version_id)
    form = SectionForm()
    if form.validate_on_submit():
        return perform(
            lambda: operations.add_section(
                version, heading=form.heading.data, text=form.text.data or "",
                actor=current_user,
            ),
            done=_("Afsnittet er tilføjet."),
            next_url=lambda section: _version_url(version, _anchor=f"afsnit-{section.id}"),
        )
    return render_template("policies/section_form.html", form=form, version=version, section=None)


@bp.route("/afsnit/<int:section_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def edit_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    form = SectionForm(obj=section if request.method == "GET" else None)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_section(
                section, heading=form.heading.data, text=form.text.data or "",
                actor=current_user,
            ),
            done=_("Afsnittet er gemt."),
            next_url=_version_url(section.version, _anchor=f"afsnit-{section.id}"),
        )
    return render_template(
        "policies/section_form.html", form=form, version=section.version, section=section
    )


@bp.route("/afsnit/<int:section_id>/flyt", methods=["POST"])
@permission_required(Permission.EDIT_POLICIES)
def move_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    offsets = {"op": -1, "ned": 1}
    direction = request.form.get("retning")
    if not EmptyForm().validate_on_submit() or direction not in offsets:
        abort(400)
    return perform(
        lambda: operations.move_section(section, offsets[direction], actor=current_user),
        done=None, next_url=_version_url(section.version, _anchor=f"afsnit-{section.id}"),
    )


@bp.route("/afsnit/<int:section_id>/flet", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def merge_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    return confirmed(
        lambda: operations.merge_section_with_next(section, actor=current_user),
        title=_("Flet afsnit"),
        question=_("Vil du flette «%(heading)s» med det efterfølgende afsnit? Det "
                   "efterfølgende afsnits overskrift bliver til et almindeligt tekstafsnit.",
                   heading=section.heading),
        confirm_label=_("Flet afsnit"), cancel_url=_version_url(section.version),
        done=_("Afsnittene er flettet."),
        next_url=_version_url(section.version, _anchor=f"afsnit-{section.id}"),
    )


@bp.route("/afsnit/<int:section_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def delete_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    version = section.version
    return confirmed(
        lambda: operations.delete_section(section, actor=current_user),
        title=_("Slet afsnit"),
        question=_("Vil du slette afsnittet «%(heading)s»?", heading=section.heading),
        confirm_label=_("Slet afsnit"), cancel_url=_version_url(version),
        done=_("Afsnittet er slettet."), next_url=_version_url(version),
    )


# --- the revised draft: comparison and links to the remarks behind each change -------
