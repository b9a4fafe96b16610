"""Development only: a mail catcher on loopback and a sender that empties the outbox every
few seconds, so that invitations, reminders and receipts can be read without a real SMTP
server. Each message is written to instance/mail/<n>.eml and announced on the terminal.

Started by scripts/dev.sh; on its own: ``.venv/bin/python scripts/dev_mail.py --port 8025``
(with MAIL_SERVER=127.0.0.1 MAIL_PORT=8025 in the environment of the app).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import itertools
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoering import create_app  # noqa: E402
from hoering.mail.sender import send_pending  # noqa: E402


class SaveToFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = itertools.count(len(list(folder.glob("*.eml"))) + 1)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        path = self.folder / f"{next(self.numbers):04d}.eml"
        path.write_bytes(envelope.content)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        print(f"[e-mail] til {message['To']}: {message['Subject']} ({path})", flush=True)
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between sends")
    args = parser.parse_args()
    app = create_app()
    folder = Path(app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(SaveToFolder(folder), hostname="127.0.0.1", port=args.port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=args.port, MAIL_USE_TLS=False,
                      MAIL_USERNAME=None, MAIL_PASSWORD=None)
    print(f"[e-mail] udgående e-mails gemmes i {folder}", flush=True)
    try:
        while True:
            with app.app_context():
                send_pending()
            time.sleep(args.every)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
