"""Addresses: redirect targets that cannot leave the site, absolute links built on
PUBLIC_BASE_URL, and the host names the site answers to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host


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


def public_base() -> str:
    """The site's root for people outside it, without a trailing slash: PUBLIC_BASE_URL.

    Only when PUBLIC_BASE_URL is empty does a request's own root serve instead (never in
    production, where the Host header is checked against it: see ``trusted_hosts``).
    """
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base and has_request_context():
        # url_root ends with the script root, which a built path already carries.
        base = request.host_url.rstrip("/")
    return base


def public_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` (with ``values``) for people outside the site.

    The one builder of absolute links (e-mails, calendars, Atom, the API): built on
    PUBLIC_BASE_URL, in a request or not (CLI, demo, queued e-mails), so a link never
    depends on the Host header of whoever triggered it. Values the rule does not name
    become the query string; ``_anchor`` adds a fragment.
    """
    anchor = values.pop("_anchor", None)
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    path = adapter.build(endpoint, values)
    return public_base() + path + (f"#{anchor}" if anchor else "")


def public_host() -> str:
    """The host name of PUBLIC_BASE_URL (without port), or the request's."""
    return urlsplit(public_base()).hostname or ""


def trusted_hosts(config: Mapping[str, Any]) -> list[str] | None:
    """The host names the application serves when ``HOST_CHECK`` is on: PUBLIC_BASE_URL's
    and those of ``ALLOWED_HOSTS`` (comma-separated; ``.example.org`` takes its
    subdomains too). None (every host) when the check is off."""
    if not config.get("HOST_CHECK"):
        return None
    hosts = [urlsplit(config.get("PUBLIC_BASE_URL") or "").hostname or ""]
    hosts += [h.strip() for h in (config.get("ALLOWED_HOSTS") or "").split(",")]
    return list(dict.fromkeys(h for h in hosts if h))


class HostCheck:
    """WSGI middleware: a request for a host name not in ``hosts`` gets a plain 400 before
    Flask sees it (Flask would route it with no URL adapter, and no error page could be
    built). It sits inside ProxyFix, so behind a proxy the forwarded host is the one
    checked."""

    def __init__(self, app: Callable, hosts: list[str]):
        self.app, self.hosts = app, hosts

    def __call__(self, environ: dict, start_response: Callable):
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            body = "Nom d'hôte inconnu. / Unknown host name.\n".encode()
            start_response(
                "400 Bad Request",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Serve only the configured host names (400 for any other ``Host``): before the
    proxy middleware is laid over the application."""
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    if app.config["TRUSTED_HOSTS"]:
        app.wsgi_app = HostCheck(app.wsgi_app, app.config["TRUSTED_HOSTS"])  # type: ignore[method-assign]
