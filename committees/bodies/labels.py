"""French labels (translatable) of the bodies enums, for forms and pages."""

from __future__ import annotations

from flask_babel import force_locale, get_locale, lazy_pgettext
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

#: the role said of the person as their recorded civility says (« Mme », « M. »); the
#: inclusive forms above serve where none is recorded, and in the forms' choices
GENDERED_ROLE_LABELS = {
    "Mme": {
        MandateRole.PRESIDENT: lazy_pgettext("rôle", "Présidente"),
        MandateRole.VICE_PRESIDENT: lazy_pgettext("rôle", "Vice-présidente"),
        MandateRole.MEMBER: _l("Membre"),
        MandateRole.PATIENT_REPRESENTATIVE: lazy_pgettext(
            "rôle", "Représentante d'une association de patients"
        ),
        MandateRole.INVITED_EXPERT: lazy_pgettext(
            "rôle", "Experte invitée (sans voix délibérative)"
        ),
    },
    "M.": {
        MandateRole.PRESIDENT: lazy_pgettext("rôle", "Président"),
        MandateRole.VICE_PRESIDENT: lazy_pgettext("rôle", "Vice-président"),
        MandateRole.MEMBER: _l("Membre"),
        MandateRole.PATIENT_REPRESENTATIVE: lazy_pgettext(
            "rôle", "Représentant d'une association de patients"
        ),
        MandateRole.INVITED_EXPERT: lazy_pgettext("rôle", "Expert invité (sans voix délibérative)"),
    },
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


def role_label(role: str, civility: str | None = "", locale: str | None = None) -> str:
    """The label of a mandate's ``role`` agreeing with its holder's recorded ``civility``
    (« Présidente » for « Mme », « Président » for « M. »); the inclusive form
    (« Président·e ») when none is recorded. In ``locale`` if given, else the current one.

    The one function every page, PDF, e-mail, export and API answer names a role with.
    """
    labels = GENDERED_ROLE_LABELS.get(civility or "", MANDATE_ROLE_LABELS)
    if locale is None:
        return label_of(labels, role)
    with force_locale(locale):
        return label_of(labels, role)


def mandate_role_label(role: str, civility: str | None = "") -> str:
    """The ``mandate_role_label`` template filter: ``role|mandate_role_label(civility)``."""
    return role_label(role, civility)


def link_kind_label(kind: str) -> str:
    """The ``link_kind_label`` template filter."""
    return label_of(LINK_KIND_LABELS, kind)


def status_labels() -> dict:
    """What every template may read of a committee's status: its label and badge tone."""
    return {
        "committee_status_labels": COMMITTEE_STATUS_LABELS,
        "committee_status_tones": COMMITTEE_STATUS_TONES,
    }


#: the usual cadences, typed in French by the secretariat, shown in the page's language
CADENCE_LABELS = {
    "hebdomadaire": _l("Hebdomadaire"),
    "bimensuelle": _l("Bimensuelle"),
    "mensuelle": _l("Mensuelle"),
    "bimestrielle": _l("Bimestrielle"),
    "trimestrielle": _l("Trimestrielle"),
    "semestrielle": _l("Semestrielle"),
    "annuelle": _l("Annuelle"),
}


def cadence_label(cadence: str | None) -> str:
    """A committee's meeting cadence in the page's language when it is a usual one
    (« Trimestrielle » → « Quarterly »), else as typed."""
    text = (cadence or "").strip()
    label = CADENCE_LABELS.get(text.casefold())
    if label is None or str(get_locale() or "fr").startswith("fr"):
        return text
    return str(label)
