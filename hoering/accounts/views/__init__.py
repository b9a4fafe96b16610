"""Login/logout, and the administration of users, bodies (also imported from a CSV file)
and memberships: the accounts blueprint, its views split by subject."""

from hoering.accounts.views import bodies, login, two_factor, users
from hoering.accounts.views.blueprint import bp

__all__ = ["bodies", "bp", "login", "two_factor", "users"]
