#!/usr/bin/env bash
# One command for the whole test suite: installs what it needs (the project with its dev
# extras, and Debian's chromium for the browser tests when run as root), lints with ruff,
# then runs pytest. SQLite always; PostgreSQL too when HOERING_TEST_POSTGRES_URL is set.
# Extra arguments go to pytest, e.g. scripts/test.sh -k access -x
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv "[dev]"

ensure_debian_packages chromium fonts-dejavu-core fonts-dejavu-extra poppler-utils libreoffice-writer-nogui \
  libpango-1.0-0 libpangoft2-1.0-0  # Pango for WeasyPrint (the tagged PDFs)

.venv/bin/ruff check hoering tests migrations config.py
.venv/bin/mypy
.venv/bin/lint-imports --no-cache  # the layer contract in pyproject.toml
exec .venv/bin/pytest -p no:cacheprovider -n auto "$@"  # xdist: a worker per CPU; -n 0 for none
