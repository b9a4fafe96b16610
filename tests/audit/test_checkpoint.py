"""Signed checkpoints (hoering.audit.checkpoint): C2SP tlog-checkpoint bodies in C2SP
signed notes with Ed25519, checked against Go's golang.org/x/mod/sumdb/note example key
and note, and against tampering. No database."""

from __future__ import annotations

import base64
import os
import random
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hoering.audit.checkpoint import (
    BadCheckpoint,
    BadSignature,
    Checkpoint,
    MissingSigningKey,
    SigningKey,
    Verifier,
    load_or_create_key,
    open_checkpoint,
    sign_checkpoint,
)
from hoering.audit.merkle import leaf_hash, root

ORIGIN = "hoering.example.dk/revisionsspor"
ROOT = root([leaf_hash(b"a"), leaf_hash(b"b"), leaf_hash(b"c")])

# The example in the documentation of Go's golang.org/x/mod/sumdb/note
GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FF"
    "YC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
GO_ENOCH_LINE = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox"
    "33WWd1RvMc+QQ=\n"
)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate(ORIGIN)


@pytest.fixture(scope="module")
def signed(key) -> str:
    return sign_checkpoint(Checkpoint(ORIGIN, 3, ROOT), key)


def _go_key() -> SigningKey:
    seed = base64.b64decode(GO_SIGNER_KEY.split("+", 4)[4])
    assert seed[0] == 1
    return SigningKey("PeterNeumann", Ed25519PrivateKey.from_private_bytes(seed[1:]))


# --- interoperability with Go's note package ----------------------------------------------


def test_signing_reproduces_gos_example_note():
    go_key = _go_key()
    assert str(go_key.verifier()) == GO_VERIFIER_KEY
    assert go_key.key_id.hex() == "c74f20a3"
    assert go_key.sign_note(GO_TEXT) == GO_NOTE  # Ed25519 is deterministic


def test_gos_example_note_opens_also_with_a_cosignature_by_another_key():
    verifier = Verifier.parse(GO_VERIFIER_KEY)
    assert verifier.name == "PeterNeumann"
    assert verifier.open_note(GO_NOTE) == GO_TEXT
    assert verifier.open_note(GO_NOTE + GO_ENOCH_LINE) == GO_TEXT
    enoch_first = GO_TEXT + "\n" + GO_ENOCH_LINE + GO_NOTE.removeprefix(GO_TEXT + "\n")
    assert verifier.open_note(enoch_first) == GO_TEXT
    with pytest.raises(BadSignature):
        verifier.open_note(GO_TEXT + "\n" + GO_ENOCH_LINE)


# --- checkpoints ---------------------------------------------------------------------------


def test_checkpoint_body_is_the_c2sp_text():
    checkpoint = Checkpoint(ORIGIN, 3, ROOT)
    assert checkpoint.body() == f"{ORIGIN}\n3\n{base64.b64encode(ROOT).decode()}\n"


def test_round_trip(key, signed):
    assert signed.startswith(Checkpoint(ORIGIN, 3, ROOT).body() + "\n— " + ORIGIN + " ")
    assert signed.endswith("\n")
    assert open_checkpoint(signed, key.verifier()) == Checkpoint(ORIGIN, 3, ROOT)
    assert key.verifier().open_note(signed) == Checkpoint(ORIGIN, 3, ROOT).body()
    empty = sign_checkpoint(Checkpoint(ORIGIN, 0, root([])), key)
    assert open_checkpoint(empty, key.verifier()) == Checkpoint(ORIGIN, 0, root([]))
    big = Checkpoint(ORIGIN, 2**64 - 1, ROOT)
    assert open_checkpoint(sign_checkpoint(big, key), key.verifier()) == big


def test_round_trip_through_the_verifier_key_string(key, signed):
    verifier = Verifier.parse(str(key.verifier()))
    assert verifier == key.verifier()
    assert str(verifier) == str(key.verifier())
    assert open_checkpoint(signed, verifier).size == 3


def test_verifier_keys_whose_base64_holds_a_plus_round_trip():
    # about every other key has a "+" in its base64; the name and the key ID cannot
    keys = (SigningKey.generate(ORIGIN) for _ in range(200))
    plus = next(k for k in keys if "+" in str(k.verifier()).split("+", 2)[2])
    assert Verifier.parse(str(plus.verifier())) == plus.verifier()


def test_extension_lines_are_accepted_and_ignored(key):
    text = Checkpoint(ORIGIN, 3, ROOT).body() + "timestamp 1700000000\nnoget andet\n"
    assert open_checkpoint(key.sign_note(text), key.verifier()) == Checkpoint(ORIGIN, 3, ROOT)


def test_a_flipped_byte_in_the_body_breaks_the_signature(key, signed):
    verifier = key.verifier()
    body = Checkpoint(ORIGIN, 3, ROOT).body()
    for position in range(len(body) - 1):
        if body[position] == "\n":
            continue
        changed = chr(ord(body[position]) ^ 1)
        tampered = signed[:position] + changed + signed[position + 1 :]
        with pytest.raises((BadSignature, BadCheckpoint)):
            open_checkpoint(tampered, verifier)
    with pytest.raises(BadSignature):
        open_checkpoint(signed.replace("\n3\n", "\n4\n", 1), verifier)


def test_a_different_key_is_not_enough(key, signed):
    other = SigningKey.generate(ORIGIN)  # same name, another key: another key ID
    with pytest.raises(BadSignature):
        open_checkpoint(signed, other.verifier())
    with pytest.raises(BadSignature):
        open_checkpoint(sign_checkpoint(Checkpoint(ORIGIN, 3, ROOT), other), key.verifier())


def test_a_bad_signature_by_the_right_key_rejects_the_note(key, signed):
    text, line = signed.split("\n\n")
    prefix, encoded = line.rstrip("\n").rsplit(" ", 1)
    raw = base64.b64decode(encoded)
    forged = raw[:4] + bytes([raw[4] ^ 1]) + raw[5:]
    bad_line = f"{prefix} {base64.b64encode(forged).decode()}\n"
    with pytest.raises(BadSignature):
        open_checkpoint(f"{text}\n\n{bad_line}", key.verifier())
    with pytest.raises(BadSignature):  # even next to a good one
        open_checkpoint(f"{text}\n\n{line}{bad_line}", key.verifier())


def test_a_truncated_signature_is_rejected(key, signed):
    for cut in (1, 2, 4, 8, 40, 80):
        with pytest.raises(BadSignature):
            open_checkpoint(signed[: -cut - 1] + "\n", key.verifier())
    with pytest.raises(BadSignature):
        open_checkpoint(signed[:-1], key.verifier())  # no final newline


def test_the_origin_must_be_the_keys_name(key):
    text = Checkpoint("hoering.example.dk/en-anden-log", 3, ROOT).body()
    with pytest.raises(BadCheckpoint):
        open_checkpoint(key.sign_note(text), key.verifier())
    with pytest.raises(ValueError):
        sign_checkpoint(Checkpoint("hoering.example.dk/en-anden-log", 3, ROOT), key)


@pytest.mark.parametrize(
    "size", ["007", "00", "-1", "+5", " 5", "5 ", "", "3.0", "٣", "0x3", "18446744073709551616"]
)
def test_the_size_is_a_plain_decimal(key, size):
    text = f"{ORIGIN}\n{size}\n{base64.b64encode(ROOT).decode()}\n"
    with pytest.raises(BadCheckpoint):
        open_checkpoint(key.sign_note(text), key.verifier())


_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _non_canonical(encoded: str) -> str:
    """The same bytes with a padding bit set in the last character (32 bytes leave two)."""
    last = _BASE64[_BASE64.index(encoded[-2]) ^ 1]
    changed = encoded[:-2] + last + "="
    assert base64.b64decode(changed) == base64.b64decode(encoded)
    return changed


@pytest.mark.parametrize(
    "encoded",
    [
        base64.b64encode(ROOT[:31]).decode(),
        base64.b64encode(ROOT + b"\x00").decode(),
        base64.b64encode(ROOT).decode().rstrip("="),
        base64.urlsafe_b64encode(b"\xff" * 32).decode(),
        _non_canonical(base64.b64encode(ROOT).decode()),
        " " + base64.b64encode(ROOT).decode(),
        ROOT.hex(),
        "",
    ],
)
def test_the_root_is_base64_of_32_bytes(key, encoded):
    text = f"{ORIGIN}\n3\n{encoded}\n"
    with pytest.raises(BadCheckpoint):
        open_checkpoint(key.sign_note(text), key.verifier())


@pytest.mark.parametrize(
    "text",
    [f"{ORIGIN}\n", f"{ORIGIN}\n3\n", "\n", f"{ORIGIN}\n3\n{'A' * 43}=\n\nudvidelse\n"],
)
def test_short_or_gappy_checkpoints_are_rejected(key, text):
    with pytest.raises(BadCheckpoint):
        open_checkpoint(key.sign_note(text), key.verifier())


GARBAGE = [
    "",
    "garbage",
    "\n",
    "\n\n",
    "tekst\n\n",
    "tekst\n\n\n",
    "tekst\n\n— \n",
    f"tekst\n\n— {ORIGIN}\n",
    f"tekst\n\n— {ORIGIN} \n",
    f"tekst\n\n— {ORIGIN} !!!!\n",
    f"tekst\n\n— {ORIGIN} AAAA\n",
    f"tekst\n\n- {ORIGIN} " + "A" * 92 + "\n",
    f"tekst\n\n—{ORIGIN} " + "A" * 92 + "\n",
    "tekst\n\n— navn med mellemrum " + "A" * 92 + "\n",
    f"tekst\r\n\n— {ORIGIN} " + "A" * 92 + "\n",
    f"tekst\x00\n\n— {ORIGIN} " + "A" * 92 + "\n",
    f"tekst\ud800\n\n— {ORIGIN} " + "A" * 92 + "\n",
    f"tekst\n\n— {ORIGIN} " + "A" * 92 + "\n" * 2,
    "tekst\n\n" + f"— x {'A' * 92}\n" * 101,
]


@pytest.mark.parametrize("note", GARBAGE)
def test_garbage_raises_bad_signature(key, note):
    with pytest.raises(BadSignature):
        key.verifier().open_note(note)
    with pytest.raises(BadSignature):
        open_checkpoint(note, key.verifier())


@pytest.mark.parametrize("value", [None, b"bytes\n\n", 42])
def test_not_a_string_raises_bad_signature(key, value):
    with pytest.raises(BadSignature):
        key.verifier().open_note(value)


def test_random_mutations_never_raise_anything_else(key, signed):
    verifier, expected = key.verifier(), Checkpoint(ORIGIN, 3, ROOT)
    rng = random.Random(9162)
    alphabet = "\n —+/=Aa0\x00\x7fæ\u2014"
    for _ in range(600):
        chars = list(signed)
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(chars))
            action = rng.choice(("replace", "delete", "insert"))
            if action == "replace":
                chars[position] = rng.choice(alphabet)
            elif action == "delete":
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        mutated = "".join(chars)
        try:
            opened = open_checkpoint(mutated, verifier)
        except (BadSignature, BadCheckpoint):
            continue
        assert opened == expected  # only a harmless change (e.g. an added foreign line)


# --- keys, signatures and verifier keys ------------------------------------------------------


def test_raw_signatures(key):
    signature = key.sign(b"tree head")
    assert len(signature) == 64
    assert key.verifier().verify(b"tree head", signature)
    assert not key.verifier().verify(b"tree heads", signature)
    assert not key.verifier().verify(b"tree head", signature[:-1])
    assert not key.verifier().verify(b"tree head", bytes([signature[0] ^ 1]) + signature[1:])
    assert not SigningKey.generate(ORIGIN).verifier().verify(b"tree head", signature)


def test_verifier_key_string_format(key):
    name, key_id, encoded = str(key.verifier()).split("+", 2)  # base64 may hold "+"
    assert name == ORIGIN
    assert key_id == key.key_id.hex() and len(key_id) == 8
    raw = base64.b64decode(encoded)
    assert raw[0] == 1 and raw[1:] == key.verifier().public_bytes


def _vkey(name: str, key_id: str, raw: bytes) -> str:
    return f"{name}+{key_id}+{base64.b64encode(raw).decode()}"


def test_malformed_verifier_keys_are_refused(key):
    verifier = key.verifier()
    raw = b"\x01" + verifier.public_bytes
    good_id = verifier.key_id.hex()
    assert Verifier.parse(_vkey(ORIGIN, good_id.upper(), raw)) == verifier
    for bad in [
        "",
        ORIGIN,
        f"{ORIGIN}+{good_id}",
        _vkey(ORIGIN, "00000000", raw),
        _vkey("en-anden", good_id, raw),
        _vkey(ORIGIN, good_id[:7], raw),
        _vkey(ORIGIN, good_id, b"\x02" + raw[1:]),
        _vkey(ORIGIN, good_id, raw[:-1]),
        _vkey(ORIGIN, good_id, raw) + "+mere",
        _vkey(ORIGIN, good_id, raw) + "=",
        _vkey(ORIGIN, good_id, raw) + "\n",
        _vkey("med mellemrum", good_id, raw),
    ]:
        with pytest.raises(ValueError):
            Verifier.parse(bad)


@pytest.mark.parametrize("name", ["", "med mellemrum", "plus+tegn", "linje\nskift", "tab\t"])
def test_invalid_key_names_are_refused(name):
    with pytest.raises(ValueError):
        SigningKey.generate(name)


def test_note_text_must_end_in_a_newline_and_hold_no_control_characters(key):
    for text in ["ingen linjeskift", "", "kontrol\x07tegn\n", "vogn\rretur\n"]:
        with pytest.raises(ValueError):
            key.sign_note(text)


def test_a_checkpoint_must_be_well_formed():
    for origin, size, value in [
        ("", 3, ROOT),
        ("to\nlinjer", 3, ROOT),
        (ORIGIN, -1, ROOT),
        (ORIGIN, 2**64, ROOT),
        (ORIGIN, True, ROOT),
        (ORIGIN, 3, ROOT[:31]),
        (ORIGIN, 3, ROOT.hex()),
    ]:
        with pytest.raises(BadCheckpoint):
            Checkpoint(origin, size, value)  # type: ignore[arg-type]


# --- the key file ------------------------------------------------------------------------------


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_key_file_is_created_with_mode_0600_only_when_asked(tmp_path):
    instance = tmp_path / "instance"
    with pytest.raises(MissingSigningKey) as missing:
        load_or_create_key(None, name=ORIGIN, instance_path=instance, create=False)
    assert "AUDIT_SIGNING_KEY_FILE" in str(missing.value)
    assert isinstance(missing.value, RuntimeError)
    assert not instance.exists()

    previous = os.umask(0)  # even with a permissive umask
    try:
        created = load_or_create_key(None, name=ORIGIN, instance_path=instance, create=True)
    finally:
        os.umask(previous)
    path = instance / "audit-signing-key.pem"
    assert _mode(path) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----\n")
    assert [p.name for p in instance.iterdir()] == ["audit-signing-key.pem"]

    loaded = load_or_create_key(None, name=ORIGIN, instance_path=instance, create=False)
    assert loaded.verifier() == created.verifier()
    again = load_or_create_key(None, name=ORIGIN, instance_path=instance, create=True)
    assert again.verifier() == created.verifier()


def test_the_setting_names_the_key_file(tmp_path):
    path = tmp_path / "hemmeligt" / "nøgler" / "revision.pem"
    with pytest.raises(MissingSigningKey) as missing:
        load_or_create_key(path, name=ORIGIN, instance_path=tmp_path, create=False)
    assert str(path) in str(missing.value)
    created = load_or_create_key(path, name=ORIGIN, instance_path=tmp_path, create=True)
    assert _mode(path) == 0o600
    assert not (tmp_path / "audit-signing-key.pem").exists()
    loaded = load_or_create_key(str(path), name=ORIGIN, instance_path=tmp_path, create=False)
    assert loaded.verifier() == created.verifier()


def test_save_and_load(tmp_path, key):
    path = tmp_path / "a" / "b" / "key.pem"
    key.save(path)
    assert _mode(path) == 0o600
    loaded = SigningKey.load(path, ORIGIN)
    assert loaded.verifier() == key.verifier()
    assert loaded.sign(b"x") == key.sign(b"x")
    with pytest.raises(FileExistsError):
        SigningKey.generate(ORIGIN).save(path)
    assert SigningKey.load(path, ORIGIN).verifier() == key.verifier()
    other = SigningKey.generate(ORIGIN)
    other.save(path, overwrite=True)
    assert _mode(path) == 0o600
    assert SigningKey.load(path, ORIGIN).verifier() == other.verifier()
    assert sorted(p.name for p in path.parent.iterdir()) == ["key.pem"]


def test_loading_something_else_than_an_ed25519_key_fails_clearly(tmp_path):
    not_pem = tmp_path / "noise.pem"
    not_pem.write_text("ikke en nøgle\n")
    ec_key = tmp_path / "ec.pem"
    ec_key.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    for path in (not_pem, ec_key):
        with pytest.raises(ValueError, match="Ed25519"):
            SigningKey.load(path, ORIGIN)
