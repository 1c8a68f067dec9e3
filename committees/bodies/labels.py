"""French labels (translatable) of the bodies enums, for forms and pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from committees.bodies.models import CommitteeKind, CommitteeStatus, LinkKind, MandateRole

COMMITTEE_KIND_LABELS = {
    CommitteeKind.TEMPORARY: _l("Comité scientifique temporaire"),
    CommitteeKind.PERMANENT: _l("Comité scientifique permanent"),
    CommitteeKind.SCIENTIFIC_COUNCIL: _l("Conseil scientifique"),
    CommitteeKind.INTERFACE: _l("Comité d'interface"),
    CommitteeKind.OTHER: _l("Autre"),
}

COMMITTEE_STATUS_LABELS = {
    CommitteeStatus.UPCOMING: _l("À venir"),
    CommitteeStatus.ACTIVE: _l("En activité"),
    CommitteeStatus.ENDED: _l("Terminé"),
}

#: tone of the status badge (see the ``badge`` macro)
COMMITTEE_STATUS_TONES = {
    CommitteeStatus.UPCOMING: "info",
    CommitteeStatus.ACTIVE: "success",
    CommitteeStatus.ENDED: "neutral",
}

MANDATE_ROLE_LABELS = {
    MandateRole.PRESIDENT: _l("Président·e"),
    MandateRole.VICE_PRESIDENT: _l("Vice-président·e"),
    MandateRole.MEMBER: _l("Membre"),
    MandateRole.PATIENT_REPRESENTATIVE: _l("Représentant·e d'une association de patients"),
    MandateRole.INVITED_EXPERT: _l("Expert·e invité·e (sans voix délibérative)"),
}

LINK_KIND_LABELS = {
    LinkKind.EMPLOYMENT: _l("Activité salariée"),
    LinkKind.CONSULTANCY: _l("Activité de conseil"),
    LinkKind.RESEARCH_FUNDING: _l("Financement de recherche"),
    LinkKind.FINANCIAL_HOLDING: _l("Participation financière"),
    LinkKind.CLOSE_RELATIVE: _l("Lien d'un proche"),
    LinkKind.OTHER: _l("Autre"),
}


def choices(labels: dict) -> list[tuple[str, str]]:
    """(value, label) pairs for a SelectField, in the enum's order."""
    return [(key.value, label) for key, label in labels.items()]


def label_of(labels: dict, value: str) -> str:
    """The label of a stored enum value; the raw value if it is unknown."""
    for key, label in labels.items():
        if key.value == value:
            return str(label)
    return value


# --- for templates (registered app-wide by ``committees.bodies.init_app``) -------------


def committee_kind_label(kind: str) -> str:
    """The ``committee_kind_label`` template filter."""
    return label_of(COMMITTEE_KIND_LABELS, kind)


def mandate_role_label(role: str) -> str:
    """The ``mandate_role_label`` template filter."""
    return label_of(MANDATE_ROLE_LABELS, role)


def link_kind_label(kind: str) -> str:
    """The ``link_kind_label`` template filter."""
    return label_of(LINK_KIND_LABELS, kind)


def status_labels() -> dict:
    """What every template may read of a committee's status: its label and badge tone."""
    return {
        "committee_status_labels": COMMITTEE_STATUS_LABELS,
        "committee_status_tones": COMMITTEE_STATUS_TONES,
    }
