"""The verification code printed on an attendance certificate.

The code is the attendance's id and an HMAC-SHA256 of the certificate's facts (person's
name, committee, session day, attendance mode) under a key derived from ``SECRET_KEY``,
cut to 12 base32 characters (60 bits): ``<id>-<12 characters>``. Changing any character,
or any fact the certificate states, makes the code fail; nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from flask import current_app

#: the shape of a code; anything else is refused before any lookup
CODE = re.compile(r"^(\d{1,12})-([A-Z2-7]{12})$")
_PURPOSE = b"committees/attendance-certificate/v1"


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, _PURPOSE, hashlib.sha256).digest()


def sign(attendance_id: int, facts: tuple[str, ...]) -> str:
    """The code of a certificate stating ``facts`` for the attendance ``attendance_id``."""
    message = "\x1f".join((str(attendance_id), *facts)).encode()
    digest = hmac.new(_key(), message, hashlib.sha256).digest()
    return f"{attendance_id}-{base64.b32encode(digest).decode()[:12]}"


def parse(code: str) -> int | None:
    """The attendance id a well-formed code names (case ignored), else None."""
    found = CODE.match(code.strip().upper())
    return int(found.group(1)) if found else None


def matches(code: str, attendance_id: int, facts: tuple[str, ...]) -> bool:
    """Whether ``code`` is the one of these facts (compared in constant time)."""
    return hmac.compare_digest(code.strip().upper(), sign(attendance_id, facts))
