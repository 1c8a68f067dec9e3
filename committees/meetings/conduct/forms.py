"""Forms of the convocation, answer, attendance, conflict and vote screens.

The attendance and vote forms have one field per participant, named after the mandate
id (``presence_12``, ``ballot_12``); ``extra_ids`` finds the ids a request names beyond
the fields offered, so that the service refuses an unknown or ineligible member instead
of the form silently dropping them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from committees.bodies.models import Mandate
from committees.common.forms import select_choices
from committees.meetings.labels import (
    BALLOT_CHOICE_LABELS,
    PRESENCE_LABELS,
    RECUSAL_STATUS_LABELS,
    RESPONSE_LABELS,
    choices,
)

PRESENCE_PREFIX = "presence_"
BALLOT_PREFIX = "ballot_"


def extra_ids(formdata, prefix: str, known: Iterable[int]) -> set[int]:
    """Mandate ids named in ``formdata`` as ``<prefix><id>`` but not among ``known``."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d{{1,18}})$")
    named = {int(m.group(1)) for key in formdata if (m := pattern.match(key))}
    return named - set(known)


def _name(mandate: Mandate) -> str:
    return f"{mandate.person.first_name} {mandate.person.last_name}"


class ConveneForm(FlaskForm):
    """The button that sends the convocations."""

    submit = SubmitField(_l("Envoyer les convocations"))


class AnswerForm(FlaskForm):
    """A participant's answer; each choice is its own submit button."""

    response = RadioField(
        _l("Votre réponse"),
        choices=select_choices(choices(RESPONSE_LABELS)),
        validators=[InputRequired(_l("Choisissez une réponse."))],
    )


class PresenceForm(FlaskForm):
    """One presence select per expected participant (fields added by ``presence_form``)."""

    submit = SubmitField(_l("Enregistrer les présences"))

    def presence_fields(self):
        return [field for field in self if field.name.startswith(PRESENCE_PREFIX)]


def presence_form(mandates: Iterable[Mandate], current=None) -> PresenceForm:
    """The attendance form for ``mandates``, prefilled with ``current`` {mandate id: presence}."""
    current = current or {}

    class _Form(PresenceForm):
        pass

    for mandate in mandates:
        setattr(
            _Form,
            f"{PRESENCE_PREFIX}{mandate.id}",
            SelectField(
                _name(mandate),
                choices=select_choices(choices(PRESENCE_LABELS), blank=_l("— Non renseigné —")),
                default=current.get(mandate.id) or "",
            ),
        )
    return _Form()


class RecusalForm(FlaskForm):
    """The secretariat's decision on one conflict flag."""

    decision = RadioField(
        _l("Décision"),
        choices=select_choices(choices(RECUSAL_STATUS_LABELS)),
        validators=[InputRequired(_l("Choisissez : confirmer le déport ou lever le signalement."))],
    )
    reason = TextAreaField(
        _l("Motif"),
        validators=[
            InputRequired(_l("Indiquez le motif de la décision.")),
            Length(max=500, message=_l("%(max)d caractères au plus.")),
        ],
    )
    submit = SubmitField(_l("Enregistrer la décision"))

    def validate_reason(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Indiquez le motif de la décision."))


_COUNT_VALIDATORS = [
    Optional(),
    NumberRange(min=0, max=10_000, message=_l("Indiquez un nombre positif ou nul.")),
]


class VoteForm(FlaskForm):
    """The vote on an item: named ballots (fields added by ``vote_form``) or secret counts."""

    secret = BooleanField(_l("Vote à bulletin secret (seuls les totaux sont enregistrés)"))
    votes_for = IntegerField(_l("Voix pour"), validators=_COUNT_VALIDATORS)
    votes_against = IntegerField(_l("Voix contre"), validators=_COUNT_VALIDATORS)
    abstentions = IntegerField(_l("Abstentions"), validators=_COUNT_VALIDATORS)
    opinion = TextAreaField(
        _l("Texte de l'avis"),
        validators=[InputRequired(_l("Indiquez le texte de l'avis."))],
    )
    submit = SubmitField(_l("Enregistrer le vote"))

    def ballot_fields(self):
        return [field for field in self if field.name.startswith(BALLOT_PREFIX)]

    def counts(self) -> tuple[int, int, int]:
        return (self.votes_for.data or 0, self.votes_against.data or 0, self.abstentions.data or 0)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.secret.data:
            missing = [
                f
                for f in (self.votes_for, self.votes_against, self.abstentions)
                if f.data is None and not f.errors
            ]
            for field in missing:
                field.errors = [*field.errors, _l("Indiquez un nombre (0 s'il n'y en a pas).")]
            valid = valid and not missing
        return valid


def vote_form(voters: Iterable[Mandate], vote=None) -> VoteForm:
    """The vote form with one ballot per eligible voter, prefilled from ``vote`` if any."""
    previous = {b.mandate_id: b.choice for b in vote.ballots} if vote else {}

    class _Form(VoteForm):
        pass

    for mandate in voters:
        setattr(
            _Form,
            f"{BALLOT_PREFIX}{mandate.id}",
            RadioField(
                _name(mandate),
                choices=select_choices(choices(BALLOT_CHOICE_LABELS)),
                validators=[Optional()],
                default=previous.get(mandate.id),
            ),
        )
    form = _Form()
    if not form.is_submitted() and vote is not None:
        form.secret.data = vote.secret
        form.opinion.data = vote.opinion
        if vote.secret:
            form.votes_for.data = vote.votes_for
            form.votes_against.data = vote.votes_against
            form.abstentions.data = vote.abstentions
    return form
