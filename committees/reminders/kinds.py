"""The kinds of reminder: who gets them, when, and which ones a person may turn off.

Declarations of interests and convocations are obligations: their reminders cannot be
turned off. The others can, each on its own, from « Mes rappels ».
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Kind(StrEnum):
    """One kind of reminder (the ``kind`` of a SentReminder and of an opt-out)."""

    #: to the member: their declaration of interests ends in 30 days, then in 7 days
    DECLARATION = "declaration"
    #: to the secretariat: the members whose declaration reached 30 or 7 days
    DECLARATIONS_DIGEST = "declarations_digest"
    #: to the member: a convocation still unanswered 7 days before the session
    CONVOCATION = "convocation"
    #: to the member: the session in 2 days, with its documents and videoconference link
    SESSION = "session"
    #: to the member: 2 days left to comment on draft minutes
    MINUTES_COMMENTS = "minutes_comments"
    #: to the secretariat: mandates and temporary committees ending within 60 days
    ENDINGS_DIGEST = "endings_digest"
    #: to the member: 2 days left to answer a written procedure they have not answered
    PROCEDURE = "procedure"


#: days before a declaration's last valid day: the first reminder, then the second
DECLARATION_STAGES = (30, 7)
#: days before the session when an unanswered convocation is recalled
CONVOCATION_DAYS = 7
#: days before the session when it is recalled
SESSION_DAYS = 2
#: days before the end of the comment period on draft minutes
MINUTES_DAYS = 2
#: days before a written procedure's deadline when members who have not answered are recalled
PROCEDURE_DAYS = 2
#: mandates and temporary committees ending within this many days
ENDINGS_DAYS = 60

#: reminders that are obligations: no opt-out
OBLIGATIONS = frozenset({Kind.DECLARATION, Kind.CONVOCATION})
#: kinds gathered into one e-mail per recipient and run
DIGESTS = frozenset({Kind.DECLARATIONS_DIGEST, Kind.ENDINGS_DIGEST})
#: kinds sent to the secretariat
SECRETARIAT_KINDS = frozenset({Kind.DECLARATIONS_DIGEST, Kind.ENDINGS_DIGEST})

LABELS = {
    Kind.DECLARATION: _l("Ma déclaration d'intérêts arrive à échéance (30 et 7 jours avant)"),
    Kind.DECLARATIONS_DIGEST: _l(
        "Récapitulatif des déclarations d'intérêts à renouveler (secrétariat)"
    ),
    Kind.CONVOCATION: _l("Convocation sans réponse (7 jours avant la séance)"),
    Kind.SESSION: _l("Rappel de la séance, avec ses documents (2 jours avant)"),
    Kind.MINUTES_COMMENTS: _l(
        "Fin du délai d'observations sur un projet de compte rendu (2 jours avant)"
    ),
    Kind.ENDINGS_DIGEST: _l(
        "Mandats et comités temporaires arrivant à échéance dans 60 jours (secrétariat)"
    ),
    Kind.PROCEDURE: _l("Consultation écrite sans réponse (2 jours avant la date limite)"),
}


def optional_kinds(*, secretariat: bool, member: bool) -> list[Kind]:
    """The kinds a person may turn off, among those they can receive."""
    kinds = []
    if member:
        kinds += [Kind.SESSION, Kind.MINUTES_COMMENTS, Kind.PROCEDURE]
    if secretariat:
        kinds += [Kind.DECLARATIONS_DIGEST, Kind.ENDINGS_DIGEST]
    return kinds
