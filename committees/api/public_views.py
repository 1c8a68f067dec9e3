"""The read-only JSON API at /api/v1: thin views over the domains' public queries."""

from __future__ import annotations

import re

from flask import Blueprint, current_app

from committees.api import (
    follow_up_serializers,
    http,
    pagination,
    params,
    procedure_serializers,
    queries,
    report_serializers,
    serializers,
)
from committees.api.openapi import document
from committees.api.problems import ApiProblem, handle_problem, not_found
from committees.bodies.models import Committee
from committees.bodies.public_pages import public_composition, published_committee
from committees.calls.synthesis.services import compute_counts, public_excerpts, published_synthesis
from committees.calls.visibility import public_call, publicly_visible_contributions
from committees.common.timeutils import paris_today, utcnow
from committees.decisions.queries import (
    DecisionFilter,
    committees_of,
    decisions_query,
    published_decision_by_number,
)
from committees.extensions import limiter
from committees.meetings.actions.services import public_follow_up
from committees.meetings.models import MeetingStatus
from committees.meetings.queries import public_meeting
from committees.procedures.queries import procedure_with_members
from committees.procedures.services import is_public, published_procedures
from committees.publication import public_page
from committees.reports.computing import report_figures
from committees.reports.services import published_report, published_reports

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(ApiProblem, handle_problem)

#: what a decision number looks like (« 2022-30 »); anything else names no decision
_DECISION_NUMBER = re.compile(r"[0-9]{4}-[0-9]{1,4}")
#: the oldest and latest years a decision filter may ask for
YEARS = (1900, 2999)


def _rate_limit() -> str:
    # Generous for open data; the setting lets a deployment lower it.
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(_rate_limit)(bp)


def _committee_or_404(slug: str) -> Committee:
    committee = published_committee(slug) if params.SLUG.fullmatch(slug) else None
    if committee is None:
        raise not_found(f"No published committee has the slug '{slug}'.")
    return committee


#: No row has this id (ids are positive): filtering on an unpublished committee selects nothing.
_NO_COMMITTEE = -1


def _committee_filter() -> int | None:
    """The id to filter on: None without the parameter; for a well-formed slug that names no
    published committee, an id that matches nothing, so the answer is an empty page (a
    filter that matches nothing is not an error, as in every other filter)."""
    slug = params.slug("committee")
    if slug is None:
        return None
    committee = published_committee(slug)
    return committee.id if committee is not None else _NO_COMMITTEE


def _listing(page: pagination.Page, serialize) -> object:
    body = pagination.envelope(page, serialize)
    return http.json_response(body, link=pagination.link_header(body["links"]))


@bp.get("/openapi.json")
@public_page
def openapi():
    return http.json_response(document())


@bp.get("/committees")
@public_page
def committees():
    page = pagination.paginate(queries.published_committees_query())
    return _listing(page, serializers.organization)


@bp.get("/committees/<slug>")
@public_page
def committee(slug: str):
    return http.json_response(serializers.organization(_committee_or_404(slug)))


@bp.get("/committees/<slug>/members")
@public_page
def committee_members(slug: str):
    committee = _committee_or_404(slug)
    day = params.iso_date("on") or paris_today()
    page = pagination.paginate_list(public_composition(committee, day))
    return _listing(page, serializers.membership)


@bp.get("/committees/<slug>/reports")
@public_page
def committee_reports(slug: str):
    committee = _committee_or_404(slug)
    page = pagination.paginate_list(list(published_reports(committee)))
    return _listing(page, lambda r: report_serializers.report(committee, r))


@bp.get("/committees/<slug>/follow-up")
@public_page
def committee_follow_up(slug: str):
    committee = _committee_or_404(slug)
    page = pagination.paginate_list(list(public_follow_up(committee)))
    return _listing(page, follow_up_serializers.follow_up_action)


@bp.get("/committees/<slug>/reports/<int:year>")
@public_page
def committee_report(slug: str, year: int):
    committee = _committee_or_404(slug)
    found = published_report(committee, year) if YEARS[0] <= year <= YEARS[1] else None
    if found is None:
        raise not_found(f"No published report of '{slug}' for the year {year}.")
    figures = report_figures(committee, year)
    return http.json_response(report_serializers.report_detail(committee, found, figures))


@bp.get("/meetings")
@public_page
def meetings():
    committee_id = _committee_filter()
    # A range that ends before it starts selects nothing: an empty page, not an error.
    first_day, last_day = params.iso_date("from"), params.iso_date("to")
    query = queries.public_meetings_query(
        committee_id=committee_id,
        first_day=first_day,
        last_day=last_day,
        status=params.choice("status", [s.value for s in MeetingStatus]),
    )
    return _listing(pagination.paginate(query), serializers.meeting)


@bp.get("/meetings/<id:meeting_id>")
@public_page
def meeting(meeting_id: int):
    found = public_meeting(meeting_id) if meeting_id <= params.MAX_ID else None
    if found is None:
        raise not_found(f"No public session has the id {meeting_id}.")
    return http.json_response(serializers.meeting_detail(found, queries.published_votes(found)))


@bp.get("/decisions")
@public_page
def decisions():
    committee_id = _committee_filter()
    criteria = DecisionFilter(
        year=params.integer("year", default=None, minimum=YEARS[0], maximum=YEARS[1]),
        committee_id=committee_id,
        q=params.text("q", max_length=200),
        published_only=True,
    )
    page = pagination.paginate(decisions_query(criteria))
    concerned = committees_of(page.items)
    return _listing(page, lambda d: serializers.decision(d, concerned[d.id]))


@bp.get("/decisions/<number>")
@public_page
def decision(number: str):
    found = published_decision_by_number(number) if _DECISION_NUMBER.fullmatch(number) else None
    if found is None:
        raise not_found(f"No published decision has the number '{number}'.")
    return http.json_response(serializers.decision(found, committees_of([found])[found.id]))


@bp.get("/calls")
@public_page
def calls():
    now = utcnow()
    page = pagination.paginate(queries.public_calls(now))
    counts = queries.published_contribution_counts(page.items)
    return _listing(page, lambda c: serializers.call(c, counts[c.id], now))


@bp.get("/calls/<id:call_id>")
@public_page
def call(call_id: int):
    found = public_call(call_id) if call_id <= params.MAX_ID else None
    if found is None:
        raise not_found(f"No public call has the id {call_id}.")
    contributions = publicly_visible_contributions(found)
    published = published_synthesis(found)
    synthesis = (
        serializers.synthesis(published, compute_counts(found), public_excerpts(published))
        if published is not None
        else None
    )
    return http.json_response(serializers.call_detail(found, contributions, utcnow(), synthesis))


@bp.get("/procedures")
@public_page
def procedures():
    page = pagination.paginate_list(published_procedures(_committee_filter()))
    return _listing(page, procedure_serializers.procedure)


@bp.get("/procedures/<id:procedure_id>")
@public_page
def procedure(procedure_id: int):
    found = procedure_with_members(procedure_id) if procedure_id <= params.MAX_ID else None
    if found is None or not is_public(found):
        raise not_found(f"No published written procedure has the id {procedure_id}.")
    return http.json_response(procedure_serializers.procedure_detail(found))
