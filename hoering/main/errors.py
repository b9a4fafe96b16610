"""Error pages in Danish, and domain errors turned into clear messages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from hoering.core.errors import DomainError
from hoering.core.extensions import login_manager
from hoering.core.web import too_many_requests_page

# The plain error pages: status → (title, message), translated when shown.
PLAIN_PAGES = {
    400: (
        _l("Forespørgslen kunne ikke bruges"),
        _l("Det, der blev sendt, kunne ikke læses. Gå tilbage, genindlæs siden og prøv igen."),
    ),
    403: (_l("Ingen adgang"), _l("Du har ikke adgang til denne side.")),
    404: (
        _l("Siden findes ikke"),
        _l("Siden eller det, du leder efter, findes ikke (længere)."),
    ),
    405: (_l("Handlingen er ikke tilladt"), _l("Siden kan ikke bruges på den måde.")),
    413: (
        _l("Indsendelsen er for stor"),
        _l("Indsendelsen fylder for meget. Vedhæft højst 3 filer à højst 10 MB. "
           "Gå tilbage for at rette den."),
    ),
    500: (
        _l("Der opstod en fejl"),
        _l("Der skete en uventet fejl. Intet er gemt. Prøv igen, eller kontakt support."),
    ),
}


def _error_page(title: str, message: str, status: int):
    return render_template("errors/error.html", title=title, message=message), status


def _plain_page_handler(status: int, title, message):
    def handler(_error):
        return _error_page(str(title), str(message), status)

    return handler


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(401)
    def unauthorized(_error):
        return login_manager.unauthorized()

    for status, (title, message) in PLAIN_PAGES.items():
        app.register_error_handler(status, _plain_page_handler(status, title, message))

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _error_page(
            _("Formularen er udløbet"),
            _("Formularen kunne ikke bekræftes. Gå tilbage, genindlæs siden og prøv igen."),
            400,
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return _error_page(_("Handlingen kunne ikke udføres"), error.message, error.status_code)

    @app.errorhandler(429)
    def too_many_requests(error):
        if getattr(error, "response", None) is not None:  # a limit's own page (on_breach)
            return error.response
        return too_many_requests_page()
