"""Validators that move only when what a feed shows moves.

Subscribed clients revalidate every few minutes for years: running the demo seed again on
an unchanged database (as ``scripts/dev serve`` does at every start) must leave every ETag
as it was, and public feeds must be cacheable by shared caches (no ``Vary: Cookie``).
"""

from __future__ import annotations

from sqlalchemy import select

from committees.bodies.models import Committee
from committees.calendars import cache
from committees.common.timeutils import paris_today
from committees.demo import DEMO_ACCOUNTS, seed_all
from committees.meetings.models import Meeting
from tests.support.calendars import feed_url
from tests.support.helpers import login


def _feed_urls(db) -> list[str]:
    from committees.auth.models import User

    slugs = db.session.scalars(select(Committee.slug).order_by(Committee.slug)).all()
    meeting_ids = db.session.scalars(select(Meeting.id).order_by(Meeting.id).limit(3)).all()
    member = db.session.scalars(select(User).where(User.email == DEMO_ACCOUNTS[2][0])).one()
    return [
        *(f"/committees/{slug}/calendar.ics" for slug in slugs),
        *(f"/meetings/{meeting_id}.ics" for meeting_id in meeting_ids),
        feed_url(db, member),
        feed_url(db, member, lang="en"),
    ]


def _validators(client, urls) -> dict[str, tuple[str, str]]:
    cache.clear()  # as after a restart: nothing remembered in the worker
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = (response.headers["ETag"], response.headers["Last-Modified"])
    return answers


def test_seeding_the_demo_again_changes_no_validator(app, db, client):
    seed_all(today=paris_today())
    urls = _feed_urls(db)
    before = _validators(client, urls)

    seed_all(today=paris_today())
    db.session.commit()

    assert _validators(client, urls) == before
    for url, (etag, _modified) in before.items():
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304, url


def test_a_real_change_moves_the_committee_feed_validator(app, db, client):
    seed_all(today=paris_today())
    urls = _feed_urls(db)
    before = _validators(client, urls)
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).first()
    meeting.place = "Salle 3, Saint-Denis"
    db.session.commit()
    slug = meeting.committee.slug
    after = _validators(client, urls)
    assert after[f"/committees/{slug}/calendar.ics"] != before[f"/committees/{slug}/calendar.ics"]


def test_public_feeds_do_not_vary_on_cookies(app, db, client):
    seed_all(today=paris_today())
    email, _name, _role, password = DEMO_ACCOUNTS[2]
    assert login(client, email, password).status_code == 302  # a browser with a cookie
    slug = db.session.scalars(select(Committee.slug).limit(1)).one()
    response = client.get(f"/committees/{slug}/calendar.ics")
    assert response.headers["Cache-Control"].startswith("public")
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers
    # Pages that do depend on the visitor still say so.
    assert "Cookie" in client.get("/").headers.get("Vary", "")
