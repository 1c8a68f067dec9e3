"""The seal of a backup archive: an HMAC-SHA-256 of ``manifest.json``, in ``manifest.hmac``.

The manifest lists the SHA-256 of every other member, so the seal authenticates the
whole archive: whoever lacks the key cannot alter a row or a file, even by recomputing
the manifest's sums. The key is ``BACKUP_KEY`` when set, else one derived from
``SECRET_KEY`` (so a new ``SECRET_KEY`` makes older archives unreadable unless
``BACKUP_KEY`` is set: set it, and keep a copy apart from the archives).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

SEAL = "manifest.hmac"
ALGORITHM = "HMAC-SHA-256"
#: keys are derived for this use only: the same secret serves nothing else
_PURPOSE = b"committees backup archive seal v1"
#: a seal is a few hundred bytes; anything larger is not one
SEAL_MAX_BYTES = 4096


class SealError(ValueError):
    """The archive's seal is missing, malformed or does not match."""


@dataclass(frozen=True)
class BackupKey:
    """The key that seals archives, and where it comes from (for the operator's messages)."""

    secret: bytes
    source: str  # "BACKUP_KEY" or "SECRET_KEY"

    @property
    def fingerprint(self) -> str:
        """Twelve hex digits naming the key without revealing it (shown in messages)."""
        return hmac.new(self.secret, b"fingerprint", hashlib.sha256).hexdigest()[:12]


def backup_key(config: Any) -> BackupKey:
    """The key of ``config``: ``BACKUP_KEY``, else derived from ``SECRET_KEY``."""
    configured = config.get("BACKUP_KEY")
    source, text = ("BACKUP_KEY", configured) if configured else ("SECRET_KEY", None)
    if text is None:
        text = config.get("SECRET_KEY") or ""
        if not text:
            raise SealError("Neither BACKUP_KEY nor SECRET_KEY is set: no key to seal backups.")
    secret = hmac.new(text.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()
    return BackupKey(secret, source)


def _mac(key: BackupKey, manifest: bytes) -> str:
    return hmac.new(key.secret, manifest, hashlib.sha256).hexdigest()


def seal(manifest: bytes, key: BackupKey) -> bytes:
    """The content of ``manifest.hmac`` for these manifest bytes."""
    document = {
        "algorithm": ALGORITHM,
        "key": key.source,
        "key_fingerprint": key.fingerprint,
        "mac": _mac(key, manifest),
    }
    return json.dumps(document, indent=2).encode("utf-8") + b"\n"


def check_seal(sealed: bytes, manifest: bytes, key: BackupKey) -> None:
    """Refuse unless ``sealed`` is this key's HMAC of exactly ``manifest``."""
    try:
        document = json.loads(sealed)
        mac, algorithm = document["mac"], document["algorithm"]
    except (ValueError, KeyError, TypeError):
        raise SealError(f"{SEAL} is malformed: the archive was altered or damaged.") from None
    if algorithm != ALGORITHM or not isinstance(mac, str):
        raise SealError(f"{SEAL}: unknown algorithm {algorithm!r} (this version uses {ALGORITHM}).")
    if not hmac.compare_digest(mac, _mac(key, manifest)):
        made_with = document.get("key_fingerprint")
        hint = (
            f" It was sealed with another key (fingerprint {made_with}; this installation's "
            f"{key.source} key is {key.fingerprint}): set BACKUP_KEY to the key of the "
            "installation that made it."
            if isinstance(made_with, str) and made_with != key.fingerprint
            else ""
        )
        raise SealError(
            "The archive's seal (HMAC-SHA-256 of manifest.json) does not match: the archive "
            f"was altered, or made with another key; nothing was restored.{hint}"
        )
