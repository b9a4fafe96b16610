"""The revised draft: its comparison with the consulted version, and the remarks behind
each change."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from hoering.consultations import operations
from hoering.consultations.forms import LinkRemarksForm
from hoering.consultations.models import Remark
from hoering.consultations.queries import change_links_for_sections, contradictions
from hoering.consultations.revision import (
    Passage,
    changed_passages,
    compare_versions,
    consultations_on,
    remarks_answerable_by,
    version_to_compare_with,
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
    old = version_to_compare_with(new, id_arg("med"))
    if old is None:
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
        chosen = form.remark_ids.data or []
        # each remark's passage (the select "passage-<id>"; empty: the whole section)
        passages = {remark_id: request.form.get(f"passage-{remark_id}") or None
                    for remark_id in chosen}
        return perform(
            lambda: operations.set_change_links(section, chosen, remarks=remarks,
                                                passages=passages, actor=current_user),
            done=_("Bemærkningerne bag ændringen er gemt."),
            next_url=url_for("policies.version", version_id=section.version_id,
                             _anchor=f"afsnit-{section.id}"),
        )
    return render_template("consultations/link_remarks.html", section=section, remarks=remarks,
                           linked=set(links), form=form, passages=_passages(section, remarks),
                           linked_passages={r: link.passage for r, link in links.items()})


def _passages(section: Section, remarks: list[Remark]) -> dict[int, list[Passage]]:
    """The changed passages of ``section`` each remark can be linked to: against the
    version its consultation was on (by remark id)."""
    by_version: dict[int, list[Passage]] = {}
    found: dict[int, list[Passage]] = {}
    for remark in remarks:
        consulted = remark.response.consultation.version
        if consulted.id not in by_version:
            by_version[consulted.id] = changed_passages(consulted, section.version).get(
                section.id, [])
        found[remark.id] = by_version[consulted.id]
    return found
