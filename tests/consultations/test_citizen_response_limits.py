"""A citizen's (public) response belongs to no body: it cannot be reopened, and its remarks
are no draft to edit or delete. Staff asking for either get a clear refusal (409), not a
server error, and the remark page says what they can do instead (split, reword in the
memo, answer)."""

from __future__ import annotations

import pytest

from hoering.accounts.models import Role
from hoering.consultations import operations
from hoering.consultations.models import ResponseStatus
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.public.operations import PublicSubmission, submit_public_response
from tests.public.factories import public_consultation

TEXT = "Borgerens bemærkning om idrætsfaciliteterne."
REFUSAL = "Et høringssvar fra en borger kan hverken genåbnes eller rettes"


@pytest.fixture
def citizens_response(app):
    consultation = public_consultation()
    response, _created = submit_public_response(consultation, PublicSubmission(
        token="c" * 32, name="Karen Kultur", email="karen@example.dk", general_text=TEXT))
    db.session.commit()
    return response


def _refused(page) -> bool:
    return page.status_code == 409 and REFUSAL in page.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_a_citizens_response_cannot_be_reopened(client, login_as, citizens_response, role):
    login_as(role)
    url = f"/hoeringer/svar/{citizens_response.id}/genaabn"
    assert _refused(client.get(url))
    assert _refused(client.post(url, data={"reason": "Borgeren vil rette"}))
    db.session.expire_all()
    assert citizens_response.status is ResponseStatus.SUBMITTED
    assert citizens_response.submitted_at is not None


def test_a_citizens_remark_is_no_draft_to_edit_or_delete(client, login_as, citizens_response):
    login_as(Role.STAFF)
    remark = citizens_response.remarks[0]
    edit = f"/hoeringer/kladder/bemaerkninger/{remark.id}"
    assert _refused(client.get(edit))
    assert _refused(client.post(edit, data={"section": "general", "text": "Ændret"}))
    assert _refused(client.get(f"{edit}/slet"))
    assert _refused(client.post(f"{edit}/slet"))
    db.session.expire_all()
    assert remark.original_text == TEXT


def test_the_operations_refuse_too(app, make_user, citizens_response):
    staff = make_user(Role.STAFF)
    remark = citizens_response.remarks[0]
    with pytest.raises(DomainError, match=REFUSAL):
        operations.reopen_response(citizens_response, reason="Rettelse", actor=staff)
    with pytest.raises(DomainError, match=REFUSAL):
        operations.update_draft_remark(remark, section=None, text="Ændret", actor=staff)
    with pytest.raises(DomainError, match=REFUSAL):
        operations.delete_draft_remark(remark, actor=staff)


def test_the_remark_page_says_what_staff_can_do_with_a_citizens_response(
        client, login_as, citizens_response):
    login_as(Role.STAFF)
    page = client.get(f"/hoeringer/bemaerkninger/{citizens_response.remarks[0].id}").text
    assert REFUSAL in page
    assert "dele det op i flere bemærkninger" in page and "besvare" in page
    show = client.get(f"/hoeringer/{citizens_response.consultation_id}").text
    assert REFUSAL in show
