"""Absolute links for e-mails: PUBLIC_BASE_URL, never the Host header of the request."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest

from committees import create_app
from committees.auth.models import Role
from committees.common.timeutils import utcnow
from committees.common.urls import public_url
from committees.extensions import db as _db
from committees.mail.delivery import deliver_pending
from committees.mail.transports import FileTransport
from committees.meetings.conduct.convocations import convene
from tests.support.calendars import unfolded
from tests.support.convocations import build_session
from tests.support.helpers import post_form


def test_outside_a_request_links_use_the_public_base_url(app):
    assert public_url("contributions.detail", contribution_id=7) == (
        "http://localhost/my/contributions/7"
    )


def test_inside_a_request_the_host_header_does_not_leak_into_links(app):
    with app.test_request_context("/", base_url="http://attacker.example"):
        assert public_url("public_calls.detail", call_id=3) == "http://localhost/calls/3"


def test_without_a_public_base_url_a_request_uses_its_own_root(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    with app.test_request_context("/", base_url="https://comites.example"):
        assert public_url("public_calls.detail", call_id=3) == "https://comites.example/calls/3"


# --- the host names served (issue 19, row 7) ---------------------------------------------


@pytest.fixture
def production(monkeypatch, tmp_path):
    """The production profile with PUBLIC_BASE_URL https://comites.example.org, empty tables."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    application = create_app(
        {
            "PROFILE": "production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
            "PUBLIC_BASE_URL": "https://comites.example.org",
            "ALLOWED_HOSTS": "10.0.0.7, .internal.example",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    with application.app_context():
        _db.create_all()
    return application


@pytest.mark.parametrize("path", ["/feeds/publications.atom", "/api/v1/committees"])
def test_production_refuses_an_unknown_host(production, path):
    client = production.test_client()

    refused = client.get(path, headers={"Host": "evil.example"})
    served = client.get(path, headers={"Host": "comites.example.org"})

    assert refused.status_code == 400
    assert b"evil.example" not in refused.data
    assert served.status_code == 200
    assert b"https://comites.example.org/" in served.data
    assert b"evil.example" not in served.data


def test_production_serves_the_allowed_hosts_and_their_subdomains(production):
    client = production.test_client()

    for host in ("10.0.0.7:8000", "probe.internal.example"):
        response = client.get("/feeds/publications.atom", headers={"Host": host})
        assert response.status_code == 200, host
        assert b"https://comites.example.org/feeds/publications.atom" in response.data


def test_in_development_every_host_is_served_but_links_use_the_public_base_url(app, client):
    assert app.config["TRUSTED_HOSTS"] is None

    feed = client.get("/feeds/publications.atom", headers={"Host": "evil.example"})
    api = client.get("/api/v1/committees", headers={"Host": "evil.example"})

    assert feed.status_code == api.status_code == 200
    assert b"evil.example" not in feed.data
    assert b"evil.example" not in api.data
    assert b"http://localhost/feeds/publications.atom" in feed.data
    assert b"http://localhost/api/v1/committees" in api.data


# --- PORT=5101 scripts/dev serve: every link on the served port (issue 20) ---------------

PORTED = "http://127.0.0.1:5101"


def _delivered(tmp_path) -> list[str]:
    deliver_pending(FileTransport(tmp_path))
    return [
        BytesParser(policy=policy.default).parsebytes(path.read_bytes()).as_string()
        for path in sorted(tmp_path.glob("*.eml"))
    ]


def test_every_link_uses_the_public_base_url_and_its_port(
    app, client, db, make_user, monkeypatch, tmp_path
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PORTED)
    user = make_user(Role.MEMBER, email="anne.reset@example.org")
    s = build_session(db)
    s.committee.published_at = utcnow()
    convene(s.meeting)
    db.session.commit()
    post_form(client, "/password/forgot", {"email": user.email})

    mails = _delivered(tmp_path)
    calendar = client.get(f"/meetings/{s.meeting.id}.ics").get_data(as_text=True)

    reset = next(m for m in mails if "anne.reset@example.org" in m)
    assert f"{PORTED}/password/reset/" in reset
    convocations = [m for m in mails if "Convocation" in m]
    assert len(convocations) == 5
    assert all(f"{PORTED}/convocations/" in m for m in convocations)
    assert f"{PORTED}/meetings/{s.meeting.id}" in unfolded(calendar)
    for text in [*mails, calendar]:
        assert "http://localhost" not in unfolded(text)
