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
from wtforms import BooleanField, IntegerField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from committees.bodies.models import Mandate
from committees.common.forms import AppForm, select_choices
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


class ConveneForm(AppForm):
    """The button that sends the convocations."""

    submit = SubmitField(_l("Envoyer les convocations"))


class AnswerForm(AppForm):
    """A participant's answer; each choice is its own submit button."""

    response = RadioField(
        _l("Votre réponse"),
        choices=select_choices(choices(RESPONSE_LABELS)),
        validators=[InputRequired(_l("Choisissez une réponse."))],
    )


class PresenceForm(AppForm):
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


class RecusalsForm(AppForm):
    """Every conflict flag of a session in one form: per flag a decision and a reason
    (fields ``flag-<item>-<mandate>-decision`` and ``-reason``, added by ``recusals_form``);
    one submit, and every error shown at once."""

    submit = SubmitField(_l("Enregistrer les décisions"))

    def rows(self) -> list[tuple[int, int]]:
        """(item id, mandate id) of each flag, in page order."""
        return list(self._rows)

    def pair(self, item_id: int, mandate_id: int):
        """The (decision, reason) fields of one flag."""
        prefix = f"flag-{item_id}-{mandate_id}"
        return self[f"{prefix}-decision"], self[f"{prefix}-reason"]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for item_id, mandate_id in self._rows:
            decision, reason = self.pair(item_id, mandate_id)
            if decision.data and not (reason.data or "").strip():
                reason.errors.append(_l("Indiquez le motif de la décision."))
                valid = False
            elif (reason.data or "").strip() and not decision.data:
                decision.errors.append(
                    _l("Choisissez : confirmer le déport ou lever le signalement.")
                )
                valid = False
        return valid


def recusals_form(flags: Iterable[tuple[int, object, str]]) -> RecusalsForm:
    """The conflicts form for ``flags``: (item id or position label, ConflictFlag, item label)
    triples, prefilled with each flag's recorded decision."""

    class _Form(RecusalsForm):
        _rows: tuple[tuple[int, int], ...] = ()

    rows = []
    for item_id, flag, item_label in flags:
        prefix = f"flag-{item_id}-{flag.mandate.id}"
        decision = flag.decision
        who = f"{_name(flag.mandate)}, {item_label}"
        setattr(
            _Form,
            f"{prefix}-decision",
            RadioField(
                who,
                choices=select_choices(
                    choices(RECUSAL_STATUS_LABELS), blank=_l("Pas encore décidé")
                ),
                default=decision.status if decision else "",
                validators=[Optional()],
            ),
        )
        setattr(
            _Form,
            f"{prefix}-reason",
            TextAreaField(
                _l("Motif (%(who)s)", who=who),
                default=decision.reason if decision else "",
                validators=[Length(max=500, message=_l("%(max)d caractères au plus."))],
            ),
        )
        rows.append((item_id, flag.mandate.id))
    _Form._rows = tuple(rows)
    return _Form()


_COUNT_VALIDATORS = [
    Optional(),
    NumberRange(min=0, max=10_000, message=_l("Indiquez un nombre positif ou nul.")),
]


class VoteForm(AppForm):
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
