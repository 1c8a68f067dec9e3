"""Crawl every public page of the demo data, as an anonymous visitor, in French and in
English, and find no private field: no e-mail address but the agency's, no remote
link, no draft minutes, no unpublished decision or agenda, no closed agenda item, no
contribution published without consent, no contributor's contact person.

The pages are reached by following links from the home page (plus a few searches and
the feed the pages announce); every text answer (HTML, Atom, iCalendar, JSON) is read.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date, timedelta
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import select

from committees.calls.models import Contribution
from committees.common.timeutils import paris_today, utcnow
from committees.demo import seed_all
from committees.demo.calls import CONTRIBUTIONS, seed_calls
from committees.demo.meetings import VISIO
from committees.extensions import db
from committees.i18n.prefix import strip_language
from committees.meetings.models import Meeting
from tests.support import search as make

#: pages visited at most (the demo has a few hundred)
MAX_PAGES = 1500
#: the only addresses the public may read: the agency's own, at ansm.example itself
AGENCY_EMAIL = re.compile(r"^[\w.+-]+@ansm\.example$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HREF = re.compile(r"""(?:href|src|action)=["']([^"']+)["']""")
#: areas behind a sign-in, or forms: an anonymous crawler has nothing to read there
SKIPPED = (
    "/static/",
    "/login",
    "/register",
    "/forgot",
    "/reset",
    "/logout",
    "/language",
    "/secretariat",
    "/my/",
    "/dashboard",
    "/admin",
    "/outbox",
    "/account",
)

DRAFT_MINUTES = "Texte du projet de compte rendu, à ne pas diffuser"
UNPUBLISHED_DECISION = ("2023-999", "Décision non publiée sur le comité")
UNPUBLISHED_AGENDA_ITEM = "Point d'un ordre du jour non publié"
CLOSED_ITEM = "Point fermé au public : marqueur de test"
HIDDEN_COMMITTEE = "Comité secret en préparation"


def _private_data() -> list[str]:
    """Private texts added next to the demo data; returns the markers to look for."""
    public = db.session.execute(
        select(Meeting)
        .where(Meeting.is_public.is_(True), Meeting.minutes == None)  # noqa: E711
        .order_by(Meeting.starts_at)
        .limit(1)
    ).scalar_one()
    make.minutes(public, DRAFT_MINUTES, published=False)
    committee = public.committee
    make.decision(
        UNPUBLISHED_DECISION[0],
        UNPUBLISHED_DECISION[1],
        concerns=committee,
        published_at=None,
        signed_on=date(2023, 1, 5),
    )
    start = utcnow() + timedelta(days=400)
    make.meeting(
        committee,
        "Séance au programme encore fermé",
        number=900,
        starts_at=start,
        agenda=[(UNPUBLISHED_AGENDA_ITEM, True)],
        agenda_published=False,
        remote_link=VISIO,
    )
    make.meeting(
        committee,
        "Séance avec un point fermé",
        number=901,
        starts_at=start + timedelta(days=30),
        agenda=[("Point public", True), (CLOSED_ITEM, False)],
        remote_link=VISIO,
    )
    make.committee(HIDDEN_COMMITTEE, slug="secret", published_at=None)
    db.session.commit()
    return [
        DRAFT_MINUTES,
        *UNPUBLISHED_DECISION,
        UNPUBLISHED_AGENDA_ITEM,
        CLOSED_ITEM,
        HIDDEN_COMMITTEE,
    ]


def _contribution_markers() -> list[str]:
    """Contact persons of every contribution, and the text of every contribution the
    public may not read (no consent, off-topic or not published)."""
    markers = [row[5] for row in CONTRIBUTIONS]  # contact names
    markers += [row[6] for row in CONTRIBUTIONS if len(row[6]) > 12]  # long functions
    unpublished = db.session.execute(
        select(Contribution.text).where(
            (Contribution.published_at.is_(None)) | (Contribution.consent_publication.is_(False))
        )
    ).scalars()
    markers += list(unpublished)
    return markers


@pytest.fixture
def demo(db):
    seed_all(today=paris_today())
    seed_calls(paris_today())
    db.session.commit()
    markers = _private_data() + _contribution_markers() + ["visio.ansm.example", VISIO]
    assert db.session.execute(select(Contribution.id)).first(), "the demo call has contributions"
    return markers


def _links(base: str, html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        url = urldefrag(unescape(raw))[0]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue
        if url.startswith(SKIPPED) or url.endswith((".pdf", "/pdf")):
            continue
        found.append(url)
    return found


def _with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


def _addresses(page: str) -> tuple[str, str]:
    """Where a visitor reads ``page``: in French (``?lang=fr``), and in English under
    ``/en``, where the language switch sends them."""
    return _with_lang(page, "fr"), f"/en{page}"


def _crawl(client) -> dict[str, str]:
    """Every public text answer reachable from / (and a few searches), by URL."""
    seeds = [
        "/",
        "/search?q=cannabis",
        "/search?q=seance",
        "/search?q=contribution",
        "/search?q=Lumiere",
        "/search?q=visio",
        "/feeds/publications.atom",
    ]
    queue, seen, bodies = deque(seeds), set(seeds), {}
    while queue and len(bodies) < MAX_PAGES:
        url = queue.popleft()
        for address in _addresses(url):
            response = client.get(address)
            if response.status_code != 200 or not response.mimetype.startswith(
                ("text/", "application/atom", "application/json", "application/xml")
            ):
                continue
            text = response.get_data(as_text=True)
            bodies[address] = text
            if response.mimetype != "text/html":
                continue
            # /en/x and /fr/x are page x in a language: each page is asked in both above.
            for link in map(strip_language, _links(url, text)):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return bodies


def test_no_private_field_on_any_public_page(client, demo):
    bodies = _crawl(client)

    visited = set(bodies)
    assert len(visited) > 60, "the crawl reached the demo's pages"
    for expected in (
        "/committees",
        "/decisions/2022-30",
        "/meetings",
        "/calls",
        "/feeds/publications.atom",
    ):
        assert any(url.startswith(expected) for url in visited), expected
    assert any(re.match(r"/meetings/\d+/minutes", url) for url in visited), "published minutes"
    assert any(re.match(r"/calls/\d+\?", url) for url in visited), "a call page"

    leaks = []
    for url, text in bodies.items():
        readable = unescape(text)
        for address in EMAIL.findall(readable):
            if not AGENCY_EMAIL.match(address):
                leaks.append((url, address))
        for marker in demo:
            if marker in readable:
                leaks.append((url, marker))
    assert leaks == []


def test_the_markers_are_real_and_the_public_part_is_shown(client, demo):
    """The detector is not blind: the private texts exist in the database, and what the
    public may read of the same objects is on the pages the crawl reads."""
    from committees.decisions.models import Decision
    from committees.meetings.models import MinutesSection

    assert db.session.execute(
        select(MinutesSection.id).where(MinutesSection.body == DRAFT_MINUTES)
    ).first()
    assert db.session.execute(
        select(Decision.id).where(Decision.number == UNPUBLISHED_DECISION[0])
    ).first()
    published = (
        db.session.execute(
            select(Contribution).where(
                Contribution.published_at.is_not(None), Contribution.consent_publication.is_(True)
            )
        )
        .scalars()
        .first()
    )
    assert published is not None
    call_page = unescape(client.get(f"/calls/{published.call_id}").get_data(as_text=True))
    assert published.text in call_page
    assert published.contact_name not in call_page
