"""The case track: a policy's case page with its decisions, its timeline, and the
overview for staff."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from hoering.accounts.models import Body
from hoering.accounts.queries import all_bodies
from hoering.cases import operations
from hoering.cases.forms import CorrectionForm, DecisionForm, WithdrawalForm
from hoering.cases.models import CaseDecision
from hoering.cases.queries import (
    adopted_version_id,
    decisions_of,
    earlier_decisions,
    overview,
    stage_of,
    timeline,
)
from hoering.cases.stages import (
    DECISIONS,
    NEXT_STEP,
    STAGE_LABELS,
    TRANSITIONS,
    allowed_decisions,
)
from hoering.consultations.minutes.context import CASE_DECISIONS
from hoering.consultations.queries import consultations_of_policy
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import EmptyForm, form_error, perform
from hoering.policies.models import Policy, PolicyVersion

bp = Blueprint("cases", __name__)


@bp.record_once
def _provide_decisions_to_minutes(state: BlueprintSetupState) -> None:
    state.app.extensions[CASE_DECISIONS] = earlier_decisions


@bp.app_context_processor
def labels():
    return {"STAGE_LABELS": STAGE_LABELS, "TRANSITIONS": TRANSITIONS, "case_stage": stage_of}


def _decision_form(policy: Policy, form_class: type[DecisionForm] = DecisionForm,
                   **data) -> DecisionForm:
    form = form_class(**data)
    form.action.choices = [SelectChoice(t.action, t.label)
                           for t in allowed_decisions(stage_of(policy))]
    form.body_id.choices = [SelectChoice(b.id, f"{b.name} ({b.abbreviation})")
                            for b in all_bodies()]
    form.version_id.choices = [SelectChoice(0, _("(den seneste version)"))] + [
        SelectChoice(v.id, v.label) for v in reversed(policy.versions)]
    return form


def _entered(policy: Policy, form: DecisionForm) -> operations.DecisionInput:
    version = db.session.get(PolicyVersion, form.version_id.data or 0)
    return operations.DecisionInput(
        action=form.action.data, body=db.session.get(Body, form.body_id.data),
        meeting_date=form.meeting_date.data, agenda_item=form.agenda_item.data,
        decision_text=form.decision_text.data, recommendation=form.recommendation.data or "",
        minutes_reference=form.minutes_reference.data or "", version=version)


def _case_page(policy: Policy, form: DecisionForm):
    stage = stage_of(policy)
    return render_template(
        "cases/case.html", policy=policy, form=form, decisions=decisions_of(policy),
        stage=stage, next_step=NEXT_STEP[stage], adopted_version_id=adopted_version_id(policy),
    )


def _case_url(policy_id: int) -> str:
    return url_for("cases.case", policy_id=policy_id)


def _cited(decision: CaseDecision) -> str:
    return decision.citation or TRANSITIONS[decision.action].label


@bp.route("/politikker/<int:policy_id>/sag", methods=["GET"])
@permission_required(Permission.VIEW_POLICIES)
def case(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    return _case_page(policy, _decision_form(policy, formdata=None))


@bp.route("/politikker/<int:policy_id>/sag", methods=["POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def decide(policy_id: int):
    policy = db.get_or_404(Policy, policy_id)
    form = _decision_form(policy)
    if form.validate_on_submit():
        def refused(error: DomainError):
            form.action.errors.append(error.message)
            return _case_page(policy, form), error.status_code

        return perform(
            lambda: operations.record_decision(policy, _entered(policy, form),
                                               actor=current_user),
            done=lambda decision: _("Beslutningen er registreret: %(what)s.",
                                    what=_cited(decision)),
            next_url=_case_url(policy.id), on_error=refused,
        )
    return _case_page(policy, form)


def _decision_page(decision: CaseDecision, form, template: str):
    return render_template(template, decision=decision, form=form,
                           policy=db.session.get_one(Policy, decision.policy_id))


@bp.route("/sag/beslutninger/<int:decision_id>/tilbagetraek", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def withdraw(decision_id: int):
    decision = db.get_or_404(CaseDecision, decision_id)
    form = WithdrawalForm()
    if form.validate_on_submit():
        return perform(
            lambda: operations.withdraw_decision(decision, reason=form.reason.data,
                                                 actor=current_user),
            done=_("Beslutningen er trukket tilbage: %(what)s.", what=_cited(decision)),
            next_url=_case_url(decision.policy_id),
            on_error=form_error(form.reason, lambda: _decision_page(
                decision, form, "cases/withdraw.html")),
        )
    return _decision_page(decision, form, "cases/withdraw.html")


@bp.route("/sag/beslutninger/<int:decision_id>/ret", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def correct(decision_id: int):
    decision = db.get_or_404(CaseDecision, decision_id)
    policy = db.session.get_one(Policy, decision.policy_id)
    initial = {} if request.method == "POST" else {"obj": decision}
    form = _decision_form(policy, CorrectionForm, **initial)
    # any decision: the stage is derived again without the one corrected
    form.action.choices = [SelectChoice(t.action, t.label) for t in DECISIONS]
    if form.validate_on_submit():
        return perform(
            lambda: operations.correct_decision(decision, _entered(policy, form),
                                                reason=form.reason.data, actor=current_user),
            done=lambda corrected: _("Beslutningen er rettet: %(what)s.",
                                     what=_cited(corrected)),
            next_url=_case_url(policy.id),
            on_error=form_error(form.action, lambda: _decision_page(
                decision, form, "cases/correct.html")),
        )
    return _decision_page(decision, form, "cases/correct.html")


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
