"""The form of a call's synthesis: its text, and the excerpts chosen among the quotable
contributions (one checkbox, passage and position per contribution, read by name)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SubmitField, TextAreaField

from committees.calls.models import Contribution
from committees.calls.synthesis.services import MAX_EXCERPT, ExcerptChoice
from committees.common.forms import AppForm

#: the excerpt a checkbox proposes: the beginning of the contribution
PROPOSED_LENGTH = 600


class SynthesisForm(AppForm):
    """Save the draft, or save and publish."""

    body = TextAreaField(_l("Texte de la synthèse (Markdown)"))
    save = SubmitField(_l("Enregistrer le brouillon"))
    publish = SubmitField(_l("Enregistrer et publier"))


def field_names(contribution: Contribution) -> dict[str, str]:
    """The names of a contribution's excerpt fields in the page."""
    return {
        "quote": f"quote-{contribution.id}",
        "excerpt": f"excerpt-{contribution.id}",
        "position": f"position-{contribution.id}",
    }


def _position(raw: str | None, default: int) -> int:
    try:
        value = int((raw or "").strip())
    except ValueError:
        return default
    return value if 1 <= value <= 10_000 else default


def chosen_excerpts(form: MultiDict) -> list[ExcerptChoice]:
    """The excerpts ticked in the submitted ``form``. An id ticked that is not quotable is
    kept, so that the service refuses it (a clear message) instead of it being dropped."""
    choices = []
    for key in form:
        if not key.startswith("quote-"):
            continue
        raw_id = key.removeprefix("quote-")
        if not raw_id.isdigit() or len(raw_id) > 12:
            continue
        text = (form.get(f"excerpt-{raw_id}") or "")[: MAX_EXCERPT + 1]
        position = _position(form.get(f"position-{raw_id}"), 1000 + len(choices))
        choices.append(ExcerptChoice(int(raw_id), text, position))
    return choices


def proposed_excerpt(contribution: Contribution) -> str:
    """The passage offered before the secretariat edits it: the first paragraph, shortened."""
    first = (contribution.text or "").strip().split("\n\n")[0]
    return first if len(first) <= PROPOSED_LENGTH else first[: PROPOSED_LENGTH - 1] + "…"
