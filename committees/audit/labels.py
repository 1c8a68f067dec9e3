"""How the change history reads: field labels in the page's language and values formatted
(dates as dates, yes/no), instead of column names and ISO strings (issue 20).

The ``audit_field`` and ``audit_value`` filters are added by the audit domain's ``init_app``.
A column without a label here is shown by its name, so a new column is never hidden.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from babel import dates as babel_dates
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from committees.common.formats import day_text
from committees.common.timeutils import PARIS, to_paris

FIELD_LABELS = {
    "kind": _l("Type"),
    "name_fr": _l("Nom (français)"),
    "name_en": _l("Nom (anglais)"),
    "acronym": _l("Sigle"),
    "slug": _l("Adresse publique"),
    "mission_fr": _l("Mission (français)"),
    "mission_en": _l("Mission (anglais)"),
    "creating_decision_id": _l("Décision de création"),
    "start_date": _l("Date de début"),
    "end_date": _l("Date de fin"),
    "meeting_cadence": _l("Rythme des séances"),
    "quorum_percent": _l("Quorum (%)"),
    "published_at": _l("Publication"),
    "civility": _l("Civilité"),
    "title": _l("Titre"),
    "first_name": _l("Prénom"),
    "last_name": _l("Nom"),
    "email": _l("Adresse électronique"),
    "affiliation": _l("Organisme"),
    "qualification": _l("Qualité"),
    "user_id": _l("Compte"),
    "person_id": _l("Personne"),
    "committee_id": _l("Comité"),
    "role": _l("Rôle"),
    "voting": _l("Voix délibérative"),
    "appointing_decision_id": _l("Décision de nomination"),
    "end_reason": _l("Motif de fin"),
    "number": _l("Numéro"),
    "signed_on": _l("Date de signature"),
    "summary": _l("Résumé"),
    "pdf_sha256": _l("Fichier PDF (empreinte)"),
    "pdf_filename": _l("Fichier PDF"),
}

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def field_label(name: str) -> str:
    """The label of a recorded column, or its name when it has none."""
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def value_text(value: Any) -> str:
    """A recorded value for people: « 1er juin 2021 », « 8 juin 2021, 10:00 », « oui »."""
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, str) and _ISO_DAY.match(value):
        return day_text(date.fromisoformat(value), "long", str(get_locale() or "fr"))
    if isinstance(value, str) and _ISO_INSTANT.match(value):
        try:
            local = to_paris(datetime.fromisoformat(value))
        except ValueError:
            return value
        locale = str(get_locale() or "fr")
        time = babel_dates.format_time(local, "short", tzinfo=PARIS, locale=locale)
        return f"{day_text(local.date(), 'long', locale)}, {time}"
    return str(value)
