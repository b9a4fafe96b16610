"""Domain errors raised by operations and turned into clear messages by the views.

The message is written with ``gettext`` (``_``) where it is raised, so it is in the
page's language (outside a request: the municipality's); a lazy text (``lazy_gettext``,
a module's table of messages) is resolved there too."""

from __future__ import annotations


class DomainError(Exception):
    """An operation refused for a reason the user can act on (shown as HTTP 409)."""

    status_code = 409

    def __init__(self, message: str) -> None:
        message = str(message)  # a lazy text: in the language of the moment it is raised
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The actor lacks the permission for this operation (HTTP 403)."""

    status_code = 403
