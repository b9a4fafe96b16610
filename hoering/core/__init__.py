"""Shared building blocks: database, clock, errors, permissions, pagination, text helpers
and the request-handling helper every view uses."""
