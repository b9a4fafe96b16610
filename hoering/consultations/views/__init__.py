"""The consultations blueprint, its views split by audience: setting up and processing
remarks (staff; many at once: bulk; standard replies), responding (members; external
consultees through their personal link: external), the revised draft's comparison;
importing minutes lives with the parser (hoering.consultations.minutes.views)."""

from hoering.consultations.minutes import views as minutes_views
from hoering.consultations.views import (
    attachments,
    bulk,
    external,
    processing,
    publication,
    responding,
    revision,
    setup,
    standard_replies,
)
from hoering.consultations.views.blueprint import bp

__all__ = ["attachments", "bp", "bulk", "external", "minutes_views", "processing", "publication",
           "responding", "revision", "setup", "standard_replies"]
