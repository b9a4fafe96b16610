"""Audit events in words: who did what to which object, and what changed.

``describe(events)`` turns a page's events into ``EventInWords``: the actor's name ("Louise
Kjær Andersen", "En borger", "Ekstern kontakt for 3F", "Systemet"), a sentence
("Louise Kjær Andersen flyttede bemærkning 12 fra SOU til »Princip 3«."), the tag's
description ("Bemærkning flyttet til andet afsnit") and the changes with Danish labels and
values in words (a section id as its heading, a body id as its name, an enum value as its
label, a time in Danish time with its zone; masked personal data as "skjult"). A field
without a label is never shown by its name: it is counted among "andre oplysninger".

The objects are named in bulk: one query per kind of object on the page, whatever the
number of events. The audit package sits below the domains, so the domains' names come
from namers registered at start-up (``hoering.main.audit_words``): ``register_namer``
for a kind of object, ``register_values`` for the labels of a field's stored values.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from hoering.audit.models import AuditEvent
from hoering.audit.record import ACTING_AS, MASK
from hoering.audit.tags import AuditTag
from hoering.core.formatting import danish_date, danish_datetime, quoted
from hoering.core.i18n import gettext_str as _

# --- the kinds of object ---------------------------------------------------------------


@dataclass(frozen=True)
class ObjectKind:
    """A kind of object in the log: its label (the filter's choice: "Afsnit"), how an
    object of it is named in a sentence (``phrase``: "afsnittet »%(name)s«") and as a
    field's value (``value``: "»%(name)s«")."""

    label: Any  # a lazy string
    phrase: Any
    value: Any


OBJECT_KINDS: dict[str, ObjectKind] = {
    "user": ObjectKind(_l("Bruger"), _l("brugeren %(name)s"), _l("%(name)s")),
    "body": ObjectKind(_l("Organ"), _l("organet %(name)s"), _l("%(name)s")),
    "membership": ObjectKind(_l("Medlemskab"), _l("%(name)s"), _l("%(name)s")),
    "form_stash": ObjectKind(_l("Gemt indtastning"), _l("en gemt indtastning"),
                             _l("en gemt indtastning")),
    "access_token": ObjectKind(_l("Personligt link"), _l("et personligt link"),
                               _l("et personligt link")),
    "policy": ObjectKind(_l("Politik"), _l("politikken »%(name)s«"), _l("»%(name)s«")),
    "policy_version": ObjectKind(_l("Version af en politik"), _l("%(name)s"), _l("%(name)s")),
    "section": ObjectKind(_l("Afsnit"), _l("afsnittet »%(name)s«"), _l("»%(name)s«")),
    "case_decision": ObjectKind(_l("Beslutning"), _l("beslutningen %(name)s"),
                                _l("beslutningen %(name)s")),
    "consultation": ObjectKind(_l("Høring"), _l("høringen »%(name)s«"), _l("»%(name)s«")),
    "consultee": ObjectKind(_l("Høringspart"), _l("høringsparten %(name)s"), _l("%(name)s")),
    "response": ObjectKind(_l("Høringssvar"), _l("høringssvaret fra %(name)s"),
                           _l("høringssvaret fra %(name)s")),
    "remark": ObjectKind(_l("Bemærkning"), _l("bemærkning %(name)s"),
                         _l("bemærkning %(name)s")),
    "remark_group": ObjectKind(_l("Gruppe af enslydende bemærkninger"),
                               _l("gruppen af enslydende bemærkninger nr. %(name)s"),
                               _l("gruppe nr. %(name)s")),
    "reply": ObjectKind(_l("Administrationens svar"), _l("svaret på bemærkning %(name)s"),
                        _l("svaret på bemærkning %(name)s")),
    "standard_reply": ObjectKind(_l("Standardsvar"), _l("standardsvaret »%(name)s«"),
                                 _l("»%(name)s«")),
    "change_link": ObjectKind(_l("Kobling til en ændring i teksten"),
                              _l("koblingen %(name)s"), _l("koblingen %(name)s")),
    "memo_issue": ObjectKind(_l("Udsendt høringsnotat"), _l("%(name)s"), _l("%(name)s")),
    "follow_up_task": ObjectKind(_l("Opfølgningsopgave"), _l("opfølgningsopgaven »%(name)s«"),
                                 _l("»%(name)s«")),
    "municipality_settings": ObjectKind(_l("Kommunens indstillinger"),
                                        _l("kommunens indstillinger"),
                                        _l("kommunens indstillinger")),
    "outbox_message": ObjectKind(_l("E-mail"), _l("e-mail nr. %(name)s"),
                                 _l("e-mail nr. %(name)s")),
    "attachment": ObjectKind(_l("Vedhæftet fil"), _l("den vedhæftede fil nr. %(name)s"),
                             _l("den vedhæftede fil nr. %(name)s")),
}
UNKNOWN_KIND = ObjectKind(_l("Andet"), _l("et objekt"), _l("et objekt"))


def kind_label(object_type: str) -> str:
    """The Danish label of an object type ("remark" → "Bemærkning"), "Andet" if unknown."""
    return str(OBJECT_KINDS.get(object_type, UNKNOWN_KIND).label)


# --- naming objects in bulk ------------------------------------------------------------

# Names the objects of one kind: their ids → their names (one query); a missing id is an
# object that no longer exists.
Namer = Callable[[Collection[int]], Mapping[int, str]]
_NAMERS: dict[str, Namer] = {}
# A field's stored values → their labels, by (object type, field); object type "" for all.
_VALUE_LABELS: dict[tuple[str, str], Mapping[str, Any]] = {}


def register_namer(object_type: str, namer: Namer) -> None:
    """How objects of ``object_type`` are named (``hoering.main.audit_words``)."""
    _NAMERS[object_type] = namer


def register_values(field: str, labels: Mapping[Any, Any], *, object_type: str = "") -> None:
    """The labels of ``field``'s stored values (enum values: "already_covered" →
    "Allerede dækket"), for events on ``object_type`` or (default) on any object."""
    _VALUE_LABELS[(object_type, field)] = {str(getattr(k, "value", k)): v
                                           for k, v in labels.items()}


# Fields that hold the id of another object: field → the object's kind. A list of ids
# ("remark_ids") names each.
REFERENCES: dict[str, str] = {
    "section_id": "section",
    "body_id": "body",
    "owner_body_id": "body",
    "user_id": "user",
    "approved_by_id": "user",
    "assigned_to_id": "user",
    "responsible_id": "user",
    "withdrawn_by_id": "user",
    "version_id": "policy_version",
    "policy_id": "policy",
    "consultation_id": "consultation",
    "response_id": "response",
    "remark_id": "remark",
    "remark_ids": "remark",
    "added_remark_ids": "remark",
    "removed_remark_ids": "remark",
    "split_into": "remark",
    "corrects_id": "case_decision",
    "attachment_id": "attachment",
}

# What each field is called (lower case, as in "afsnit: »Princip 3«"). Fields not here
# are shown together as "andre oplysninger".
FIELD_LABELS: dict[str, Any] = {
    "abbreviation": _l("forkortelse"),
    "accessibility_url": _l("link til tilgængelighedserklæringen"),
    "action": _l("beslutning"),
    "active": _l("aktiv"),
    "added_remark_ids": _l("tilføjede bemærkninger"),
    "agenda_item": _l("punkt på dagsordenen"),
    "answers_published_at": _l("svarene offentliggjort"),
    "approved_by_id": _l("godkendt af"),
    "assigned_to_id": _l("tildelt"),
    "attachment_id": _l("vedhæftet fil"),
    "attachments": _l("vedhæftede filer"),
    "attempts": _l("forsøg"),
    "body_id": _l("organet"),
    "body_order": _l("organernes rækkefølge"),
    "bound_by": _l("knyttet ved"),
    "by_email": _l("sendt som e-mail"),
    "channel": _l("indgået via"),
    "closes_at": _l("høringsfrist"),
    "consultation_id": _l("høring"),
    "contact_email": _l("kontaktens e-mail"),
    "content_hash": _l("indholdets kontrolsum"),
    "corrects_id": _l("retter beslutningen"),
    "deadline": _l("individuel frist"),
    "decision_text": _l("beslutningens tekst"),
    "default_unit": _l("standardafsender"),
    "description": _l("beskrivelse"),
    "disposition": _l("behandling"),
    "due_on": _l("frist"),
    "email": _l("e-mail"),
    "email_hmac": _l("e-mailadresse"),
    "error": _l("fejl"),
    "expires_at": _l("udløber"),
    "format": _l("format"),
    "from_place": _l("fra plads"),
    "frozen_at": _l("låst"),
    "heading": _l("overskrift"),
    "identity": _l("login hos identitetsudbyder"),
    "invitation_text": _l("invitationens tekst"),
    "invitations": _l("invitationer"),
    "is_secretary": _l("sekretær"),
    "issuer": _l("identitetsudbyder"),
    "journal_number": _l("journalnummer"),
    "kept": _l("beholdt"),
    "kind": _l("type"),
    "language": _l("sprog"),
    "logo_media_type": _l("logoets filtype"),
    "logo_sha256": _l("logo"),
    "masked": _l("skjult"),
    "meeting_date": _l("mødedato"),
    "memo_background": _l("notatets baggrund"),
    "memo_consultee_list": _l("liste over høringsparter i notatet"),
    "memo_further_work": _l("videre arbejde"),
    "memo_further_work_after": _l("videre arbejde (efter listen)"),
    "memo_part_headings": _l("notatets overskrifter"),
    "memo_responses_heading": _l("overskrift over høringssvarene"),
    "memo_responses_intro": _l("indledning til høringssvarene"),
    "memo_text": _l("ordlyd i høringsnotatet"),
    "memo_title": _l("notatets titel"),
    "memo_unit": _l("afsender af notatet"),
    "messages": _l("e-mails"),
    "minutes_reference": _l("henvisning til referatet"),
    "name": _l("navn"),
    "new": _l("nye"),
    "no_remarks": _l("ingen bemærkninger"),
    "note": _l("note"),
    "number": _l("nummer"),
    "opened_at": _l("åbnet"),
    "opens_on": _l("åbner"),
    "original_text": _l("oprindelig ordlyd"),
    "owner": _l("ansvarlig"),
    "owner_body_id": _l("ejer"),
    "part": _l("del af notatet"),
    "passage": _l("tekststykke"),
    "password": _l("adgangskode"),
    "pending": _l("afventende svar"),
    "policy_id": _l("politikken"),
    "position": _l("plads"),
    "privacy_url": _l("link til privatlivspolitikken"),
    "public": _l("offentlig høring"),
    "reason": _l("begrundelse"),
    "receipt_messages": _l("kvitteringsmails"),
    "receipt_number": _l("kvitteringsnummer"),
    "receipts": _l("kvitteringer"),
    "received_late": _l("modtaget efter fristen"),
    "recommendation": _l("indstilling"),
    "remark_id": _l("bemærkning"),
    "remark_ids": _l("bemærkninger"),
    "remark_order": _l("bemærkningernes rækkefølge"),
    "remarks": _l("bemærkninger"),
    "reminders_sent": _l("påmindelser sendt"),
    "removed_remark_ids": _l("fjernede bemærkninger"),
    "renewed": _l("nyt link"),
    "replies": _l("svar"),
    "response_id": _l("høringssvar"),
    "responses": _l("høringssvar"),
    "responses_published_at": _l("høringssvarene offentliggjort"),
    "responsible_id": _l("ansvarlig medarbejder"),
    "retention_days": _l("opbevaringsperiode i dage"),
    "retention_start": _l("opbevaringsperioden regnet fra"),
    "role": _l("rolle"),
    "secretariat_email": _l("sekretariatets e-mail"),
    "section_id": _l("afsnit"),
    "size": _l("antal"),
    "source": _l("kilde"),
    "split_into": _l("delt op i"),
    "stage": _l("fase"),
    "state": _l("linkets tilstand"),
    "status": _l("status"),
    "text": _l("tekst"),
    "title": _l("titel"),
    "unchanged": _l("uændrede"),
    "updated": _l("ændrede"),
    "user_id": _l("brugeren"),
    "version_id": _l("version"),
    "viewed": _l("vist"),
    "withdrawal_reason": _l("begrundelse for tilbagetrækning"),
    "withdrawn_at": _l("trukket tilbage"),
    "withdrawn_by_id": _l("trukket tilbage af"),
    "word_template_filename": _l("Word-skabelon"),
    "word_template_sha256": _l("Word-skabelonens kontrolsum"),
}
# Recorded for the log's sake but said elsewhere (the actor) or not worth a line.
HIDDEN_FIELDS = frozenset({ACTING_AS, "access_token"})
# Values that mean nothing to a reader (hashes, keyed hashes): only "ændret" is said.
OPAQUE_FIELDS = frozenset({"content_hash", "email_hmac", "logo_sha256", "word_template_sha256",
                           "identity", "password", "remark_order", "body_order",
                           "memo_part_headings"})
# The fields whose value can name an object that no longer exists ("afsnittet »X«").
NAME_FIELDS = ("heading", "title", "name")
TEXT_LIMIT = 160


# --- what each tag says ----------------------------------------------------------------


@dataclass(frozen=True)
class Verb:
    """How an event of a tag reads. ``text`` may use ``%(actor)s``, ``%(object)s`` and any
    field of the event's changes (its value after the change, or before it for a
    deletion); when one of those fields is missing, ``fallback`` is read (actor and object
    only). ``no_object`` is read for an event without an object (e.g. a failed login
    with an unknown address)."""

    text: Any
    fallback: Any = None
    no_object: Any = None


T = AuditTag
VERBS: dict[AuditTag, Verb] = {
    T.AUTH_LOGIN: Verb(_l("%(actor)s loggede ind")),
    T.AUTH_LOGIN_FAILED: Verb(
        _l("%(actor)s forsøgte at logge ind som %(object)s uden held"),
        no_object=_l("%(actor)s forsøgte at logge ind med en ukendt e-mailadresse")),
    T.AUTH_LOGIN_THROTTLED: Verb(
        _l("%(actor)s blev afvist efter for mange loginforsøg"),
        no_object=_l("%(actor)s blev afvist efter for mange loginforsøg")),
    T.AUTH_LOGOUT: Verb(_l("%(actor)s loggede ud")),
    T.AUTH_PASSWORD_RESET_REQUEST: Verb(
        _l("%(actor)s bestilte et link til ny adgangskode til %(object)s"),
        no_object=_l("%(actor)s bestilte et link til ny adgangskode til en ukendt adresse")),
    T.AUTH_SSO_LOGIN: Verb(_l("%(actor)s loggede ind med single sign-on")),
    T.AUTH_SSO_REFUSED: Verb(
        _l("Et login med single sign-on som %(object)s blev afvist"),
        no_object=_l("Et login med single sign-on blev afvist")),
    T.USER_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.USER_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.USER_SET_PASSWORD: Verb(_l("%(actor)s satte en ny adgangskode for %(object)s")),
    T.USER_INVITE: Verb(_l("%(actor)s inviterede %(object)s")),
    T.USER_RESET_PASSWORD: Verb(_l("%(actor)s valgte en ny adgangskode via link")),
    T.USER_END_SESSIONS: Verb(_l("%(actor)s loggede %(object)s ud på alle enheder")),
    T.USER_IMPORT: Verb(_l("%(actor)s indlæste brugere fra en CSV-fil")),
    T.USER_SSO_BIND: Verb(_l("%(actor)s knyttede et login hos identitetsudbyderen til %(object)s")),
    T.USER_SSO_UNBIND: Verb(_l("%(actor)s fjernede login hos identitetsudbyderen fra %(object)s")),
    T.AUTH_TWO_FACTOR_PASSED: Verb(_l("%(actor)s loggede ind med en kode fra godkendelsesappen")),
    T.AUTH_TWO_FACTOR_FAILED: Verb(_l("%(actor)s skrev en forkert kode til totrinsbekræftelse")),
    T.AUTH_TWO_FACTOR_RECOVERY_USED: Verb(_l("%(actor)s loggede ind med en gendannelseskode")),
    T.USER_TWO_FACTOR_ENROL: Verb(_l("%(actor)s slog totrinsbekræftelse til for %(object)s")),
    T.USER_TWO_FACTOR_RECOVERY_CODES: Verb(
        _l("%(actor)s lavede nye gendannelseskoder til %(object)s")),
    T.USER_TWO_FACTOR_DISABLE: Verb(_l("%(actor)s slog totrinsbekræftelse fra for %(object)s")),
    T.USER_TWO_FACTOR_RESET: Verb(_l("%(actor)s nulstillede totrinsbekræftelsen for %(object)s")),
    T.TWO_FACTOR_REKEY: Verb(
        _l("%(actor)s krypterede totrinsbekræftelsens hemmeligheder med en ny nøgle")),
    T.FORM_STASH_CREATE: Verb(_l("%(actor)s fik gemt en indtastning, da sessionen var udløbet")),
    T.FORM_STASH_RESTORE: Verb(_l("%(actor)s fik sin gemte indtastning sat ind igen")),
    T.BODY_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.BODY_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.BODY_DELETE: Verb(_l("%(actor)s slettede %(object)s")),
    T.BODY_IMPORT: Verb(_l("%(actor)s indlæste organer fra en CSV-fil")),
    T.MEMBERSHIP_CREATE: Verb(
        _l("%(actor)s tilføjede %(user_id)s som medlem af %(body_id)s"),
        _l("%(actor)s tilføjede et medlem: %(object)s")),
    T.MEMBERSHIP_UPDATE: Verb(_l("%(actor)s ændrede medlemskabet: %(object)s")),
    T.MEMBERSHIP_DELETE: Verb(
        _l("%(actor)s fjernede %(user_id)s som medlem af %(body_id)s"),
        _l("%(actor)s fjernede et medlem: %(object)s")),
    T.POLICY_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.POLICY_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.POLICY_STAGE: Verb(
        _l("%(actor)s flyttede %(object)s til fasen %(stage)s"),
        _l("%(actor)s ændrede fasen for %(object)s")),
    T.VERSION_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.VERSION_FREEZE: Verb(_l("%(actor)s låste %(object)s")),
    T.SECTION_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.SECTION_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.SECTION_MOVE: Verb(
        _l("%(actor)s flyttede %(object)s til plads %(position)s"),
        _l("%(actor)s flyttede %(object)s i rækkefølgen")),
    T.SECTION_DELETE: Verb(_l("%(actor)s slettede %(object)s")),
    T.DECISION_CREATE: Verb(_l("%(actor)s registrerede %(object)s")),
    T.DECISION_WITHDRAW: Verb(_l("%(actor)s trak %(object)s tilbage")),
    T.CONSULTATION_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.CONSULTATION_DEADLINE: Verb(
        _l("%(actor)s flyttede fristen for %(object)s til %(closes_at)s"),
        _l("%(actor)s flyttede fristen for %(object)s")),
    T.CONSULTATION_CLOSE: Verb(_l("%(actor)s afsluttede %(object)s")),
    T.CONSULTEE_DEADLINE: Verb(
        _l("%(actor)s gav %(object)s en individuel frist: %(deadline)s"),
        _l("%(actor)s ændrede den individuelle frist for %(object)s")),
    T.CONSULTATION_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.CONSULTATION_OPEN: Verb(_l("%(actor)s åbnede %(object)s og sendte invitationerne")),
    T.CONSULTATION_UPDATE_MEMO: Verb(_l("%(actor)s ændrede høringsnotatets tekster i %(object)s")),
    T.CONSULTATION_ORDER_MEMO: Verb(
        _l("%(actor)s ændrede rækkefølgen i høringsnotatet til %(object)s")),
    T.CONSULTATION_PUBLISH_RESPONSES: Verb(
        _l("%(actor)s offentliggjorde høringssvarene i %(object)s")),
    T.CONSULTATION_UNPUBLISH_RESPONSES: Verb(
        _l("%(actor)s trak offentliggørelsen af høringssvarene i %(object)s tilbage")),
    T.CONSULTATION_PUBLISH_ANSWERS: Verb(
        _l("%(actor)s offentliggjorde svarene i %(object)s (Det sagde I – det gjorde vi)")),
    T.CONSULTATION_UNPUBLISH_ANSWERS: Verb(
        _l("%(actor)s fjernede svarene i %(object)s fra den offentlige side")),
    T.CONSULTATION_MASKING: Verb(
        _l("%(actor)s afgjorde, hvilke personoplysninger i %(object)s der skjules før "
           "offentliggørelsen")),
    T.CONSULTATION_RESPONSIBLE: Verb(
        _l("%(actor)s gjorde %(responsible_id)s ansvarlig for %(object)s"),
        _l("%(actor)s ændrede den ansvarlige medarbejder for %(object)s")),
    T.CONSULTEE_CREATE: Verb(
        _l("%(actor)s inviterede %(body_id)s til %(consultation_id)s"),
        _l("%(actor)s tilføjede %(object)s")),
    T.CONSULTEE_DELETE: Verb(
        _l("%(actor)s fjernede %(body_id)s fra %(consultation_id)s"),
        _l("%(actor)s fjernede %(object)s")),
    T.CONSULTEE_REMIND: Verb(_l("%(actor)s sendte en påmindelse til %(object)s")),
    T.CONSULTEE_LINK_SEND: Verb(
        _l("%(actor)s sendte et personligt link til kontakten for %(body_id)s"),
        _l("%(actor)s sendte et personligt link til en høringsparts kontakt")),
    T.CONSULTEE_LINK_REVOKE: Verb(
        _l("%(actor)s trak det personlige link til %(body_id)s tilbage"),
        _l("%(actor)s trak et personligt link tilbage")),
    T.CONSULTEE_LINK_USE: Verb(_l("%(actor)s tog det personlige link i brug")),
    T.CONSULTEE_LINK_REFUSE: Verb(
        _l("Et udløbet eller tilbagetrukket personligt link til %(body_id)s blev afvist"),
        _l("Et udløbet eller tilbagetrukket personligt link blev afvist")),
    T.RESPONSE_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.RESPONSE_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.RESPONSE_SUBMIT: Verb(_l("%(actor)s indsendte %(object)s")),
    T.RESPONSE_REOPEN: Verb(_l("%(actor)s genåbnede %(object)s")),
    T.PUBLIC_RESPONSE_SUBMIT: Verb(
        _l("%(actor)s sendte et høringssvar til %(consultation_id)s"),
        _l("%(actor)s sendte %(object)s")),
    T.REMARK_CREATE: Verb(
        _l("%(actor)s skrev %(object)s i %(section_id)s"),
        _l("%(actor)s skrev %(object)s")),
    T.REMARK_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.REMARK_DELETE: Verb(_l("%(actor)s slettede %(object)s")),
    T.REMARK_MOVE: Verb(
        _l("%(actor)s flyttede %(object)s til %(section_id)s"),
        _l("%(actor)s flyttede %(object)s til et andet afsnit")),
    T.REMARK_EDIT_MEMO_WORDING: Verb(
        _l("%(actor)s rettede ordlyden af %(object)s i høringsnotatet")),
    T.REMARK_SPLIT: Verb(_l("%(actor)s delte %(object)s op")),
    T.REMARK_FROM_ATTACHMENT: Verb(_l("%(actor)s tog %(object)s ud af en vedhæftet fil")),
    T.REMARK_ASSIGN: Verb(
        _l("%(actor)s tildelte %(object)s til %(assigned_to_id)s"),
        _l("%(actor)s fjernede tildelingen af %(object)s")),
    T.REMARK_GROUP_CREATE: Verb(
        _l("%(actor)s oprettede %(object)s med %(size)s bemærkninger"),
        _l("%(actor)s oprettede %(object)s")),
    T.REMARK_GROUP_EXTEND: Verb(_l("%(actor)s føjede bemærkninger til %(object)s")),
    T.REMARK_GROUP_REMOVE: Verb(_l("%(actor)s tog bemærkninger ud af %(object)s")),
    T.REMARK_GROUP_DELETE: Verb(_l("%(actor)s opløste %(object)s")),
    T.REPLY_CREATE: Verb(_l("%(actor)s skrev %(object)s")),
    T.REPLY_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.REPLY_APPROVE: Verb(_l("%(actor)s godkendte %(object)s")),
    T.STANDARD_REPLY_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.STANDARD_REPLY_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.STANDARD_REPLY_DELETE: Verb(_l("%(actor)s slettede %(object)s")),
    T.CHANGE_LINK_CREATE: Verb(
        _l("%(actor)s knyttede %(remark_id)s til ændringen i %(section_id)s"),
        _l("%(actor)s knyttede en bemærkning til en ændring i teksten")),
    T.CHANGE_LINK_DELETE: Verb(
        _l("%(actor)s fjernede koblingen mellem %(remark_id)s og ændringen i %(section_id)s"),
        _l("%(actor)s fjernede en kobling til en ændring i teksten")),
    T.MEMO_ISSUE: Verb(_l("%(actor)s udsendte %(object)s")),
    T.TASK_CREATE: Verb(_l("%(actor)s oprettede %(object)s")),
    T.TASK_UPDATE: Verb(_l("%(actor)s ændrede %(object)s")),
    T.TASK_DELETE: Verb(_l("%(actor)s slettede %(object)s")),
    T.MUNICIPALITY_UPDATE: Verb(_l("%(actor)s ændrede kommunens indstillinger")),
    T.MUNICIPALITY_SET_TEMPLATE: Verb(_l("%(actor)s satte kommunens Word-skabelon")),
    T.MUNICIPALITY_CLEAR_TEMPLATE: Verb(_l("%(actor)s fjernede kommunens Word-skabelon")),
    T.MUNICIPALITY_SET_LOGO: Verb(_l("%(actor)s satte kommunens logo")),
    T.MUNICIPALITY_CLEAR_LOGO: Verb(_l("%(actor)s fjernede kommunens logo")),
    T.OUTBOX_MESSAGE_FAIL: Verb(_l("%(actor)s opgav at sende %(object)s efter gentagne forsøg")),
    T.PRIVACY_VIEW: Verb(_l("%(actor)s så personoplysningerne i %(object)s")),
    T.PRIVACY_EXPORT: Verb(_l("%(actor)s udleverede personoplysningerne i %(object)s")),
    T.PRIVACY_PURGE: Verb(
        _l("%(actor)s slettede personoplysninger i %(object)s efter opbevaringsperioden")),
}
del T

# Who acted when no user did: a citizen, or someone not logged in (the object says as whom).
CITIZEN_TAGS = frozenset({AuditTag.PUBLIC_RESPONSE_SUBMIT})
ANONYMOUS_TAGS = frozenset({AuditTag.AUTH_LOGIN_FAILED, AuditTag.AUTH_LOGIN_THROTTLED,
                            AuditTag.AUTH_PASSWORD_RESET_REQUEST, AuditTag.AUTH_SSO_REFUSED})


# --- the result ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeInWords:
    """One changed field: its label and its values in words (None: no value on that side;
    ``opaque``: the values are not shown, only that the field changed)."""

    label: str
    before: str | None
    after: str | None
    opaque: bool = False


@dataclass(frozen=True)
class EventInWords:
    event: AuditEvent
    actor: str  # "Louise Kjær Andersen", "En borger", "Systemet"
    what: str  # the tag's description: "Bemærkning flyttet til andet afsnit"
    object: str  # "bemærkning 12 fra SOU"; "" for an event without an object
    sentence: str  # "Louise Kjær Andersen flyttede bemærkning 12 fra SOU til »Princip 3«."
    changes: tuple[ChangeInWords, ...]

    @property
    def summary(self) -> str:
        """The changes of an update on one line ("titel: »A« → »B«; tekst ændret"); ""
        for a creation (its values are the object's, shown elsewhere)."""
        parts = []
        for change in self.changes:
            if change.before is None and not change.opaque:
                continue
            if change.opaque or change.after is None:
                parts.append(_("%(label)s ændret", label=change.label))
            else:
                parts.append(f"{change.label}: {change.before} → {change.after}")
        return "; ".join(parts)


def describe(events: Iterable[AuditEvent]) -> list[EventInWords]:
    """The events in words, in their order; the objects they name are loaded in bulk (one
    query per kind of object), the actors are the events' (loaded with them)."""
    events = list(events)
    names = _names_for(events)
    return [_describe(event, names) for event in events]


def describe_one(event: AuditEvent) -> EventInWords:
    return describe([event])[0]


# --- how ------------------------------------------------------------------------------

_Names = dict[str, Mapping[int, str]]


def _ids_in(value: Any) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
    return []


def _names_for(events: list[AuditEvent]) -> _Names:
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.object_id is not None:
            wanted[event.object_type].add(event.object_id)
        for field, change in (event.changes or {}).items():
            kind = REFERENCES.get(field)
            if kind is None or not isinstance(change, dict):
                continue
            for side in ("before", "after"):
                wanted[kind].update(_ids_in(change.get(side)))
    return {kind: _NAMERS[kind](ids) for kind, ids in wanted.items()
            if ids and kind in _NAMERS}


def _tag(event: AuditEvent) -> AuditTag | None:
    try:
        return AuditTag(event.action)
    except ValueError:
        return None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def actor_name(event: AuditEvent) -> str:
    """Who acted: the user's name; the label recorded for someone acting through a personal
    link ("Ekstern kontakt for 3F"); "En borger"; "Nogen" (not logged in); "Systemet"."""
    if event.actor is not None:
        return event.actor.name
    acting_as = (event.changes or {}).get(ACTING_AS)
    if isinstance(acting_as, dict) and acting_as.get("after"):
        return _capitalised(str(acting_as["after"]))
    tag = _tag(event)
    if tag in CITIZEN_TAGS:
        return _("En borger")
    if tag in ANONYMOUS_TAGS:
        return _("Nogen")
    return _("Systemet")


def _own_name(event: AuditEvent) -> str | None:
    """The name an object had by the event's own changes (an object deleted since)."""
    changes = event.changes or {}
    for field in NAME_FIELDS:
        change = changes.get(field)
        if isinstance(change, dict):
            value = change.get("after") if change.get("after") is not None else change.get(
                "before")
            if isinstance(value, str) and value.strip() and value != MASK:
                return value
    return None


def _object_phrase(event: AuditEvent, names: _Names) -> str:
    if event.object_id is None:
        return ""
    return _phrase(event.object_type, event.object_id, names, _own_name(event))


def _phrase(object_type: str, object_id: int, names: _Names,
            own_name: str | None = None) -> str:
    kind = OBJECT_KINDS.get(object_type, UNKNOWN_KIND)
    name = names.get(object_type, {}).get(object_id, own_name)
    if name is None:
        return _("%(kind)s nr. %(id)d (findes ikke længere)", kind=str(kind.label).lower(),
                 id=object_id)
    return str(kind.phrase) % {"name": name}


def describe_object(object_type: str, object_id: int) -> str:
    """One object as the sentences name it ("bemærkning 12 fra SOU"): one query."""
    namer = _NAMERS.get(object_type)
    names = {object_type: namer([object_id])} if namer is not None else {}
    return _phrase(object_type, object_id, names)


def _reference(kind: str, object_id: int, names: _Names) -> str:
    name = names.get(kind, {}).get(object_id)
    known = OBJECT_KINDS.get(kind, UNKNOWN_KIND)
    if name is None:
        return _("%(kind)s nr. %(id)d (findes ikke længere)", kind=str(known.label).lower(),
                 id=object_id)
    return str(known.value) % {"name": name}


_ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def value_in_words(object_type: str, field: str, value: Any, names: _Names) -> str | None:
    """A stored value as a reader should see it; None for no value."""
    if value is None:
        return None
    if value == MASK:
        return _("skjult")
    kind = REFERENCES.get(field)
    if kind is not None and _ids_in(value) and not isinstance(value, str):
        if isinstance(value, list):
            shown = [_reference(kind, i, names) for i in _ids_in(value)[:5]]
            more = len(value) - len(shown)
            return ", ".join(shown) + (_(" og %(n)d flere", n=more) if more > 0 else "")
        return _reference(kind, value, names)
    labels = _VALUE_LABELS.get((object_type, field)) or _VALUE_LABELS.get(("", field))
    if labels is not None and str(value) in labels:
        return str(labels[str(value)])
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _text_in_words(value) if value.strip() else _("tom")
    if isinstance(value, list):
        return _("%(n)d i alt", n=len(value))
    return _("ændret")


def _text_in_words(value: str) -> str:
    if _ISO_DATETIME.match(value):
        try:
            return danish_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            pass
    if _ISO_DATE.match(value):
        try:
            return danish_date(date.fromisoformat(value))
        except ValueError:
            pass
    text = " ".join(value.split())
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT - 1].rstrip() + "…"
    return quoted(text)


def changes_in_words(event: AuditEvent, names: _Names) -> tuple[ChangeInWords, ...]:
    rows: list[ChangeInWords] = []
    unknown = False
    for field, change in (event.changes or {}).items():
        if field in HIDDEN_FIELDS:
            continue
        label = FIELD_LABELS.get(field)
        if label is None or not isinstance(change, dict):
            unknown = True
            continue
        before, after = change.get("before"), change.get("after")
        if field in OPAQUE_FIELDS or MASK in (before, after):
            rows.append(ChangeInWords(str(label), None, None, opaque=True))
            continue
        rows.append(ChangeInWords(
            str(label), value_in_words(event.object_type, field, before, names),
            value_in_words(event.object_type, field, after, names)))
    if unknown:
        rows.append(ChangeInWords(_("andre oplysninger"), None, None, opaque=True))
    return tuple(rows)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _field_value(event: AuditEvent, field: str, names: _Names) -> str | None:
    change = (event.changes or {}).get(field)
    if not isinstance(change, dict):
        return None
    value = change.get("after") if change.get("after") is not None else change.get("before")
    if value == MASK:
        return None
    return value_in_words(event.object_type, field, value, names)


def sentence(event: AuditEvent, actor: str, object_phrase: str, names: _Names) -> str:
    tag = _tag(event)
    verb = VERBS.get(tag) if tag is not None else None
    if verb is None:  # a tag without a verb yet, or a string that is no tag
        what = _(tag.description) if tag is not None else _("ukendt handling")
        return _("%(actor)s: %(what)s.", actor=actor, what=what)
    values: dict[str, str] = {"actor": actor, "object": object_phrase}
    template = str(verb.text)
    if not object_phrase and verb.no_object is not None:
        template = str(verb.no_object)
    for field in set(_PLACEHOLDER.findall(template)) - {"actor", "object"}:
        value = _field_value(event, field, names)
        if value is None:
            template = str(verb.fallback) if verb.fallback is not None else template
            break
        values[field] = value
    if "%(object)s" in template and not object_phrase:
        values["object"] = str(OBJECT_KINDS.get(event.object_type, UNKNOWN_KIND).label).lower()
    for field in set(_PLACEHOLDER.findall(template)) - set(values):
        values[field] = _("ukendt")  # a fallback that names a field: never left as a code
    text = _capitalised(template % values)
    return text if text.endswith((".", "?", "!")) else text + "."


def _describe(event: AuditEvent, names: _Names) -> EventInWords:
    tag = _tag(event)
    actor = actor_name(event)
    object_phrase = _object_phrase(event, names)
    return EventInWords(
        event=event, actor=actor,
        what=_(tag.description) if tag is not None else _("Ukendt handling"),
        object=object_phrase, sentence=sentence(event, actor, object_phrase, names),
        changes=changes_in_words(event, names),
    )
