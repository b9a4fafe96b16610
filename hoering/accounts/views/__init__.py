"""Login/logout (also with single sign-on), and the administration of users and bodies
(both also imported from a CSV file) and memberships: the accounts blueprint, its views
split by subject."""

from hoering.accounts.views import (
    bodies,
    login,
    password_reset,
    sso,
    two_factor,
    user_import,
    users,
)
from hoering.accounts.views.blueprint import bp

__all__ = ["bodies", "bp", "login", "password_reset", "sso", "two_factor", "user_import",
           "users"]
