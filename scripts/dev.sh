#!/usr/bin/env bash
# One command for a newcomer: virtualenv, install, migrate a local SQLite file, load the
# demo (only into an empty database) and serve the app on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv ""
ensure_debian_packages fonts-dejavu-core fonts-dejavu-extra libpango-1.0-0 libpangoft2-1.0-0  # PDF memos (WeasyPrint)

export HOERING_ENV="${HOERING_ENV:-development}"
# the links in e-mails point at the port the app really serves on
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:${PORT:-5000}}"
.venv/bin/flask --app hoering db upgrade
.venv/bin/flask --app hoering demo --skip-if-present

# A local mail catcher that also sends the outbox every few seconds (instance/mail/*.eml).
.venv/bin/python -c "import aiosmtpd" 2>/dev/null || .venv/bin/python -m pip install --quiet aiosmtpd
.venv/bin/python scripts/dev_mail.py --port "${MAIL_PORT:-8025}" &
mail_pid=$!
trap 'kill "$mail_pid" 2>/dev/null || true' EXIT

echo "hoering kører på http://127.0.0.1:${PORT:-5000} (stop med Ctrl+C)"
.venv/bin/flask --app hoering run --host 127.0.0.1 --port "${PORT:-5000}"
