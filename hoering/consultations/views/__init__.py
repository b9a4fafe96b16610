"""The consultations blueprint: its views split by audience — setting up, importing minutes
and processing remarks (staff), responding (members) — and the revised draft's comparison."""

from hoering.consultations.views import minutes_import, processing, responding, revision, setup
from hoering.consultations.views.blueprint import bp

__all__ = ["bp", "minutes_import", "processing", "responding", "revision", "setup"]
