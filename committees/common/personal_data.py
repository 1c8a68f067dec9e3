"""Personal data (RGPD): what each domain holds about a person, registered by that domain
from its ``init_app``, so that the privacy domain exports and erases it without importing
any domain.

A domain registers, under a name:

- an *export section*: ``export(subject, found) -> JSON value``, one key of
  ``donnees.json``; it may name files for the archive and audited rows whose audit entries
  belong to the export (``Found``);
- an *eraser*: ``erase(subject, erasure)``, which counts what it changed in
  ``erasure.counts`` and names the stored files to delete once committed
  (``erasure.digests``);
- an *audit scrub*: ``scrub(subject) -> int``, run after the erasers: the audit entries
  it rewrote so that they no longer keep the erased values.

The privacy domain decides the order of the sections and of the erasers (the format of
the export, the journal of an erasure); registering a name again replaces its function
(``create_app`` runs more than once in a process).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

#: what stays of an erased text
ERASED = "[effacé]"
#: the contributor's name where they did not consent to publication
ANONYMISED_CONTRIBUTOR = "Contributeur anonymisé"


class DataSubject(Protocol):
    """Whose data: an account, a person record, or both (``committees.privacy.subjects``)."""

    @property
    def user(self) -> Any:
        """The account (``committees.auth.models.User``), or None."""

    @property
    def person(self) -> Any:
        """The person record (``committees.bodies.models.Person``), or None."""

    @property
    def emails(self) -> set[str]:
        """Every address held for them, lower-cased."""

    @property
    def mandate_ids(self) -> list[int]:
        """The ids of the person record's mandates."""


@dataclass
class Found:
    """What an export found besides its JSON: files for the archive (path in the archive,
    SHA-256 in the store) and the audited rows (table, id) whose entries it covers."""

    files: list[tuple[str, str]] = field(default_factory=list)
    audited: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Erasure:
    """What an erasure changed, and the stored files to delete once it is committed."""

    counts: Counter = field(default_factory=Counter)
    digests: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        """Whether anything was erased (a second erasure finds nothing)."""
        return any(self.counts.values())


Exporter = Callable[[DataSubject, Found], Any]
Eraser = Callable[[DataSubject, Erasure], None]
AuditScrub = Callable[[DataSubject], int]

_sections: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}
_scrubs: dict[str, AuditScrub] = {}


def register_section(name: str, export: Exporter) -> None:
    """Add the section ``name`` of ``donnees.json``."""
    _sections[name] = export


def register_eraser(name: str, erase: Eraser) -> None:
    """Add the erasure step ``name``."""
    _erasers[name] = erase


def register_audit_scrub(name: str, scrub: AuditScrub) -> None:
    """Add a rewrite of the audit trail, run once the erasers' changes are flushed."""
    _scrubs[name] = scrub


def sections() -> dict[str, Exporter]:
    """The registered export sections, by name."""
    return dict(_sections)


def erasers() -> dict[str, Eraser]:
    """The registered erasure steps, by name."""
    return dict(_erasers)


def audit_scrubs() -> list[AuditScrub]:
    """The registered rewrites of the audit trail, in registration order."""
    return list(_scrubs.values())


def plain(value: Any) -> Any:
    """A JSON-friendly copy of a column value (dates as ISO 8601)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_of(obj: Any, *keys: str) -> dict[str, Any]:
    """The named attributes of a row, JSON-friendly."""
    return {key: plain(getattr(obj, key)) for key in keys}
