"""The audit log, read-only, for administrators and auditors; the transparency log's
verification, its checkpoints and public key (the last two also public)."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from hoering.audit import log as transparency_log
from hoering.audit.checkpoint import MissingSigningKey
from hoering.audit.describe import describe, describe_object
from hoering.audit.forms import LogFilterForm
from hoering.audit.queries import (
    events_query,
    known_actions,
    known_actors,
    known_object_types,
)
from hoering.core.converters import id_arg
from hoering.core.db import db
from hoering.core.pagination import requested_page
from hoering.core.permissions import Permission, permission_required, public
from hoering.core.web import download

bp = Blueprint("audit", __name__, url_prefix="/revision")


@bp.route("/log")
@permission_required(Permission.VIEW_AUDIT)
def log() -> ResponseReturnValue:
    """The log, newest first, filtered by choices: a kind of object, a handling, a person
    and a period in Danish time (``objekt``, from the links of a history, narrows it to
    one object). A filter that is not valid shows its errors, and no events."""
    form = LogFilterForm(request.args)
    form.fill(object_types=known_object_types(), actions=known_actions(),
              actors=known_actors())
    object_id = id_arg("objekt")  # out of range: no filter
    object_type = form.objekttype.data or None
    if not form.validate():
        return render_template("audit/log.html", form=form, page=None, events=[],
                               object_id=object_id, one_object=None, link_args={},
                               all_objects_args={}), 400
    query = events_query(object_type=object_type, object_id=object_id,
                         action=form.handling.data or None, actor=form.actor,
                         since=form.since, until=form.until)
    page = db.paginate(query, page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    link_args = form.query_args() | ({"objekt": str(object_id)} if object_id else {})
    one_object = (describe_object(object_type, object_id)
                  if object_type and object_id is not None else None)
    return render_template("audit/log.html", form=form, page=page, events=describe(page.items),
                           object_id=object_id, one_object=one_object, link_args=link_args,
                           all_objects_args=form.query_args())


@bp.route("/kaede")
@permission_required(Permission.VERIFY_AUDIT)
def chain() -> str:
    """Whether the audit trail is intact: the tree recomputed from the events now and
    every signed tree head checked."""
    try:
        result = transparency_log.verify()
    except MissingSigningKey as error:
        return render_template("audit/chain.html", result=None, problem=str(error),
                               checkpoint=transparency_log.latest_checkpoint())
    return render_template("audit/chain.html", result=result, problem="",
                           checkpoint=transparency_log.latest_checkpoint())


@bp.route("/checkpoint")
@public
def checkpoint() -> ResponseReturnValue:
    """The latest signed checkpoint, as `audit checkpoint` wrote it (for anyone to keep)."""
    latest = transparency_log.latest_checkpoint()
    if latest is None:
        abort(404)
    return download(latest.note, f"checkpoint-{latest.tree_size}.txt",
                    "text/plain; charset=utf-8")


@bp.route("/offentlig-noegle")
@public
def public_key() -> ResponseReturnValue:
    """The key that verifies the checkpoints (404 while the server has none)."""
    try:
        key = str(transparency_log.verifier())
    except MissingSigningKey:
        abort(404)
    return download(key + "\n", "revisionsspor-noegle.txt", "text/plain; charset=utf-8",
                    inline=True)


@bp.route("/haendelser/<bigid:event_id>/bevis.json")
@permission_required(Permission.VIEW_AUDIT)
def proof(event_id: int) -> ResponseReturnValue:
    """The inclusion proof of an event in the latest checkpoint's tree (``audit prove``),
    which an auditor checks with the public key alone."""
    latest = transparency_log.latest_checkpoint()
    if latest is None:
        abort(404)
    try:
        found = transparency_log.prove(event_id, latest.note)
    except LookupError:
        abort(404)
    return download(json.dumps(found, ensure_ascii=False, indent=2),
                    f"bevis-haendelse-{event_id}.json", "application/json")
