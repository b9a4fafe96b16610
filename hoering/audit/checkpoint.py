"""Signed checkpoints of the audit log's Merkle tree: C2SP tlog-checkpoint bodies in C2SP
signed notes with Ed25519 signatures (the formats of Go's sumdb and Sigstore).

A checkpoint body is three lines, the log's origin, the tree size and the base64 root:

    example.org/hoering/audit
    42
    qwc0I2c2OlK36nuP6fS5H0DgA2n0LbO1SIFPeD8Ejlc=

and the signed note is that text, a blank line and one signature line per key,
``— <key name> base64(key ID || signature)``, where the key ID is the first four bytes of
SHA-256(key name || 0x0A || 0x01 || public key). The note's key name is the log's origin.

Pure code: no database, no Flask request. The private key lives in a file named by the
setting AUDIT_SIGNING_KEY_FILE (by default in the instance folder), never in the database.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from flask_babel import gettext as _

KEY_FILE_SETTING = "AUDIT_SIGNING_KEY_FILE"
DEFAULT_KEY_FILE = "audit-signing-key.pem"

ALG_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100  # the spec asks verifiers for a limit of at least 16; Go's is 100
MAX_TREE_SIZE = 2**64 - 1
HASH_SIZE = 32
_SIGNATURE_SIZE = 64

# ASCII control characters other than newline, and lone surrogates (no UTF-8 for them)
_FORBIDDEN_IN_NOTE = re.compile("[\x00-\x09\x0b-\x1f\ud800-\udfff]")
_TREE_SIZE = re.compile("0|[1-9][0-9]{0,19}")
_KEY_ID_HEX = re.compile("[0-9a-fA-F]{8}")


class BadSignature(ValueError):
    """A signed note that is malformed or carries no valid signature by the key."""


class BadCheckpoint(ValueError):
    """A checkpoint whose text is not a well-formed checkpoint of the expected log."""


class MissingSigningKey(RuntimeError):
    """The signing key file does not exist and may not be created here."""


def _valid_name(name: object) -> bool:
    """A key name: non-empty, no Unicode spaces, no plus, no control characters."""
    return (
        isinstance(name, str)
        and name != ""
        and "+" not in name
        and not any(c.isspace() for c in name)
        and _FORBIDDEN_IN_NOTE.search(name) is None
    )


def _check_name(name: str) -> str:
    if not _valid_name(name):
        raise ValueError(
            f"Ugyldigt nøglenavn {name!r}: det skal være ikke-tomt og uden mellemrum og '+'"
        )
    return name


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(text: str) -> bytes:
    """Strict standard base64 (RFC 4648 section 4, padded, canonical); ValueError else."""
    data = base64.b64decode(text, validate=True)
    if _b64encode(data) != text:
        raise ValueError("base64 is not in canonical form")
    return data


def _key_id(name: str, public_bytes: bytes) -> bytes:
    """The signed-note key ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || key)[:4]."""
    encoded = name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_bytes
    return hashlib.sha256(encoded).digest()[:4]


def _raw_public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _split_note(signed_note: str) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """The note's text and its signature lines as (key name, key ID, signature)."""
    if not isinstance(signed_note, str) or _FORBIDDEN_IN_NOTE.search(signed_note):
        raise BadSignature("Den signerede note er ikke gyldig tekst")
    split = signed_note.rfind("\n\n")
    if split < 0:
        raise BadSignature("Den signerede note har ingen signaturer")
    text, block = signed_note[: split + 1], signed_note[split + 2 :]
    if not block.endswith("\n"):
        raise BadSignature("Den signerede notes signaturblok er ufuldstændig")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise BadSignature("Den signerede note har for mange signaturer")
    return text, [_parse_signature_line(line) for line in lines]


def _parse_signature_line(line: str) -> tuple[str, bytes, bytes]:
    name, space, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
    if not line.startswith(SIGNATURE_PREFIX) or not space or not _valid_name(name):
        raise BadSignature(f"Ugyldig signaturlinje: {line[:80]!r}")
    try:
        raw = _b64decode(encoded)
    except ValueError:
        raise BadSignature(f"Ugyldig signaturlinje: {line[:80]!r}") from None
    if len(raw) < 5:
        raise BadSignature(f"Ugyldig signaturlinje: {line[:80]!r}")
    return name, raw[:4], raw[4:]


class Verifier:
    """An Ed25519 public key with its key name: checks signatures and opens notes."""

    __slots__ = ("_key_id", "_name", "_public_bytes", "_public_key")

    def __init__(self, name: str, public_key: Ed25519PublicKey) -> None:
        self._name = _check_name(name)
        self._public_key = public_key
        self._public_bytes = _raw_public_bytes(public_key)
        self._key_id = _key_id(name, self._public_bytes)

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        """A verifier from Go's note verifier key, ``name+hhhhhhhh+base64(0x01 || key)``;
        ValueError if it is malformed or its key ID does not fit its name and key."""
        parts = vkey.split("+", 2) if isinstance(vkey, str) else []  # base64 may hold "+"
        if len(parts) != 3 or not _valid_name(parts[0]) or not _KEY_ID_HEX.fullmatch(parts[1]):
            raise ValueError(f"Ugyldig verifikationsnøgle: {vkey!r}")
        name, key_id_hex, encoded = parts
        try:
            key = _b64decode(encoded)
        except ValueError:
            raise ValueError(f"Ugyldig verifikationsnøgle: {vkey!r}") from None
        if len(key) != 1 + 32 or key[0] != ALG_ED25519:
            raise ValueError(f"Verifikationsnøglen er ikke en Ed25519-nøgle: {vkey!r}")
        if _key_id(name, key[1:]).hex() != key_id_hex.lower():
            raise ValueError(f"Verifikationsnøglens id passer ikke til nøglen: {vkey!r}")
        return cls(name, Ed25519PublicKey.from_public_bytes(key[1:]))

    @property
    def name(self) -> str:
        return self._name

    @property
    def key_id(self) -> bytes:
        """The four-byte key ID that starts each of this key's signatures in a note."""
        return self._key_id

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._public_key

    @property
    def public_bytes(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        return self._public_bytes

    def verify(self, data: bytes, signature: bytes) -> bool:
        """Is ``signature`` a valid Ed25519 signature of ``data`` by this key?"""
        if not isinstance(signature, bytes) or len(signature) != _SIGNATURE_SIZE:
            return False
        try:
            self._public_key.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def open_note(self, signed_note: str) -> str:
        """The text of ``signed_note`` once a signature line by this key verifies.

        Lines of other keys (another name or key ID) are ignored; a line by this key that
        does not verify rejects the whole note. BadSignature for anything wrong."""
        text, signatures = _split_note(signed_note)
        message = text.encode("utf-8")
        verified = False
        for name, key_id, signature in signatures:
            if name != self._name or key_id != self._key_id:
                continue
            if not self.verify(message, signature):
                raise BadSignature(f"Signaturen fra {self._name} passer ikke til noten")
            verified = True
        if not verified:
            raise BadSignature(f"Noten er ikke signeret med nøglen {self}")
        return text

    def __str__(self) -> str:
        encoded = _b64encode(bytes([ALG_ED25519]) + self._public_bytes)
        return f"{self._name}+{self._key_id.hex()}+{encoded}"

    def __repr__(self) -> str:
        return f"Verifier({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verifier):
            return NotImplemented
        return (self._name, self._public_bytes) == (other._name, other._public_bytes)

    def __hash__(self) -> int:
        return hash((self._name, self._public_bytes))


class SigningKey:
    """An Ed25519 private key with its key name (the log's origin): signs notes."""

    __slots__ = ("_name", "_private_key", "_verifier")

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        self._name = _check_name(name)
        self._private_key = private_key
        self._verifier = Verifier(name, private_key.public_key())

    @classmethod
    def generate(cls, name: str) -> SigningKey:
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def load(cls, path: Path | str, name: str) -> SigningKey:
        """The key in the PEM (PKCS#8, unencrypted) file at ``path``, under ``name``."""
        data = Path(path).read_bytes()
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            key = None
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(
                f"{path} er ikke en Ed25519-nøgle i PEM-format (PKCS#8) uden adgangskode"
            )
        return cls(name, key)

    def save(self, path: Path | str, *, overwrite: bool = False) -> None:
        """Write the key as PEM (PKCS#8) with mode 0600, creating parent folders.

        The file appears whole or not at all. An existing file is kept (FileExistsError)
        unless ``overwrite``: replacing a log's key by accident would orphan its history."""
        pem = self._private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_private_file(Path(path), pem, overwrite=overwrite)

    @property
    def name(self) -> str:
        return self._name

    @property
    def key_id(self) -> bytes:
        return self._verifier.key_id

    def verifier(self) -> Verifier:
        return self._verifier

    def sign(self, data: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of ``data``."""
        return self._private_key.sign(data)

    def sign_note(self, text: str) -> str:
        """The signed note: ``text`` (which ends in a newline), a blank line, and the line
        ``— <name> base64(key ID || signature of text)``."""
        if not isinstance(text, str) or not text.endswith("\n"):
            raise ValueError("En notes tekst skal slutte med et linjeskift")
        if _FORBIDDEN_IN_NOTE.search(text):
            raise ValueError("En notes tekst må ikke indeholde kontroltegn ud over linjeskift")
        signature = self.sign(text.encode("utf-8"))
        encoded = _b64encode(self.key_id + signature)
        return f"{text}\n{SIGNATURE_PREFIX}{self._name} {encoded}\n"

    def __repr__(self) -> str:
        return f"SigningKey({str(self._verifier)!r})"


def _write_private_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` with mode 0600, atomically: a temporary file in the same
    folder, then a rename (overwrite) or a hard link (fails if ``path`` exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's ``origin``, its ``size`` in leaves and its Merkle ``root``."""

    origin: str
    size: int
    root: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.origin, str) or not self.origin or "\n" in self.origin:
            raise BadCheckpoint("Kontrolpunktets oprindelse skal være én ikke-tom linje")
        if _FORBIDDEN_IN_NOTE.search(self.origin):
            raise BadCheckpoint("Kontrolpunktets oprindelse indeholder kontroltegn")
        size_ok = isinstance(self.size, int) and not isinstance(self.size, bool)
        if not size_ok or not 0 <= self.size <= MAX_TREE_SIZE:
            raise BadCheckpoint(f"Ugyldig træstørrelse i kontrolpunktet: {self.size!r}")
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            raise BadCheckpoint("Kontrolpunktets rod skal være en SHA-256-værdi på 32 byte")

    def body(self) -> str:
        """The checkpoint's note text: origin, size and base64 root, each on its line."""
        return f"{self.origin}\n{self.size}\n{_b64encode(self.root)}\n"


def sign_checkpoint(checkpoint: Checkpoint, key: SigningKey) -> str:
    """The checkpoint as a note signed by ``key``, whose name must be its origin."""
    if checkpoint.origin != key.name:
        raise ValueError(
            f"Kontrolpunktet for {checkpoint.origin!r} kan ikke signeres med nøglen {key.name!r}"
        )
    return key.sign_note(checkpoint.body())


def open_checkpoint(signed: str, verifier: Verifier) -> Checkpoint:
    """The checkpoint in ``signed`` once its signature by ``verifier`` is checked.

    BadSignature when the signature does not hold, BadCheckpoint when the text is not a
    checkpoint of the verifier's log (origin = key name, size a decimal without leading
    zeros, root base64 of 32 bytes). Extension lines after the root are ignored."""
    text = verifier.open_note(signed)
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise BadCheckpoint("Kontrolpunktet skal have mindst tre linjer")
    origin, size_text, root_text, *extensions = lines
    if origin != verifier.name:
        raise BadCheckpoint(f"Kontrolpunktet er fra {origin!r}, ikke fra {verifier.name!r}")
    if not _TREE_SIZE.fullmatch(size_text) or int(size_text) > MAX_TREE_SIZE:
        raise BadCheckpoint(f"Ugyldig træstørrelse i kontrolpunktet: {size_text[:40]!r}")
    try:
        root = _b64decode(root_text)
    except ValueError:
        raise BadCheckpoint("Kontrolpunktets rod er ikke gyldig base64") from None
    if len(root) != HASH_SIZE:
        raise BadCheckpoint("Kontrolpunktets rod skal være en SHA-256-værdi på 32 byte")
    if any(not line for line in extensions):
        raise BadCheckpoint("Kontrolpunktets udvidelseslinjer må ikke være tomme")
    return Checkpoint(origin, int(size_text), root)


def load_or_create_key(
    path: Path | str | None, *, name: str, instance_path: Path | str, create: bool
) -> SigningKey:
    """The log's signing key from the file named by AUDIT_SIGNING_KEY_FILE (``path``), by
    default ``instance_path / "audit-signing-key.pem"``. A missing file is created when
    ``create`` (development and tests); otherwise MissingSigningKey."""
    key_path = Path(path) if path else Path(instance_path) / DEFAULT_KEY_FILE
    if key_path.exists():
        return SigningKey.load(key_path, name)
    if not create:
        raise MissingSigningKey(_(
            "Nøglen, der signerer revisionssporets kontrolpunkter, findes ikke: %(path)s. "
            "Sæt indstillingen %(setting)s til stien til en eksisterende nøglefil "
            "(Ed25519, PEM/PKCS#8, kun læsbar for ejeren). Nøglen gemmes aldrig i databasen.",
            path=key_path, setting=KEY_FILE_SETTING))
    key = SigningKey.generate(name)
    try:
        key.save(key_path)
    except FileExistsError:  # another process created it first: use that one
        return SigningKey.load(key_path, name)
    return key
