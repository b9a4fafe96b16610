"""Error pages in Danish, and domain errors turned into clear messages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from hoering.core.errors import DomainError
from hoering.core.extensions import login_manager
from hoering.core.web import too_many_requests_page


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(401)
    def unauthorized(_error):
        return login_manager.unauthorized()

    @app.errorhandler(403)
    def forbidden(_error):
        return render_template(
            "errors/error.html",
            title=_("Ingen adgang"),
            message=_("Du har ikke adgang til denne side."),
        ), 403

    @app.errorhandler(404)
    def not_found(_error):
        return render_template(
            "errors/error.html",
            title=_("Siden findes ikke"),
            message=_("Siden eller det, du leder efter, findes ikke (længere)."),
        ), 404

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return render_template(
            "errors/error.html",
            title=_("Handlingen er ikke tilladt"),
            message=_("Siden kan ikke bruges på den måde."),
        ), 405

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_template(
            "errors/error.html",
            title=_("Formularen er udløbet"),
            message=_("Formularen kunne ikke bekræftes. Gå tilbage, genindlæs siden og prøv igen."),
        ), 400

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_template(
            "errors/error.html", title=_("Handlingen kunne ikke udføres"), message=error.message
        ), error.status_code

    @app.errorhandler(429)
    def too_many_requests(_error):
        return too_many_requests_page()

    @app.errorhandler(413)
    def too_large(_error):
        return render_template(
            "errors/error.html", title=_("Indsendelsen er for stor"),
            message=_("Indsendelsen fylder for meget. Vedhæft højst 3 filer á højst 10 MB. "
                      "Gå tilbage for at rette den."),
        ), 413

    @app.errorhandler(500)
    def server_error(_error):
        return render_template(
            "errors/error.html",
            title=_("Der opstod en fejl"),
            message=_(
                "Der skete en uventet fejl. Intet er gemt. Prøv igen, eller kontakt support."
            ),
        ), 500
