"""A real SMTP server on loopback (aiosmtpd) that records what it receives, and the
fixtures that point the app's mail settings at it."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, delay: float = 0.0) -> None:
        self.handler = RecordingHandler(delay)
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_config(app):
    """Set app.config for the test (MAIL_SERVER etc.) and restore it afterwards."""
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_MAX_ATTEMPTS", "MAIL_SENDER", "PUBLIC_BASE_URL")
    saved = {key: app.config[key] for key in keys if key in app.config}

    def configure(**values) -> None:
        app.config.update(values)

    configure(MAIL_SERVER="127.0.0.1", MAIL_SENDER="hoering@kommune.dk",
              PUBLIC_BASE_URL="https://hoering.kommune.dk")
    yield configure
    for key in keys:
        app.config.pop(key, None)
    app.config.update(saved)


@pytest.fixture
def smtp_server(mail_config):
    server = SmtpServer()
    server.start()
    mail_config(MAIL_PORT=server.port)
    yield server
    server.stop()


