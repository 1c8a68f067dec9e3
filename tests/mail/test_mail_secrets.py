"""Personal links (reset, invitation, confirmations, convocation answer, unsubscribe) reach
their owner and nobody else: the outbox keeps them masked and encrypted, staff pages, the
API and backups never show them, and the delivered e-mail carries a link that works."""

from __future__ import annotations

import os
import re
import zipfile
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import flask_migrate
import pytest
from sqlalchemy import select, text

from committees.auth.models import Role, User
from committees.auth.services import offer_unlock_link
from committees.common.timeutils import utcnow
from committees.extensions import db as _db
from committees.follows.dispatch import dispatch_pending, send_digests
from committees.follows.models import Follower
from committees.mail.delivery import deliver_pending, delivered_texts
from committees.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from committees.mail.services import queue_email, queue_message
from committees.mail.transports import transport_from_config
from committees.meetings.agenda.services import publish_agenda
from committees.meetings.conduct.convocations import cancel_and_notify, convene, send_update
from committees.meetings.models import MinutesStatus
from tests.support.calls import contribute, make_call, make_committee, make_meeting
from tests.support.convocations import build_session
from tests.support.follows import make_follower
from tests.support.helpers import (
    DEFAULT_PASSWORD,
    ROOT,
    login,
    new_postgresql_database,
    outbox,
    post_form,
    text_of,
)
from tests.support.minutes import minutes_at

#: the e-mail templates that carry a link acting on the recipient's behalf, and the outbox
#: kind the scenario below makes each under; every other template must name no such link
PERSONAL_TEMPLATES = {
    "admin/invitation": "invitation",
    "auth/confirm_email": "confirm_email",
    "auth/login_unlock": "login_unlock",
    "auth/password_reset": "password_reset",
    "follows/confirm": "follow_confirm",
    "follows/digest": "follow_digest",
    "follows/event": "follow_agenda_published",
    "meetings/convocation": "meeting_convocation",
}
WITH_PERSONAL_LINK = set(PERSONAL_TEMPLATES.values())
#: kinds without a personal link that the scenario makes too
PLAIN_KINDS = {
    "already_registered",
    "calls_receipt",
    "meeting_cancellation",
    "meeting_update",
}
#: what names a personal link in a template
_PERSONAL_IN_TEMPLATE = re.compile(
    r"token|unsubscribe|answer_url|confirm_url|reset_password|confirm_email|unlock"
)
PERSONAL_LINK = re.compile(
    r"https?://[^\s<>\"]+?/(?:password/reset|register/confirm|convocations|suivre/confirmer"
    r"|suivre/desabonnement|login/unlock)/([A-Za-z0-9_.\-]+)"
)
NEW_PASSWORD = "a new passphrase for the admin"
MAIL_TEMPLATES = ROOT / "templates" / "mail"


def test_every_template_with_a_personal_link_is_in_the_scenario():
    """A new message that carries a personal link must join the scenario below, and pass
    the link as ``secrets=`` to ``queue_email``; the others must name none."""
    for path in MAIL_TEMPLATES.rglob("*.txt"):
        name = str(path.relative_to(MAIL_TEMPLATES).with_suffix(""))
        if name in PERSONAL_TEMPLATES:
            continue
        found = _PERSONAL_IN_TEMPLATE.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{name} names {found}: add it to PERSONAL_TEMPLATES and the scenario"
    assert all((MAIL_TEMPLATES / f"{name}.txt").exists() for name in PERSONAL_TEMPLATES)


def _signed_in(app, user: User):
    client = app.test_client()
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 302
    return client


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _trigger_every_kind(app, db, make_user):
    """Every kind of message but the cancellation, through the routes people use where
    there is one. Returns what the checks need."""
    admin = make_user(Role.ADMIN, email="admin@example.org", full_name="Alice Admin")
    secretariat = make_user(Role.SECRETARIAT, email="secretariat@example.org")
    contributor = make_user(Role.CONTRIBUTOR, email="contrib@example.org")
    anonymous = app.test_client()
    admin_client = _signed_in(app, admin)
    secretariat_client = _signed_in(app, secretariat)

    post_form(anonymous, "/password/forgot", {"email": "admin@example.org"})
    offer_unlock_link("secretariat@example.org")
    db.session.commit()
    registration = {
        "full_name": "Jeanne Martin",
        "password": DEFAULT_PASSWORD,
        "password_confirm": DEFAULT_PASSWORD,
        "accept_privacy": "y",
    }
    post_form(app.test_client(), "/register", {**registration, "email": "jeanne@example.org"})
    post_form(app.test_client(), "/register", {**registration, "email": "contrib@example.org"})
    invited = post_form(
        admin_client,
        "/admin/users/new",
        {"email": "nina@example.org", "full_name": "Nina Roux", "role": "member"},
    )
    assert invited.status_code < 400, text_of(invited)

    committee = make_committee()
    app.test_client().post(  # a visitor's "Suivre" form has no CSRF token (issue 21)
        "/suivre",
        data={
            "scope": f"committee:{committee.id}",
            "frequency": "immediate",
            "email": "lecteur@example.org",
        },
    )
    make_follower("presse@example.org", committee=committee)
    weekly = make_follower("hebdo@example.org", committee=committee, frequency="weekly")
    weekly.digest_until = utcnow() - timedelta(days=8)
    db.session.commit()
    publish_agenda(make_meeting(committee))
    db.session.commit()
    dispatch_pending()
    send_digests()

    contribute(make_call(committee), contributor, now=utcnow())
    db.session.commit()

    session = build_session(db)
    convene(session.meeting)
    db.session.commit()
    send_update(session.meeting)
    db.session.commit()
    return admin, admin_client, secretariat_client, session


def _get_pages(app, clients, values) -> dict[str, bytes]:
    """Every GET page the staff clients can name with ``values``, with every message's
    outbox page: what each answered."""
    urls = {"/outbox/", *(f"/outbox/?status={s.value}" for s in OutboxStatus)}
    urls |= {f"/outbox/{m.id}" for m in _db.session.scalars(select(OutboxMessage))}
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not set(rule.arguments) <= set(values):
            continue
        urls.add(adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments}))
    answers = {}
    for role, client in clients.items():
        for url in sorted(urls):
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            answers[f"{role} {url}"] = response.get_data()
    return answers


def _at_rest() -> str:
    """Everything the outbox tables hold, as text."""
    rows = _db.session.execute(select(OutboxMessage.__table__)).all()
    files = _db.session.execute(select(OutboxAttachment.data)).scalars().all()
    return repr(rows) + b"".join(files).decode("utf-8", "replace")


@pytest.mark.smtp
def test_no_staff_page_shows_a_personal_link_and_the_delivered_links_work(
    app, db, make_user, smtp_server
):
    admin, admin_client, secretariat_client, session = _trigger_every_kind(app, db, make_user)
    kinds = {m.kind for m in outbox(db)}
    assert WITH_PERSONAL_LINK | PLAIN_KINDS - {"meeting_cancellation"} <= kinds
    assert all(m.sealed_secrets for m in outbox(db) if m.kind in WITH_PERSONAL_LINK)
    values = {
        "user_id": admin.id,
        "meeting_id": session.meeting.id,
        "committee_id": session.meeting.committee_id,
        "slug": session.meeting.committee.slug,
        "mandate_id": session.members[0].id,
        "person_id": session.members[0].person.id,
        "message_id": outbox(db)[0].id,
    }
    clients = {"admin": admin_client, "secretariat": secretariat_client}
    pages = _get_pages(app, clients, values)  # while the links wait, encrypted
    stored = _at_rest()
    detail = text_of(secretariat_client.get(f"/outbox/{outbox(db)[0].id}"))
    assert "[lien personnel masqué]" in detail

    assert deliver_pending(transport_from_config(app.config)).failed == 0
    links: dict[str, set[str]] = {}
    for email in smtp_server.messages:
        body = email.get_body(preferencelist=("plain",)).get_content()
        html = email.get_body(preferencelist=("html",))
        found = PERSONAL_LINK.findall(body + (html.get_content() if html else ""))
        found += PERSONAL_LINK.findall(email.get("List-Unsubscribe", ""))
        assert "masked-secret-" not in email.as_string()
        links.setdefault(email["To"], set()).update(found)
    tokens = {token for found in links.values() for token in found}
    # one personal link per recipient of a message that has one
    sent_kinds: dict[str, set[str]] = {}
    for message in outbox(db):
        sent_kinds.setdefault(message.recipient, set()).add(message.kind)
    for recipient, kinds in sent_kinds.items():
        assert bool(links.get(recipient)) == bool(kinds & WITH_PERSONAL_LINK), (recipient, kinds)
    assert len(tokens) >= len(WITH_PERSONAL_LINK)

    # Nothing staff can read, nothing at rest, holds any of them; sent: nothing kept at all.
    pages |= _get_pages(app, clients, values)
    for token in tokens:
        assert token not in stored
        assert token not in _at_rest()
        leaks = [page for page, body in pages.items() if token.encode() in body]
        assert leaks == [], token
    assert all(m.sealed_secrets is None for m in outbox(db))

    # The links work for their owner: the admin's password reset, for one.
    [reset] = links["admin@example.org"]
    owner = app.test_client()
    chosen = post_form(
        owner,
        f"/password/reset/{reset}",
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert chosen.status_code == 302, text_of(chosen)
    assert login(app.test_client(), "admin@example.org", NEW_PASSWORD).status_code == 302
    [confirm] = links["jeanne@example.org"]
    assert app.test_client().get(f"/register/confirm/{confirm}").status_code < 400
    db.session.expire_all()
    jeanne = db.session.execute(select(User).where(User.email == "jeanne@example.org")).scalar_one()
    assert jeanne.email_confirmed_at is not None
    [follow] = links["lecteur@example.org"]
    confirmed = post_form(app.test_client(), f"/suivre/confirmer/{follow}", {})
    assert "Abonnement confirmé" in text_of(confirmed)
    member_email = session.members[1].person.email
    [answer] = links[member_email]
    answered = post_form(
        app.test_client(), f"/convocations/{answer}", {"response": "remote"}, follow_redirects=True
    )
    assert "Votre réponse a été enregistrée" in text_of(answered)
    unsubscribe = next(
        e["List-Unsubscribe"] for e in smtp_server.messages if e["To"] == "presse@example.org"
    )
    one_click = app.test_client().post(
        _path(unsubscribe.strip("<>")), data={"List-Unsubscribe": "One-Click"}
    )
    assert "Vous êtes désabonné" in text_of(one_click)
    assert db.session.scalar(select(Follower).where(Follower.email == "presse@example.org")) is None

    # The last kinds: a cancellation, and draft minutes sent for comments.
    cancel_and_notify(session.meeting, "Salle indisponible")
    db.session.commit()
    assert {"meeting_cancellation"} <= {m.kind for m in outbox(db)}
    assert deliver_pending(transport_from_config(app.config)).failed == 0
    for token in tokens:
        assert token.encode() not in secretariat_client.get("/outbox/").get_data()


def test_draft_minutes_sent_for_comments_carry_no_personal_link(db, held):
    minutes_at(db, held, MinutesStatus.SENT)
    sent = [m for m in outbox(db) if m.kind == "minutes_sent"]
    assert sent
    assert all(m.sealed_secrets is None and "masked-secret-" not in m.body_text for m in sent)


def test_the_staff_page_masks_the_link_and_delivery_restores_it(app, db, client, secretariat):
    message = queue_email(
        "owner@example.org",
        "Réinitialisation",
        "auth/password_reset",
        kind="password_reset",
        user=secretariat,
        validity=timedelta(hours=1),
        secrets={"token": "tok.en-with_unusual.chars&<>"},
    )
    db.session.commit()
    assert "tok.en" not in message.body_text + message.body_html + message.sealed_secrets
    page = text_of(client.get(f"/outbox/{message.id}"))
    assert "/password/reset/[lien personnel masqué]" in page
    assert "tok.en" not in page
    texts = delivered_texts(message)
    assert "/password/reset/tok.en-with_unusual.chars&<>" in texts.text
    # in HTML the value is escaped like any other text
    assert "/password/reset/tok.en-with_unusual.chars&amp;&lt;&gt;" in texts.html


def test_a_plain_unsubscribe_url_is_masked_too(app, db):
    message = queue_message(
        "a@example.org", "Lettre", "Texte", unsubscribe_url="http://localhost/u/secret-one"
    )
    db.session.commit()
    assert "secret-one" not in message.unsubscribe_url
    assert delivered_texts(message).unsubscribe_url == "http://localhost/u/secret-one"


def test_a_rotated_key_still_reads_and_a_lost_key_fails_the_message_with_its_reason(
    app, db, smtp_server
):
    saved = app.config["MAIL_SECRETS_KEY"]
    old, new = "o" * 32, "n" * 32
    try:
        app.config["MAIL_SECRETS_KEY"] = old
        first = queue_message("a@example.org", "Lien", "x", unsubscribe_url="http://h/u/first")
        second = queue_message("b@example.org", "Lien", "x", unsubscribe_url="http://h/u/second")
        db.session.commit()
        app.config["MAIL_SECRETS_KEY"] = f"{new}, {old}"
        assert delivered_texts(first).unsubscribe_url == "http://h/u/first"
        app.config["MAIL_SECRETS_KEY"] = new
        report = deliver_pending(transport_from_config(app.config))
    finally:
        app.config["MAIL_SECRETS_KEY"] = saved
    assert report.failed == 2
    db.session.refresh(second)
    assert second.status == OutboxStatus.FAILED.value
    assert "MAIL_SECRETS_KEY" in second.last_error
    assert smtp_server.messages == []


@pytest.fixture
def at_head(app, db):
    """The suite's database recorded at Alembic's head revision, as a backup needs."""
    flask_migrate.stamp()
    yield
    _db.session.remove()
    with _db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_the_backup_archive_carries_no_personal_link(app, db, at_head, make_user, tmp_path):
    from committees.operations.backup import create_backup

    make_user(Role.ADMIN, email="admin@example.org")
    post_form(app.test_client(), "/password/forgot", {"email": "admin@example.org"})
    [message] = outbox(db)
    token = PERSONAL_LINK.search(delivered_texts(message).text).group(1)
    create_backup(tmp_path / "backup.zip")
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
    assert b"masked-secret-" in content  # the message is there, its link masked
    assert token.encode() not in content


# --- migration 0013 -------------------------------------------------------------------


@pytest.fixture
def app_at_0012(tmp_path):
    from committees import create_app

    with ExitStack() as stack:
        server = os.environ.get("TEST_DATABASE_URL")
        if server:
            url = stack.enter_context(new_postgresql_database(server, "outbox"))
        else:
            url = f"sqlite:///{Path(tmp_path) / 'outbox.sqlite3'}"
        application = create_app({"PROFILE": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with application.app_context():
            flask_migrate.upgrade(revision="0012_minutes_sections")
            yield application
            _db.session.remove()
            _db.engine.dispose()


def test_migration_masks_stored_links_keeps_unsent_ones_deliverable_and_downgrades(app_at_0012):
    columns = (
        "recipient, subject, body_text, body_html, kind, status, attempts, next_attempt_at, "
        "message_id, unsubscribe_url, created_at, updated_at"
    )
    rows = [
        ("sent", "http://h/password/reset/SENT.tok-1", None, "<1@h>"),
        (
            "pending",
            "Lien : http://h/convocations/pend_tok2\n",
            "http://h/suivre/desabonnement/unsub-token-3",
            "<2@h>",
        ),
        ("failed", "http://h/register/confirm/fail.tok4 et http://h/meetings/7", None, "<3@h>"),
    ]
    with _db.engine.begin() as conn:
        for status, body, unsubscribe, message_id in rows:
            conn.execute(
                text(
                    f"INSERT INTO outbox_messages ({columns}) VALUES ('a@h', 's', :body, :html, "  # noqa: S608 - fixed names
                    "'k', :status, 0, CURRENT_TIMESTAMP, :mid, :unsub, CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)"
                ),
                {
                    "body": body,
                    "html": f'<a href="{body.split()[-1]}">x</a>',
                    "status": status,
                    "mid": message_id,
                    "unsub": unsubscribe,
                },
            )
    flask_migrate.upgrade(revision="0013_outbox_secrets")
    with _db.engine.connect() as conn:
        stored = repr(conn.execute(text("SELECT * FROM outbox_messages")).all())
    for token in ("SENT.tok-1", "pend_tok2", "unsub-token-3", "fail.tok4"):
        assert token not in stored
    assert "http://h/meetings/7" in stored  # not a personal link: untouched

    sent, pending, failed = _db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id)
    ).all()
    assert sent.sealed_secrets is None  # sent: masked for good
    assert "/password/reset/masked-secret-" in sent.body_text
    texts = delivered_texts(pending)
    assert texts.text == "Lien : http://h/convocations/pend_tok2\n"
    assert texts.unsubscribe_url == "http://h/suivre/desabonnement/unsub-token-3"
    assert delivered_texts(failed).text.startswith("http://h/register/confirm/fail.tok4 et")
    _db.session.rollback()

    flask_migrate.downgrade(revision="0012_minutes_sections")
    with _db.engine.connect() as conn:
        bodies = conn.execute(text("SELECT body_text FROM outbox_messages ORDER BY id")).scalars()
        bodies = list(bodies)
    assert bodies[1] == "Lien : http://h/convocations/pend_tok2\n"
    assert "fail.tok4" in bodies[2]
