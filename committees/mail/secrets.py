"""Personal links in the outbox: stored masked, readable only when the message is delivered.

A link that acts on someone's behalf (password reset, invitation, address or follow
confirmation, convocation answer, unsubscribe) must reach its owner and nobody else. The
outbox row therefore keeps its text with a *marker* (``masked-secret-`` and 16 hex digits)
where the secret goes, and the secrets themselves encrypted (Fernet: AES-128-CBC and
HMAC-SHA-256) under a key derived from ``MAIL_SECRETS_KEY`` (by default from
``SECRET_KEY``), neither of which is in the database or its backups. Delivery puts the
secrets back into the e-mail it builds (``reveal``) and forgets them once the message is
sent; staff pages show the marker as « lien personnel masqué » (``mask``).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from markupsafe import escape

#: what a marker looks like; made of characters that URLs, HTML and headers keep as they are
MARKER = re.compile(r"masked-secret-[0-9a-f]{16}")
_HKDF_INFO = b"committees outbox secrets v1"


class SecretsUnreadableError(ValueError):
    """The sealed secrets of a message cannot be decrypted (key changed, data damaged)."""


@dataclass(frozen=True)
class MaskedSecrets:
    """Secrets on their way into the outbox: a marker for each, the values kept in memory
    until ``sealed()`` encrypts them for the row."""

    #: name -> the marker that stands for the value in the stored message
    markers: dict[str, str]
    #: marker -> value, never stored as such
    values: dict[str, str]

    def adding(self, name: str, value: str) -> MaskedSecrets:
        """These secrets and one more."""
        marker = new_marker()
        return MaskedSecrets({**self.markers, name: marker}, {**self.values, marker: value})

    def sealed(self) -> str | None:
        """The encrypted form for OutboxMessage.sealed_secrets (None when there is none)."""
        return seal_by_marker(self.values) if self.values else None


def _fernet_key(secret: str) -> bytes:
    """A Fernet key derived from a setting's text (HKDF-SHA-256, labelled for this use)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        secret.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


def keys_of(setting: str, fallback: str) -> list[str]:
    """The keys a ``MAIL_SECRETS_KEY`` value names, newest first (separated by spaces or
    commas, so that an old key can still decrypt while the new one encrypts); an empty
    setting means ``fallback`` (the SECRET_KEY)."""
    keys = [key for key in re.split(r"[\s,]+", setting or "") if key]
    return keys or [fallback]


def _cipher() -> MultiFernet:
    config = current_app.config
    return _cipher_for(config.get("MAIL_SECRETS_KEY") or "", config["SECRET_KEY"])


@lru_cache(maxsize=8)
def _cipher_for(setting: str, fallback: str) -> MultiFernet:
    # Cached: a fan-out to 10,000 followers seals 10,000 rows with the same keys.
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys_of(setting, fallback)])


def new_marker() -> str:
    """A fresh marker: it says nothing about the value it stands for."""
    return f"masked-secret-{secrets.token_hex(8)}"


def mask_values(values: Mapping[str, str]) -> MaskedSecrets:
    """Give each secret (name -> value) a marker; the caller renders with the markers."""
    markers = {name: new_marker() for name in values}
    return MaskedSecrets(markers, {markers[name]: str(value) for name, value in values.items()})


def seal_by_marker(clear: Mapping[str, str]) -> str:
    """Encrypt a {marker: value} mapping (the stored form)."""
    payload = json.dumps(dict(clear), separators=(",", ":")).encode("utf-8")
    return _cipher().encrypt(payload).decode("ascii")


def unseal(ciphertext: str) -> dict[str, str]:
    """The {marker: value} mapping of a stored ciphertext; SecretsUnreadableError if the
    key cannot read it."""
    try:
        data = json.loads(_cipher().decrypt(ciphertext.encode("ascii")))
    except (InvalidToken, ValueError) as error:
        raise SecretsUnreadableError(
            "les liens personnels du message ne peuvent pas être déchiffrés "
            "(MAIL_SECRETS_KEY ou SECRET_KEY a changé ?)"
        ) from error
    if not isinstance(data, dict):
        raise SecretsUnreadableError("les liens personnels du message sont illisibles")
    return {str(marker): str(value) for marker, value in data.items()}


def reveal(text: str, clear: Mapping[str, str], *, html: bool = False) -> str:
    """``text`` with each marker replaced by its value (HTML-escaped in HTML). A marker
    without a value (a link masked for good, such as by migration 0013) stays as it is."""

    def value(match: re.Match[str]) -> str:
        found = clear.get(match.group(0))
        if found is None:
            return match.group(0)
        return str(escape(found)) if html else found

    return MARKER.sub(value, text)


def mask(text: str, label: str) -> str:
    """``text`` as staff may read it: each marker replaced by ``label``."""
    return MARKER.sub(label, text)
