"""Every route of the URL map, as every role, with hostile values: never a 5xx.

The list of routes comes from ``app.url_map``, so a route added tomorrow is fuzzed without
anyone remembering to. Path values are replaced by hostile strings (huge, negative, zero,
padded and non-numeric ids, 10,000 characters, NUL, broken percent-encoding and UTF-8), and
every route is asked again with hostile query strings (impossible dates, huge pages,
duplicated parameters) with its path filled by a real demo object's id.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from committees.auth.models import Role
from committees.common.timeutils import paris_today
from committees.demo import DEMO_ACCOUNTS, seed_all
from tests.support.helpers import login

HOSTILE_SEGMENTS = (
    "2147483648",  # one past the INTEGER column's range: PostgreSQL raised here
    "99999999999999999999999",
    "-1",
    "0",
    "007",
    "1e3",
    "abc",
    "x" * 10_000,
    "%00",
    "%ff%fe%",  # invalid percent-encoding and invalid UTF-8
    "%C3%28",
    "..%2F..%2Fetc%2Fpasswd",
)

# Every query parameter some view reads, each with values a person or a robot may send.
HOSTILE_QUERY = (
    "page=0&per_page=1000&year=99999&from=2022-02-30&to=tomorrow&on=-1",
    "page=99999999999999999999&year=abc&from=0000-00-00&on=2022-13-01&q=%00",
    "page=1&page=2&committee=&committee=%ff&status=%C3%28&kind=x&theme=&hearing=2147483648",
    "q=" + "x" * 10_000 + "&person=-1&when=nope&lang=xx&next=//evil.example&sort=%00",
)

ROLES = ("anonymous", "contributor", "member", "secretariat", "admin")
_ARGUMENT = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _routes(app):
    """(rule, methods) for every rule but the static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, rule.methods - {"HEAD", "OPTIONS"}


def _fill(rule, value_for) -> str:
    return _ARGUMENT.sub(lambda m: value_for(m.group(1)), rule.rule)


@pytest.fixture
def clients(app, db):
    """One test client per role, signed in as the demo account of that role."""
    seed_all(today=paris_today())
    by_role = {"anonymous": app.test_client()}
    for email, _name, role, password in DEMO_ACCOUNTS:
        client = app.test_client()
        response = login(client, email, password)
        assert response.status_code == 302, f"{role} could not sign in"
        by_role[Role(role).value] = client
    assert set(by_role) == set(ROLES)
    return by_role


def _real_ids(db) -> dict[str, str]:
    """An existing id for each kind of path argument, so query strings reach the views."""
    from committees.auth.models import User
    from committees.bodies.models import Committee, Mandate, Person
    from committees.calls.models import Call, Contribution, ContributionAttachment
    from committees.decisions.models import Decision
    from committees.mail.models import OutboxMessage
    from committees.meetings.models import AgendaDocument, AgendaItem, Hearing, Meeting
    from committees.procedures.models import WrittenProcedure

    tables = {
        "meeting_id": Meeting,
        "call_id": Call,
        "contribution_id": Contribution,
        "item_id": AgendaItem,
        "decision_id": Decision,
        "committee_id": Committee,
        "person_id": Person,
        "document_id": AgendaDocument,
        "mandate_id": Mandate,
        "attachment_id": ContributionAttachment,
        "user_id": User,
        "message_id": OutboxMessage,
        "hearing_id": Hearing,
        "procedure_id": WrittenProcedure,
    }
    ids = {}
    for name, model in tables.items():
        first = db.session.scalar(select(func.min(model.id)))
        ids[name] = str(first or 1)
    ids["slug"] = db.session.scalar(select(Committee.slug).limit(1)) or "x"
    ids["number"] = db.session.scalar(select(Decision.number).limit(1)) or "x"
    ids["year"] = "2022"
    return ids


def _assert_no_server_error(response, url: str, role: str) -> None:
    body = response.get_data().decode("utf-8", errors="replace")
    assert response.status_code < 500, f"{role} GET {url[:200]} answered {response.status_code}"
    assert "Traceback" not in body, f"{role} GET {url[:200]} shows a traceback"


def test_hostile_path_values_never_answer_5xx(app, db, clients):
    asked = 0
    for rule, methods in _routes(app):
        if not rule.arguments:
            continue
        for value in HOSTILE_SEGMENTS:
            url = _fill(rule, lambda _name, value=value: value)
            for role in ROLES if value == HOSTILE_SEGMENTS[0] else ("anonymous", "secretariat"):
                client = clients[role]
                if "GET" in methods:
                    _assert_no_server_error(client.get(url), url, role)
                else:
                    _assert_no_server_error(client.post(url), url, role)
                asked += 1
    assert asked > 500


def test_huge_ids_answer_404_in_the_page_language(app, clients):
    client = clients["anonymous"]
    for url in ("/seances/2147483648", "/calls/2147483648", "/seances/2147483648.ics"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "introuvable" in response.get_data(as_text=True).lower(), url
    english = client.get("/calls/99999999999", headers={"Accept-Language": "en"})
    assert english.status_code == 404
    assert "not found" in english.get_data(as_text=True).lower()
    api = client.get("/api/v1/meetings/2147483648")
    assert api.status_code == 404
    assert api.headers["Content-Type"].startswith("application/problem+json")


def test_hostile_query_strings_never_answer_5xx(app, db, clients):
    ids = _real_ids(db)
    for rule, methods in _routes(app):
        if "GET" not in methods:
            continue
        base = _fill(rule, lambda name: quote(ids.get(name, "1"), safe=""))
        for query in HOSTILE_QUERY:
            url = f"{base}?{query}"
            for role in ROLES:
                _assert_no_server_error(clients[role].get(url), url, role)


def test_state_changing_routes_refuse_get(app, clients):
    # A year must look like one (<year:...> takes 1900-2999) for the rule to match at all.
    ids = {"token": "x", "year": "2022"}
    # A POST-only rule may share its address with a page that shows its form.
    readable = {rule.rule for rule, methods in _routes(app) if "GET" in methods}
    for rule, methods in _routes(app):
        if "GET" in methods or rule.rule in readable:
            continue
        url = _fill(rule, lambda name: ids.get(name, "1"))
        for role in ("anonymous", "secretariat", "admin"):
            response = clients[role].get(url)
            assert response.status_code == 405, f"{role} GET {url} answered {response.status_code}"


def test_an_unknown_committee_in_an_api_filter_is_an_empty_page(client, db):
    for url in ("/api/v1/meetings?committee=no-such-committee", "/api/v1/decisions?committee=x"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get_json()["data"] == []
        assert response.get_json()["pagination"]["totalElements"] == 0
