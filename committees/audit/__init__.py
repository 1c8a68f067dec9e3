"""Who changed what, when: one mechanism for every audited model."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this domain with the application: the listener that records the changes,
    and the filters that make the change history readable."""
    from committees.audit import labels, recorder

    recorder.register_listeners()
    app.add_template_filter(labels.field_label, "audit_field")
    app.add_template_filter(labels.value_text, "audit_value")
