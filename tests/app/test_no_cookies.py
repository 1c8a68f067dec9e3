"""Issue 21: no anonymous public page, feed or API answer sets a cookie.

A shared cache (``committees/publication/``) keeps only answers that set no cookie, and a
page must be the same bytes for every visitor: the language is in the URL (``/en/…``),
the "Suivre" form has no CSRF token (its double opt-in protects it). Every GET rule of the
URL map is asked by an anonymous browser with an empty cookie jar, in French and under
``/en``. A rule added later is covered without a line here: it must either set no cookie
or send the visitor to the sign-in page (then it is no public page). Pages behind a secret
token in their path are asked with an invalid token (``not-a-token``): their error page is
public, the form a valid token opens is one person's and may use a session.
"""

from __future__ import annotations

import re

import pytest

from committees.common.timeutils import paris_today
from committees.demo import seed_all
from tests.support.route_matrix import path_values

#: Public GET rules that may set the session cookie, each for a reason.
EXCLUDED = {
    # The sign-in, registration and password forms: their CSRF token lives in the session
    # (a visitor filling them is about to get a session anyway).
    "auth.login",
    "auth.register",
    "auth.forgot_password",
    "auth.resend_confirmation",
    # A secret link of a registration e-mail: an invalid one offers the form asking for a
    # new link (CSRF token), a valid one signs the address in with a flashed message.
    "auth.confirm_email",
}

_ARGUMENT = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _anonymous_get_rules(app) -> list:
    rules = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint in EXCLUDED or "GET" not in rule.methods:
            continue
        rules.setdefault(rule.endpoint, rule)
    return sorted(rules.values(), key=lambda rule: rule.endpoint)


def _sent_to_sign_in(response) -> bool:
    return response.status_code in (302, 303) and "/login" in response.headers["Location"]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_anonymous_page_sets_a_cookie(app, db, prefix):
    seed_all(today=paris_today())
    db.session.commit()
    values = path_values()
    cookies, errors, pages = [], [], 0
    for rule in _anonymous_get_rules(app):
        url = prefix + _ARGUMENT.sub(lambda m: values[m.group(1)], rule.rule)
        response = app.test_client(use_cookies=False).get(url)
        if response.status_code >= 500:
            errors.append(f"{rule.endpoint} {url}: {response.status_code}")
        if _sent_to_sign_in(response):
            continue
        pages += 1
        if "Set-Cookie" in response.headers:
            cookies.append(f"{rule.endpoint} {url}: {response.headers['Set-Cookie'][:40]}")
        if prefix and response.mimetype == "text/html":
            assert '<html lang="en">' in response.get_data(as_text=True), url
    assert not errors, "\n".join(errors)
    assert not cookies, "answers that set a cookie:\n" + "\n".join(cookies)
    assert pages > 40  # the public site was really visited
