"""Signed notes and checkpoints: the C2SP ``signed-note`` and ``tlog-checkpoint`` text formats.

A **signed note** is a text followed by a blank line and one signature line per signer::

    tratado/session/4f2a…                       <- the text (here a checkpoint)
    34
    q2Vd…=
                                                <- a blank line
    — mediation-service Kx7S…=                  <- em dash, key name, base64(key ID || signature)
    — government-head 9fQb…=

Each signature is an Ed25519 signature of the text (with its final newline); the
first four bytes of each line's base64 are the signer's **key ID**,
``SHA-256(key name || 0x0A || 0x01 || public key)[:4]``. A **verifier key** — what a
signer hands out so that others can check its signatures — is one line,
``<name>+<hex key ID>+<base64(0x01 || public key)>``; a **signer key** (the private
one, in a file only its holder reads) is ``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01
|| private seed)>``. These are the formats of Go's ``golang.org/x/mod/sumdb/note`` and
of the transparency-dev ecosystem, so tratado's checkpoints can be checked with their
tools and theirs with tratado's.

A **checkpoint** is a note whose text states a log's tree head: the log's origin (a
unique name), its size in leaves and its root hash (base64), one per line, then
optional extension lines. Several signatures on one checkpoint (the service's and each
head of delegation's) are *co-signatures*: each signer vouches that it saw this exact
history, so the service cannot show different histories to different parties unnoticed.

Ed25519 comes from the ``cryptography`` package (``pip install 'tratado[sign]'``);
everything else here — reading notes and keys, computing key IDs — works without it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tratado.errors import TratadoError

ED25519 = 0x01
"""The signature type byte of Ed25519 keys."""

MAX_SIGNATURES = 100
"""Signature lines one note may carry (as the reference implementation allows)."""

DASH = "\u2014 "
"""What starts a signature line: an em dash and a space."""


class NoteError(ValueError):
    """A note, checkpoint or key that is malformed, or a signature that does not verify."""


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise TratadoError("signing and checking signatures needs the 'cryptography' package.",
                           fix="install it with: pip install 'tratado[sign]'.") from None
    return ed25519


def b64decode(text: str, what: str) -> bytes:
    """Strict standard base64: ``NoteError`` unless ``text`` is exactly the encoding
    of what it decodes to (no spaces, no other alphabet, the unused bits zero — so that
    no two texts mean the same bytes)."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise NoteError(f"{what} is not base64") from None
    if base64.b64encode(data).decode("ascii") != text:
        raise NoteError(f"{what} is not in canonical base64")
    return data


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_key_name(name: str) -> str:
    """A key name: non-empty, no spaces of any kind, no ``+`` (``NoteError`` otherwise)."""
    if not name or "+" in name or any(c.isspace() for c in name) or not name.isprintable():
        raise NoteError(f"the key name {name!r} is empty or holds a space, a '+' or a control"
                        " character")
    return name


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte ID of Ed25519 key ``public_key`` named ``name``."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


@dataclass(frozen=True)
class VerifierKey:
    """A public key that checks one signer's signatures."""

    name: str
    public_key: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def __str__(self) -> str:
        return f"{self.name}+{self.id.hex()}+{b64encode(bytes([ED25519]) + self.public_key)}"

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Read ``<name>+<hex key ID>+<base64(0x01 || public key)>`` exactly — no spaces
        around it (``NoteError`` when malformed or when the key ID does not match the name
        and key)."""
        parts = text.split("+", 2)  # (base64 may hold '+')
        if len(parts) != 3:
            raise NoteError("a verifier key is NAME+KEYID+KEY (three parts joined by '+')")
        name, hex_id, encoded = parts
        check_key_name(name)
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise NoteError(f"the key ID {hex_id!r} is not 8 lower-case hex digits")
        data = b64decode(encoded, "the key")
        if len(data) != 33 or data[0] != ED25519:
            raise NoteError("the key is not an Ed25519 key (type 0x01 and 32 bytes)")
        key = cls(name, data[1:])
        if key.id.hex() != hex_id:
            raise NoteError(f"the key ID {hex_id} does not match the key's name and bytes"
                            f" ({key.id.hex()})")
        return key

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``text``."""
        ed25519 = _crypto()
        from cryptography.exceptions import InvalidSignature

        try:
            ed25519.Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except (InvalidSignature, ValueError):
            return False
        return True


_PRIVATE: dict[bytes, Any] = {}
_VERIFIERS: dict[tuple[str, bytes], VerifierKey] = {}


@dataclass(frozen=True, repr=False)
class SignerKey:
    """A private Ed25519 key with its name: signs notes. Its ``repr`` shows no secret."""

    name: str
    seed: bytes

    def __repr__(self) -> str:
        return f"SignerKey({self.name!r}, id {self.verifier.id.hex()})"

    @classmethod
    def generate(cls, name: str) -> SignerKey:
        """A new random key named ``name`` (from the operating system's generator)."""
        check_key_name(name)
        private = _crypto().Ed25519PrivateKey.generate()
        from cryptography.hazmat.primitives import serialization

        seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                     serialization.NoEncryption())
        return cls(name, seed)

    @property
    def verifier(self) -> VerifierKey:
        known = _VERIFIERS.get((self.name, self.seed))
        if known is not None:
            return known
        private = self._private()
        from cryptography.hazmat.primitives import serialization

        public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                   serialization.PublicFormat.Raw)
        if len(_VERIFIERS) > 64:
            _VERIFIERS.clear()
        verifier = _VERIFIERS[(self.name, self.seed)] = VerifierKey(self.name, public)
        return verifier

    def _private(self) -> Any:
        found = _PRIVATE.get(self.seed)
        if found is None:  # loading a key costs more than signing with it: keep a few
            if len(_PRIVATE) > 64:
                _PRIVATE.clear()
            found = _PRIVATE[self.seed] = _crypto().Ed25519PrivateKey.from_private_bytes(self.seed)
        return found

    def secret_text(self) -> str:
        """``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>``: keep it secret."""
        return (f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+"
                f"{b64encode(bytes([ED25519]) + self.seed)}")

    @classmethod
    def parse(cls, text: str) -> SignerKey:
        """Read a signer key exactly, no spaces around it (``NoteError`` when malformed or
        inconsistent)."""
        parts = text.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a signer key is PRIVATE+KEY+NAME+KEYID+KEY")
        name, hex_id, encoded = parts[2:]
        check_key_name(name)
        data = b64decode(encoded, "the private key")
        if len(data) != 33 or data[0] != ED25519:
            raise NoteError("the private key is not an Ed25519 key (type 0x01 and 32 bytes)")
        key = cls(name, data[1:])
        if key.verifier.id.hex() != hex_id:
            raise NoteError(f"the key ID {hex_id!r} does not match the key")
        return key

    def sign(self, text: bytes) -> bytes:
        """The Ed25519 signature of ``text``."""
        return bytes(self._private().sign(text))


# -- notes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """One signature line of a note: who (``name`` and 4-byte ``id``) and the bytes."""

    name: str
    id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{DASH}{self.name} {b64encode(self.id + self.signature)}\n"


def check_text(text: str) -> str:
    """A note's text: non-empty, ending in a newline, no blank line, no control
    character but newlines (``NoteError`` otherwise)."""
    if not text.endswith("\n") or text == "\n":
        raise NoteError("a note's text must be non-empty and end with a newline")
    if "\n\n" in text or text.startswith("\n"):
        raise NoteError("a note's text may not hold an empty line")
    bad = next((c for c in text if (ord(c) < 0x20 and c != "\n") or ord(c) == 0x7F), None)
    if bad is not None:
        raise NoteError(f"a note's text may not hold the control character {bad!r}")
    return text


def sign_note(text: str, signers: Iterable[SignerKey]) -> str:
    """The signed note of ``text`` with one signature line per signer."""
    check_text(text)
    lines = [Signature(s.name, s.verifier.id, s.sign(text.encode("utf-8"))).line() for s in signers]
    if not lines:
        raise NoteError("a signed note needs at least one signer")
    return text + "\n" + "".join(lines)


def add_signatures(note: str, signers: Iterable[SignerKey]) -> str:
    """``note`` with more signature lines (co-signatures) at the end."""
    text, signatures = parse_note(note)
    have = {(s.name, s.id) for s in signatures}
    added = [Signature(s.name, s.verifier.id, s.sign(text.encode("utf-8"))) for s in signers]
    for s in added:
        if (s.name, s.id) in have:
            raise NoteError(f"{s.name} has already signed this note")
        have.add((s.name, s.id))
    if len(signatures) + len(added) > MAX_SIGNATURES:
        raise NoteError(f"a note holds at most {MAX_SIGNATURES} signatures")
    return note + "".join(s.line() for s in added)


def parse_note(note: str) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and its signature lines (``NoteError`` naming
    the line when malformed). Signatures are not checked here: :func:`verify_note`."""
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("the note has no blank line before its signatures")
    text, block = note[:split + 1], note[split + 2:]
    check_text(text)
    if not block.endswith("\n"):
        raise NoteError("the note's last signature line does not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"the note has {len(lines)} signature lines, over {MAX_SIGNATURES}")
    signatures: list[Signature] = []
    seen: set[tuple[str, bytes]] = set()
    for k, line in enumerate(lines, start=1):
        where = f"signature line {k}"
        if not line.startswith(DASH):
            raise NoteError(f"{where} does not start with an em dash and a space")
        name, space, encoded = line[len(DASH):].partition(" ")
        if not space or " " in encoded:
            raise NoteError(f"{where} is not '— NAME SIGNATURE'")
        try:
            check_key_name(name)
        except NoteError as error:
            raise NoteError(f"{where}: {error}") from None
        data = b64decode(encoded, f"the signature of {where}")
        if len(data) < 5:
            raise NoteError(f"{where}: the signature is too short")
        signature = Signature(name, data[:4], data[4:])
        if (name, signature.id) in seen:
            raise NoteError(f"{where}: {name} signed twice")
        seen.add((name, signature.id))
        signatures.append(signature)
    return text, signatures


@dataclass(frozen=True)
class Checked:
    """What :func:`verify_note` found for one signature line."""

    line: int
    name: str
    key_id: str
    verified: bool


def verify_note(note: str, keys: Sequence[VerifierKey]) -> tuple[str, list[Checked]]:
    """Check every signature of ``note`` made by one of ``keys`` (matched by name and
    key ID); returns the text and, per signature line, whether it was checked and
    verified. Raises ``NoteError`` for a malformed note or a signature by a known key
    that does not verify, naming the line. Lines by unknown keys are returned with
    ``verified=False``: the caller decides whether they matter."""
    text, signatures = parse_note(note)
    known = {(k.name, k.id): k for k in keys}
    out = []
    for k, signature in enumerate(signatures, start=1):
        key = known.get((signature.name, signature.id))
        if key is not None and not key.verify(text.encode("utf-8"), signature.signature):
            raise NoteError(f"signature line {k} ({signature.name}, key {signature.id.hex()})"
                            " does not verify: the text or the signature was changed")
        out.append(Checked(k, signature.name, signature.id.hex(), key is not None))
    return text, out


# -- checkpoints ------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A log's tree head: ``origin``, ``size`` (leaves) and ``root`` (32 bytes), and
    optional extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The checkpoint as a note's text (C2SP ``tlog-checkpoint``)."""
        body = f"{self.origin}\n{self.size}\n{b64encode(self.root)}\n"
        return check_text(body + "".join(f"{line}\n" for line in self.extensions))

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read a checkpoint's text (``NoteError`` naming the line when malformed)."""
        check_text(text)
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise NoteError("a checkpoint has at least three lines: origin, size, root hash")
        origin, size, root = lines[:3]
        if not origin.strip() or origin != origin.strip():
            raise NoteError("checkpoint line 1 (origin) is empty or has spaces around it")
        if not re.fullmatch(r"0|[1-9][0-9]{0,19}", size):
            raise NoteError(f"checkpoint line 2 (tree size) {size[:30]!r} is not a whole number"
                            " without leading zeros")
        digest = b64decode(root, "checkpoint line 3 (root hash)")
        if len(digest) != 32:
            raise NoteError("checkpoint line 3 (root hash) is not 32 bytes")
        return cls(origin, int(size), digest, tuple(lines[3:]))


__all__ = ["DASH", "ED25519", "MAX_SIGNATURES", "Checked", "Checkpoint", "NoteError", "Signature",
           "SignerKey", "VerifierKey", "add_signatures", "check_key_name", "check_text", "key_id",
           "parse_note", "sign_note", "verify_note"]
