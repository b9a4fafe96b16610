"""Importing users from a CSV file on the users page: a preview of each line (a new user
who gets an invitation, a change, no change, an error with its reason), then all of it
or nothing (hoering.accounts.user_import)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts import user_import
from hoering.accounts.csv_plan import LineStatus
from hoering.accounts.views.blueprint import bp
from hoering.accounts.views.csv_preview import CsvImportPages
from hoering.core.permissions import Permission, permission_required

USER_IMPORT_PAGES = CsvImportPages(
    "accounts/user_import.html",
    lambda data: user_import.plan_import(data, actor=current_user),
    "accounts.import_users",
    changed_message=lambda: _("Brugerne eller organerne er ændret, siden forhåndsvisningen "
                              "blev vist. Se den nye forhåndsvisning, og bekræft igen."),
)


@bp.route("/brugere/indlaes", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def import_users():
    """Upload a CSV file of users: a preview of what each line would do."""
    return USER_IMPORT_PAGES.upload()


@bp.route("/brugere/indlaes/bekraeft", methods=["POST"])
@permission_required(Permission.MANAGE_USERS)
def confirm_user_import():
    """Import the previewed file, all of it or nothing, if the users and bodies are as
    previewed; each new user gets an invitation by e-mail."""
    return USER_IMPORT_PAGES.confirm(
        lambda plan: user_import.import_users(plan, actor=current_user),
        done=lambda done: _("Filen er indlæst: %(new)d brugere oprettet og inviteret pr. "
                            "e-mail, %(updated)d ændret.", new=done.count(LineStatus.NEW),
                            updated=done.count(LineStatus.UPDATED)),
        next_url=url_for("accounts.users"),
    )
