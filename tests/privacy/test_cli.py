"""``flask purge-personal-data`` and ``flask export-personal-data``."""

from __future__ import annotations

import json

from sqlalchemy import select

from hoering.audit.log import verify
from hoering.audit.models import AuditEvent
from hoering.consultations.models import ANONYMISED, PublicSubmitter
from hoering.core.clock import frozen_at
from hoering.core.db import db
from tests.privacy.factories import (
    MOMENT,
    RETENTION_DAYS,
    World,
    citizens_of,
    public_consultation_with_responses,
)


def names(world: World) -> list[str]:
    db.session.expire_all()
    return [r.submitter.name for c in world.due for r in world.responses[c.id]]


def run(app, *args: str):
    db.session.commit()
    with frozen_at(MOMENT):
        return app.test_cli_runner().invoke(args=["purge-personal-data", *args])


def test_a_dry_run_prints_what_it_would_do_and_changes_nothing(app, world: World):
    before = names(world)

    result = run(app, "--dry-run", "--retention-days", str(RETENTION_DAYS))

    assert result.exit_code == 0, result.output
    assert (f"Høring {world.adopted.id} »Kulturpolitik« (opbevaringsperioden regnes fra "
            "5. marts 2025 kl. 10:00): ville anonymisere 2 høringssvar, 2 bilag, "
            "2 kvitteringsmails.") in result.output
    assert "Prøvekørsel: intet er ændret." in result.output
    assert names(world) == before
    assert ANONYMISED not in before


def test_the_purge_anonymises_commits_and_prints_counts(app, world: World):
    result = run(app, "--retention-days", str(RETENTION_DAYS))

    assert result.exit_code == 0, result.output
    assert (f"Høring {world.rejected.id} »Idrætspolitik« (opbevaringsperioden regnes fra "
            "12. februar 2025 kl. 00:00): anonymiseret 2 høringssvar, 2 bilag, "
            "2 kvitteringsmails.") in result.output
    assert ("Anonymiseret i alt: 4 høringssvar, 4 bilag, 4 kvitteringsmails i 2 høringer "
            "(opbevaringsperiode: 365 dage).") in result.output
    assert set(names(world)) == {ANONYMISED}
    assert verify().ok

    again = run(app, "--retention-days", str(RETENTION_DAYS))

    assert again.exit_code == 0, again.output
    assert "Ingen persondata at anonymisere (opbevaringsperiode: 365 dage)." in again.output


def test_the_retention_period_comes_from_the_configuration(app, world: World, monkeypatch):
    monkeypatch.setitem(app.config, "PERSONAL_DATA_RETENTION_DAYS", 10_000)
    assert "Ingen persondata at anonymisere (opbevaringsperiode: 10000 dage)." in run(
        app).output

    monkeypatch.setitem(app.config, "PERSONAL_DATA_RETENTION_DAYS", 30)
    result = run(app)

    assert "i 4 høringer (opbevaringsperiode: 30 dage)." in result.output
    db.session.expire_all()
    assert db.session.scalar(select(PublicSubmitter).where(
        PublicSubmitter.response_id == world.responses[world.recent.id][0].id
    )).purged_at == MOMENT


def test_a_negative_retention_period_is_refused(app, world: World):
    result = run(app, "--retention-days", "-1")

    assert result.exit_code != 0
    assert names(world)[0] != ANONYMISED


def test_export_writes_the_data_to_a_file(app, tmp_path):
    consultation, responses = public_consultation_with_responses("Kulturpolitik")
    citizen = citizens_of(consultation)[0]
    number = responses[0].submitter.receipt_number
    output = tmp_path / "persondata.json"

    result = app.test_cli_runner().invoke(args=[
        "export-personal-data", "--receipt", number, "--email", citizen.email.upper(),
        "--output", str(output)])

    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert (data["receipt_number"], data["sender"]["name"]) == (number, citizen.name)
    db.session.expire_all()
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "privacy:export"))
    assert (event.object_id, event.actor_label) == (responses[0].id, "system")


def test_export_refuses_a_wrong_email(app, tmp_path):
    consultation, responses = public_consultation_with_responses("Kulturpolitik")
    output = tmp_path / "persondata.json"

    result = app.test_cli_runner().invoke(args=[
        "export-personal-data", "--receipt", responses[0].submitter.receipt_number,
        "--email", "someone.else@example.dk", "--output", str(output)])

    assert result.exit_code != 0
    assert "Der er ikke noget høringssvar" in result.output
    assert not output.exists()
