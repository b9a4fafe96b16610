# Sourced by dev.sh and test.sh: create .venv and install the project into it, once per
# change of pyproject.toml (a stamp file remembers what was installed).
ensure_venv() {
  local extras="$1"
  local python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${extras}"
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${extras}"
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}
