"""Four gunicorn workers with Redis behave as one application.

The application runs under gunicorn (production settings, the suite's database) with
``REDIS_URL`` set, and gunicorn's access log names the worker (pid) of each answer:

- the sign-in throttle counts across workers: with ``--max-requests 1`` every request
  is answered by a process that has never seen the earlier ones, so only a shared
  count can refuse the sixth wrong password;
- a change made anywhere is seen by the next feed answer of every worker, each of which
  had remembered the feed's validators before the change.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from committees.common.timeutils import paris_today
from tests.support.calendars import feed_url, make_committee, member_with_mandate, schedule
from tests.support.workers import csrf_and_cookie, until_every_worker


def test_the_sign_in_throttle_counts_across_workers(gunicorn, make_user):
    make_user(email="membre.limite@example.org")
    # Every process answers one request, then gunicorn replaces it (forked from a master
    # that loaded the application once, so that replacing costs little).
    server = gunicorn("--max-requests", "1", "--preload")
    token, cookie = csrf_and_cookie(server)
    form = urlencode(
        {"email": "membre.limite@example.org", "password": "mauvais", "csrf_token": token}
    )
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}

    replies = [server.request("POST", "/login", headers, form) for _ in range(8)]

    statuses = [status for status, _, _ in replies]
    # LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS: 5 wrong passwords per 15 minutes, whichever process
    # saw them.
    assert statuses == [422] * 5 + [429] * 3
    assert b"Trop de tentatives" in replies[-1][2]
    # Each worker logs its answer once sent: wait for the eight lines.
    posts = server.pids("POST", "/login", at_least=8)
    assert len(posts) == 8
    assert len(set(posts)) == 8  # eight processes, none of which counted alone


def test_a_change_is_seen_by_every_workers_next_feed_answer(gunicorn, db, make_user):
    committee = make_committee(db)
    member = member_with_mandate(db, make_user, committee)
    meeting = schedule(db, committee, paris_today() + timedelta(days=20))
    path = feed_url(db, member)
    server = gunicorn()

    # Every worker answers the feed and remembers its validators.
    before = until_every_worker(server, path, {}, after=0)
    etags = {headers["ETag"] for status, headers, _ in before}
    assert [status for status, _, _ in before] == [200] * len(before)
    assert len(etags) == 1
    (old_etag,) = etags

    meeting.title = "Séance déplacée en salle B"
    db.session.commit()
    seen = len(server.answers())
    after = until_every_worker(server, path, {"If-None-Match": old_etag}, after=seen)

    # No worker answers 304 from what it remembered: each sends the new feed.
    assert {status for status, _, _ in after} == {200}
    assert {headers["ETag"] for _, headers, _ in after} != {old_etag}
    assert all("Séance déplacée en salle B".encode() in body for _, _, body in after)
