"""The English catalogue is complete: every text of the code and the templates (extracted as
``scripts/translations.sh extract`` does, with babel.cfg) has a translation in
hoering/translations/en/LC_MESSAGES/messages.po that is neither empty nor fuzzy and has the
same placeholders, and the compiled messages.mo says exactly what the .po says.

A failure lists the texts to translate as .po entries. Run as a script
(``python -m tests.test_translations``, or ``scripts/translations.sh missing``) it prints
them without pytest. The fix: ``scripts/translations.sh update``, translate the entries in
messages.po, ``scripts/translations.sh compile``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "hoering" / "translations" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "messages.po"
MO_FILE = CATALOGUE / "messages.mo"
# as scripts/translations.sh: gettext's own names, and the lazy ones
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
# %(name)s, and unnamed %s / %d (WTForms' "Invalid field name '%s'."); %% is no placeholder
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa%])")
HINT = ("Run scripts/translations.sh update, translate these entries in "
        "hoering/translations/en/LC_MESSAGES/messages.po, then scripts/translations.sh compile")


@dataclass(frozen=True)
class Source:
    """A text of the code or the templates: its msgid (a tuple for a plural) and where."""

    msgid: str | tuple[str, ...]
    where: str


def extracted() -> Iterator[Source]:
    """Every text, extracted with babel.cfg's mapping and the keywords above."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        if isinstance(message, tuple):  # a plural (ngettext): (singular, plural)
            message = tuple(part for part in message if part is not None)
            if len(message) == 1:
                message = message[0]
        if message:
            yield Source(message, f"{filename}:{lineno}")


@cache
def sources() -> dict[str | tuple[str, ...], list[str]]:
    found: dict[str | tuple[str, ...], list[str]] = {}
    for source in extracted():
        found.setdefault(source.msgid, []).append(source.where)
    return found


@cache
def catalogue() -> Catalog:
    with open(PO_FILE, "rb") as po:
        return read_po(po, locale="en")


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [
        message.string]


def untranslated() -> list[tuple[str | tuple[str, ...], list[str], str]]:
    """(msgid, where, what is wrong) for each text without a usable translation."""
    problems = []
    for msgid, where in sources().items():
        message = catalogue().get(_key(msgid))
        if message is None:
            problems.append((msgid, where, "missing"))
        elif message.fuzzy:
            problems.append((msgid, where, "fuzzy"))
        elif isinstance(msgid, tuple) != isinstance(message.id, tuple | list):
            problems.append((msgid, where, "plural in one place, singular in the other"))
        elif not all(form.strip() for form in _forms(message)):
            problems.append((msgid, where, "empty"))
    return problems


def as_po(problems: list[tuple[str | tuple[str, ...], list[str], str]]) -> str:
    """The entries to translate, in the catalogue's format (with where and why)."""
    lines = []
    for msgid, where, why in problems:
        lines.append(f"# {why}")
        lines.append(f"#: {' '.join(where)}")
        if isinstance(msgid, tuple):
            lines += [f"msgid {_po_string(msgid[0])}", f"msgid_plural {_po_string(msgid[1])}",
                      'msgstr[0] ""', 'msgstr[1] ""', ""]
        else:
            lines += [f"msgid {_po_string(msgid)}", 'msgstr ""', ""]
    return "\n".join(lines)


def _po_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\t", "\\t"))
    return f'"{escaped}"'


def placeholders(text: str) -> list[str]:
    """The placeholders of ``text`` ("%(name)s", "%s"), sorted, without "%%"."""
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text) if m.group("type") != "%")


def _names(text: str) -> set[str]:
    return {m.group("name") for m in PLACEHOLDER.finditer(text) if m.group("name")}


def placeholder_problems() -> list[str]:
    """Translations whose placeholders differ from their msgid's (a plural's forms may
    leave out the count, as "one remark" does, but nothing else)."""
    problems = []
    for message in catalogue():
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple | list):
            allowed = _names(message.id[0]) | _names(message.id[1])
            needed = allowed - {"num"}
            for form in _forms(message):
                names = _names(form)
                if form and not needed <= names <= allowed:
                    problems.append(f"{message.id[0]!r}: {form!r} has {sorted(names)}, "
                                    f"expected {sorted(needed)} (and num)")
        elif placeholders(message.id) != placeholders(message.string):
            problems.append(f"{message.id!r}: {message.string!r} has "
                            f"{placeholders(message.string)}, expected "
                            f"{placeholders(message.id)}")
    return problems


def compiled() -> dict[object, object]:
    """What messages.mo holds: msgid (a tuple for a plural) -> msgstr (a tuple too)."""
    with open(MO_FILE, "rb") as mo:
        catalog = read_mo(mo)
    return {_mo_key(m.id): _mo_key(m.string) for m in catalog if m.id}


def _mo_key(value: object) -> object:
    return tuple(value) if isinstance(value, tuple | list) else value


def expected_compiled() -> dict[object, object]:
    """What ``pybabel compile`` makes of messages.po: the translated, non-fuzzy entries."""
    return {_mo_key(m.id): _mo_key(m.string) for m in catalogue()
            if m.id and not m.fuzzy and all(_forms(m))}


def test_every_text_has_an_english_translation():
    problems = untranslated()
    assert not problems, (
        f"{len(problems)} texts have no English translation ({HINT}):\n\n"
        + as_po(problems))


def test_translations_keep_the_placeholders():
    problems = placeholder_problems()
    assert not problems, "\n".join(problems)


def test_the_translations_format_without_error():
    """Each translation with named placeholders formats as gettext will format it."""
    broken = []
    for message in catalogue():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else [message.id]
        names = set().union(*(_names(i) for i in ids))
        if not names:
            continue
        values = {name: 1 for name in names | {"num"}}
        for form in _forms(message):
            try:
                form % values
            except (KeyError, ValueError, TypeError) as error:
                broken.append(f"{form!r}: {error}")
    assert not broken, "\n".join(broken)


def test_the_compiled_catalogue_matches_the_po_file():
    if not MO_FILE.exists():
        pytest.fail(f"{MO_FILE} is missing: run scripts/translations.sh compile")
    have, want = compiled(), expected_compiled()
    stale = sorted(str(k) for k in want.keys() ^ have.keys()) + sorted(
        str(k) for k in want.keys() & have.keys() if want[k] != have[k])
    assert not stale, (
        f"{MO_FILE.name} is stale ({len(stale)} entries differ from {PO_FILE.name}): run "
        f"scripts/translations.sh compile\n" + "\n".join(stale[:20]))


if __name__ == "__main__":
    missing = untranslated()
    if missing:
        print(as_po(missing))
        print(f"# {len(missing)} texts to translate ({HINT})", file=sys.stderr)
    for problem in placeholder_problems():
        print(f"# placeholders: {problem}", file=sys.stderr)
    sys.exit(1 if missing else 0)
