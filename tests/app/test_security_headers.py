"""What every answer tells browsers: the security headers, and cookies that stay on the site."""

from __future__ import annotations

import pytest

from committees import create_app
from tests.support.helpers import login


@pytest.mark.parametrize(
    "url", ["/", "/login", "/api/v1/committees", "/healthz", "/nowhere", "/static/css/app.css"]
)
def test_every_answer_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # not over plain HTTP in tests


def test_no_page_carries_inline_code(client):
    html = client.get("/").get_data(as_text=True) + client.get("/login").get_data(as_text=True)
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_session_cookie_is_lax_and_http_only(client, make_user):
    user = make_user()
    response = login(client, user.email, "correct horse battery staple")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_sends_hsts_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    app = create_app(
        {
            "PROFILE": "production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
            "PUBLIC_BASE_URL": "https://localhost",  # the test client's host
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_nul_byte_in_a_form_is_refused_cleanly(client):
    response = client.get("/search?q=a%00b")
    assert response.status_code == 400
    assert "requête" in response.get_data(as_text=True).lower()
