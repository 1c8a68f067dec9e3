"""SQL statements per page, pinned: the same on a small dataset and on one five times larger.

Both datasets are ten years of activity built by bench/scale_data.py (the data of
bench/scale.py, at test size); the larger one has five times the committees, decisions and
calls, and three to five times the sessions, agenda items, attendees, mandates and
contributions of each, so that a page listing any of them would show an N+1 as a growing count.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bench.scale_data import Landmarks, Sizes, build
from committees.auth.models import User
from committees.calendars import cache as calendar_cache
from committees.calendars.tokens import personal_token
from tests.support.helpers import open_session

SMALL = Sizes(
    committees=2,
    sessions=12,  # every ten months: one in the last year, as at every scale of the bench
    items=4,
    attendees=4,
    mandates=6,
    decisions=12,
    calls=2,
    contributions=6,
    contributors=4,
)
LARGE = replace(
    SMALL,
    sessions=36,
    items=12,
    attendees=12,
    mandates=24,
    contributions=30,
    contributors=12,
)

#: page: (path, who is signed in, SQL statements it takes whatever the data)
PAGES = {
    "home": ("/", None, 4),
    "committees list": ("/committees", None, 2),
    "committee page": (
        "/committees/{lm.slug}",
        None,
        11,
    ),  # + « Suivi des avis », written procedures
    "session page": ("/meetings/{lm.past_meeting_id}", None, 9),
    "minutes page": ("/meetings/{lm.past_meeting_id}/minutes", None, 8),
    "decisions, year": ("/decisions?year={lm.decision_year}", None, 5),
    "decisions, committee": ("/decisions?committee={lm.slug}", None, 5),
    "decisions, text": ("/decisions?q=relative", None, 5),
    "decisions, kind (API)": ("/api/v1/decisions?kind=nomination", None, 3),
    "decision page": ("/decisions/{lm.decision_number}", None, 5),
    "calls list": ("/calls", None, 3),
    "call page": ("/calls/{lm.call_id}", None, 6),
    "search": ("/search?q=cannabis", None, 2),
    "Atom feed": ("/feeds/publications.atom", None, 9),  # + written procedures
    "API committees": ("/api/v1/committees", None, 2),
    "API committee": ("/api/v1/committees/{lm.slug}", None, 1),
    "API meetings": ("/api/v1/meetings", None, 4),
    "API meeting": ("/api/v1/meetings/{lm.past_meeting_id}", None, 8),
    "API decisions": ("/api/v1/decisions", None, 3),
    "API decision": ("/api/v1/decisions/{lm.decision_number}", None, 2),
    "API calls": ("/api/v1/calls", None, 4),
    "API call": ("/api/v1/calls/{lm.call_id}", None, 4),
    # Calendars with every per-process cache emptied: their VEVENTs come from the pieces
    # the warm-up request kept in the database (one query instead of loading sessions
    # and items).
    "committee calendar": ("/committees/{lm.slug}/calendar.ics", None, 5),
    "personal calendar": ("/calendar/{token}.ics", None, 3),
    # Members not cleared counted in SQL (one query, not two); the next sessions with their
    # committees joined; the visit not committed again within VISIT_GAP.
    "secretariat dashboard": ("/dashboard", "secretariat", 8),
    "session edit": ("/secretariat/meetings/{lm.future_meeting_id}/edit", "secretariat", 3),
    # The page's rows with their attachments counted in SQL, then the total.
    "contributions review": ("/secretariat/calls/{lm.call_id}/contributions", "secretariat", 4),
    # Streamed: attachments' names, then the rows with their accounts' addresses.
    "contributions CSV": ("/secretariat/calls/{lm.call_id}/export.csv", "secretariat", 4),
    # The panels share the person, their mandates and declaration (``memo_scope``); the
    # next sessions with their committees, without the past year's nor attendances.
    "member dashboard": ("/dashboard", "member", 11),
}


def _clients(app, db, lm: Landmarks) -> dict:
    clients = {None: app.test_client()}
    for who, email in (("secretariat", lm.secretariat_email), ("member", lm.member_email)):
        clients[who] = app.test_client()
        user = db.session.scalar(select(User).where(User.email == email))
        open_session(clients[who], user)
    return clients


def _count_every_page(app, db, count_queries, lm: Landmarks) -> dict[str, tuple[int, int]]:
    """(status, statements) of each page, after one warm-up request."""
    token = personal_token(db.session.get(User, lm.member_user_id))
    db.session.commit()
    clients = _clients(app, db, lm)
    counts = {}
    for name, (template, who, _pinned) in PAGES.items():
        path = template.format(lm=lm, token=token)
        clients[who].get(path)
        # Calendars are counted as built, not served from the process's cache.
        calendar_cache.clear()
        with count_queries() as statements:
            response = clients[who].get(path)
            response.get_data()  # a streamed body (the CSV export) runs its queries here
        counts[name] = (response.status_code, len(statements))
    return counts


def _empty_tables(db) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
    calendar_cache.clear()


def test_every_page_takes_the_same_pinned_number_of_queries_at_1x_and_5x(app, db, count_queries):
    small = _count_every_page(app, db, count_queries, build(SMALL, 1))
    _empty_tables(db)
    large = _count_every_page(app, db, count_queries, build(LARGE, 5))

    pinned = {name: (200, page[2]) for name, page in PAGES.items()}
    # page: ((status, queries) pinned, small, large), for every page that differs
    differing = {
        name: (pinned[name], small[name], large[name])
        for name in PAGES
        if not pinned[name] == small[name] == large[name]
    }
    assert differing == {}
