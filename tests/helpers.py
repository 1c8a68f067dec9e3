"""Helpers that act as a person would: fill a form (with its CSRF token), sign in."""

from __future__ import annotations

import re
from html import unescape

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return unescape(match.group(1) or match.group(2))


def post_form(client, url: str, data: dict, *, form_url: str | None = None, **kwargs):
    """GET the page holding the form, then POST ``data`` with its CSRF token."""
    page = client.get(form_url or url)
    assert page.status_code == 200, f"{form_url or url} answered {page.status_code}"
    payload = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), **data}
    return client.post(url, data=payload, **kwargs)


def login(client, email: str, password: str, **kwargs):
    """Sign in through the real form."""
    return post_form(client, "/login", {"email": email, "password": password}, **kwargs)


def text_of(response) -> str:
    """The visible text of an HTML response, tags stripped and white space folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
