"""A crawl of the whole API over the demo data: nothing private in any answer.

Starting from the listings, every page (``links.next``) and every API address found in an
answer (``url``, ``membership``, ``meeting``...) is fetched; no answer may hold an e-mail
address, a videoconference link, an unpublished decision, a closed item or session, an
unpublished committee, unpublished minutes' content, or a contributor's contact person.
"""

from __future__ import annotations

import json
import re
from collections import deque
from urllib.parse import urlsplit

from sqlalchemy import select

from committees.calls.models import Contribution
from committees.calls.visibility import is_publicly_visible
from committees.extensions import db as _db
from committees.meetings.models import Meeting
from tests.support.api import (
    CLOSED_ITEM,
    CLOSED_SESSION,
    DRAFT_DECISION,
    HIDDEN_SLUG,
    SECRET_OPINION,
    add_private_things,
    contact_names,
    seed_demo,
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
API = "/api/v1"
START = ["/committees", "/meetings", "/decisions", "/calls"]


def api_addresses(value) -> list[str]:
    """Every address of this API found anywhere in an answer, as a path with its query."""
    found = []
    if isinstance(value, dict):
        for item in value.values():
            found += api_addresses(item)
    elif isinstance(value, list):
        for item in value:
            found += api_addresses(item)
    elif isinstance(value, str) and value.startswith("http://localhost" + API):
        parts = urlsplit(value)
        found.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return found


def crawl(client) -> dict[str, str]:
    """Every API answer reachable from the listings: {address: body text}."""
    queue = deque(f"{API}{path}?per_page=100" for path in START)
    answers: dict[str, str] = {}
    while queue:
        address = queue.popleft()
        if address in answers:
            continue
        response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        answers[address] = response.get_data(as_text=True)
        queue.extend(a for a in api_addresses(response.get_json()) if a not in answers)
    return answers


def test_no_private_field_in_any_api_answer(client, db):
    seed_demo()
    add_private_things()
    remote_links = [
        link for link in _db.session.execute(select(Meeting.remote_link)).scalars() if link
    ]
    contacts = contact_names()
    hidden_contributions = [
        c for c in _db.session.execute(select(Contribution)).scalars() if not is_publicly_visible(c)
    ]
    forbidden = [
        DRAFT_DECISION,
        CLOSED_ITEM,
        CLOSED_SESSION,
        HIDDEN_SLUG,
        SECRET_OPINION,
        "visio.ansm.example",
        *remote_links,
        *contacts,
    ]

    answers = crawl(client)

    assert len(answers) > 40, "the crawl must reach the sessions, decisions and calls"
    assert any("/meetings/" in a for a in answers)
    assert any("/members" in a for a in answers)
    assert any(re.search(r"/calls/\d+$", a) for a in answers)
    assert contacts
    assert remote_links
    assert hidden_contributions
    leaks = []
    for address, body in answers.items():
        leaks += [(address, email) for email in EMAIL.findall(body)]
        leaks += [(address, word) for word in forbidden if word in body]
    assert leaks == []


def test_contributions_without_consent_are_never_listed(client, db):
    seed_demo()
    hidden = {
        c.organisation
        for c in _db.session.execute(select(Contribution)).scalars()
        if not is_publicly_visible(c)
    }
    shown = {
        c.organisation
        for c in _db.session.execute(select(Contribution)).scalars()
        if is_publicly_visible(c)
    }
    answers = crawl(client)
    listed = {
        contribution["organisation"]
        for address, body in answers.items()
        if re.search(r"/calls/\d+$", address)
        for contribution in json.loads(body)["publishedContributions"]
    }

    assert hidden, "the demo has contributions the public may not read"
    assert listed == shown
