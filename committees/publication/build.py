"""What identifies the code and settings that build the pages: kept pages name both in
their key.

Pages kept in Redis outlive a deployment or a restart: a worker running new templates,
translations or migrations, or other settings (the agency's name, the accessibility
audit...), must not serve what the old ones built. The fingerprint is a hash of the
application's code, templates, compiled translations and migrations, read once per
process (a few milliseconds), and of the application's settings, once per application.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app

_ROOT = Path(__file__).resolve().parents[2]
_PARTS = (
    ("committees", ("*.py", "*.mo")),
    ("templates", ("*",)),
    ("migrations", ("*.py",)),
)


def fingerprint() -> str:
    """A short hash of every file and setting the pages' bytes depend on."""
    extensions = current_app.extensions
    if "publication.build" not in extensions:
        settings = repr(sorted(current_app.config.items(), key=lambda item: item[0]))
        mixed = hashlib.sha256((_code() + settings).encode()).hexdigest()[:16]
        extensions["publication.build"] = mixed
    return extensions["publication.build"]


@cache
def _code() -> str:
    digest = hashlib.sha256()
    for folder, patterns in _PARTS:
        files = sorted({p for pattern in patterns for p in (_ROOT / folder).rglob(pattern)})
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_ROOT)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
