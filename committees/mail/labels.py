"""What the secretariat reads for an outbox message's kind, instead of its code.

A message's ``kind`` is either named by the caller or derived from its template
(``calls/receipt`` → ``calls_receipt``): every kind the application writes has a label here,
and ``tests/mail/test_outbox_labels.py`` fails when a new template or kind comes without one.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "general": _l("Message"),
    # accounts
    "invitation": _l("Invitation à créer un compte"),
    "admin_invitation": _l("Invitation à créer un compte"),
    "already_registered": _l("Compte déjà existant"),
    "confirm_email": _l("Confirmation d'adresse"),
    "password_reset": _l("Nouveau mot de passe"),
    "login_unlock": _l("Déblocage de la connexion"),
    # sessions
    "meeting_convocation": _l("Convocation"),
    "meeting_update": _l("Séance modifiée"),
    "meeting_cancellation": _l("Séance annulée"),
    "meeting_recusal": _l("Déport enregistré"),
    "meeting_pack_changes": _l("Dossier de séance mis à jour"),
    "minutes_sent": _l("Projet de compte rendu"),
    "procedure_opened": _l("Consultation écrite"),
    # calls for contributions
    "calls_receipt": _l("Accusé de réception"),
    "calls_closed_early": _l("Appel clos avant la date limite"),
    "calls_eligible": _l("Contribution recevable"),
    "calls_off_topic": _l("Contribution non retenue"),
    "calls_selected": _l("Contribution retenue pour une audition"),
    "calls_hearing_moved": _l("Audition déplacée"),
    "calls_hearing_cancelled": _l("Audition annulée"),
    "calls_withdrawn": _l("Contribution retirée"),
    "calls_restored": _l("Contribution rétablie"),
    # follows
    "follow_confirm": _l("Confirmation d'abonnement"),
    "follow_agenda_published": _l("Avis : ordre du jour publié"),
    "follow_minutes_published": _l("Avis : compte rendu publié"),
    "follow_decision_published": _l("Avis : décision publiée"),
    "follow_call_opened": _l("Avis : appel à contributions ouvert"),
    "follow_call_closing": _l("Avis : appel à contributions bientôt clos"),
    "follow_synthesis_published": _l("Avis : synthèse publiée"),
    "follow_digest": _l("Résumé hebdomadaire des publications"),
    # reminders
    "reminder_declaration": _l("Rappel : déclaration d'intérêts"),
    "reminder_declarations_digest": _l("Rappel : déclarations d'intérêts à renouveler"),
    "reminder_convocation": _l("Rappel : convocation sans réponse"),
    "reminder_session": _l("Rappel : séance dans deux jours"),
    "reminder_minutes_comments": _l("Rappel : commentaires du compte rendu"),
    "reminder_endings_digest": _l("Rappel : mandats et comités arrivant à échéance"),
    "reminder_procedure": _l("Rappel : consultation écrite sans réponse"),
}


def kind_label(kind: str) -> str:
    """The label of an outbox message's ``kind``; the code itself for a kind of an older
    version that has none (so that no message is hidden)."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind
