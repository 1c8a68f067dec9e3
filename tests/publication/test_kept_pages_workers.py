"""Four gunicorn workers sharing kept pages through Redis are never stale.

Every worker first answers (and keeps) the page; then the data change — through the ORM,
through a bulk statement, through ``flask backup restore`` — and the next answer of every
worker shows the change. A signed-in visitor is never answered with a kept page, and an
anonymous one never with what a signed-in visitor saw.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import flask_migrate
from sqlalchemy import text, update

from committees.bodies.models import Committee
from tests.support.backups import backup, restore
from tests.support.calls import make_committee
from tests.support.helpers import DEFAULT_PASSWORD
from tests.support.workers import Server, csrf_and_cookie, until_every_worker


def _every_worker_shows(server: Server, path: str, text: str) -> list[tuple]:
    replies = until_every_worker(server, path, {}, after=len(server.answers()))
    assert {status for status, _, _ in replies} == {200}
    assert all(text.encode() in body for _, _, body in replies), text
    return replies


def _sources(replies: list[tuple]) -> set[str]:
    return {headers.get("X-Page-Cache") for _, headers, _ in replies}


def test_every_worker_sees_each_kind_of_change_at_its_next_answer(
    app, db, gunicorn, shared_redis, tmp_path: Path
):
    committee = make_committee("Comité scientifique temporaire A")
    paths = (f"/api/v1/committees/{committee.slug}", f"/committees/{committee.slug}")
    server = gunicorn()

    for path in paths:
        warm = _every_worker_shows(server, path, "Comité scientifique temporaire A")
        # Built once, then served from memory or from Redis by every worker.
        assert _sources(warm) & {"local", "shared"}
        assert len({headers["ETag"] for _, headers, _ in warm}) == 1
    assert shared_redis.keys("*:page:*")

    committee.name_fr = "Nom changé par l'ORM"
    db.session.commit()
    for path in paths:
        _every_worker_shows(
            server,
            path,
            "Nom changé par l&#39;ORM" if "api" not in path else "Nom changé par l'ORM",
        )

    archive = tmp_path / "before-bulk.zip"
    flask_migrate.stamp()  # a backup names the Alembic revision of what it holds
    backup(app, archive)
    db.session.execute(
        update(Committee).where(Committee.id == committee.id).values(name_fr="Nom changé en masse")
    )
    db.session.commit()
    for path in paths:
        _every_worker_shows(server, path, "Nom changé en masse")

    result = restore(app, archive, "--force")
    db.session.execute(text("DROP TABLE alembic_version"))
    db.session.commit()
    assert result.exit_code == 0, result.output
    for path in paths:
        _every_worker_shows(server, path, "Nom changé par l")


def test_signed_in_and_anonymous_visitors_never_get_each_others_pages(db, gunicorn, make_user):
    committee = make_committee("Comité scientifique temporaire B")
    make_user(email="lectrice@example.org", full_name="Lectrice Connectée")
    path = f"/committees/{committee.slug}"
    server = gunicorn()
    _every_worker_shows(server, path, "Comité scientifique temporaire B")

    token, cookie = csrf_and_cookie(server)
    form = urlencode(
        {"email": "lectrice@example.org", "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    status, headers, _ = server.request(
        "POST",
        "/login",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    assert status in (302, 303)
    session = re.match(r"[^;]+", headers["Set-Cookie"])[0]
    signed_in = until_every_worker(server, path, {"Cookie": session}, after=len(server.answers()))

    for _status, reply_headers, body in signed_in:
        assert "X-Page-Cache" not in reply_headers
        assert reply_headers["Cache-Control"] == "private, no-cache"
        assert "Lectrice Connectée".encode() in body
    anonymous = _every_worker_shows(server, path, "Comité scientifique temporaire B")
    assert all(b"Lectrice" not in body for _, _, body in anonymous)
