"""Absolute links for e-mails: PUBLIC_BASE_URL, never the Host header of the request."""

from __future__ import annotations

from committees.common.urls import public_url


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
