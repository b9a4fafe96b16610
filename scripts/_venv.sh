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

# Install the Debian packages that are missing (as root, or with sudo); otherwise say
# which ones are missing and go on: the features that need them will say so.
ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    echo "Installing Debian packages: ${missing[*]} ..."
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages (install them with apt-get): ${missing[*]}" >&2
  fi
}
