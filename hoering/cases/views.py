"""The case track: a policy's case page with its decisions, its timeline, and the
overview for staff."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from hoering.accounts.models import Body
from hoering.accounts.queries import all_bodies
from hoering.cases import operations
from hoering.cases.forms import DecisionForm
from hoering.cases.queries import decisions_of, earlier_decisions, overview, stage_of, timeline
from hoering.cases.stages import NEXT_STEP, STAGE_LABELS, TRANSITIONS, allowed_transitions
from hoering.consultations.minutes.context import CASE_DECISIONS
from hoering.consultations.queries import consultations_of_policy
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import EmptyForm, perform
from hoering.policies.models import Policy

bp = Blueprint("cases", __name__)


@bp.record_once
def _provide_decisions_to_minutes(state: BlueprintSetupState) -> None:
    state.app.extensions[CASE_DECISIONS] = earlier_decisions


@bp.app_context_processor
def labels():
    return {"STAGE_LABELS": STAGE_LABELS, "TRANSITIONS": TRANSITIONS, "case_stage": stage_of}


def _decision_form(policy: Policy) -> DecisionForm:
    form = DecisionForm()
    form.action.choices = [SelectChoice(t.action, t.label)
                           for t in allowed_transitions(stage_of(policy))]
    form.body_id.choices = [SelectChoice(0, _("(intet organ)"))] + [
        SelectChoice(b.id, f"{b.name} ({b.abbreviation})") for b in all_bodies()]
    return form


def _case_page(policy: Policy, form: DecisionForm):
    stage = stage_of(policy)
    return render_template(
        "cases/case.html", policy=policy, form=form, decisions=decisions_of(policy),
        stage=stage, next_step=NEXT_STEP[stage],
    )


@bp.route("/politikker/<int:policy_id>/sag", methods=["GET"])
@permission_required(Permission.VIEW_POLICIES)
def case(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    return _case_page(policy, _decision_form(policy))


@bp.route("/politikker/<int:policy_id>/sag", methods=["POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def decide(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    form = _decision_form(policy)
    if form.validate_on_submit():
        body = db.get_or_404(Body, form.body_id.data) if form.body_id.data else None

        def refused(error: DomainError):
            form.action.errors.append(error.message)
            return _case_page(policy, form), error.status_code

        return perform(
            lambda: operations.decide(
                policy, form.action.data, body=body, meeting_date=form.meeting_date.data,
                agenda_item=form.agenda_item.data, decision_text=form.decision_text.data,
                recommendation=form.recommendation.data or "",
                minutes_reference=form.minutes_reference.data or "", actor=current_user,
            ),
            done=lambda decision: _("Beslutningen er registreret: %(what)s.",
                                    what=decision.citation or TRANSITIONS[decision.action].label),
            next_url=url_for("cases.case", policy_id=policy.id), on_error=refused,
        )
    return _case_page(policy, form)


@bp.route("/politikker/<int:policy_id>/tidslinje")
@permission_required(Permission.VIEW_POLICIES)
def policy_timeline(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    return render_template("cases/timeline.html", policy=policy, entries=timeline(policy))


@bp.route("/sager")
@permission_required(Permission.VIEW_CONSULTATIONS)
def cases_overview():
    moment = now_utc()
    return render_template("cases/overview.html", rows=overview(moment), now=moment)


@bp.route("/politikker/<int:policy_id>")
@permission_required(Permission.VIEW_POLICIES)
def policy(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    return render_template("cases/policy.html", policy=policy, button_form=EmptyForm(),
                           consultations=consultations_of_policy(policy))
