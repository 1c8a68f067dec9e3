"""Forms of the experts' fees: a committee's rates, and the year of the statements."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from committees.common.forms import AppForm
from committees.meetings.models import FeeKind

_MAX = Decimal("100000")


class EuroField(StringField):
    """An amount in euros, typed « 150 », « 150,50 » or « 150.50 »; empty: no rate.
    ``data`` is a Decimal with two decimals (never a float), or None."""

    def process_formdata(self, valuelist):
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw_text:
            return
        try:
            amount = Decimal(self.raw_text.replace(" ", "").replace("\u202f", "").replace(",", "."))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount >= _MAX:
            self.bad = True
        else:
            self.data = amount.quantize(Decimal("0.01"))

    def pre_validate(self, form):
        if getattr(self, "bad", False):
            raise ValidationError(_l("Indiquez un montant en euros, par exemple 150 ou 150,50."))

    def _value(self):
        if getattr(self, "bad", False):
            return self.raw_text
        return "" if self.data is None else f"{self.data:.2f}".replace(".", ",")


class RatesForm(AppForm):
    """The committee's rate per kind of session (empty: no rate)."""

    in_person = EuroField(_l("Séance en présentiel (€)"))
    remote = EuroField(_l("Séance à distance (€)"))
    half_day = EuroField(_l("Demi-journée (€)"))

    def amounts(self) -> dict[str, Decimal | None]:
        """The typed rates, by fee kind."""
        return {kind.value: self[kind.value].data for kind in FeeKind}
