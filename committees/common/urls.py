"""Addresses: redirect targets that cannot leave the site, absolute links for e-mails."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


def safe_next_url(target: str | None, fallback: str) -> str:
    """Return ``target`` when it is a path on this site, otherwise ``fallback``.

    Absolute URLs, scheme-relative ``//host`` URLs and backslash tricks that
    browsers normalise into another host are all refused.
    """
    if not target:
        return fallback
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def public_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` (with ``values``) for people outside the site.

    Built on PUBLIC_BASE_URL, in a request or not (CLI, demo, queued e-mails): a link
    sent by e-mail must not depend on the Host header of whoever triggered it. Only
    when PUBLIC_BASE_URL is empty does a request's own root serve instead.
    """
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    path = adapter.build(endpoint, values)
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base and has_request_context():
        # url_root ends with the script root, which the built path already carries.
        base = request.host_url.rstrip("/")
    return base + path
