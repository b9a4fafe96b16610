#!/usr/bin/env bash
# The English catalogue. The source texts (msgids) are the Danish ones in the code and the
# templates; hoering/translations/en/LC_MESSAGES/messages.po holds their English, and the
# compiled messages.mo beside it (committed: the app reads it) must match it.
#
#   scripts/translations.sh extract   # the texts of the code and the templates -> messages.pot
#   scripts/translations.sh update    # extract, then bring messages.po up to date (new texts
#                                     # get an empty msgstr, changed ones are marked fuzzy)
#   scripts/translations.sh missing   # what the check would refuse, as .po entries
#   scripts/translations.sh compile   # messages.po -> messages.mo
#   scripts/translations.sh check     # the test CI runs: every text translated, .mo current
#
# After merging new texts: update, translate every empty or fuzzy entry in messages.po
# (remove the "#, fuzzy" line once an entry is right), compile, check, commit .po and .mo.
set -euo pipefail
cd "$(dirname "$0")/.."

CATALOGUE_DIR=hoering/translations
POT="$CATALOGUE_DIR/messages.pot"
PO="$CATALOGUE_DIR/en/LC_MESSAGES/messages.po"
# The same keywords and mapping as tests/test_translations.py (babel.cfg)
KEYWORDS=(-k _l -k lazy_gettext -k "lazy_ngettext:1,2")

tools() {  # pybabel and python: given, or the project's .venv (made if missing)
  if [ -n "${PYBABEL:-}" ]; then
    pybabel="$PYBABEL"
    python="${PYTHON:-python3}"
    return
  fi
  if [ ! -x .venv/bin/pybabel ] || [ ! -x .venv/bin/pytest ]; then
    source scripts/_venv.sh
    ensure_venv "[dev]"
  fi
  pybabel=.venv/bin/pybabel
  python=.venv/bin/python
}

extract() {
  "$pybabel" --quiet extract -F babel.cfg "${KEYWORDS[@]}" --add-location=file \
    --sort-by-file --project=hoering -o "$POT" .
  echo "$(( $(grep -c '^msgid "' "$POT") - 1 )) texts in $POT"
}

update() {
  extract
  if [ ! -f "$PO" ]; then
    "$pybabel" init -i "$POT" -d "$CATALOGUE_DIR" -D messages -l en
  fi
  "$pybabel" --quiet update -i "$POT" -d "$CATALOGUE_DIR" -D messages -l en --ignore-obsolete
  missing || true
}

compile_catalogue() {
  "$pybabel" compile -d "$CATALOGUE_DIR" -D messages -l en --statistics
}

missing() {
  PYTHONPATH=. "$python" -m tests.test_translations
}

check() {
  "$python" -m pytest -p no:cacheprovider -q tests/test_translations.py
}

case "${1:-}" in
  extract) tools; extract ;;
  update) tools; update ;;
  missing) tools; missing ;;
  compile) tools; compile_catalogue ;;
  check) tools; check ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
