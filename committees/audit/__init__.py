"""Who changed what, when: one mechanism for every audited model."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: the listener that records the changes."""
    from committees.audit import recorder

    recorder.register_listeners()
