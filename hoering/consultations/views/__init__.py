"""The consultations blueprint, its views split by audience: setting up and processing
remarks (staff), responding (members), the revised draft's comparison; importing minutes
lives with the parser (hoering.consultations.minutes.views)."""

from hoering.consultations.minutes import views as minutes_views
from hoering.consultations.views import attachments, processing, responding, revision, setup
from hoering.consultations.views.blueprint import bp

__all__ = ["attachments", "bp", "minutes_views", "processing", "responding", "revision", "setup"]
