"""The accessibility statement (RGAA 4.1, article 47 of law 2005-102) from the settings.

The compliance status follows the legal scale: "totalement conforme" when every applicable
criterion is met, "partiellement conforme" from 50 %, "non conforme" below — and also while no
audit is recorded, since a status may only be claimed on the strength of an audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l


class Compliance(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


COMPLIANCE_LABELS = {
    Compliance.FULL: _l("totalement conforme"),
    Compliance.PARTIAL: _l("partiellement conforme"),
    Compliance.NONE: _l("non conforme"),
}


@dataclass(frozen=True)
class Audit:
    """What the auditor recorded: when, by whom, the rate of criteria met, how, on what."""

    day: date
    rate: float
    auditor: str = ""
    environment: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Statement:
    """The statement as the page shows it."""

    compliance: Compliance
    audit: Audit | None
    established_on: date
    contact: str
    plan_url: str

    @property
    def compliance_label(self) -> str:
        return str(COMPLIANCE_LABELS[self.compliance])


def compliance_of(audit: Audit | None) -> Compliance:
    """The legal status an audit allows: none without an audit, then 100 % / 50 %."""
    if audit is None or audit.rate < 50:
        return Compliance.NONE
    return Compliance.FULL if audit.rate >= 100 else Compliance.PARTIAL


def _audit(raw: dict[str, Any] | None) -> Audit | None:
    if not raw:
        return None
    day = raw["date"]
    return Audit(
        day=day if isinstance(day, date) else date.fromisoformat(day),
        rate=float(raw["rate"]),
        auditor=raw.get("auditor", ""),
        environment=list(raw.get("environment", ())),
        tools=list(raw.get("tools", ())),
        pages=[(label, url) for label, url in raw.get("pages", ())],
    )


def accessibility_statement() -> Statement:
    """The statement built from the ACCESSIBILITY_* settings of config.py."""
    config = current_app.config
    audit = _audit(config.get("ACCESSIBILITY_AUDIT"))
    established = config.get("ACCESSIBILITY_STATEMENT_DATE")
    if audit is not None:
        established = audit.day
    elif isinstance(established, str):
        established = date.fromisoformat(established)
    return Statement(
        compliance=compliance_of(audit),
        audit=audit,
        established_on=established,
        contact=config["ACCESSIBILITY_CONTACT"],
        plan_url=config["ACCESSIBILITY_PLAN_URL"],
    )


def footer_context() -> dict:
    """What every page's footer reads: the compliance status the statement declares
    (a context processor registered by ``committees.public.init_app``)."""
    return {"accessibility_compliance": lambda: accessibility_statement().compliance_label}
