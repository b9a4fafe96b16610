"""Every tag an audit event can carry, in one enum.

A tag is shaped ``subject:verb`` (``remark:move``); its value is what the ``action`` column
stores, so the values never change once events carry them (add a member instead). Each
tag has a short description for people reading the audit trail (Danish, translated:
``DESCRIPTIONS`` holds lazy texts).
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class AuditTag(StrEnum):
    """What an audit event records. ``str(tag)`` and ``tag.value`` are the stored string."""

    AUTH_LOGIN = "auth:login"
    AUTH_LOGIN_FAILED = "auth:login_failed"
    AUTH_LOGIN_THROTTLED = "auth:login_throttled"
    AUTH_LOGOUT = "auth:logout"
    AUTH_PASSWORD_RESET_REQUEST = "auth:password_reset_request"  # noqa: S105 (a tag)
    AUTH_SSO_LOGIN = "auth:sso_login"
    AUTH_SSO_REFUSED = "auth:sso_refused"
    AUTH_TWO_FACTOR_PASSED = "auth:two_factor_passed"
    AUTH_TWO_FACTOR_FAILED = "auth:two_factor_failed"
    AUTH_TWO_FACTOR_RECOVERY_USED = "auth:two_factor_recovery_used"
    USER_CREATE = "user:create"
    USER_UPDATE = "user:update"
    USER_SET_PASSWORD = "user:set_password"  # noqa: S105 (a tag, no password)
    USER_INVITE = "user:invite"
    USER_RESET_PASSWORD = "user:reset_password"  # noqa: S105 (a tag, no password)
    USER_END_SESSIONS = "user:end_sessions"
    USER_IMPORT = "user:import"
    USER_SSO_BIND = "user:sso_bind"
    USER_SSO_UNBIND = "user:sso_unbind"
    USER_TWO_FACTOR_ENROL = "user:two_factor_enrol"
    USER_TWO_FACTOR_RECOVERY_CODES = "user:two_factor_recovery_codes"
    USER_TWO_FACTOR_DISABLE = "user:two_factor_disable"
    USER_TWO_FACTOR_RESET = "user:two_factor_reset"
    TWO_FACTOR_REKEY = "two_factor:rekey"
    FORM_STASH_CREATE = "form_stash:create"
    FORM_STASH_RESTORE = "form_stash:restore"
    BODY_CREATE = "body:create"
    BODY_UPDATE = "body:update"
    BODY_DELETE = "body:delete"
    BODY_IMPORT = "body:import"
    MEMBERSHIP_CREATE = "membership:create"
    MEMBERSHIP_UPDATE = "membership:update"
    MEMBERSHIP_DELETE = "membership:delete"

    POLICY_CREATE = "policy:create"
    POLICY_UPDATE = "policy:update"
    POLICY_STAGE = "policy:stage"
    VERSION_CREATE = "version:create"
    VERSION_FREEZE = "version:freeze"
    SECTION_CREATE = "section:create"
    SECTION_UPDATE = "section:update"
    SECTION_MOVE = "section:move"
    SECTION_DELETE = "section:delete"
    DECISION_CREATE = "decision:create"
    DECISION_WITHDRAW = "decision:withdraw"

    CONSULTATION_CREATE = "consultation:create"
    CONSULTATION_DEADLINE = "consultation:deadline"
    CONSULTATION_CLOSE = "consultation:close"
    CONSULTEE_DEADLINE = "consultee:deadline"
    CONSULTATION_UPDATE = "consultation:update"
    CONSULTATION_OPEN = "consultation:open"
    CONSULTATION_UPDATE_MEMO = "consultation:update_memo"
    CONSULTATION_ORDER_MEMO = "consultation:order_memo"
    CONSULTATION_PUBLISH_RESPONSES = "consultation:publish_responses"
    CONSULTATION_UNPUBLISH_RESPONSES = "consultation:unpublish_responses"
    CONSULTATION_PUBLISH_ANSWERS = "consultation:publish_answers"
    CONSULTATION_UNPUBLISH_ANSWERS = "consultation:unpublish_answers"
    CONSULTATION_MASKING = "consultation:masking"
    CONSULTATION_RESPONSIBLE = "consultation:responsible"
    CONSULTEE_CREATE = "consultee:create"
    CONSULTEE_DELETE = "consultee:delete"
    CONSULTEE_REMIND = "consultee:remind"
    CONSULTEE_LINK_SEND = "consultee_link:send"
    CONSULTEE_LINK_REVOKE = "consultee_link:revoke"
    CONSULTEE_LINK_USE = "consultee_link:use"
    CONSULTEE_LINK_REFUSE = "consultee_link:refuse"

    RESPONSE_CREATE = "response:create"
    RESPONSE_UPDATE = "response:update"
    RESPONSE_SUBMIT = "response:submit"
    RESPONSE_REOPEN = "response:reopen"
    PUBLIC_RESPONSE_SUBMIT = "public_response:submit"
    REMARK_CREATE = "remark:create"
    REMARK_UPDATE = "remark:update"
    REMARK_DELETE = "remark:delete"
    REMARK_MOVE = "remark:move"
    REMARK_EDIT_MEMO_WORDING = "remark:edit_memo_wording"
    REMARK_SPLIT = "remark:split"
    REMARK_FROM_ATTACHMENT = "remark:from_attachment"
    REMARK_ASSIGN = "remark:assign"
    REMARK_GROUP_CREATE = "remark_group:create"
    REMARK_GROUP_EXTEND = "remark_group:extend"
    REMARK_GROUP_REMOVE = "remark_group:remove"
    REMARK_GROUP_DELETE = "remark_group:delete"
    REPLY_CREATE = "reply:create"
    REPLY_UPDATE = "reply:update"
    REPLY_APPROVE = "reply:approve"
    STANDARD_REPLY_CREATE = "standard_reply:create"
    STANDARD_REPLY_UPDATE = "standard_reply:update"
    STANDARD_REPLY_DELETE = "standard_reply:delete"
    CHANGE_LINK_CREATE = "change_link:create"
    CHANGE_LINK_DELETE = "change_link:delete"

    MEMO_ISSUE = "memo:issue"
    TASK_CREATE = "task:create"
    TASK_UPDATE = "task:update"
    TASK_DELETE = "task:delete"

    MUNICIPALITY_UPDATE = "municipality:update"
    MUNICIPALITY_SET_TEMPLATE = "municipality:set_template"
    MUNICIPALITY_CLEAR_TEMPLATE = "municipality:clear_template"
    MUNICIPALITY_SET_LOGO = "municipality:set_logo"
    MUNICIPALITY_CLEAR_LOGO = "municipality:clear_logo"

    OUTBOX_MESSAGE_FAIL = "outbox_message:fail"
    PRIVACY_VIEW = "privacy:view"
    PRIVACY_EXPORT = "privacy:export"
    PRIVACY_PURGE = "privacy:purge"

    @property
    def subject(self) -> str:
        """The part before the colon: ``remark`` for ``remark:move``."""
        return self.value.partition(":")[0]

    @property
    def description(self) -> str:
        """In the page's language, e.g. "Bemærkning flyttet til andet afsnit" for
        ``remark:move``."""
        return str(DESCRIPTIONS[self])


DESCRIPTIONS: dict[AuditTag, str] = {
    AuditTag.AUTH_LOGIN: _l("Logget ind"),
    AuditTag.AUTH_LOGIN_FAILED: _l("Mislykket login"),
    AuditTag.AUTH_LOGIN_THROTTLED: _l("Login afvist efter for mange forsøg"),
    AuditTag.AUTH_LOGOUT: _l("Logget ud"),
    AuditTag.AUTH_PASSWORD_RESET_REQUEST: _l("Link til ny adgangskode bestilt"),
    AuditTag.AUTH_SSO_LOGIN: _l("Login hos identitetsudbyderen godtaget"),
    AuditTag.AUTH_SSO_REFUSED: _l("Login med single sign-on afvist"),
    AuditTag.AUTH_TWO_FACTOR_PASSED: _l("Kode fra godkendelsesappen godtaget ved login"),
    AuditTag.AUTH_TWO_FACTOR_FAILED: _l("Forkert kode til totrinsbekræftelse"),
    AuditTag.AUTH_TWO_FACTOR_RECOVERY_USED: _l("Gendannelseskode brugt"),
    AuditTag.USER_CREATE: _l("Bruger oprettet"),
    AuditTag.USER_UPDATE: _l("Bruger ændret"),
    AuditTag.USER_SET_PASSWORD: _l("Adgangskode sat"),
    AuditTag.USER_INVITE: _l("Invitation sendt"),
    AuditTag.USER_RESET_PASSWORD: _l("Ny adgangskode valgt via link"),
    AuditTag.USER_END_SESSIONS: _l("Bruger logget ud på alle enheder"),
    AuditTag.USER_IMPORT: _l("Brugere indlæst fra en CSV-fil"),
    AuditTag.USER_SSO_BIND: _l("Login hos identitetsudbyder knyttet til bruger"),
    AuditTag.USER_SSO_UNBIND: _l("Login hos identitetsudbyder fjernet fra bruger"),
    AuditTag.USER_TWO_FACTOR_ENROL: _l("Totrinsbekræftelse slået til"),
    AuditTag.USER_TWO_FACTOR_RECOVERY_CODES: _l("Nye gendannelseskoder til totrinsbekræftelse"),
    AuditTag.USER_TWO_FACTOR_DISABLE: _l("Totrinsbekræftelse slået fra af brugeren"),
    AuditTag.USER_TWO_FACTOR_RESET: _l("Totrinsbekræftelse nulstillet af en administrator"),
    AuditTag.TWO_FACTOR_REKEY: _l("Totrinsbekræftelsens hemmeligheder krypteret med ny nøgle"),
    AuditTag.FORM_STASH_CREATE: _l("Indtastning gemt, da sessionen var udløbet"),
    AuditTag.FORM_STASH_RESTORE: _l("Gemt indtastning sat ind igen efter nyt login"),
    AuditTag.BODY_CREATE: _l("Organ oprettet"),
    AuditTag.BODY_UPDATE: _l("Organ ændret"),
    AuditTag.BODY_DELETE: _l("Organ slettet"),
    AuditTag.BODY_IMPORT: _l("Organer indlæst fra en CSV-fil"),
    AuditTag.MEMBERSHIP_CREATE: _l("Medlem tilføjet til organ"),
    AuditTag.MEMBERSHIP_UPDATE: _l("Medlemskab ændret"),
    AuditTag.MEMBERSHIP_DELETE: _l("Medlem fjernet fra organ"),
    AuditTag.POLICY_CREATE: _l("Politik oprettet"),
    AuditTag.POLICY_UPDATE: _l("Politik ændret"),
    AuditTag.POLICY_STAGE: _l("Politikkens fase ændret"),
    AuditTag.VERSION_CREATE: _l("Version af politikken oprettet"),
    AuditTag.VERSION_FREEZE: _l("Version låst"),
    AuditTag.SECTION_CREATE: _l("Afsnit oprettet"),
    AuditTag.SECTION_UPDATE: _l("Afsnit ændret"),
    AuditTag.SECTION_MOVE: _l("Afsnit flyttet i rækkefølgen"),
    AuditTag.SECTION_DELETE: _l("Afsnit slettet"),
    AuditTag.DECISION_CREATE: _l("Beslutning registreret"),
    AuditTag.DECISION_WITHDRAW: _l("Beslutning trukket tilbage"),
    AuditTag.CONSULTATION_CREATE: _l("Høring oprettet"),
    AuditTag.CONSULTATION_DEADLINE: _l("Høringsfristen flyttet"),
    AuditTag.CONSULTATION_CLOSE: _l("Høringen afsluttet"),
    AuditTag.CONSULTEE_DEADLINE: _l("Individuel frist for en høringspart"),
    AuditTag.CONSULTATION_UPDATE: _l("Høring ændret"),
    AuditTag.CONSULTATION_OPEN: _l("Høring åbnet og invitationer sendt"),
    AuditTag.CONSULTATION_UPDATE_MEMO: _l("Høringsnotatets tekster ændret"),
    AuditTag.CONSULTATION_ORDER_MEMO: _l("Rækkefølgen i høringsnotatet ændret"),
    AuditTag.CONSULTATION_PUBLISH_RESPONSES: _l("Høringssvar offentliggjort"),
    AuditTag.CONSULTATION_UNPUBLISH_RESPONSES: _l("Offentliggørelse af høringssvar trukket "
                                                  "tilbage"),
    AuditTag.CONSULTATION_PUBLISH_ANSWERS: _l("Svarene offentliggjort (Det sagde I – det "
                                              "gjorde vi)"),
    AuditTag.CONSULTATION_UNPUBLISH_ANSWERS: _l("Svarene fjernet fra den offentlige side"),
    AuditTag.CONSULTATION_MASKING: _l("Personoplysninger før offentliggørelse afgjort "
                                      "(skjul/behold)"),
    AuditTag.CONSULTATION_RESPONSIBLE: _l("Ansvarlig medarbejder for høringen ændret"),
    AuditTag.CONSULTEE_CREATE: _l("Høringspart tilføjet"),
    AuditTag.CONSULTEE_DELETE: _l("Høringspart fjernet"),
    AuditTag.CONSULTEE_REMIND: _l("Påmindelse sendt til høringspart"),
    AuditTag.CONSULTEE_LINK_SEND: _l("Personligt link sendt til høringspartens kontakt"),
    AuditTag.CONSULTEE_LINK_REVOKE: _l("Høringspartens personlige link trukket tilbage"),
    AuditTag.CONSULTEE_LINK_USE: _l("Personligt link taget i brug af høringspartens kontakt"),
    AuditTag.CONSULTEE_LINK_REFUSE: _l("Udløbet eller tilbagetrukket personligt link afvist"),
    AuditTag.RESPONSE_CREATE: _l("Høringssvar oprettet"),
    AuditTag.RESPONSE_UPDATE: _l("Høringssvar ændret"),
    AuditTag.RESPONSE_SUBMIT: _l("Høringssvar indsendt"),
    AuditTag.RESPONSE_REOPEN: _l("Høringssvar genåbnet"),
    AuditTag.PUBLIC_RESPONSE_SUBMIT: _l("Høringssvar indsendt af offentligheden"),
    AuditTag.REMARK_CREATE: _l("Bemærkning oprettet"),
    AuditTag.REMARK_UPDATE: _l("Bemærkning ændret"),
    AuditTag.REMARK_DELETE: _l("Bemærkning slettet"),
    AuditTag.REMARK_MOVE: _l("Bemærkning flyttet til andet afsnit"),
    AuditTag.REMARK_EDIT_MEMO_WORDING: _l("Bemærkningens ordlyd i notatet ændret"),
    AuditTag.REMARK_SPLIT: _l("Bemærkning delt op"),
    AuditTag.REMARK_FROM_ATTACHMENT: _l("Bemærkning taget ud af en vedhæftet fil"),
    AuditTag.REMARK_ASSIGN: _l("Bemærkning tildelt en medarbejder"),
    AuditTag.REMARK_GROUP_CREATE: _l("Gruppe af enslydende bemærkninger oprettet"),
    AuditTag.REMARK_GROUP_EXTEND: _l("Bemærkninger føjet til gruppe"),
    AuditTag.REMARK_GROUP_REMOVE: _l("Bemærkning fjernet fra gruppe"),
    AuditTag.REMARK_GROUP_DELETE: _l("Gruppe af bemærkninger opløst"),
    AuditTag.REPLY_CREATE: _l("Svar skrevet"),
    AuditTag.REPLY_UPDATE: _l("Svar ændret"),
    AuditTag.REPLY_APPROVE: _l("Svar godkendt"),
    AuditTag.STANDARD_REPLY_CREATE: _l("Standardsvar oprettet"),
    AuditTag.STANDARD_REPLY_UPDATE: _l("Standardsvar ændret"),
    AuditTag.STANDARD_REPLY_DELETE: _l("Standardsvar slettet"),
    AuditTag.CHANGE_LINK_CREATE: _l("Bemærkning knyttet til ændring i teksten"),
    AuditTag.CHANGE_LINK_DELETE: _l("Kobling til ændring i teksten fjernet"),
    AuditTag.MEMO_ISSUE: _l("Høringsnotat udsendt i ny version"),
    AuditTag.TASK_CREATE: _l("Opfølgningsopgave oprettet"),
    AuditTag.TASK_UPDATE: _l("Opfølgningsopgave ændret"),
    AuditTag.TASK_DELETE: _l("Opfølgningsopgave slettet"),
    AuditTag.MUNICIPALITY_UPDATE: _l("Kommunens indstillinger ændret"),
    AuditTag.MUNICIPALITY_SET_TEMPLATE: _l("Kommunens Word-skabelon sat"),
    AuditTag.MUNICIPALITY_CLEAR_TEMPLATE: _l("Kommunens Word-skabelon fjernet"),
    AuditTag.MUNICIPALITY_SET_LOGO: _l("Kommunens logo sat"),
    AuditTag.MUNICIPALITY_CLEAR_LOGO: _l("Kommunens logo fjernet"),
    AuditTag.OUTBOX_MESSAGE_FAIL: _l("E-mail opgivet efter gentagne forsøg"),
    AuditTag.PRIVACY_VIEW: _l("Personoplysninger vist"),
    AuditTag.PRIVACY_EXPORT: _l("Personoplysninger udleveret"),
    AuditTag.PRIVACY_PURGE: _l("Personoplysninger slettet efter opbevaringsperioden"),
}
