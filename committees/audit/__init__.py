"""Who changed what, when: one mechanism for every audited model."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: blueprints, commands, listeners."""
    import committees.audit.recorder  # noqa: F401 - TODO: explicit registration
