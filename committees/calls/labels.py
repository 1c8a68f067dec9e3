"""French labels (translatable) of the calls enums, for forms and pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from committees.calls.models import Audience, CallStatus, ContributionStatus, ContributorKind

AUDIENCE_LABELS = {
    Audience.ECONOMIC_OPERATORS: _l("Opérateurs économiques"),
    Audience.PATIENT_ASSOCIATIONS: _l("Associations de patients"),
    Audience.LEARNED_SOCIETIES: _l("Sociétés savantes"),
    Audience.ANYONE: _l("Tout public"),
}

CALL_STATUS_LABELS = {
    CallStatus.DRAFT: _l("Brouillon"),
    CallStatus.PUBLISHED: _l("Publié"),
    CallStatus.CLOSED: _l("Clos"),
}

CONTRIBUTOR_KIND_LABELS = {
    ContributorKind.FARMER: _l("Agriculteur ou cultivateur"),
    ContributorKind.RAW_MATERIAL_PRODUCER: _l("Producteur de matière première"),
    ContributorKind.PHARMACEUTICAL_ESTABLISHMENT: _l("Établissement pharmaceutique"),
    ContributorKind.ECONOMIC_OPERATOR: _l("Autre opérateur économique"),
    ContributorKind.PATIENT_ASSOCIATION: _l("Association de patients"),
    ContributorKind.LEARNED_SOCIETY: _l("Société savante"),
    ContributorKind.INSTITUTION: _l("Institution"),
    ContributorKind.OTHER: _l("Autre"),
}

CONTRIBUTION_STATUS_LABELS = {
    ContributionStatus.SUBMITTED: _l("Déposée"),
    ContributionStatus.WITHDRAWN: _l("Retirée"),
    ContributionStatus.ELIGIBLE: _l("Recevable"),
    ContributionStatus.OFF_TOPIC: _l("Hors sujet"),
    ContributionStatus.SELECTED: _l("Retenue pour une audition"),
}

#: badge tone of each contribution status (see the ``badge`` macro)
CONTRIBUTION_STATUS_TONES = {
    ContributionStatus.SUBMITTED: "info",
    ContributionStatus.WITHDRAWN: "neutral",
    ContributionStatus.ELIGIBLE: "success",
    ContributionStatus.OFF_TOPIC: "warning",
    ContributionStatus.SELECTED: "success",
}

#: names shown for the accepted kinds of files (Call.allowed_types)
FILE_KIND_LABELS = {
    "pdf": "PDF",
    "odt": "ODT",
    "docx": "DOCX",
}


def template_context() -> dict:
    """The labels the calls pages and e-mails read, offered to every template (the
    receipt e-mail is rendered outside the calls blueprints)."""
    return {
        "call_status_labels": CALL_STATUS_LABELS,
        "audience_labels": AUDIENCE_LABELS,
        "contributor_kind_labels": CONTRIBUTOR_KIND_LABELS,
        "contribution_status_labels": CONTRIBUTION_STATUS_LABELS,
        "contribution_status_tones": CONTRIBUTION_STATUS_TONES,
        "file_kind_labels": FILE_KIND_LABELS,
    }
