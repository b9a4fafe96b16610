"""What the two-factor tests share: a frozen clock moved by hand (the TOTP step is the
clock's), an enrolment made through the operation, and the code an app would show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from hoering.accounts import two_factor
from hoering.accounts.models import User
from hoering.core.clock import frozen_at
from hoering.core.db import db


class Clock:
    """``advance(seconds)`` moves the app's clock (hoering.core.clock) on."""

    def __init__(self, stack: ExitStack) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)  # 10 s into a TOTP step
        self._stack = stack
        stack.enter_context(frozen_at(self.now))

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self._stack.enter_context(frozen_at(self.now))

    def next_step(self) -> None:
        self.advance(two_factor.STEP_SECONDS)


@pytest.fixture
def clock() -> Iterator[Clock]:
    with ExitStack() as stack:
        yield Clock(stack)


def app_code(secret: str, steps: int = 0) -> str:
    """The code the app shows now (``steps``: that many 30-second steps away)."""
    return pyotp.TOTP(secret).generate_otp(two_factor.current_step() + steps)


def enrol(user: User) -> tuple[str, list[str]]:
    """Enrol ``user`` with a new secret (its code used up this step); the secret and the
    recovery codes."""
    secret = two_factor.new_secret()
    codes = two_factor.enrol(user, secret, app_code(secret), actor=user)
    db.session.commit()
    return secret, codes
