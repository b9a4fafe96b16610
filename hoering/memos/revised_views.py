"""Downloads of the revised draft, from the page that compares it with the consulted
version: with its changes (tracked changes in .docx, a redline PDF) or clean. The same
permission as the comparison page."""

from __future__ import annotations

from flask import Blueprint, abort

from hoering.consultations.revision import version_to_compare_with
from hoering.core.converters import id_arg
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import download
from hoering.memos.formats import FORMATS as MIMETYPES
from hoering.memos.revised_draft import RevisedDraft, build_revised_draft
from hoering.memos.revised_render import FORMATS, download_name, render_revised
from hoering.policies.models import PolicyVersion

bp = Blueprint("revised_draft", __name__)


def _file(draft: RevisedDraft, version: PolicyVersion, fmt: str):
    return download(render_revised(draft, fmt), download_name(draft, version, fmt),
                    MIMETYPES[fmt].mimetype, inline=fmt == "pdf")


@bp.route("/politikker/versioner/<int:version_id>/revideret-udkast-med-aendringer.<fmt>")
@permission_required(Permission.VIEW_POLICIES)
def tracked(version_id: int, fmt: str):
    """Version ``version_id`` with its changes against ``?med=`` (default: the previous
    version) and the remarks they answer."""
    new = db.get_or_404(PolicyVersion, version_id)
    old = version_to_compare_with(new, id_arg("med"))
    if old is None or fmt not in FORMATS:
        abort(404)
    return _file(build_revised_draft(new, old), new, fmt)


@bp.route("/politikker/versioner/<int:version_id>/revideret-udkast.<fmt>")
@permission_required(Permission.VIEW_POLICIES)
def clean(version_id: int, fmt: str):
    """Version ``version_id``'s text as it reads with every change accepted."""
    new = db.get_or_404(PolicyVersion, version_id)
    if fmt not in FORMATS:
        abort(404)
    return _file(build_revised_draft(new), new, fmt)
