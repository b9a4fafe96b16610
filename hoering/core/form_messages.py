"""WTForms' and Flask-WTF's own messages in Danish.

WTForms ships catalogues for some thirty languages, Danish not among them (WTForms 3.3
has no ``wtforms/locale/da``), so Flask-WTF's translations, which load WTForms'
catalogue for Flask-Babel's locale, fall back to English. And Flask-WTF's CSRF messages
("The CSRF token is missing.") are plain strings in no catalogue at all. The forms'
``Meta`` (``hoering.core.form_rules``) hands WTForms ``DANISH`` in every language: its
texts are lazy, so an English page gets their English from the app's own catalogue (the
same wording as the app's other messages); the form-level CSRF check passes its messages
through the same object.

The keys are WTForms' message ids (``wtforms/locale/wtforms.pot``) and Flask-WTF's
literal texts; a message missing here is shown as WTForms wrote it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

_CSRF_FAILED = _l("Formularen kunne ikke bekræftes (den var udløbet eller ufuldstændig). "
                  "Det, du har skrevet, er bevaret: kontrollér det, og send formularen igen.")
_CSRF_EXPIRED = _l("Formularen var udløbet. Det, du har skrevet, er bevaret: kontrollér "
                   "det, og send formularen igen.")

MESSAGES = {
    # WTForms
    "Invalid field name '%s'.": _l("Ugyldigt feltnavn '%s'."),
    "Field must be equal to %(other_name)s.": _l("Feltet skal være det samme som "
                                                 "%(other_name)s."),
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "Feltet skal være på mellem %(min)d og %(max)d tegn."),
    "Number must be at least %(min)s.": _l("Tallet skal være mindst %(min)s."),
    "Number must be at most %(max)s.": _l("Tallet må højst være %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Tallet skal være mellem %(min)s "
                                                      "og %(max)s."),
    "Date must be at least %(min)s.": _l("Datoen må tidligst være %(min)s."),
    "Date must be at most %(max)s.": _l("Datoen må senest være %(max)s."),
    "Date must be between %(min)s and %(max)s.": _l("Datoen skal ligge mellem %(min)s "
                                                    "og %(max)s."),
    "This field is required.": _l("Feltet skal udfyldes."),
    "Invalid input.": _l("Værdien er ikke gyldig."),
    "Invalid email address.": _l("Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
    "Invalid IP address.": _l("Skriv en gyldig IP-adresse."),
    "Invalid Mac address.": _l("Skriv en gyldig MAC-adresse."),
    "Invalid URL.": _l("Skriv en gyldig webadresse."),
    "Invalid UUID.": _l("Skriv et gyldigt UUID."),
    "Invalid value, must be one of: %(values)s.": _l("Værdien er ikke gyldig. Den skal "
                                                     "være en af: %(values)s."),
    "Invalid value, can't be any of: %(values)s.": _l("Værdien er ikke gyldig. Den må "
                                                      "ikke være: %(values)s."),
    "This field cannot be edited.": _l("Feltet kan ikke ændres."),
    "This field is disabled and cannot have a value.": _l("Feltet er slået fra og kan "
                                                          "ikke have en værdi."),
    "Invalid CSRF Token.": _CSRF_FAILED,
    "CSRF token missing.": _CSRF_FAILED,
    "CSRF failed.": _CSRF_FAILED,
    "CSRF token expired.": _CSRF_EXPIRED,
    "Invalid Choice: could not coerce.": _l("Vælg en af mulighederne på listen."),
    "Choices cannot be None.": _l("Der er ingen muligheder at vælge mellem."),
    "Not a valid choice.": _l("Vælg en af mulighederne på listen."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l(
        "Vælg blandt mulighederne på listen."),
    "Not a valid datetime value.": _l("Skriv en gyldig dato og et gyldigt klokkeslæt."),
    "Not a valid date value.": _l("Skriv en gyldig dato (år-måned-dag, fx 2026-04-30)."),
    "Not a valid time value.": _l("Skriv et gyldigt klokkeslæt, fx 23:59."),
    "Not a valid week value.": _l("Skriv en gyldig uge."),
    "Not a valid integer value.": _l("Skriv et helt tal."),
    "Not a valid decimal value.": _l("Skriv et gyldigt tal."),
    "Not a valid float value.": _l("Skriv et gyldigt tal."),
    # Flask-WTF: the form-level CSRF check (flask_wtf.csrf.validate_csrf)
    "The CSRF token is missing.": _CSRF_FAILED,
    "The CSRF session token is missing.": _CSRF_FAILED,
    "The CSRF token has expired.": _CSRF_EXPIRED,
    "The CSRF token is invalid.": _CSRF_FAILED,
    "The CSRF tokens do not match.": _CSRF_FAILED,
    # Flask-WTF: file fields
    "File does not have an approved extension: {extensions}": _l(
        "Filen er ikke af en tilladt type: {extensions}"),
    "File does not have an approved extension.": _l("Filen er ikke af en tilladt type."),
}

# Plural messages, by their singular id: (Danish singular, Danish plural).
PLURALS = {
    "Field must be at least %(min)d character long.": (
        _l("Feltet skal være på mindst %(min)d tegn."),
        _l("Feltet skal være på mindst %(min)d tegn.")),
    "Field cannot be longer than %(max)d character.": (
        _l("Feltet må højst være på %(max)d tegn."),
        _l("Feltet må højst være på %(max)d tegn.")),
    "Field must be exactly %(max)d character long.": (
        _l("Feltet skal være på præcis %(max)d tegn."),
        _l("Feltet skal være på præcis %(max)d tegn.")),
    "'%(value)s' is not a valid choice for this field.": (
        _l("'%(value)s' er ikke en af mulighederne."),
        _l("'%(value)s' er ikke blandt mulighederne.")),
}


class DanishMessages:
    """The translations object WTForms asks (``gettext``, ``ngettext``)."""

    def gettext(self, string: str) -> str:
        message = MESSAGES.get(string)
        return string if message is None else str(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        messages = PLURALS.get(singular)
        if messages is None:
            return singular if n == 1 else plural
        return str(messages[0] if n == 1 else messages[1])


DANISH = DanishMessages()
