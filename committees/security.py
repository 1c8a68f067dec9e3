"""Web security at the edge, in one place: what every answer says to browsers, and what no
request may carry.

Headers (README, "Security"): a Content-Security-Policy that lets pages load only the site's
own scripts, styles and images (no inline code: an injected ``<script>`` does not run), no
framing (clickjacking), no MIME sniffing (an uploaded file is never run as a page), a
Referrer-Policy that never sends a path — and so never a calendar or invitation token — to
another site, and HSTS in production, where the cookies are ``Secure`` (config.py).
"""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request
from werkzeug.datastructures import ContentSecurityPolicy

_SELF = "'self'"


def content_security_policy() -> ContentSecurityPolicy:
    """The policy of every answer: the site's own resources only, never framed."""
    policy = ContentSecurityPolicy()
    policy.default_src = _SELF
    policy.script_src = _SELF
    policy.style_src = _SELF
    policy.img_src = f"{_SELF} data:"
    policy.font_src = _SELF
    policy.connect_src = _SELF
    policy.object_src = "'none'"
    policy.base_uri = _SELF
    policy.form_action = _SELF
    policy.frame_ancestors = "'none'"
    return policy


_POLICY = content_security_policy().to_header()


def _refuse_nul_bytes() -> None:
    # No text of the application may hold a NUL: PostgreSQL refuses it in any text column
    # or parameter, so it would surface as a 500 deep inside a query.
    if "\x00" in request.path:
        abort(404)
    sources = [request.args, request.form] if request.method == "POST" else [request.args]
    for values in sources:
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    max_age = current_app.config["HSTS_MAX_AGE"]
    if max_age:
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")
    return response


def register(app: Flask) -> None:
    """Install the request guard and the headers on ``app``."""
    app.before_request(_refuse_nul_bytes)
    app.after_request(_add_headers)
