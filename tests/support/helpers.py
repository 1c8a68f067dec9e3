"""Helpers that act as a person would (fill a form, sign in) and read what they see."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select, text

from committees.mail.models import OutboxMessage
from config import normalize_database_url

#: the password of every account the tests create (``make_user``, ``signed_in``)
DEFAULT_PASSWORD = "correct horse battery staple"

#: the folder of the tests, the project's root, and the JavaScript engines (``scripts/dev``
#: runs ``npm ci`` in ``tests/js``)
TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
JS = TESTS / "js"

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


def errors_beside(response, field: str) -> str:
    """The text of the error list shown beside ``field``, which must be tied to it.

    Fails unless the list exists and the field names it in its aria-describedby.
    """
    html = response.get_data(as_text=True)
    match = re.search(rf'<ul class="field-errors" id="{field}-errors">(.*?)</ul>', html, re.S)
    assert match, f"no errors shown beside {field}"
    assert re.search(rf'aria-describedby="[^"]*\b{field}-errors"', html), f"{field} not tied"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def open_session(client, user) -> None:
    """Sign ``user`` in by writing the session Flask-Login reads, without the /login form.

    For tests of pages that must not depend on the sign-in screens.
    """
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True


def count_rows(db, model) -> int:
    """How many rows the table of ``model`` holds."""
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def outbox(db) -> list[OutboxMessage]:
    """The queued e-mails, oldest first."""
    return list(db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def delivered_text(message: OutboxMessage) -> str:
    """The plain text its recipient receives: the outbox keeps personal links masked, and
    only delivery puts them back (``message.body_text`` is what staff may read)."""
    from committees.mail.delivery import delivered_texts

    return delivered_texts(message).text


def delivered_html(message: OutboxMessage) -> str | None:
    """The HTML its recipient receives, personal links in place."""
    from committees.mail.delivery import delivered_texts

    return delivered_texts(message).html


@contextmanager
def new_postgresql_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new empty PostgreSQL database on ``server_url``'s server (its URL), dropped afterwards."""
    url = make_url(normalize_database_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
