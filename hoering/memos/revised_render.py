"""The revised draft as a file: ``render_revised(draft, fmt)`` for the formats it comes in,
and the file's name; used by the downloads and the CLI."""

from __future__ import annotations

import re

from hoering.core.i18n import in_municipality_language
from hoering.memos.revised_docx import render_revised_docx
from hoering.memos.revised_draft import RevisedDraft
from hoering.memos.revised_pdf import render_revised_pdf
from hoering.policies.models import PolicyVersion

FORMATS = ("docx", "pdf")


@in_municipality_language()
def render_revised(draft: RevisedDraft, fmt: str) -> bytes:
    if fmt == "docx":
        return render_revised_docx(draft)
    if fmt == "pdf":
        return render_revised_pdf(draft)
    raise ValueError(f"unknown format of the revised draft: {fmt}")


def download_name(draft: RevisedDraft, version: PolicyVersion, extension: str) -> str:
    """"revideret-udkast-med-aendringer-politiske-principper-version-2.docx"."""
    kind = "revideret-udkast-med-aendringer" if draft.tracked else "revideret-udkast"
    slug = re.sub(r"[^0-9a-zæøå]+", "-", draft.title.lower()).strip("-")[:60]
    return f"{kind}-{slug}-version-{version.number}.{extension}"
