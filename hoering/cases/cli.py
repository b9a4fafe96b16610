"""``flask --app hoering case list`` and ``case show ID [--json]``: the case track for
operators and scripts (stable output)."""

from __future__ import annotations

import json
from typing import Any

import click
from flask import Flask
from sqlalchemy import select

from hoering.cases.models import CaseDecision
from hoering.cases.queries import adopted_version_id, decisions_of, stage_of, stages_of
from hoering.cases.stages import TRANSITIONS
from hoering.core.db import db
from hoering.policies.models import Policy, PolicyVersion


def in_meeting_order(decisions: list[CaseDecision]) -> list[CaseDecision]:
    """The decisions in meeting order, each correction right after the decision it
    corrects (the withdrawn original first)."""
    corrections = {d.corrects_id: d for d in decisions if d.corrects_id is not None}
    ordered: list[CaseDecision] = []

    def place(decision: CaseDecision) -> None:
        ordered.append(decision)
        if decision.id in corrections:
            place(corrections[decision.id])

    for decision in decisions:
        if decision.corrects_id is None:
            place(decision)
    return ordered


def case_summary(policy: Policy) -> dict[str, Any]:
    """What ``case show --json`` prints."""
    version_id = adopted_version_id(policy)
    version = db.session.get(PolicyVersion, version_id) if version_id else None
    return {
        "stage": stage_of(policy).value,
        "adopted_version": version.number if version else None,
        "decisions": [
            {"action": d.action, "body": d.body.abbreviation if d.body else None,
             "meeting_date": d.meeting_date.isoformat() if d.meeting_date else None,
             "item": d.agenda_item, "withdrawn": d.is_withdrawn}
            for d in in_meeting_order(decisions_of(policy))
        ],
    }


def _readable(policy: Policy, summary: dict[str, Any]) -> list[str]:
    lines = [f"{policy.title}", f"Fase: {summary['stage']}"]
    if summary["adopted_version"] is not None:
        lines.append(f"Vedtaget version: {summary['adopted_version']}")
    for d in summary["decisions"]:
        label = TRANSITIONS[d["action"]].label if d["action"] in TRANSITIONS else d["action"]
        where = " ".join(str(part) for part in (d["body"], d["meeting_date"]) if part)
        item = f" punkt {d['item']}" if d["item"] else ""
        lines.append(f"- {where}{item}: {d['action']} ({label})"
                     + (" [trukket tilbage]" if d["withdrawn"] else ""))
    return lines


def register_commands(app: Flask) -> None:
    @app.cli.group("case")
    def case_group() -> None:
        """Policies' case tracks (sagens gang)."""

    @case_group.command("list")
    def list_cases() -> None:
        """One line per policy: id, tab, stage, tab, title."""
        policies = list(db.session.scalars(select(Policy).order_by(Policy.id)))
        stages = stages_of([p.id for p in policies])
        for policy in policies:
            click.echo(f"{policy.id}\t{stages[policy.id].value}\t{policy.title}")

    @case_group.command("show")
    @click.argument("policy_id", type=int)
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def show_case(policy_id: int, as_json: bool) -> None:
        """The stage, adopted version and decisions of POLICY_ID."""
        policy = db.session.get(Policy, policy_id)
        if policy is None:
            raise click.ClickException(f"Politik {policy_id} findes ikke.")
        summary = case_summary(policy)
        if as_json:
            click.echo(json.dumps(summary, ensure_ascii=False))
        else:
            click.echo("\n".join(_readable(policy, summary)))

