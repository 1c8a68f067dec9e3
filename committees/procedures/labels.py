"""Labels of written procedures' codes, for pages, e-mails, the PDF and the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from committees.procedures.models import Choice, ProcedureStatus

CHOICE_LABELS = {
    Choice.FOR.value: _l("Pour"),
    Choice.AGAINST.value: _l("Contre"),
    Choice.ABSTAIN.value: _l("Abstention"),
}

STATUS_LABELS = {
    ProcedureStatus.OPEN.value: _l("En cours"),
    ProcedureStatus.CLOSED.value: _l("Close"),
    ProcedureStatus.PUBLISHED.value: _l("Avis publié"),
}

TEMPLATE_LABELS = {"choice": CHOICE_LABELS, "status": STATUS_LABELS}
