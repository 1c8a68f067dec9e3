"""The public's decision pages, under /decisions: the list, each decision, its signed PDF."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale

from committees.bodies.models import Committee
from committees.bodies.services import list_committees
from committees.common.views import one_or_404
from committees.decisions.browsing import filter_args, paginate, search_arg, year_arg
from committees.decisions.forms import PublicFilterForm
from committees.decisions.models import Decision, EffectAction
from committees.decisions.queries import (
    DecisionFilter,
    committees_of,
    decision_years,
    decisions_query,
    load_effects,
    published_decision_by_number,
)
from committees.decisions.signed_pdf import send_signed_pdf
from committees.publication import public_page

bp = Blueprint("public_decisions", __name__, url_prefix="/decisions")


@bp.get("")
@public_page
def public_index():
    locale = str(get_locale() or "fr")
    committees = list(list_committees(published_only=True))
    form = PublicFilterForm(
        request.args, years=decision_years(), committees=committees, locale=locale
    )
    committee = next((c for c in committees if c.slug == request.args.get("committee")), None)
    criteria = DecisionFilter(
        year=year_arg(),
        committee_id=committee.id if committee else None,
        q=search_arg(),
        published_only=True,
    )
    pagination = paginate(decisions_query(criteria))
    return render_template(
        "decisions/public/index.html",
        form=form,
        pagination=pagination,
        concerned=committees_of(pagination.items),
        page_args=filter_args(),
        locale=locale,
    )


def _public_decision(number: str) -> Decision:
    return one_or_404(published_decision_by_number(number))


@bp.get("/<number>")
@public_page
def public_detail(number: str):
    decision = _public_decision(number)
    effects = load_effects(decision)
    committees: list[Committee] = []
    for effect in effects:
        if effect.committee is not None and effect.committee not in committees:
            committees.append(effect.committee)
    return render_template(
        "decisions/public/detail.html",
        decision=decision,
        committees=committees,
        appointments=[e for e in effects if e.action == EffectAction.APPOINT],
        extensions=[e for e in effects if e.action == EffectAction.EXTEND_COMMITTEE],
        locale=str(get_locale() or "fr"),
    )


@bp.get("/<number>/pdf")
def public_pdf(number: str):
    return send_signed_pdf(_public_decision(number))
