"""Words shown for the follow events and frequencies."""

from flask_babel import lazy_gettext as _l

EVENT_LABELS = {
    "agenda_published": _l("Ordre du jour publié"),
    "minutes_published": _l("Compte rendu publié"),
    "decision_published": _l("Décision publiée"),
    "call_opened": _l("Appel à contributions ouvert"),
    "call_closing": _l("Appel à contributions : clôture dans 7 jours"),
    "synthesis_published": _l("Synthèse de consultation publiée"),
}

FREQUENCY_LABELS = {
    "immediate": _l("Un e-mail à chaque publication"),
    "weekly": _l("Un résumé par semaine"),
}
