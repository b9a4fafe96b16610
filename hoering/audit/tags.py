"""Every tag an audit event can carry, in one enum.

A tag is shaped ``subject:verb`` (``remark:move``); its value is what the ``action`` column
stores, so the values never change once events carry them (add a member instead). Each
tag has a short Danish description for people reading the audit trail.
"""

from __future__ import annotations

from enum import StrEnum


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
        """Danish, e.g. "Bemærkning flyttet til andet afsnit" for ``remark:move``."""
        return DESCRIPTIONS[self]


DESCRIPTIONS: dict[AuditTag, str] = {
    AuditTag.AUTH_LOGIN: "Logget ind",
    AuditTag.AUTH_LOGIN_FAILED: "Mislykket login",
    AuditTag.AUTH_LOGIN_THROTTLED: "Login afvist efter for mange forsøg",
    AuditTag.AUTH_LOGOUT: "Logget ud",
    AuditTag.AUTH_PASSWORD_RESET_REQUEST: "Link til ny adgangskode bestilt",
    AuditTag.AUTH_SSO_LOGIN: "Login hos identitetsudbyderen godtaget",
    AuditTag.AUTH_SSO_REFUSED: "Login med single sign-on afvist",
    AuditTag.AUTH_TWO_FACTOR_PASSED: "Kode fra godkendelsesappen godtaget ved login",
    AuditTag.AUTH_TWO_FACTOR_FAILED: "Forkert kode til totrinsbekræftelse",
    AuditTag.AUTH_TWO_FACTOR_RECOVERY_USED: "Gendannelseskode brugt",
    AuditTag.USER_CREATE: "Bruger oprettet",
    AuditTag.USER_UPDATE: "Bruger ændret",
    AuditTag.USER_SET_PASSWORD: "Adgangskode sat",
    AuditTag.USER_INVITE: "Invitation sendt",
    AuditTag.USER_RESET_PASSWORD: "Ny adgangskode valgt via link",
    AuditTag.USER_END_SESSIONS: "Bruger logget ud på alle enheder",
    AuditTag.USER_IMPORT: "Brugere indlæst fra en CSV-fil",
    AuditTag.USER_SSO_BIND: "Login hos identitetsudbyder knyttet til bruger",
    AuditTag.USER_SSO_UNBIND: "Login hos identitetsudbyder fjernet fra bruger",
    AuditTag.USER_TWO_FACTOR_ENROL: "Totrinsbekræftelse slået til",
    AuditTag.USER_TWO_FACTOR_RECOVERY_CODES: "Nye gendannelseskoder til totrinsbekræftelse",
    AuditTag.USER_TWO_FACTOR_DISABLE: "Totrinsbekræftelse slået fra af brugeren",
    AuditTag.USER_TWO_FACTOR_RESET: "Totrinsbekræftelse nulstillet af en administrator",
    AuditTag.TWO_FACTOR_REKEY: "Totrinsbekræftelsens hemmeligheder krypteret med ny nøgle",
    AuditTag.FORM_STASH_CREATE: "Indtastning gemt, da sessionen var udløbet",
    AuditTag.FORM_STASH_RESTORE: "Gemt indtastning sat ind igen efter nyt login",
    AuditTag.BODY_CREATE: "Organ oprettet",
    AuditTag.BODY_UPDATE: "Organ ændret",
    AuditTag.BODY_DELETE: "Organ slettet",
    AuditTag.BODY_IMPORT: "Organer indlæst fra en CSV-fil",
    AuditTag.MEMBERSHIP_CREATE: "Medlem tilføjet til organ",
    AuditTag.MEMBERSHIP_UPDATE: "Medlemskab ændret",
    AuditTag.MEMBERSHIP_DELETE: "Medlem fjernet fra organ",
    AuditTag.POLICY_CREATE: "Politik oprettet",
    AuditTag.POLICY_UPDATE: "Politik ændret",
    AuditTag.POLICY_STAGE: "Politikkens fase ændret",
    AuditTag.VERSION_CREATE: "Version af politikken oprettet",
    AuditTag.VERSION_FREEZE: "Version låst",
    AuditTag.SECTION_CREATE: "Afsnit oprettet",
    AuditTag.SECTION_UPDATE: "Afsnit ændret",
    AuditTag.SECTION_MOVE: "Afsnit flyttet i rækkefølgen",
    AuditTag.SECTION_DELETE: "Afsnit slettet",
    AuditTag.DECISION_CREATE: "Beslutning registreret",
    AuditTag.DECISION_WITHDRAW: "Beslutning trukket tilbage",
    AuditTag.CONSULTATION_CREATE: "Høring oprettet",
    AuditTag.CONSULTATION_DEADLINE: "Høringsfristen flyttet",
    AuditTag.CONSULTATION_CLOSE: "Høringen afsluttet",
    AuditTag.CONSULTEE_DEADLINE: "Individuel frist for en høringspart",
    AuditTag.CONSULTATION_UPDATE: "Høring ændret",
    AuditTag.CONSULTATION_OPEN: "Høring åbnet og invitationer sendt",
    AuditTag.CONSULTATION_UPDATE_MEMO: "Høringsnotatets tekster ændret",
    AuditTag.CONSULTATION_ORDER_MEMO: "Rækkefølgen i høringsnotatet ændret",
    AuditTag.CONSULTATION_PUBLISH_RESPONSES: "Høringssvar offentliggjort",
    AuditTag.CONSULTATION_UNPUBLISH_RESPONSES: "Offentliggørelse af høringssvar trukket tilbage",
    AuditTag.CONSULTATION_PUBLISH_ANSWERS: "Svarene offentliggjort (Det sagde I – det gjorde vi)",
    AuditTag.CONSULTATION_UNPUBLISH_ANSWERS: "Svarene fjernet fra den offentlige side",
    AuditTag.CONSULTATION_MASKING: "Personoplysninger før offentliggørelse afgjort (skjul/behold)",
    AuditTag.CONSULTATION_RESPONSIBLE: "Ansvarlig medarbejder for høringen ændret",
    AuditTag.CONSULTEE_CREATE: "Høringspart tilføjet",
    AuditTag.CONSULTEE_DELETE: "Høringspart fjernet",
    AuditTag.CONSULTEE_REMIND: "Påmindelse sendt til høringspart",
    AuditTag.CONSULTEE_LINK_SEND: "Personligt link sendt til høringspartens kontakt",
    AuditTag.CONSULTEE_LINK_REVOKE: "Høringspartens personlige link trukket tilbage",
    AuditTag.CONSULTEE_LINK_USE: "Personligt link taget i brug af høringspartens kontakt",
    AuditTag.CONSULTEE_LINK_REFUSE: "Udløbet eller tilbagetrukket personligt link afvist",
    AuditTag.RESPONSE_CREATE: "Høringssvar oprettet",
    AuditTag.RESPONSE_UPDATE: "Høringssvar ændret",
    AuditTag.RESPONSE_SUBMIT: "Høringssvar indsendt",
    AuditTag.RESPONSE_REOPEN: "Høringssvar genåbnet",
    AuditTag.PUBLIC_RESPONSE_SUBMIT: "Høringssvar indsendt af offentligheden",
    AuditTag.REMARK_CREATE: "Bemærkning oprettet",
    AuditTag.REMARK_UPDATE: "Bemærkning ændret",
    AuditTag.REMARK_DELETE: "Bemærkning slettet",
    AuditTag.REMARK_MOVE: "Bemærkning flyttet til andet afsnit",
    AuditTag.REMARK_EDIT_MEMO_WORDING: "Bemærkningens ordlyd i notatet ændret",
    AuditTag.REMARK_SPLIT: "Bemærkning delt op",
    AuditTag.REMARK_FROM_ATTACHMENT: "Bemærkning taget ud af en vedhæftet fil",
    AuditTag.REMARK_ASSIGN: "Bemærkning tildelt en medarbejder",
    AuditTag.REMARK_GROUP_CREATE: "Gruppe af enslydende bemærkninger oprettet",
    AuditTag.REMARK_GROUP_EXTEND: "Bemærkninger føjet til gruppe",
    AuditTag.REMARK_GROUP_REMOVE: "Bemærkning fjernet fra gruppe",
    AuditTag.REMARK_GROUP_DELETE: "Gruppe af bemærkninger opløst",
    AuditTag.REPLY_CREATE: "Svar skrevet",
    AuditTag.REPLY_UPDATE: "Svar ændret",
    AuditTag.REPLY_APPROVE: "Svar godkendt",
    AuditTag.STANDARD_REPLY_CREATE: "Standardsvar oprettet",
    AuditTag.STANDARD_REPLY_UPDATE: "Standardsvar ændret",
    AuditTag.STANDARD_REPLY_DELETE: "Standardsvar slettet",
    AuditTag.CHANGE_LINK_CREATE: "Bemærkning knyttet til ændring i teksten",
    AuditTag.CHANGE_LINK_DELETE: "Kobling til ændring i teksten fjernet",
    AuditTag.MEMO_ISSUE: "Høringsnotat udsendt i ny version",
    AuditTag.TASK_CREATE: "Opfølgningsopgave oprettet",
    AuditTag.TASK_UPDATE: "Opfølgningsopgave ændret",
    AuditTag.TASK_DELETE: "Opfølgningsopgave slettet",
    AuditTag.MUNICIPALITY_UPDATE: "Kommunens indstillinger ændret",
    AuditTag.MUNICIPALITY_SET_TEMPLATE: "Kommunens Word-skabelon sat",
    AuditTag.MUNICIPALITY_CLEAR_TEMPLATE: "Kommunens Word-skabelon fjernet",
    AuditTag.MUNICIPALITY_SET_LOGO: "Kommunens logo sat",
    AuditTag.MUNICIPALITY_CLEAR_LOGO: "Kommunens logo fjernet",
    AuditTag.OUTBOX_MESSAGE_FAIL: "E-mail opgivet efter gentagne forsøg",
    AuditTag.PRIVACY_VIEW: "Personoplysninger vist",
    AuditTag.PRIVACY_EXPORT: "Personoplysninger udleveret",
    AuditTag.PRIVACY_PURGE: "Personoplysninger slettet efter opbevaringsperioden",
}
