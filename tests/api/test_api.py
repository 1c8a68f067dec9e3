"""The read-only JSON API: what each endpoint returns of the demo data, and only that."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from committees.demo.bodies import CSP_MIXTE, CULTURE, SUIVI
from committees.extensions import db as _db
from committees.meetings.models import Meeting
from tests.support.api import (
    CLOSED_ITEM,
    CLOSED_SESSION,
    DRAFT_DECISION,
    HIDDEN_SLUG,
    SECRET_OPINION,
    add_private_things,
    demo_call,
    meeting_of,
    publish_minutes,
    seed_demo,
)

BASE = "http://localhost/api/v1"


@pytest.fixture
def demo(db):
    seed_demo()
    add_private_things()


def ok(client, path: str, **kwargs) -> dict:
    response = client.get(f"/api/v1{path}", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def problem(client, path: str, status: int) -> dict:
    response = client.get(f"/api/v1{path}")
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    return body


# --- committees -----------------------------------------------------------------------


def test_committees_lists_the_published_ones_with_oparl_names(client, demo):
    body = ok(client, "/committees")

    assert [c["id"] for c in body["data"]] == [CSP_MIXTE, CULTURE, SUIVI]
    culture = next(c for c in body["data"] if c["id"] == CULTURE)
    assert culture["shortName"] == "CST Culture"
    assert culture["classification"] == "temporary"
    assert culture["startDate"] == "2021-08-02"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", culture["endDate"])
    assert culture["website"] == f"http://localhost/committees/{CULTURE}"
    assert culture["membership"] == f"{BASE}/committees/{CULTURE}/members"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00", culture["modified"])
    assert body["pagination"] == {
        "totalElements": 3,
        "elementsPerPage": 20,
        "currentPage": 1,
        "totalPages": 1,
    }


def test_an_unpublished_committee_is_not_found(client, demo):
    body = problem(client, f"/committees/{HIDDEN_SLUG}", 404)

    assert HIDDEN_SLUG in body["detail"]
    assert body["title"] == "Not Found"


def test_members_give_names_roles_and_affiliations_never_emails(client, demo):
    body = ok(client, f"/committees/{SUIVI}/members?on=2022-03-31&per_page=100")

    assert body["data"], "the CST Suivi had members in March 2022"
    first = body["data"][0]
    assert set(first["person"]) == {"name", "givenName", "familyName", "honorificPrefix"}
    assert first["organization"] == SUIVI
    assert first["role"] == "president"
    assert isinstance(first["votingRight"], bool)
    assert "@" not in str(body)


def test_members_on_a_day_that_is_not_a_date_is_a_bad_request(client, demo):
    body = problem(client, f"/committees/{SUIVI}/members?on=31/03/2022", 400)

    assert "'on'" in body["detail"]


# --- sessions -------------------------------------------------------------------------


def test_meetings_filtered_by_committee_and_days_with_paris_offsets(client, demo):
    body = ok(client, f"/meetings?committee={CULTURE}&from=2022-05-04&to=2022-05-04")

    assert len(body["data"]) == 1
    session = body["data"][0]
    assert session["start"] == "2022-05-04T09:30:00+02:00"
    assert session["end"] == "2022-05-04T17:00:00+02:00"
    assert session["organization"] == CULTURE
    assert session["meetingState"] == "held"
    assert session["cancelled"] is False
    assert session["location"] == "visioconférence"
    assert session["url"] == f"{BASE}/meetings/{session['id']}"


def test_meetings_filtered_by_status_and_without_closed_sessions(client, demo):
    body = ok(client, f"/meetings?committee={CSP_MIXTE}&status=held&per_page=100")

    assert body["data"]
    assert {m["meetingState"] for m in body["data"]} == {"held"}
    assert CLOSED_SESSION not in str(body)


def test_meetings_of_an_unpublished_committee_are_never_listed(client, demo):
    body = ok(client, "/meetings?from=2022-04-06&to=2022-04-06")

    assert body["data"] == []
    # Filtering on it answers as on a slug that names nothing: an empty page.
    assert ok(client, f"/meetings?committee={HIDDEN_SLUG}")["data"] == []


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("from=tomorrow", "'from'"),
        ("to=2022-02-30", "'to'"),
        ("status=secret", "'status'"),
        ("committee=Not%20A%20Slug", "'committee'"),
    ],
)
def test_bad_meeting_filters_are_bad_requests(client, demo, query, name):
    assert name in problem(client, f"/meetings?{query}", 400)["detail"]


def test_a_range_that_ends_before_it_starts_is_an_empty_page(client, demo):
    body = ok(client, "/meetings?from=2021-06-08&to=1960-02-10")

    assert body["data"] == []


def test_meeting_detail_shows_the_public_agenda_only(client, demo):
    march = meeting_of(SUIVI, "2022-03")
    body = ok(client, f"/meetings/{march.id}")

    assert [i["number"] for i in body["agendaItem"]] == [1, 2, 3]
    assert all(i["public"] is True for i in body["agendaItem"])
    assert CLOSED_ITEM not in str(body)
    assert body["location"].startswith("ANSM, 143-147 boulevard Anatole France")
    assert "visio.ansm" not in str(body)


def test_meeting_detail_links_published_minutes_and_gives_results(client, demo):
    march = meeting_of(SUIVI, "2022-03")
    publish_minutes(march, datetime(2022, 4, 29, 7, 0, tzinfo=UTC))
    _db.session.commit()

    body = ok(client, f"/meetings/{march.id}")

    assert body["resultsProtocol"] == {
        "name": f"Compte rendu — {march.title}",
        "accessUrl": f"http://localhost/meetings/{march.id}/minutes",
        "downloadUrl": f"http://localhost/meetings/{march.id}/minutes.pdf",
        "mimeType": "application/pdf",
        "date": "2022-04-29T09:00:00+02:00",
    }
    result = body["agendaItem"][1]["result"]
    assert result["opinion"].startswith("Le comité rend un avis favorable")
    assert result["votesFor"] >= 1


def test_draft_minutes_and_their_vote_stay_private(client, demo):
    culture = meeting_of(CULTURE, "2022-05")
    body = ok(client, f"/meetings/{culture.id}")

    assert body["resultsProtocol"] is None
    # The vote stays unknown until the minutes are published.
    assert body["agendaItem"][0]["result"] is None
    assert SECRET_OPINION not in str(body)
    assert [h["organization"] for h in body["hearings"]] == [
        h.organisation for h in culture.items[1].hearings
    ]


def test_hearings_of_the_april_session(client, demo):
    april = meeting_of(SUIVI, "2022-04")
    body = ok(client, f"/meetings/{april.id}")

    assert [h["organization"] for h in body["hearings"]][:2] == [
        "Association française des patients douloureux",
        "Association sclérose en plaques France",
    ]
    assert {h["agendaItem"] for h in body["hearings"]} == {1}
    assert body["hearings"][0]["summary"].startswith("Association française des patients")
    assert "Lucie Perrot" not in str(body)


def test_a_session_without_published_agenda_shows_no_item(client, demo):
    may = meeting_of(SUIVI, "2022-05")
    body = ok(client, f"/meetings/{may.id}")

    assert body["agendaPublishedAt"] is None
    assert body["agendaItem"] == []


def test_a_closed_session_is_not_found(client, demo):
    closed = _db.session.execute(
        select(Meeting).where(Meeting.title == CLOSED_SESSION)
    ).scalar_one()

    problem(client, f"/meetings/{closed.id}", 404)
    problem(client, "/meetings/999999999999", 404)


# --- decisions ------------------------------------------------------------------------


def test_decisions_newest_first_with_their_committees(client, demo):
    body = ok(client, "/decisions?per_page=100")

    numbers = [d["number"] for d in body["data"]]
    assert "2022-30" in numbers
    assert DRAFT_DECISION not in numbers
    nomination = next(d for d in body["data"] if d["number"] == "2022-30")
    assert nomination["committees"] == [CULTURE]
    assert nomination["signedOn"] == "2022-02-17"
    assert nomination["kind"] == "nomination"
    assert nomination["website"] == "http://localhost/decisions/2022-30"
    assert nomination["pdf"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2021", {"2021-245", "2021-286", "2021-402"}),
        (f"committee={CULTURE}&year=2022", {"2022-30"}),
        ("q=2022-30", {"2022-30"}),
    ],
)
def test_decisions_filters(client, demo, query, expected):
    body = ok(client, f"/decisions?{query}&per_page=100")

    assert {d["number"] for d in body["data"]} == expected


def test_unpublished_decision_is_not_found(client, demo):
    problem(client, f"/decisions/{DRAFT_DECISION}", 404)
    assert ok(client, "/decisions/2022-30")["title"]


@pytest.mark.parametrize("query", ["year=22", "year=abc", "q=" + "x" * 201])
def test_bad_decision_filters_are_bad_requests(client, demo, query):
    problem(client, f"/decisions?{query}", 400)


# --- calls ----------------------------------------------------------------------------


def test_calls_list_with_open_flag_and_published_contributions(client, demo):
    body = ok(client, "/calls")

    [call] = body["data"]
    assert call["reference"] == "AMI-2022"
    assert call["open"] is False  # its deadline, 20 April 2022, has long passed
    assert call["closesAt"] == "2022-04-20T23:59:00+02:00"
    assert call["committee"] == CULTURE
    assert call["publishedContributionsCount"] >= 1


def test_call_detail_lists_contributions_without_contacts(client, demo):
    call = demo_call()
    body = ok(client, f"/calls/{call.id}")

    assert len(body["publishedContributions"]) == body["publishedContributionsCount"]
    assert all(set(c) == {"organisation", "kind", "themes"} for c in body["publishedContributions"])
    assert "Jean Dupont" not in str(body)
    assert "Claire Vidal" not in str(body)
    assert body["themes"][0] == "Culture et production de la plante"


def test_a_draft_call_is_not_found(client, demo):
    call = demo_call()
    call.status = "draft"
    _db.session.commit()

    problem(client, f"/calls/{call.id}", 404)
    assert ok(client, "/calls")["data"] == []


# --- pagination -----------------------------------------------------------------------


def test_pages_carry_links_in_body_and_header(client, demo):
    response = client.get(f"/api/v1/meetings?committee={SUIVI}&per_page=5&page=2")
    body = response.get_json()

    assert body["pagination"]["currentPage"] == 2
    assert body["pagination"]["elementsPerPage"] == 5
    last = body["pagination"]["totalPages"]
    query = f"per_page=5&committee={SUIVI}"
    assert body["links"] == {
        "first": f"{BASE}/meetings?{query}&page=1",
        "prev": f"{BASE}/meetings?{query}&page=1",
        "next": f"{BASE}/meetings?{query}&page=3",
        "last": f"{BASE}/meetings?{query}&page={last}",
    }
    header = response.headers["Link"]
    assert f'<{BASE}/meetings?{query}&page=3>; rel="next"' in header
    assert f'<{BASE}/meetings?{query}&page={last}>; rel="last"' in header


def test_a_page_past_the_last_is_empty(client, demo):
    body = ok(client, "/committees?page=9")

    assert body["data"] == []
    assert body["links"]["prev"] == f"{BASE}/committees?page=1"
    assert "next" not in body["links"]


@pytest.mark.parametrize("query", ["per_page=1000", "per_page=0", "page=0", "page=abc"])
def test_out_of_range_paging_is_a_bad_request(client, demo, query):
    body = problem(client, f"/decisions?{query}", 400)

    assert "must be an integer from 1 to" in body["detail"]


# --- HTTP -----------------------------------------------------------------------------


def test_strong_etag_and_not_modified(client, demo):
    first = client.get("/api/v1/committees")
    etag = first.headers["ETag"]

    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    again = client.get("/api/v1/committees", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    other = client.get("/api/v1/committees", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_cors_for_get_and_preflight(client, demo):
    assert client.get("/api/v1/calls").headers["Access-Control-Allow-Origin"] == "*"

    preflight = client.options(
        "/api/v1/calls",
        headers={
            "Origin": "https://data.example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_other_methods_are_refused_as_problems(client, db):
    response = client.post("/api/v1/committees")

    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_address_is_a_problem(client, db):
    assert problem(client, "/nothing-here", 404)["title"] == "Not Found"


def test_too_many_requests_is_a_problem(app, client, db):
    previous = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "2 per minute"
    try:
        # Three answers to build (each query is another answer)...
        statuses = [client.get(f"/api/v1/calls?per_page={n}").status_code for n in (1, 2, 3)]
        response = client.get("/api/v1/calls?per_page=4")
        # ... but an answer already kept costs nothing to send again: it is not counted.
        kept = client.get("/api/v1/calls?per_page=1")
    finally:
        app.config["API_RATE_LIMIT"] = previous

    assert statuses == [200, 200, 429]
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 429
    assert int(response.headers["Retry-After"]) > 0
    assert (kept.status_code, kept.headers["X-Page-Cache"]) == (200, "local")


def test_openapi_document_describes_every_endpoint(client, db):
    body = ok(client, "/openapi.json")

    assert body["openapi"] == "3.1.0"
    assert set(body["paths"]) == {
        "/committees",
        "/committees/{slug}",
        "/committees/{slug}/members",
        "/committees/{slug}/follow-up",
        "/committees/{slug}/reports",
        "/committees/{slug}/reports/{year}",
        "/meetings",
        "/meetings/{meeting_id}",
        "/decisions",
        "/decisions/{number}",
        "/calls",
        "/calls/{call_id}",
        "/procedures",
        "/procedures/{procedure_id}",
    }
    per_page = next(
        p for p in body["paths"]["/decisions"]["get"]["parameters"] if p["name"] == "per_page"
    )
    assert per_page["schema"]["maximum"] == 100


# --- bounded queries ------------------------------------------------------------------


def test_lists_cost_the_same_whatever_the_page_size(client, demo, count_queries):
    costs = {}
    for path in (
        "/meetings",
        "/decisions",
        "/calls",
        "/committees",
        f"/committees/{SUIVI}/members",
    ):
        for size in (1, 50):
            with count_queries() as queries:
                ok(client, f"{path}?per_page={size}")
            costs[(path, size)] = len(queries)

    for path in ("/meetings", "/decisions", "/calls", "/committees"):
        assert costs[(path, 1)] == costs[(path, 50)], (path, costs)
        assert costs[(path, 50)] <= 6, (path, costs)


def test_meeting_detail_costs_a_fixed_number_of_queries(client, demo, count_queries):
    march = meeting_of(SUIVI, "2022-03")
    publish_minutes(march, datetime(2022, 4, 29, 7, 0, tzinfo=UTC))
    _db.session.commit()

    with count_queries() as queries:
        ok(client, f"/meetings/{march.id}")

    assert len(queries) <= 10
