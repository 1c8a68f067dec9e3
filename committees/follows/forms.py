"""The "Suivre" form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, RadioField
from wtforms.validators import DataRequired, Length, Optional

from committees.auth.forms import _email_length, _email_valid, _strip
from committees.common.forms import AppForm, select_choices
from committees.follows.labels import FREQUENCY_LABELS


class FollowForm(AppForm):
    """Follow a scope; the address is asked of anonymous visitors only (checked in the view).

    No CSRF token: a token lives in the session, and the pages carrying this form must set
    no cookie (a shared cache keeps them, the same bytes for every visitor). A forged post
    can only ask for a subscription: nothing happens until the owner of the address clicks
    the link of the confirmation e-mail (double opt-in), and the route is rate-limited per
    address (FOLLOW_LIMIT_PER_ADDRESS) so that it cannot be used to flood a mailbox.
    """

    class Meta:
        csrf = False

    scope = HiddenField(validators=[DataRequired(), Length(max=40)])
    next = HiddenField(validators=[Optional(), Length(max=500)])
    email = EmailField(
        _l("Votre adresse électronique"),
        filters=[_strip],
        validators=[Optional(), _email_length(), _email_valid()],
    )
    frequency = RadioField(
        _l("Fréquence"),
        choices=select_choices(FREQUENCY_LABELS.items()),
        default="immediate",
        validators=[DataRequired(message=_l("Choisissez une fréquence."))],
    )


class AccountFollowForm(FollowForm):
    """The same form for a signed-in person, who is subscribed at once (no e-mail to confirm):
    CSRF-protected, their pages being no cached pages anyway."""

    class Meta:
        csrf = True


class UnfollowForm(AppForm):
    """A signed-in person stops following (CSRF-protected)."""

    scope = HiddenField(validators=[DataRequired(), Length(max=40)])
    next = HiddenField(validators=[Optional(), Length(max=500)])
