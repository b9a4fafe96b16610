"""Forms for login, users, bodies and memberships (Danish labels and messages)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, Length, Optional, Regexp, StopValidation

from hoering.accounts.identities import MAX_ISSUER_LENGTH, MAX_SUBJECT_LENGTH
from hoering.accounts.models import BodyKind, Role
from hoering.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from hoering.core.form_rules import FlaskForm, required, strip

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.STAFF: _l("Sekretariat"),
    Role.MEMBER: _l("Medlem"),
    Role.AUDITOR: _l("Revisor"),
}
BODY_KIND_LABELS = {
    BodyKind.COMMITTEE: _l("Udvalg"),
    BodyKind.COUNCIL: _l("Råd"),
    BodyKind.WORKS_COUNCIL: _l("MED-udvalg"),
    BodyKind.CITY_COUNCIL: _l("Kommunalbestyrelse"),
    BodyKind.SCHOOL_BOARD: _l("Skole- eller dagtilbudsbestyrelse"),
    BodyKind.UNION: _l("Fagforening eller organisation"),
    BodyKind.ASSOCIATION: _l("Forening"),
    BodyKind.LOCAL_COUNCIL: _l("Lokalråd"),
    BodyKind.SELF_GOVERNING_INSTITUTION: _l("Selvejende institution"),
    BodyKind.OTHER: _l("Andet"),
}

_email = Email(message=_l("Skriv en gyldig e-mailadresse, fx navn@kommune.dk."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[required, _email])
    password = PasswordField(_l("Adgangskode"), validators=[required])


PASSWORD_HINT = _l("Mindst %(n)d tegn, og ikke let at gætte: fx fire-fem ord, der ikke hænger "
                   "sammen. Ikke brugerens navn eller e-mailadresse.", n=MIN_PASSWORD_LENGTH)
PASSWORD_LENGTH = [
    Length(min=MIN_PASSWORD_LENGTH,
           message=_l("Adgangskoden skal være på mindst %(n)d tegn.", n=MIN_PASSWORD_LENGTH)),
    Length(max=MAX_PASSWORD_LENGTH,
           message=_l("Adgangskoden må højst være på %(n)d tegn.", n=MAX_PASSWORD_LENGTH)),
]
_same_password = EqualTo("password", message=_l("De to adgangskoder er ikke ens."))
class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        _l("Kode"),
        description=_l("Den sekscifrede kode, din godkendelsesapp viser nu – eller en af "
                       "dine gendannelseskoder."),
        filters=[strip], validators=[required, Length(max=40)],
    )


class EnrolCodeForm(FlaskForm):
    code = StringField(
        _l("Kode fra appen"),
        description=_l("Den sekscifrede kode, appen viser, når du har tilføjet kontoen."),
        filters=[strip], validators=[required, Length(max=40)],
    )


class _PasswordFields:
    # what else makes a password unusable (too easy to guess, the user's name) is checked
    # by the operation (hoering.accounts.passwords), its message shown under this field
    password = PasswordField(_l("Adgangskode"), description=PASSWORD_HINT,
                             validators=[required, *PASSWORD_LENGTH])
    confirm = PasswordField(_l("Gentag adgangskode"), validators=[required, _same_password])


class UserForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[required, Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[required, _email, Length(max=254)])
    role = SelectField(
        _l("Rolle"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[required],
    )
    active = BooleanField(_l("Aktiv"), default=True)


def _required_for_test_account(form, field) -> None:
    if form.test_account.data and not field.data:
        raise StopValidation(_l("Skriv testkontoens adgangskode, eller fjern fluebenet ved "
                                "»Testkonto« for at sende en invitation i stedet."))


class NewUserForm(UserForm):
    """A new user gets an invitation to choose their own password. Only a test account
    is given one here (``test_account``), with a warning beside it."""

    test_account = BooleanField(
        _l("Testkonto: vælg selv adgangskoden i stedet for at sende en invitation"),
        description=_l("Kun til afprøvning. Rigtige brugere skal vælge deres egen adgangskode "
                       "via invitationen: ingen andre bør kende den."),
    )
    password = PasswordField(
        _l("Adgangskode til testkontoen"), description=PASSWORD_HINT,
        validators=[_required_for_test_account, Optional(), *PASSWORD_LENGTH])
    confirm = PasswordField(_l("Gentag adgangskode"), validators=[_same_password])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Din e-mailadresse"),
        description=_l("Den adresse, du logger ind med. Vi sender et link til en ny adgangskode."),
        filters=[strip], validators=[required, _email, Length(max=254)],
    )


class PasswordForm(_PasswordFields, FlaskForm):
    pass


class OwnPasswordForm(_PasswordFields, FlaskForm):
    current_password = PasswordField(_l("Nuværende adgangskode"), validators=[required])


class BodyForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[required, Length(max=200)])
    abbreviation = StringField(
        _l("Forkortelse"),
        description=_l("Fx SOU, KMU eller MED."),
        validators=[
            required,
            Length(max=20),
            Regexp(
                r"^[A-Za-zÆØÅæøå0-9-]+$",
                message=_l("Forkortelsen må kun indeholde bogstaver, tal og bindestreg."),
            ),
        ],
    )
    kind = SelectField(
        _l("Type"), choices=[SelectChoice(k.value, label) for k, label in BODY_KIND_LABELS.items()],
        validators=[required],
    )
    contact_email = EmailField(
        _l("Kontakt-e-mail (valgfri)"),
        description=_l("Til et organ uden brugere her, fx en fagforening eller et lokalråd: "
                       "invitationer sendes hertil med et personligt link, så kontakten kan "
                       "afgive organets høringssvar uden at logge ind."),
        filters=[strip], validators=[Optional(), _email, Length(max=254)],
    )


class CsvImportForm(FlaskForm):
    """The upload of an import's CSV file (of bodies, of users)."""

    file = FileField(
        _l("CSV-fil"),
        description=_l("Fra et regneark gemt som »CSV UTF-8« eller »CSV (semikolonsepareret)«, "
                       "højst 1 MB."),
        validators=[FileRequired(message=_l("Vælg en CSV-fil."))],
    )


class ConfirmImportForm(FlaskForm):
    """The previewed file again (base64) and the digest of the previewed plan."""

    content = HiddenField(validators=[required])
    digest = HiddenField(validators=[required, Length(min=64, max=64)])


class MembershipForm(FlaskForm):
    body_id = SelectField(_l("Organ"), coerce=int, validators=[required])
    is_secretary = BooleanField(_l("Sekretær for organet"))


class IdentityForm(FlaskForm):
    """An administrator binds a login at the identity provider to a user."""

    issuer = StringField(
        _l("Udsteder"), description=_l("Identitetsudbyderens issuer-URL."),
        filters=[strip], validators=[required, Length(max=MAX_ISSUER_LENGTH)],
    )
    subject = StringField(
        _l("Brugerens id hos udbyderen"),
        description=_l("Fx objekt-id'et (Object ID) i Microsoft Entra ID."),
        filters=[strip], validators=[required, Length(max=MAX_SUBJECT_LENGTH)],
    )


def body_choices(bodies) -> list[SelectChoice]:
    return [SelectChoice(b.id, f"{b.name} ({b.abbreviation})") for b in bodies]
