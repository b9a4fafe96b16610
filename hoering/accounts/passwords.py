"""What a password must be: long enough, not easy to guess (zxcvbn, which knows the common
passwords, keyboard walks, repeats, sequences and dates), and not built from the user's
own name or e-mail address. Every place a password is set goes through ``check``."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from hoering.core.errors import DomainError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
MIN_SCORE = 3  # zxcvbn's 0-4: 3 is "safely unguessable" (about 10**8 guesses and more)
# zxcvbn's time grows fast with the length; it judges the start of a longer password
_JUDGED_CHARS = 72
MIN_PERSONAL_WORD = 4  # shorter parts of a name or address are no guessable word

# What made zxcvbn's best guess cheap (the first in this order that it found).
_WEAKNESS_HINTS = {
    "repeat": _l("den gentager de samme tegn (fx «aaa» eller «abcabc»)"),
    "sequence": _l("den indeholder en rækkefølge som «abcd» eller «1234»"),
    "spatial": _l("den følger tasterne på tastaturet (fx «qwerty»)"),
    "user_inputs": _l("den ligner brugerens navn eller e-mailadresse"),
    "passwords": _l("den er blandt de mest brugte adgangskoder"),
    "date": _l("den består mest af en dato eller et årstal"),
    "dictionary": _l("den består mest af almindelige ord eller navne"),
}


class WeakPassword(DomainError):
    """The password is refused; the message says why (shown under the password field)."""


def personal_words(name: str, email: str) -> list[str]:
    """The words of ``name`` and the e-mail's local part (whole, and its parts) that a
    password may not contain: those of at least MIN_PERSONAL_WORD letters, in lower case,
    longest first."""
    local = email.partition("@")[0].casefold()
    words = {local, *re.split(r"[\W_\d]+", local), *re.split(r"[\W_\d]+", name.casefold())}
    return sorted((w for w in words if len(w) >= MIN_PERSONAL_WORD), key=lambda w: (-len(w), w))


def _weakness(password: str, user_inputs: list[str]) -> str | None:
    """Why zxcvbn finds ``password`` easy to guess, or None when it does not."""
    result = zxcvbn(password[:_JUDGED_CHARS], user_inputs=user_inputs,
                    max_length=_JUDGED_CHARS)
    if result["score"] >= MIN_SCORE:
        return None
    found: set[str] = set()
    for match in result["sequence"]:
        found.add(match["pattern"])
        if match["pattern"] == "dictionary":
            found.add(match.get("dictionary_name", ""))
    return next((str(hint) for key, hint in _WEAKNESS_HINTS.items() if key in found), "")


def problem(password: str, *, name: str, email: str) -> str | None:
    """Why ``password`` may not be used by the user of ``name`` and ``email`` (in the
    page's language), or None when it may."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_("Adgangskoden skal være på mindst %(n)d tegn.", n=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(_("Adgangskoden må højst være på %(n)d tegn.", n=MAX_PASSWORD_LENGTH))
    words = personal_words(name, email)
    lowered = password.casefold()
    for word in words:
        if word in lowered:
            return str(_("Adgangskoden må ikke indeholde brugerens navn eller e-mailadresse "
                         "(«%(word)s»). Vælg noget, der ikke handler om brugeren.", word=word))
    # the address's domain ("kommune" of anna@kommune.dk) too: shared, but an easy guess
    domain = email.partition("@")[2].casefold().split(".")[:-1]
    weakness = _weakness(password, [name, email, *words, *domain])
    if weakness is None:
        return None
    advice = _("Brug fx fire-fem ord, der ikke hænger sammen, gerne med tal eller tegn "
               "imellem.")
    if weakness:
        return str(_("Adgangskoden er for let at gætte, fordi %(weakness)s. %(advice)s",
                     weakness=weakness, advice=advice))
    return str(_("Adgangskoden er for let at gætte. %(advice)s", advice=advice))


def check(password: str, *, name: str, email: str) -> None:
    """Raise WeakPassword (with the reason) unless ``password`` may be used."""
    reason = problem(password, name=name, email=email)
    if reason is not None:
        raise WeakPassword(reason)
