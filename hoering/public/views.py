"""The public pages (no login): public consultations, the response form, receipts,
the published responses and the issued memo."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from hoering.audit.log import latest_checkpoint
from hoering.consultations.models import Consultation
from hoering.consultations.publication import masked_texts
from hoering.consultations.queries import version_sections
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.extensions import csrf, limiter
from hoering.core.pagination import paginate_ids, requested_page
from hoering.core.permissions import public
from hoering.core.web import (
    download,
    forbid_caching,
    no_store,
    perform,
    too_many_requests_page,
)
from hoering.memos.formats import FORMATS
from hoering.memos.models import issued_file
from hoering.public import queries
from hoering.public.forms import PublicResponseForm, new_token, response_form
from hoering.public.operations import (
    PublicSubmission,
    TokenReused,
    response_by_token,
    store_public_response,
    submission_target,
)

bp = Blueprint("public", __name__, url_prefix="/offentlige-hoeringer")

PUBLIC_MEMO_FORMATS = ("pdf", "docx")


def _submit_limit() -> str:
    limit: str = current_app.config["PUBLIC_SUBMIT_RATE_LIMIT"]
    return limit


def _consultation_or_404(consultation_id: int) -> Consultation:
    return _public_or_404(db.session.get(Consultation, consultation_id))


def _public_or_404(consultation: Consultation | None) -> Consultation:
    if not queries.is_public(consultation):
        abort(404)
    assert consultation is not None
    return consultation


@bp.route("")
@public
def index():
    moment = now_utc()
    closed = db.paginate(
        queries.closed_public_consultations_query(moment), page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"], error_out=False,
    )
    return render_template(
        "public/index.html", open_consultations=queries.open_public_consultations(moment),
        closed=closed, checkpoint=latest_checkpoint(),
    )


def _render_consultation(consultation: Consultation, form: PublicResponseForm | None,
                         status: int = 200):
    moment = now_utc()
    accepting = consultation.is_open_at(moment)
    sections = version_sections(consultation)
    if form is None and accepting:
        form = response_form(sections, formdata=None)
    elif form is not None:  # shown again: the sections with their texts
        by_id = {section.id: section for section in sections}
        form.section_fields = [(by_id[s.id], name) for s, name in form.section_fields]
    published, shown = None, {}
    if consultation.responses_published_at is not None:
        published = paginate_ids(
            queries.published_ids_query(consultation), queries.load_published,
            queries.published_count_query(consultation),
            per_page=current_app.config["PAGE_SIZE"],
        )
        shown = masked_texts(queries.response_texts(published.items))
    return render_template(
        "public/consultation.html", consultation=consultation, sections=sections,
        form=form if accepting else None, accepting=accepting, published=published,
        shown=shown, memo=queries.latest_memo_issue(consultation),
        memo_formats=PUBLIC_MEMO_FORMATS,
    ), status


@bp.route("/<int:consultation_id>")
@public
def consultation(consultation_id: int):
    return _render_consultation(_consultation_or_404(consultation_id), None)


@bp.route("/<int:consultation_id>/svar", methods=["POST"])
@no_store  # shown again, the form holds the name and e-mail typed into it
@public
@csrf.exempt  # the form checks its own token, so that an expired one keeps the text
@limiter.limit(_submit_limit)
def submit(consultation_id: int):
    target = submission_target(consultation_id)
    consultation, sections = _public_or_404(target.consultation), target.sections
    if request.form.get("website"):  # the honeypot: only robots fill it in
        abort(400)
    form = response_form(sections)
    if not form.validate():
        status = 422 if consultation.is_open_at(now_utc()) else 409
        return _render_consultation(consultation, form, status)

    def refused(error: DomainError):
        if not consultation.is_open_at(now_utc()):  # closed meanwhile
            return _render_consultation(consultation, None, 409)
        if isinstance(error, TokenReused):  # sent again, with a new token it is stored
            form.token.data = new_token()
        form.general_text.errors.append(error.message)
        return _render_consultation(consultation, form, 422)

    # a resent form (the same token and content) gets the receipt of the response
    # stored first; the same token with other content is refused (TokenReused)
    return perform(
        lambda: store_public_response(consultation, PublicSubmission(
            token=form.token.data, name=form.name.data, email=form.email.data,
            organisation=form.organisation.data or "", publish_name=form.publish_name.data,
            general_text=form.general_text.data or "", section_texts=form.section_texts(),
            files=form.uploaded_files(),
        ), sections=sections, own_transaction=True, response_id=target.response_id),
        done=None, next_url=url_for(".receipt", token=form.token.data), code=303,
        on_error=refused,
    )


@bp.route("/<int:consultation_id>/det-sagde-i-det-gjorde-vi")
@public
def answers(consultation_id: int):
    """The approved replies with the remarks they answer, by section, beside the issued
    memo and the revised version: personal data masked unless staff kept it."""
    consultation = _consultation_or_404(consultation_id)
    if consultation.answers_published_at is None:
        abort(404)
    page = paginate_ids(
        queries.answered_ids_query(consultation), queries.load_answered,
        queries.answered_count_query(consultation), per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "public/answers.html", consultation=consultation, page=page,
        answers=queries.answers(page.items),
        memo=queries.latest_memo_issue(consultation),
        revised=queries.revised_version(consultation),
    )


@bp.route("/kvittering/<token>")
@no_store
@public
def receipt(token: str):
    response = response_by_token(token)
    if response is None:
        abort(404)
    # found through its submitter, and stored submitted
    assert response.submitter is not None and response.submitted_at is not None
    if response.submitter.purged_at is not None:
        abort(404)
    return render_template(
        "public/receipt.html", response=response, consultation=response.consultation,
        submitted_local=response.submitted_at.astimezone(LOCAL_TZ),
    )


@bp.route("/<int:consultation_id>/notat.<fmt>")
@public
def memo(consultation_id: int, fmt: str):
    consultation = _consultation_or_404(consultation_id)
    issue = queries.latest_memo_issue(consultation)
    if issue is None or fmt not in PUBLIC_MEMO_FORMATS:
        abort(404)
    filename = f"hoeringsnotat-{consultation.id}-version-{issue.number}.{fmt}"
    return download(issued_file(issue, fmt), filename, FORMATS[fmt].mimetype,
                    inline=fmt == "pdf")


@bp.errorhandler(429)
def rate_limited(_error):
    """The form again with what the person typed, when the rate limit refused a
    submission; the plain message for the other public pages (and unknown consultations)."""
    consultation = None
    if request.endpoint == "public.submit":
        consultation = queries.public_consultation_or_none(
            (request.view_args or {}).get("consultation_id", 0))
    if consultation is None:
        return too_many_requests_page()
    form = response_form(version_sections(consultation))
    form.general_text.errors = [_(
        "Der er indsendt for mange svar fra din forbindelse på kort tid. Din tekst er "
        "bevaret: vent et par minutter, og tryk så på »Indsend høringssvar« igen "
        "(vedhæftede filer skal vælges igen).")]
    return forbid_caching(make_response(*_render_consultation(consultation, form, 429)))
