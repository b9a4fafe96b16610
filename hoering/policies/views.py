"""Policies, their versions and the sections of a version."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from hoering.accounts.forms import EmptyForm, body_choices
from hoering.accounts.models import Body
from hoering.accounts.queries import all_bodies
from hoering.consultations import operations as consultation_operations
from hoering.consultations.queries import change_links_for_sections, contradictions
from hoering.db import db
from hoering.errors import DomainError
from hoering.main.confirm import confirmed
from hoering.permissions import Permission, permission_required
from hoering.policies import operations
from hoering.policies.draft_split import split_draft
from hoering.policies.forms import DraftForm, LinkRemarksForm, PolicyForm, SectionForm
from hoering.policies.models import Policy, PolicyVersion, Section
from hoering.policies.queries import consultations_of_policy, policies_query
from hoering.policies.revision import compare_versions, consultations_on, remarks_answerable_by

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
    page = db.paginate(
        policies_query(), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    return render_template("policies/index.html", page=page)


@bp.route("/ny", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def new():
    form = _policy_form()
    if not form.owner_body_id.choices:
        flash(_("Opret først et organ, der kan eje politikken."), "info")
    if form.validate_on_submit():
        policy = operations.create_policy(
            title=form.title.data, journal_number=form.journal_number.data,
            description=form.description.data or "",
            owner_body=db.get_or_404(Body, form.owner_body_id.data), actor=current_user,
        )
        db.session.commit()
        flash(_("Politikken er oprettet. Tilføj nu den første version."), "success")
        return redirect(url_for("policies.new_version", policy_id=policy.id))
    return render_template("policies/policy_form.html", form=form, policy=None)


@bp.route("/<int:policy_id>")
@permission_required(Permission.VIEW_POLICIES)
def show(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    return render_template("policies/show.html", policy=policy, button_form=EmptyForm(),
                           consultations=consultations_of_policy(policy))


@bp.route("/<int:policy_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def edit(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    form = _policy_form(policy)
    if form.validate_on_submit():
        operations.update_policy(
            policy, title=form.title.data, journal_number=form.journal_number.data,
            description=form.description.data or "",
            owner_body=db.get_or_404(Body, form.owner_body_id.data), actor=current_user,
        )
        db.session.commit()
        flash(_("Ændringerne er gemt."), "success")
        return redirect(url_for("policies.show", policy_id=policy.id))
    return render_template("policies/policy_form.html", form=form, policy=policy)


# --- versions ------------------------------------------------------------------------


@bp.route("/<int:policy_id>/versioner/ny", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def new_version(policy_id: int):
    """Paste a draft, see how it splits into sections, then create the version."""
    policy = db.get_or_404(Policy, policy_id)
    form = DraftForm()
    preview = None
    if form.validate_on_submit():
        if "create" in request.form:
            try:
                version = operations.create_version_from_draft(
                    policy, form.source.data, note=form.note.data or "", actor=current_user
                )
            except DomainError as error:
                form.source.errors.append(error.message)
            else:
                db.session.commit()
                flash(
                    _("Version %(n)d er oprettet med %(count)d afsnit. Ret afsnittene herunder.",
                      n=version.number, count=len(version.sections)),
                    "success",
                )
                return redirect(_version_url(version))
        preview = split_draft(form.source.data)
        if not preview:
            form.source.errors.append(_("Udkastet er tomt. Indsæt teksten til den nye version."))
    return render_template("policies/version_new.html", policy=policy, form=form, preview=preview)


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
    version = operations.copy_version(source, actor=current_user)
    db.session.commit()
    flash(_("Version %(n)d er oprettet som kopi af version %(m)d.",
            n=version.number, m=source.number), "success")
    return redirect(_version_url(version))


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
        section = operations.add_section(
            version, heading=form.heading.data, text=form.text.data or "", actor=current_user
        )
        db.session.commit()
        flash(_("Afsnittet er tilføjet."), "success")
        return redirect(_version_url(version, _anchor=f"afsnit-{section.id}"))
    return render_template("policies/section_form.html", form=form, version=version, section=None)


@bp.route("/afsnit/<int:section_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.EDIT_POLICIES)
def edit_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    form = SectionForm(obj=section if request.method == "GET" else None)
    if form.validate_on_submit():
        operations.update_section(
            section, heading=form.heading.data, text=form.text.data or "", actor=current_user
        )
        db.session.commit()
        flash(_("Afsnittet er gemt."), "success")
        return redirect(_version_url(section.version, _anchor=f"afsnit-{section.id}"))
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
    operations.move_section(section, offsets[direction], actor=current_user)
    db.session.commit()
    return redirect(_version_url(section.version, _anchor=f"afsnit-{section.id}"))


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


@bp.route("/versioner/<int:version_id>/sammenlign")
@permission_required(Permission.VIEW_POLICIES)
def compare(version_id: int):
    """Version ``version_id`` (the revision) against ``?med=`` (default: the previous
    version), section by section, with the remarks each change answers."""
    new = db.get_or_404(PolicyVersion, version_id)
    old_id = request.args.get("med", type=int)
    old = db.get_or_404(PolicyVersion, old_id) if old_id else next(
        (v for v in reversed(new.policy.versions) if v.number < new.number), None)
    if old is None or old.policy_id != new.policy_id:
        abort(404)
    return render_template(
        "policies/compare.html", policy=new.policy, old=old, new=new,
        compared=compare_versions(old, new),
        contradictions=[c for consultation in consultations_on(old)
                        for c in contradictions(consultation)],
    )


@bp.route("/afsnit/<int:section_id>/bemaerkninger", methods=["GET", "POST"])
@permission_required(Permission.PROCESS_REMARKS)
def link_remarks(section_id: int):
    """From the version editor: tick the remarks this section's change answers."""
    section = db.get_or_404(Section, section_id)
    remarks = remarks_answerable_by(section)
    links = {link.remark_id: link for link in change_links_for_sections([section.id])
             .get(section.id, [])}
    form = LinkRemarksForm()
    form.remark_ids.choices = [SelectChoice(r.id, str(r.id)) for r in remarks]
    if form.validate_on_submit():
        wanted = set(form.remark_ids.data or [])
        by_id = {r.id: r for r in remarks}
        for remark_id in sorted(wanted - set(links)):
            consultation_operations.link_change(by_id[remark_id], section, actor=current_user)
        for remark_id in sorted(set(links) - wanted):
            consultation_operations.unlink_change(links[remark_id], actor=current_user)
        db.session.commit()
        flash(_("Bemærkningerne bag ændringen er gemt."), "success")
        return redirect(_version_url(section.version, _anchor=f"afsnit-{section.id}"))
    return render_template("policies/link_remarks.html", section=section, remarks=remarks,
                           linked=set(links), form=form)
