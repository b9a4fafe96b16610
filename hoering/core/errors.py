"""Domain errors raised by operations and turned into clear messages by the views."""

from __future__ import annotations


class DomainError(Exception):
    """An operation refused for a reason the user can act on (shown as HTTP 409)."""

    status_code = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The actor lacks the permission for this operation (HTTP 403)."""

    status_code = 403
