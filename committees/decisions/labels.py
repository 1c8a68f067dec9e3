"""French labels (translatable) of the decisions enums, for forms and pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from committees.decisions.models import DecisionKind, EffectAction

DECISION_KIND_LABELS = {
    DecisionKind.CREATION: _l("Création de comité"),
    DecisionKind.NOMINATION: _l("Nomination"),
    DecisionKind.EXTENSION: _l("Prolongation"),
    DecisionKind.END_OF_MANDATES: _l("Fin de mandats"),
    DecisionKind.OTHER: _l("Autre"),
}

EFFECT_ACTION_LABELS = {
    EffectAction.CREATE_COMMITTEE: _l("Création du comité"),
    EffectAction.EXTEND_COMMITTEE: _l("Prolongation du comité"),
    EffectAction.APPOINT: _l("Nomination"),
    EffectAction.EXTEND_MANDATE: _l("Prolongation du mandat"),
    EffectAction.END_MANDATE: _l("Fin du mandat"),
    EffectAction.CONCERNS: _l("Concerne le comité"),
}

#: draft / published filter of the secretariat's list
STATUS_LABELS = {
    "draft": _l("Brouillon"),
    "published": _l("Publiée"),
}


def template_labels() -> dict:
    """What every template may read of decisions (registered by ``decisions.init_app``)."""
    return {
        "decision_kind_labels": DECISION_KIND_LABELS,
        "effect_action_labels": EFFECT_ACTION_LABELS,
    }
