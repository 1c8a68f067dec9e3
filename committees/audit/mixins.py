"""The marker that puts a model under audit."""

from __future__ import annotations


class Audited:
    """Mix into a model: every insert, update and delete of it writes an AuditEntry.

    ``__audit_exclude__`` names attributes left out of the recorded changes.
    """

    __audit_exclude__: frozenset[str] = frozenset({"created_at", "updated_at"})
