"""``flask --app hoering version list`` and ``version export``, on the demo: operators'
scripts read the output, so its shape is fixed. The demo's revised draft (version 2)
compared with the consultation version (1) carries comments citing its linked remarks
by body abbreviation."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hoering.consultations.models import ChangeLink
from hoering.core.db import db
from hoering.demo.loader import load_demo
from hoering.policies.models import Policy, PolicyVersion, Section
from tests.conftest import empty_all_tables

COMMITTED_WORLDS = ("demo",)  # the tests on the demo run last in the module


@pytest.fixture(scope="module")
def demo(app) -> Iterator[None]:
    """The demo, loaded and committed once per backend; emptied after the module."""
    with app.app_context():
        load_demo()
        db.session.commit()
        db.session.remove()
    yield
    with app.app_context():
        empty_all_tables()


def _version(number: int, title_start: str = "Politiske principper") -> PolicyVersion:
    return db.session.scalars(
        select(PolicyVersion).join(Policy)
        .where(PolicyVersion.number == number, Policy.title.startswith(title_start))
    ).one()


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["version", *args])


def test_list_prints_id_policy_number_and_title_separated_by_tabs(app, demo):
    result = _run(app, "list")
    assert result.exit_code == 0, result.output
    expected = [
        f"{v.id}\t{v.policy_id}\t{v.number}\t{v.policy.title}"
        for v in db.session.scalars(select(PolicyVersion).join(Policy)
                                    .order_by(Policy.id, PolicyVersion.number))
    ]
    assert result.output.splitlines() == expected
    assert len(expected) >= 3  # the digitalisation principles' two versions, the culture's
    assert expected[0].split("\t")[2:] == [
        "1", "Politiske principper for digitalisering i Ballerup Kommune"]


def _linked_abbreviations(version: PolicyVersion) -> set[str]:
    links = db.session.scalars(select(ChangeLink).join(Section).where(
        Section.version_id == version.id))
    return {link.remark.response.sender_abbreviation for link in links}


def test_the_demo_revised_draft_cites_its_remarks_in_comments(app, demo, tmp_path):
    consulted, revised = _version(1), _version(2)
    output = tmp_path / "revideret.docx"
    result = _run(app, "export", str(revised.id), "--format", "docx", "--compare-to",
                  str(consulted.id), "--output", str(output))
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert result.output == f"{output} ({len(data)} bytes)\n"
    comments = docx.Document(io.BytesIO(data)).comments
    assert len(comments) >= 5
    cited = {abbreviation for comment in comments
             for abbreviation in re.findall(r"» \(([^)]+)\)", comment.text)}
    assert {"KMU", "SOU"} <= cited
    assert cited == _linked_abbreviations(revised)
    assert all("Administrationens bemærkninger:" in comment.text for comment in comments)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
    assert "<w:ins " in body and "<w:del " in body


@pytest.mark.parametrize("compare", [True, False])
def test_export_as_pdf_redline_or_clean(app, demo, tmp_path, compare):
    consulted, revised = _version(1), _version(2)
    output = tmp_path / "udkast.pdf"
    extra = ["--compare-to", str(consulted.id)] if compare else []
    result = _run(app, "export", str(revised.id), "--format", "pdf", *extra,
                  "--output", str(output))
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(output).pages)
    assert ("(KMU)" in text and "(SOU)" in text) is compare
    assert "Princip 1" in text


def test_export_refuses_unknown_versions_and_another_policy(app, demo, tmp_path):
    output = tmp_path / "x.docx"
    revised, culture = _version(2), _version(1, "Kultur")
    unknown = str(max(db.session.scalars(select(PolicyVersion.id))) + 1)
    cases = [
        ([unknown, "--format", "docx"], f"Version {unknown} findes ikke."),
        ([str(revised.id), "--format", "docx", "--compare-to", unknown],
         f"Version {unknown} findes ikke."),
        ([str(revised.id), "--format", "pdf", "--compare-to", str(culture.id)],
         "hører til en anden politik"),
    ]
    for args, message in cases:
        result = _run(app, "export", *args, "--output", str(output))
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, result.output
    assert not output.exists()
    result = _run(app, "export", str(revised.id), "--format", "odt", "--output", str(output))
    assert result.exit_code == 2  # a usage error, as click reports it
