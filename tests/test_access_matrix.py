"""Every route × every role, with the expected outcome.

The table below is the specification. A route that exists in the app but not in the
table fails ``test_every_route_is_in_the_matrix``, so no future route can skip it.

The world the routes are tried on is built and committed once per database backend
(``access_world``); each route × role case runs in a transaction rolled back at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import url_for

from hoering.accounts import identities, invitations, tokens
from hoering.accounts import operations as accounts
from hoering.accounts.models import Membership, Role, User
from hoering.audit.log import write_checkpoint
from hoering.cases import operations as cases
from hoering.consultations import operations as consultations
from hoering.consultations import standard_replies
from hoering.consultations.campaigns import operations as campaigns
from hoering.consultations.models import Disposition
from hoering.core.db import db, now_utc
from hoering.memos import operations as memos
from hoering.memos.models import MemoIssue
from hoering.municipality import operations as municipality
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.public import operations as public_ops
from tests.conftest import body_factory, empty_all_tables, login, user_factory
from tests.municipality.files import image, word_template

ANON = "anonymous"
MEMBER_A = "member of body A (its secretary)"
MEMBER_B = "member of body B"
# not logged in, but granted body A's personal link (the POST on the link's page)
EXTERNAL = "external contact of body A"
STAFF, ADMIN, AUDITOR = Role.STAFF, Role.ADMIN, Role.AUDITOR
ROLES = (ANON, MEMBER_A, MEMBER_B, STAFF, ADMIN, AUDITOR, EXTERNAL)
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANON, EXTERNAL}
NOT_LOGGED_IN = frozenset({ANON, EXTERNAL})
LINK_HOLDER = frozenset({EXTERNAL})  # the link's pages: no login, and nobody else
READERS = frozenset({STAFF, ADMIN, AUDITOR})
EDITORS = frozenset({STAFF, ADMIN})
ADMINS = frozenset({ADMIN})
AUDIT_READERS = frozenset({ADMIN, AUDITOR})
RESPONDERS = frozenset({MEMBER_A, MEMBER_B, STAFF, ADMIN})
BODY_A = frozenset({MEMBER_A, STAFF, ADMIN})  # body A's draft: its members and staff


@dataclass(frozen=True)
class World:
    """Ids of one of each object, for filling in URLs."""

    user_id: int
    body_id: int
    membership_id: int
    policy_id: int
    version_id: int
    section_id: int
    member_a_id: int
    member_b_id: int
    consultation_id: int
    consultee_id: int
    submitted_response_id: int
    submitted_remark_id: int
    draft_remark_id: int
    consulted_version_id: int
    issue_id: int
    task_id: int
    link_id: int
    public_token: str
    attachment_id: int
    group_id: int
    group_member_id: int
    decision_id: int
    invitation_token: str
    reset_token: str
    standard_reply_id: int
    link_token: str  # body A's personal link
    identity_id: int  # body B's member's login at the identity provider


# endpoint -> {method: (roles allowed, URL builder)}
MATRIX = {
    "accounts.login": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.invitation": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.renew_invitation": {"POST": EVERYONE},
    "accounts.forgot_password": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.reset_password": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.sso_login": {"GET": EVERYONE},
    "accounts.sso_callback": {"GET": EVERYONE},
    "accounts.invitation_sso": {"POST": EVERYONE},
    "accounts.logout": {"POST": LOGGED_IN},
    "accounts.own_password": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "accounts.end_own_sessions": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    # a login's second step (public: nobody is logged in before the code)
    "accounts.login_code": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.login_enrol": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.own_two_factor": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "accounts.own_recovery_codes": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "accounts.disable_own_two_factor": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "accounts.reset_user_two_factor": {"GET": ADMINS, "POST": ADMINS},
    "main.dashboard": {"GET": LOGGED_IN},
    "main.set_language": {"POST": EVERYONE},  # the language switch in every page's header
    "accounts.users": {"GET": READERS},
    "accounts.user": {"GET": READERS},
    "accounts.new_user": {"GET": ADMINS, "POST": ADMINS},
    "accounts.edit_user": {"GET": ADMINS, "POST": ADMINS},
    "accounts.user_password": {"GET": ADMINS, "POST": ADMINS},
    "accounts.resend_invitation": {"POST": ADMINS},
    "accounts.end_user_sessions": {"GET": ADMINS, "POST": ADMINS},
    "accounts.add_identity": {"POST": ADMINS},
    "accounts.remove_identity": {"GET": ADMINS, "POST": ADMINS},
    "accounts.add_membership": {"POST": ADMINS},
    "accounts.toggle_secretary": {"POST": ADMINS},
    "accounts.delete_membership": {"GET": ADMINS, "POST": ADMINS},
    "accounts.bodies": {"GET": READERS},
    "accounts.body": {"GET": READERS},
    "accounts.new_body": {"GET": ADMINS, "POST": ADMINS},
    "accounts.edit_body": {"GET": ADMINS, "POST": ADMINS},
    "accounts.delete_body": {"GET": ADMINS, "POST": ADMINS},
    "accounts.import_bodies": {"GET": ADMINS, "POST": ADMINS},
    "accounts.confirm_body_import": {"POST": ADMINS},
    "accounts.import_users": {"GET": ADMINS, "POST": ADMINS},
    "accounts.confirm_user_import": {"POST": ADMINS},
    "policies.index": {"GET": READERS},
    "policies.new": {"GET": EDITORS, "POST": EDITORS},
    "cases.policy": {"GET": READERS},
    "policies.edit": {"GET": EDITORS, "POST": EDITORS},
    "policies.new_version": {"GET": EDITORS, "POST": EDITORS},
    "policies.version": {"GET": READERS},
    "policies.copy_version": {"POST": EDITORS},
    "policies.freeze_version": {"GET": EDITORS, "POST": EDITORS},
    "policies.new_section": {"GET": EDITORS, "POST": EDITORS},
    "policies.edit_section": {"GET": EDITORS, "POST": EDITORS},
    "policies.move_section": {"POST": EDITORS},
    "policies.merge_section": {"GET": EDITORS, "POST": EDITORS},
    "policies.delete_section": {"GET": EDITORS, "POST": EDITORS},
    "audit.log": {"GET": AUDIT_READERS},
    "audit.chain": {"GET": READERS},
    "audit.checkpoint": {"GET": EVERYONE},
    "audit.public_key": {"GET": EVERYONE},
    "audit.proof": {"GET": AUDIT_READERS},
    "trace.case_log": {"GET": AUDIT_READERS},
    "cases.case": {"GET": READERS},
    "cases.decide": {"POST": EDITORS},
    "cases.withdraw": {"GET": EDITORS, "POST": EDITORS},
    "cases.correct": {"GET": EDITORS, "POST": EDITORS},
    "cases.policy_timeline": {"GET": READERS},
    "cases.cases_overview": {"GET": READERS},
    "trace.remark": {"GET": READERS},
    "trace.export": {"GET": READERS},
    "consultations.index": {"GET": READERS},
    "consultations.new": {"GET": EDITORS, "POST": EDITORS},
    "consultations.show": {"GET": READERS},
    "consultations.edit": {"GET": EDITORS, "POST": EDITORS},
    "consultations.open_consultation": {"GET": EDITORS, "POST": EDITORS},
    "consultations.close": {"GET": EDITORS, "POST": EDITORS},
    "consultations.consultee_deadline": {"GET": EDITORS, "POST": EDITORS},
    "consultations.remind": {"POST": EDITORS},
    "consultations.send_link": {"GET": EDITORS, "POST": EDITORS},
    "consultations.revoke_link": {"GET": EDITORS, "POST": EDITORS},
    "consultations.link": {"GET": EVERYONE, "POST": EVERYONE},  # public: the e-mail's link
    "consultations.link_response": {"GET": LINK_HOLDER},
    "consultations.link_add_remark": {"POST": LINK_HOLDER},
    "consultations.link_edit_remark": {"GET": LINK_HOLDER, "POST": LINK_HOLDER},
    "consultations.link_delete_remark": {"GET": LINK_HOLDER, "POST": LINK_HOLDER},
    "consultations.link_submit": {"GET": LINK_HOLDER, "POST": LINK_HOLDER},
    "consultations.link_decline": {"GET": LINK_HOLDER, "POST": LINK_HOLDER},
    "consultations.link_leave": {"POST": EVERYONE},  # forgets a grant, if there is one
    "consultations.reopen": {"GET": EDITORS, "POST": EDITORS},
    "consultations.import_minutes": {"GET": EDITORS, "POST": EDITORS},
    "consultations.inbox": {"GET": READERS},
    "consultations.remark": {"GET": READERS},
    "consultations.move_remark": {"POST": EDITORS},
    "consultations.edit_wording": {"POST": EDITORS},
    "consultations.save_reply": {"POST": EDITORS},
    "consultations.approve_reply": {"POST": EDITORS},
    "consultations.bulk_approve": {"POST": EDITORS},
    "consultations.bulk_move": {"POST": EDITORS},
    "consultations.bulk_assign": {"POST": EDITORS},
    "consultations.standard_replies": {"GET": EDITORS},
    "consultations.new_standard_reply": {"GET": EDITORS, "POST": EDITORS},
    "consultations.edit_standard_reply": {"GET": EDITORS, "POST": EDITORS},
    "consultations.delete_standard_reply": {"GET": EDITORS, "POST": EDITORS},
    "consultations.mine": {"GET": RESPONDERS},
    "consultations.response": {"GET": BODY_A},
    "consultations.add_remark": {"POST": BODY_A},
    "consultations.edit_remark": {"GET": BODY_A, "POST": BODY_A},
    "consultations.delete_remark": {"GET": BODY_A, "POST": BODY_A},
    "consultations.submit": {"GET": BODY_A, "POST": BODY_A},
    "consultations.decline": {"GET": BODY_A, "POST": BODY_A},
    "consultations.link_change": {"POST": EDITORS},
    "consultations.unlink_change": {"GET": EDITORS, "POST": EDITORS},
    "consultations.compare": {"GET": READERS},
    "consultations.link_remarks": {"GET": EDITORS, "POST": EDITORS},
    "revised_draft.tracked": {"GET": READERS},
    "revised_draft.clean": {"GET": READERS},
    "memos.memo": {"GET": READERS},
    "memos.draft_file": {"GET": READERS},
    "memos.issued_file": {"GET": READERS},
    "memos.update_texts": {"POST": EDITORS},
    "memos.issue": {"GET": EDITORS, "POST": EDITORS},
    "memos.move_body": {"POST": EDITORS},
    "memos.move_item": {"POST": EDITORS},
    "memos.add_task": {"POST": EDITORS},
    "memos.task_status": {"POST": EDITORS},
    "memos.delete_task": {"GET": EDITORS, "POST": EDITORS},
    "consultations.split_remark": {"POST": EDITORS},
    "consultations.publish_responses": {"GET": EDITORS, "POST": EDITORS},
    "consultations.unpublish_responses": {"GET": EDITORS, "POST": EDITORS},
    "consultations.personal_data": {"GET": EDITORS, "POST": EDITORS},
    "consultations.publish_answers": {"GET": EDITORS, "POST": EDITORS},
    "consultations.unpublish_answers": {"GET": EDITORS, "POST": EDITORS},
    "consultations.attachment": {"GET": EDITORS},
    "consultations.attachment_text": {"GET": EDITORS, "POST": EDITORS},
    "campaigns.groups": {"GET": READERS},
    "campaigns.detect": {"POST": EDITORS},
    "campaigns.group": {"GET": READERS},
    "campaigns.reply": {"POST": EDITORS},
    "campaigns.approve": {"POST": EDITORS},
    "campaigns.remove_member": {"POST": EDITORS},
    "campaigns.dissolve": {"GET": EDITORS, "POST": EDITORS},
    "privacy.lookup": {"GET": EDITORS},
    "privacy.find": {"POST": EDITORS},
    "privacy.export_json": {"POST": EDITORS},
    "privacy.attachment": {"POST": EDITORS},
    "public.index": {"GET": EVERYONE},
    "public.consultation": {"GET": EVERYONE},
    "public.submit": {"POST": EVERYONE},
    "public.receipt": {"GET": EVERYONE},
    "public.memo": {"GET": EVERYONE},
    "municipality.settings": {"GET": ADMINS, "POST": ADMINS},
    "municipality.upload_template": {"POST": ADMINS},
    "municipality.template_file": {"GET": ADMINS},
    "municipality.clear_template": {"GET": ADMINS, "POST": ADMINS},
    "municipality.upload_logo": {"POST": ADMINS},
    "municipality.logo_file": {"GET": ADMINS},
    "municipality.clear_logo": {"GET": ADMINS, "POST": ADMINS},
    "public.answers": {"GET": EVERYONE},
}

URL_ARGS = {
    "user_id": lambda w: w.user_id,
    "body_id": lambda w: w.body_id,
    "membership_id": lambda w: w.membership_id,
    "policy_id": lambda w: w.policy_id,
    "version_id": lambda w: w.version_id,
    "section_id": lambda w: w.section_id,
    "consultation_id": lambda w: w.consultation_id,
    "consultee_id": lambda w: w.consultee_id,
    "response_id": lambda w: w.submitted_response_id,
    "remark_id": lambda w: w.submitted_remark_id,
    "issue_id": lambda w: w.issue_id,
    "task_id": lambda w: w.task_id,
    "link_id": lambda w: w.link_id,
    "decision_id": lambda w: w.decision_id,
    "invitation_token": lambda w: w.invitation_token,
    "reset_token": lambda w: w.reset_token,
    "standard_reply_id": lambda w: w.standard_reply_id,
    "fmt": lambda w: "md",
    "token": lambda w: w.public_token,
    "link_token": lambda w: w.link_token,
    "attachment_id": lambda w: w.attachment_id,
    "group_id": lambda w: w.group_id,
    "event_id": lambda w: 1,  # the world's first audit event, sealed in its checkpoint
    "identity_id": lambda w: w.identity_id,
}
DRAFT_REMARK_ENDPOINTS = {"consultations.edit_remark", "consultations.delete_remark",
                          "consultations.link_edit_remark", "consultations.link_delete_remark"}
GROUP_MEMBER_ENDPOINTS = {"campaigns.remove_member"}
# the comparison needs a version that has a previous one
CONSULTED_VERSION_ENDPOINTS = {"consultations.compare", "revised_draft.tracked"}
# other downloads use "md"
FORMAT_FOR = {"trace.export": "csv", "trace.case_log": "json", "public.memo": "pdf",
              "revised_draft.tracked": "docx", "revised_draft.clean": "pdf"}

# An allowed GET answers 200, except here: endpoint -> {roles: where to}, with the reason.
# PROVIDER_LOGIN: the identity provider's authorize endpoint (tests/oidc_provider.py).
PROVIDER_LOGIN = "{issuer}/authorize?"
GET_REDIRECTS = {
    # accounts.views.login: someone already logged in is sent on to the dashboard
    "accounts.login": {LOGGED_IN: "/"},
    # accounts.views.sso: the same, and the others go on to the provider's login ...
    "accounts.sso_login": {LOGGED_IN: "/", NOT_LOGGED_IN: PROVIDER_LOGIN},
    # ... and back at the callback, without a login started here, to the login page
    "accounts.sso_callback": {LOGGED_IN: "/", NOT_LOGGED_IN: "/login"},
    # a login's second step: without a password first, the login page
    "accounts.login_code": {LOGGED_IN: "/", NOT_LOGGED_IN: "/login"},
    "accounts.login_enrol": {LOGGED_IN: "/", NOT_LOGGED_IN: "/login"},
    # the world's users have no two-factor to change: their account's two-factor page
    "accounts.own_recovery_codes": {LOGGED_IN: "/min-konto/tofaktor"},
    "accounts.disable_own_two_factor": {LOGGED_IN: "/min-konto/tofaktor"},
}
# An allowed request that ends on (or leads through) the login page, with the reason.
LEADS_TO_LOGIN = {
    "accounts.logout", "accounts.end_own_sessions",  # the session ends
    "accounts.sso_callback",  # a refused single sign-on: back to the login page
    "accounts.invitation_sso",  # the provider's login, with the callback's URL in its query
    "accounts.login_code", "accounts.login_enrol",  # a password is needed first
}

CASES = [
    (endpoint, method, role)
    for endpoint, methods in MATRIX.items()
    for method in methods
    for role in ROLES
]


def _world(make_user, make_body) -> World:
    """One of everything: body A (SOU) with its secretary, body B (KMU) with a member, a
    policy with an editable version 1, and an open public consultation on version 2 in
    which body A has a draft, body B a submitted response with a reply, and a citizen a
    response."""
    body = make_body("SOU", "Socialudvalget")
    body_b = make_body("KMU", "Klima- og Miljøudvalget")
    member_a = make_user(Role.MEMBER)
    accounts.add_membership(member_a, body, is_secretary=True, actor=None)
    member_b = make_user(Role.MEMBER, bodies=(body_b,))
    membership = db.session.query(Membership).filter_by(user_id=member_a.id).one()
    author = make_user(Role.STAFF)
    policy = policies.create_policy(
        title="Politik", journal_number="85.13.00-P00-1-23", description="",
        owner_body=body, actor=None,
    )
    sections = [DraftSection("Rammesætning", "Tekst"), DraftSection("Princip 1", "Tekst")]
    version = policies.create_version(policy, sections, actor=None)
    consulted = policies.create_version(policy, sections, actor=None)
    consultation = consultations.create_consultation(
        consulted, title="Høring", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=30), invitation_text="", public=True,
        bodies=[body, body_b], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    citizen, _created = public_ops.submit_public_response(consultation, public_ops.PublicSubmission(
        token="c" * 32, name="Borger", email="borger@example.dk", general_text="Svar",
        files=[public_ops.UploadedFile("bilag.pdf", b"%PDF-1.4 bilag")]))
    public_ops.submit_public_response(consultation, public_ops.PublicSubmission(
        token="d" * 32, name="Borger to", email="to@example.dk", general_text="Svar"))
    campaigns.find_groups(consultation, actor=None)
    db.session.refresh(citizen.remarks[0])
    group = citizen.remarks[0].group
    draft = consultations.draft_response(consultation, body, actor=member_a)
    draft_remark = consultations.add_remark(
        draft, section=consulted.sections[0], text="Kladde", actor=member_a
    )
    submitted = consultations.import_minutes(
        consultation, body_b, meeting_date=now_utc().date(), agenda_item=3,
        remarks=[consultations.ImportedRemark("Bemærkning", consulted.sections[1])],
        actor=None,
    )
    consultations.save_reply(
        submitted.remarks[0], text="Svar", disposition=Disposition.NOTED,
        based_on_version=None, actor=author,
    )
    consultee = next(c for c in consultation.consultees if c.body_id == body.id)
    revised = policies.copy_version(consulted, actor=None)
    link = consultations.link_change(submitted.remarks[0], revised.sections[1], actor=None)
    task = memos.add_task(policy, title="Opgave", owner="", due_on=None, actor=None)
    invitation = invitations.invite(member_b, actor=None).rsplit("/", 1)[1]
    reset = tokens.issue_token(tokens.TokenPurpose.PASSWORD_RESET, user_id=member_b.id,
                               expires_at=now_utc() + timedelta(hours=1)).plain
    identity = identities.bind_identity(member_b, issuer="https://login.example/kommune",
                                        subject="oid-member-b",
                                        how=identities.BoundBy.ADMINISTRATOR, actor=None)
    decision = cases.decide(policy, "note", body=body, meeting_date=date(2024, 1, 10),
                            agenda_item=2, decision_text="Drøftet.", actor=None)
    standard = standard_replies.create_standard_reply(
        disposition=Disposition.NOTED, title="Taget til efterretning", text="Tak.", actor=None)
    issue = MemoIssue(consultation_id=consultation.id, number=1, content_hash="0" * 64,
                      markdown="# Notat", html="<p>Notat</p>", docx=b"PK", pdf=b"%PDF")
    db.session.add(issue)
    municipality.set_word_template(word_template(), "skabelon.dotx", actor=None)
    municipality.set_logo(image(), actor=None)
    body.contact_email = "kontakt@sou.dk"
    link_token = tokens.issue_token(tokens.TokenPurpose.CONSULTEE_LINK,
                                    expires_at=consultee.effective_deadline, body_id=body.id,
                                    consultation_id=consultation.id).plain
    # the public answers page (publishing them, through the operation, needs it closed)
    consultation.answers_published_at = now_utc()
    write_checkpoint()  # the audit log's public pages serve the latest checkpoint
    db.session.commit()
    return World(
        user_id=member_b.id, body_id=body.id, membership_id=membership.id,
        policy_id=policy.id, version_id=version.id, section_id=version.sections[0].id,
        member_a_id=member_a.id, member_b_id=member_b.id,
        consultation_id=consultation.id, consultee_id=consultee.id,
        submitted_response_id=submitted.id, submitted_remark_id=submitted.remarks[0].id,
        draft_remark_id=draft_remark.id, consulted_version_id=consulted.id,
        issue_id=issue.id, task_id=task.id, link_id=link.id,
        public_token=citizen.submitter.idempotency_token,
        attachment_id=citizen.attachments[0].id,
        group_id=group.id, group_member_id=citizen.remarks[0].id, decision_id=decision.id,
        invitation_token=invitation, reset_token=reset,
        standard_reply_id=standard.id, link_token=link_token, identity_id=identity.id,
    )


COMMITTED_WORLDS = ("access_world",)  # its cases run last in the module (tests/conftest.py)


@pytest.fixture(autouse=True)
def _single_sign_on(sso_config) -> None:
    """Single sign-on configured, against the loopback provider: its routes answer (without
    an issuer they are 404 for everyone allowed; tests/accounts/test_sso.py)."""


@pytest.fixture(scope="module")
def access_world(app) -> Iterator[World]:
    """The world, committed once per backend; emptied again after the module."""
    with app.app_context():
        world = _world(user_factory("verden"), body_factory())
        db.session.remove()
    yield world
    with app.app_context():
        empty_all_tables()


def _log_in(client, role, world: World, make_user) -> None:
    if role == ANON:
        return
    if role == EXTERNAL:
        assert client.post(f"/hoeringslink/{world.link_token}").status_code == 303
        return
    if role == MEMBER_A:
        user = db.session.get(User, world.member_a_id)
    elif role == MEMBER_B:
        user = db.session.get(User, world.member_b_id)
    else:
        user = make_user(role)
    assert login(client, user).status_code == 302


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {(endpoint, method) for endpoint, methods in MATRIX.items() for method in methods}
    assert routes - listed == set(), "routes missing from the access matrix"
    assert listed - routes == set(), "matrix lists routes that do not exist"


def url_args(endpoint: str, arguments, world: World) -> dict:
    """The world's values for a route's arguments (also the fuzz test's valid ones)."""
    args = {arg: URL_ARGS[arg](world) for arg in arguments}
    if endpoint in DRAFT_REMARK_ENDPOINTS:
        args["remark_id"] = world.draft_remark_id
    if endpoint in GROUP_MEMBER_ENDPOINTS:
        args["remark_id"] = world.group_member_id
    if endpoint in CONSULTED_VERSION_ENDPOINTS:
        args["version_id"] = world.consulted_version_id
    if endpoint in FORMAT_FOR:
        args["fmt"] = FORMAT_FOR[endpoint]
    return args


def expected_redirect(endpoint: str, role: str, issuer: str) -> str | None:
    for roles, where in GET_REDIRECTS.get(endpoint, {}).items():
        if role in roles:
            return where.format(issuer=issuer)
    return None


def redirects_to(location: str, where: str) -> bool:
    """``where`` exactly, or any URL starting with it when it ends in ``?``."""
    return location == where or (where.endswith("?") and location.startswith(where))


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES)
def test_route_access(app, client, make_user, access_world, oidc_provider, endpoint, method,
                      role):
    world = access_world
    _log_in(client, role, world, make_user)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    args = url_args(endpoint, rule.arguments, world)
    with app.test_request_context():
        url = url_for(endpoint, **args)
    response = client.open(url, method=method, data={})

    allowed = role in MATRIX[endpoint][method]
    assert response.status_code < 500
    if allowed:
        assert response.status_code not in (401, 403), response.status_code
        if method == "GET":
            where = expected_redirect(endpoint, role, oidc_provider.issuer)
            if where is not None:
                assert response.status_code == 302, response.status_code
                assert redirects_to(response.headers["Location"], where), (
                    response.headers["Location"], where)
            else:
                assert response.status_code == 200, (
                    response.status_code, response.headers.get("Location"))
        assert ("/login" not in response.headers.get("Location", "")
                or endpoint in LEADS_TO_LOGIN)
    elif role in (ANON, EXTERNAL) and MATRIX[endpoint][method] is not LINK_HOLDER:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == 403


def test_csrf_token_is_required_for_state_changes(app, make_user):
    """With CSRF on (as in production), a POST without the token changes nothing."""
    from hoering.audit.models import AuditEvent

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        user = make_user(Role.ADMIN)
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": "x"})
        assert response.status_code == 400
        response = client.post(
            "/organer/nyt", data={"name": "Ny", "abbreviation": "NY", "kind": "committee"}
        )
        assert response.status_code == 400
        assert db.session.query(AuditEvent).filter(
            AuditEvent.action.in_(["auth:login_failed", "body:create"])
        ).count() == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_inactive_user_cannot_log_in_and_loses_access(client, make_user):
    user = make_user(Role.STAFF)
    accounts.update_user(user, name=user.name, email=user.email, role=user.role, active=False,
                         actor=None)
    db.session.commit()
    response = login(client, user)
    assert response.status_code == 200
    assert "Forkert e-mailadresse eller adgangskode" in response.get_data(as_text=True)
