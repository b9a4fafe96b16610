#!/usr/bin/env bash
# One command for the whole test suite: installs what it needs (the project with its dev
# extras, and Debian's chromium for the browser tests when run as root), lints with ruff,
# then runs pytest. SQLite always; PostgreSQL too when HOERING_TEST_POSTGRES_URL is set.
# Extra arguments go to pytest, e.g. scripts/test.sh -k access -x
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv "[dev]"

if ! command -v chromium >/dev/null 2>&1 && [ -z "${HOERING_CHROMIUM:-}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests ..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "chromium is not installed: browser tests will be skipped" \
         "(sudo apt-get install chromium)." >&2
  fi
fi

.venv/bin/ruff check hoering tests migrations config.py
exec .venv/bin/pytest -p no:cacheprovider "$@"
