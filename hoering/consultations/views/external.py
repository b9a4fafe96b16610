"""External consultees: the personal link's pages (no login) and staff's sending and
revoking of a link (hoering.consultations.consultee_links).

Opening the link (GET) shows a page and changes nothing: mail scanners open every link
in an e-mail. Its button (a POST) grants this browser's session the right to act for
that one body in that one consultation, on the members' response pages
(hoering.consultations.views.responding) under ``/ekstern/...``; every later request
checks the grant's token again, so a revoked or expired link ends at once. All of it is
rate limited per client address.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts.models import Body
from hoering.accounts.tokens import TokenState
from hoering.consultations import consultee_links
from hoering.consultations.consultee_links import LinkCheck
from hoering.consultations.models import Consultee, Remark
from hoering.consultations.views import responding
from hoering.consultations.views.blueprint import bp, consultation_url
from hoering.consultations.views.responding import Responder, ResponsePages
from hoering.core.db import db
from hoering.core.errors import NotAllowed
from hoering.core.extensions import limiter
from hoering.core.permissions import Permission, permission_required, public
from hoering.core.web import EmptyForm, confirmed, keep_private, no_store

LINK_PAGES = ResponsePages("consultations.link_", remarks_by_body=True)
GRANTS = "consultee_links"  # session: {"<consultation id>:<body id>": token id}
MAX_GRANTS = 10
GONE = {TokenState.UNKNOWN: 404}  # expired, revoked: 410


def _link_limit() -> str:
    limit: str = current_app.config["CONSULTEE_LINK_RATE_LIMIT"]
    return limit


link_limit = limiter.shared_limit(_link_limit, scope="consultee-link")


def _not_working(link: LinkCheck) -> ResponseReturnValue:
    return render_template("consultations/link.html", link=link,
                           message=consultee_links.explanation(link)), GONE.get(link.state, 410)


@bp.route("/hoeringslink/<link_token>", methods=["GET", "POST"])
@public
@link_limit
def link(link_token: str):
    """The link from the e-mail: a page with a button (GET); the button grants (POST)."""
    found = consultee_links.check_link(link_token)
    form = EmptyForm()
    if not form.validate_on_submit():
        if not found.valid:
            return keep_private(_not_working(found))
        return keep_private(render_template("consultations/link.html", link=found, form=form))
    if not found.valid:
        consultee_links.refuse_use(found)
        db.session.commit()
        return keep_private(_not_working(found))
    assert found.token is not None and found.consultee is not None
    consultee_links.start_using(found)
    db.session.commit()
    consultee = found.consultee
    _remember(consultee.consultation_id, consultee.body_id, found.token.id)
    return redirect(url_for(".link_response", consultation_id=consultee.consultation_id,
                            body_id=consultee.body_id), code=303)


def _key(consultation_id: int, body_id: int) -> str:
    return f"{consultation_id}:{body_id}"


def _remember(consultation_id: int, body_id: int, token_id: int) -> None:
    """This browser may act for the body in the consultation (the latest few grants)."""
    key = _key(consultation_id, body_id)
    grants = {k: v for k, v in (session.get(GRANTS) or {}).items() if k != key}
    session[GRANTS] = dict(list(grants.items())[-(MAX_GRANTS - 1):]) | {key: token_id}


def _granted(consultation_id: int, body_id: int) -> Responder:
    """The external contact of this body in this consultation, if this browser was granted
    its link and the link still works; else a page that says why (403, 410)."""
    token_id = (session.get(GRANTS) or {}).get(_key(consultation_id, body_id))
    if not isinstance(token_id, int):
        raise NotAllowed(_("Siden kan kun åbnes via organets personlige link. Åbn linket "
                           "fra invitationen igen, og tryk på »Fortsæt til høringssvaret«."))
    found = consultee_links.check_granted(token_id)
    if not found.valid:
        if request.method == "POST":  # an attempt to change something: audited
            consultee_links.refuse_use(found)
            db.session.commit()
        _forget(consultation_id, body_id)
        abort(make_response(_not_working(found)))
    return Responder(consultee_links.act_through(found), LINK_PAGES, external=True)


def _forget(consultation_id: int, body_id: int) -> None:
    grants = dict(session.get(GRANTS) or {})
    grants.pop(_key(consultation_id, body_id), None)
    session[GRANTS] = grants


def _draft_remark(responder: Responder, consultation_id: int, body_id: int,
                  remark_id: int) -> tuple[Remark, Body]:
    remark, body = responding.draft_remark(responder, remark_id)
    response = remark.response
    if (response.consultation_id, response.body_id) != (consultation_id, body_id):
        abort(404)
    return remark, body


EXTERNAL = "/ekstern/hoeringer/<int:consultation_id>/organer/<int:body_id>"


@bp.route(EXTERNAL, methods=["GET"])
@no_store
@public
@link_limit
def link_response(consultation_id: int, body_id: int):
    return responding.show_response(_granted(consultation_id, body_id), consultation_id,
                                    body_id)


@bp.route(f"{EXTERNAL}/bemaerkninger", methods=["POST"])
@public
@link_limit
def link_add_remark(consultation_id: int, body_id: int):
    return responding.add_remark_from_form(_granted(consultation_id, body_id),
                                           consultation_id, body_id)


@bp.route(f"{EXTERNAL}/bemaerkninger/<int:remark_id>", methods=["GET", "POST"])
@public
@link_limit
def link_edit_remark(consultation_id: int, body_id: int, remark_id: int):
    responder = _granted(consultation_id, body_id)
    remark, body = _draft_remark(responder, consultation_id, body_id, remark_id)
    return responding.edit_remark_form(responder, remark, body)


@bp.route(f"{EXTERNAL}/bemaerkninger/<int:remark_id>/slet", methods=["GET", "POST"])
@public
@link_limit
def link_delete_remark(consultation_id: int, body_id: int, remark_id: int):
    responder = _granted(consultation_id, body_id)
    remark, body = _draft_remark(responder, consultation_id, body_id, remark_id)
    return responding.confirm_delete_remark(responder, remark, body)


@bp.route(f"{EXTERNAL}/indsend", methods=["GET", "POST"])
@public
@link_limit
def link_submit(consultation_id: int, body_id: int):
    return responding.confirm_submit(_granted(consultation_id, body_id), consultation_id,
                                     body_id)


@bp.route(f"{EXTERNAL}/ingen-bemaerkninger", methods=["GET", "POST"])
@public
@link_limit
def link_decline(consultation_id: int, body_id: int):
    return responding.confirm_decline(_granted(consultation_id, body_id), consultation_id,
                                      body_id)


@bp.route(f"{EXTERNAL}/afslut", methods=["POST"])
@public
@link_limit
def link_leave(consultation_id: int, body_id: int):
    """This browser no longer acts for the body (the link itself keeps working)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    _forget(consultation_id, body_id)
    return render_template(
        "errors/error.html", title=_("Du har afsluttet"),
        message=_("Denne browser svarer ikke længere for organet. Linket i e-mailen virker "
                  "stadig indtil fristen."))


# --- staff: sending and revoking a consultee's link ------------------------------------


@bp.route("/hoeringer/parter/<int:consultee_id>/link/send", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def send_link(consultee_id: int):
    consultee = db.get_or_404(Consultee, consultee_id)
    body, back = consultee.body, consultation_url(consultee.consultation) + "#parter"
    return confirmed(
        lambda: consultee_links.send_link(consultee, actor=current_user),
        title=_("Send personligt link"),
        question=_("Vil du sende et nyt personligt link til %(body)s (%(email)s)? Et link, "
                   "der er sendt før, holder op med at virke.", body=body.name,
                   email=body.contact_email or "–"),
        confirm_label=_("Send link"), cancel_url=back,
        done=_("Et nyt link til %(body)s er lagt i udbakken.", body=body.name),
        next_url=back,
    )


@bp.route("/hoeringer/parter/<int:consultee_id>/link/tilbagekald", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CONSULTATIONS)
def revoke_link(consultee_id: int):
    consultee = db.get_or_404(Consultee, consultee_id)
    body, back = consultee.body, consultation_url(consultee.consultation) + "#parter"
    return confirmed(
        lambda: consultee_links.revoke_link(consultee, actor=current_user),
        title=_("Træk linket tilbage"),
        question=_("Vil du trække det personlige link til %(body)s tilbage? Det holder op med "
                   "at virke med det samme; du kan sende et nyt bagefter.", body=body.name),
        confirm_label=_("Træk linket tilbage"), cancel_url=back,
        done=_("Linket til %(body)s er trukket tilbage.", body=body.name), next_url=back,
    )
