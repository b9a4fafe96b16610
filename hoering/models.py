"""Imports every model module, so that the metadata (migrations, tests) sees all tables."""

from hoering.accounts import identities as accounts_identities
from hoering.accounts import models as accounts_models
from hoering.accounts import tokens as accounts_tokens
from hoering.accounts import two_factor as accounts_two_factor
from hoering.audit import models as audit_models
from hoering.cases import models as cases_models
from hoering.consultations import models as consultations_models
from hoering.memos import models as memos_models
from hoering.municipality import models as municipality_models
from hoering.outbox import models as mail_models
from hoering.policies import models as policies_models

__all__ = [
    "accounts_identities",
    "accounts_models",
    "accounts_tokens",
    "accounts_two_factor",
    "audit_models",
    "cases_models",
    "consultations_models",
    "mail_models",
    "memos_models",
    "municipality_models",
    "policies_models",
]
