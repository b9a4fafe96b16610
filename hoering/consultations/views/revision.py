"""The revised draft: its comparison with the consulted version, and the remarks behind
each change."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from hoering.consultations import operations
from hoering.consultations.forms import LinkRemarksForm
from hoering.consultations.queries import change_links_for_sections, contradictions
from hoering.consultations.revision import (
    compare_versions,
    consultations_on,
    remarks_answerable_by,
)
from hoering.consultations.views.blueprint import bp
from hoering.core.converters import id_arg
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import perform
from hoering.policies.models import PolicyVersion, Section


@bp.route("/politikker/versioner/<int:version_id>/sammenlign")
@permission_required(Permission.VIEW_POLICIES)
def compare(version_id: int):
    """Version ``version_id`` (the revision) against ``?med=`` (default: the previous
    version), section by section, with the remarks each change answers."""
    new = db.get_or_404(PolicyVersion, version_id)
    old_id = id_arg("med")
    old = db.get_or_404(PolicyVersion, old_id) if old_id else next(
        (v for v in reversed(new.policy.versions) if v.number < new.number), None)
    if old is None or old.policy_id != new.policy_id:
        abort(404)
    return render_template(
        "consultations/compare.html", policy=new.policy, old=old, new=new,
        compared=compare_versions(old, new),
        contradictions=[c for consultation in consultations_on(old)
                        for c in contradictions(consultation)],
    )


@bp.route("/politikker/afsnit/<int:section_id>/bemaerkninger", methods=["GET", "POST"])
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
        return perform(
            lambda: operations.set_change_links(section, form.remark_ids.data or [],
                                                remarks=remarks, actor=current_user),
            done=_("Bemærkningerne bag ændringen er gemt."),
            next_url=url_for("policies.version", version_id=section.version_id,
                             _anchor=f"afsnit-{section.id}"),
        )
    return render_template("consultations/link_remarks.html", section=section, remarks=remarks,
                           linked=set(links), form=form)
