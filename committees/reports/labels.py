"""The labels a report's figures are shown with (registered by ``reports.init_app``)."""

from __future__ import annotations

from committees.bodies.labels import MANDATE_ROLE_LABELS
from committees.meetings.labels import MEETING_STATUS_LABELS, ORGANISATION_KIND_LABELS


def template_labels() -> dict:
    """What every template may read to label a report's roles, statuses and organisations."""
    return {
        "report_role_labels": MANDATE_ROLE_LABELS,
        "report_status_labels": MEETING_STATUS_LABELS,
        "report_organisation_labels": ORGANISATION_KIND_LABELS,
    }
