"""The same work, and the same answer, whether an address has an account or not: on
registration and on a forgotten password, nothing (not even the time taken) tells."""

from __future__ import annotations

import re

import pytest

from committees.auth import services
from tests.support.helpers import outbox, post_form

PASSWORD = "a long enough passphrase"
_CSRF_VALUE = re.compile(rb'(name="csrf_token"[^>]*value=")[^"]+(")')
#: what differs from one answer to the next whatever the address: cookie, id, clock
_VARYING = {"set-cookie", "x-request-id", "x-ratelimit-reset", "retry-after"}


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """The passwords hashed (through werkzeug, as the services call it), in order."""
    seen: list[str] = []
    real = services.generate_password_hash

    def spy(password: str, *args, **kwargs) -> str:
        seen.append(password)
        return real(password, *args, **kwargs)

    monkeypatch.setattr(services, "generate_password_hash", spy)
    return seen


def _bytes(response) -> bytes:
    """The whole answer as a visitor receives it, minus the CSRF token of its forms."""
    headers = b"".join(
        f"{name}: {value}\n".encode()
        for name, value in sorted(response.headers.items())
        if name.lower() not in _VARYING
    )
    body = _CSRF_VALUE.sub(rb"\1-\2", response.get_data())
    return f"{response.status}\n".encode() + headers + body


def _visitor(app, n: int):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"  # each its own rate limits
    return client


def _register(client, email: str):
    return post_form(
        client,
        "/register",
        {
            "full_name": "Jeanne Martin",
            "email": email,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_privacy": "y",
        },
    )


def test_registration_hashes_once_and_answers_alike_for_a_known_address(app, db, make_user, hashes):
    make_user(email="connue@example.org")
    known_client, new_client = _visitor(app, 1), _visitor(app, 2)

    hashes.clear()
    known = _register(known_client, "connue@example.org")
    known_hashes = len(hashes)
    known_messages = len(outbox(db))

    hashes.clear()
    new = _register(new_client, "nouvelle@example.org")
    assert len(hashes) == known_hashes == 1
    assert len(outbox(db)) - known_messages == known_messages == 1

    assert _bytes(known) == _bytes(new)
    location = known.headers["Location"]
    assert _bytes(known_client.get(location)) == _bytes(new_client.get(location))


def test_a_forgotten_password_costs_the_same_work_for_any_address(
    app, db, make_user, hashes, count_queries
):
    disabled = make_user(email="desactive@example.org")
    disabled.is_enabled = False
    make_user(email="connue@example.org")
    db.session.commit()
    services._dummy_hash()  # made once per process, at the first unknown address

    answers, inserts = {}, {}
    emails = ("connue@example.org", "inconnue@example.org", "desactive@example.org")
    for n, email in enumerate(emails):
        client = _visitor(app, n)
        page = client.get("/password/forgot")
        hashes.clear()
        with count_queries() as statements:
            answer = client.post(
                "/password/forgot",
                data={"csrf_token": _csrf(page), "email": email},
            )
        assert hashes == []
        inserts[email] = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
        answers[email] = (_bytes(answer), _bytes(client.get(answer.headers["Location"])))

    # Each signs a link, renders the message and writes it to the outbox...
    assert [len(found) for found in inserts.values()] == [1, 1, 1]
    assert len({found[0] for found in inserts.values()}) == 1
    assert "outbox" in next(iter(inserts.values()))[0]
    # ...which only the known, enabled account keeps and receives.
    assert [m.recipient for m in outbox(db)] == ["connue@example.org"]
    assert len(set(answers.values())) == 1


def test_a_new_confirmation_link_costs_the_same_work_for_any_address(
    app, db, make_user, count_queries
):
    make_user(email="non.confirmee@example.org", confirmed=False)
    make_user(email="confirmee@example.org")
    services._dummy_hash()

    answers, inserts = [], []
    emails = ("non.confirmee@example.org", "inconnue@example.org", "confirmee@example.org")
    for n, email in enumerate(emails):
        client = _visitor(app, n)
        page = client.get("/register/resend")
        with count_queries() as statements:
            answer = client.post(
                "/register/resend", data={"csrf_token": _csrf(page), "email": email}
            )
        inserts.append([s for s in statements if s.lstrip().upper().startswith("INSERT")])
        answers.append((_bytes(answer), _bytes(client.get(answer.headers["Location"]))))

    assert [len(found) for found in inserts] == [1, 1, 1]
    assert [m.recipient for m in outbox(db)] == ["non.confirmee@example.org"]
    assert len(set(answers)) == 1


def _csrf(page) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert match
    return match.group(1)
