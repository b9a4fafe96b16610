"""The consultations blueprint: its views split by audience (setup, responding, processing)
and the revised draft's comparison."""

from hoering.consultations.views import _all, revision
from hoering.consultations.views.blueprint import bp

__all__ = ["_all", "bp", "revision"]
