"""Faults survived, in process: the database out of reach or too slow, the upload folder
full or read-only, the mail server down. Each answers clearly, keeps nothing half-written
and recovers by itself (the same under gunicorn: ``test_faults_gunicorn.py``).
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

import config
from committees import create_app, errors
from committees.auth.models import Role
from committees.calls.models import Contribution
from committees.extensions import db as _db
from committees.mail.models import OutboxMessage, OutboxStatus
from committees.mail.services import queue_message
from committees.meetings.agenda import services as agenda
from committees.meetings.models import AgendaDocument
from tests.support.calls import form_data, make_call, pdf_bytes, uploaded_files
from tests.support.faults import postgresql_server_url
from tests.support.helpers import count_rows, csrf_token_from, post_form, text_of
from tests.support.smtp import SMTPCapture, free_port

UNAVAILABLE = "Service momentanément indisponible"


def _warnings(caplog, words: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == logging.WARNING and words in r.getMessage()]


# --- the database out of reach ----------------------------------------------------------


@pytest.fixture
def unreachable(app, tmp_path) -> Iterator[tuple]:
    """An application whose SQLite file cannot be opened: its folder does not exist yet."""
    folder = tmp_path / "absent"
    application = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite3'}",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "MAIL_FILE_DIR": str(tmp_path / "mail"),
        }
    )
    errors.outage.since = None
    yield application, folder
    errors.outage.since = None
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_database_out_of_reach_answers_503_everywhere_then_recovers(unreachable, caplog):
    application, folder = unreachable
    client = application.test_client()
    caplog.set_level(logging.WARNING, logger="committees")

    page = client.get("/")
    english = client.get("/", headers={"Accept-Language": "en"})
    api = client.get("/api/v1/committees")
    feed = client.get("/committees/cannabis/calendar.ics")
    health = client.get("/healthz")

    assert page.status_code == 503
    assert page.headers["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert UNAVAILABLE in text_of(page)
    assert "Traceback" not in page.get_data(as_text=True)
    assert english.status_code == 503
    assert "Service temporarily unavailable" in text_of(english)
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert api.json["status"] == 503
    assert int(api.headers["Retry-After"]) >= errors.RETRY_AFTER_SECONDS
    assert feed.status_code == 503
    assert feed.mimetype == "text/plain"
    assert feed.headers["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert health.status_code == 503
    # One warning for the outage, naming the first request; no stack trace per request.
    (warning,) = _warnings(caplog, "Database unavailable")
    assert f"id={page.headers['X-Request-ID']}" in warning.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    # The database comes back: the next requests are served, without a restart.
    folder.mkdir()
    with application.app_context():
        _db.create_all()
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/committees").status_code == 200
    assert len(_warnings(caplog, "Database answers again")) == 1
    assert len(_warnings(caplog, "Database unavailable")) == 1


def test_a_signed_in_person_gets_the_unavailable_page_too(unreachable):
    application, _folder = unreachable
    client = application.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a-session-token"
        session["_fresh"] = True
    response = client.get("/my/contributions")
    assert response.status_code == 503
    assert UNAVAILABLE in text_of(response)


# --- a statement too long (PostgreSQL: every pass uses the machine's server) -------------


def test_the_statement_limit_and_the_ping_are_settings(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db.internal/committees")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_MS", raising=False)
    monkeypatch.delenv("DATABASE_POOL_PRE_PING", raising=False)
    assert config.load("development")["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_recycle": 1800}
    production = config.load("production")["SQLALCHEMY_ENGINE_OPTIONS"]
    assert production["connect_args"] == {"options": "-c statement_timeout=30000"}
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT_MS", "0")
    monkeypatch.setenv("DATABASE_POOL_PRE_PING", "on")
    assert config.load("production")["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_recycle": 1800,
        "pool_pre_ping": True,
    }


def test_a_statement_longer_than_the_limit_is_cut_and_answered_503(tmp_path, monkeypatch):
    with postgresql_server_url("faults_timeout") as url:
        # Through the environment, as an operator sets it.
        monkeypatch.setenv("TEST_DATABASE_URL", url)
        monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT_MS", "300")
        application = create_app({"PROFILE": "testing", "UPLOAD_FOLDER": str(tmp_path / "uploads")})
        options = application.config["SQLALCHEMY_ENGINE_OPTIONS"]
        assert options["connect_args"] == {"options": "-c statement_timeout=300"}

        @application.get("/slow")
        def slow():
            _db.session.execute(text("SELECT pg_sleep(5)"))
            return "done"

        @application.get("/quick")
        def quick():
            return str(_db.session.execute(text("SELECT 41 + 1")).scalar())

        errors.outage.since = None
        client = application.test_client()
        started = time.monotonic()
        response = client.get("/slow")
        elapsed = time.monotonic() - started
        try:
            assert response.status_code == 503
            assert response.headers["Retry-After"]
            assert UNAVAILABLE in text_of(response)
            assert elapsed < 3
            assert client.get("/quick").get_data(as_text=True) == "42"
        finally:
            errors.outage.since = None
            with application.app_context():
                _db.session.remove()
                _db.engine.dispose()


# --- the upload folder full or read-only ------------------------------------------------


@contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[bool]:
    """A tiny tmpfs on ``folder`` when this machine lets the suite mount one (root in a
    container usually may); False when it may not."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )
    except OSError:  # no mount command
        mounted = False
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture(params=["full", "read-only"])
def unusable_uploads(request, app, tmp_path, monkeypatch) -> Iterator[Path]:
    """The upload folder full (a 64 KiB tmpfs) or read-only (a tmpfs mounted read-only).

    Where mounting is refused, a folder path that is a file: the store can write nothing
    under it either (chmod would not do: the suite may run as root)."""
    folder = tmp_path / "uploads"
    options = "64k" if request.param == "full" else "64k,ro"
    with _tmpfs(folder, options) as mounted:
        if not mounted:
            folder.rmdir()
            folder.write_bytes(b"")
        monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
        yield folder


def _files_under(folder: Path) -> list[Path]:
    return uploaded_files(folder) if folder.is_dir() else []


_KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')


def _contribution_form(client, call) -> dict:
    html = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    key = _KEY.search(html)
    assert key, "no idempotency key in the form"
    return {"csrf_token": csrf_token_from(html), "idempotency_key": unescape(key[1])}


def _send(client, call, tokens, data: bytes):
    payload = {
        **tokens,
        **form_data(text="Notre analyse détaillée des semences certifiées."),
        "attachments": [(io.BytesIO(data), "analyse.pdf")],
    }
    return client.post(
        f"/calls/{call.id}/contribute", data=payload, content_type="multipart/form-data"
    )


def test_a_contribution_to_an_unusable_folder_keeps_the_form_and_nothing_else(
    app, client, db, signed_in, unusable_uploads, monkeypatch
):
    signed_in(Role.CONTRIBUTOR, email="claire@example.org")
    call = make_call()
    tokens = _contribution_form(client, call)
    big = pdf_bytes("x" * 200_000)  # more than the full folder holds

    refused = _send(client, call, tokens, big)

    assert refused.status_code == 507
    page = text_of(refused)
    assert "Les fichiers ne peuvent pas être enregistrés pour le moment" in page
    html = refused.get_data(as_text=True)
    assert "Coopérative Chanvre du Berry" in html
    assert "Notre analyse détaillée des semences certifiées." in html
    assert tokens["idempotency_key"] in html  # sent again, it is the same submission
    assert count_rows(db, Contribution) == 0
    assert _files_under(unusable_uploads) == []

    # The folder is usable again: the same form, sent again, records one contribution.
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(unusable_uploads.parent / "fine"))
    accepted = _send(client, call, tokens, big)
    again = _send(client, call, tokens, big)
    assert accepted.status_code == again.status_code == 302
    assert accepted.headers["Location"] == again.headers["Location"]
    assert count_rows(db, Contribution) == 1
    receipt = db.session.execute(select(Contribution.receipt)).scalar_one()
    assert receipt in text_of(client.get(accepted.headers["Location"]))


def test_an_agenda_document_to_an_unusable_folder_is_refused_cleanly(
    client, db, secretary, meeting, unusable_uploads
):
    item = agenda.add_item(meeting, title="Point d'étape", kind="discussion")
    db.session.commit()
    response = post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/items/{item.id}/documents",
        {
            "title": "Rapport d'étape du groupe de travail",
            "visibility": "members",
            "file": (io.BytesIO(pdf_bytes("y" * 200_000)), "rapport.pdf"),
        },
        form_url=f"/secretariat/meetings/{meeting.id}/items/{item.id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 507
    assert "Les fichiers ne peuvent pas être enregistrés pour le moment" in text_of(response)
    assert "Rapport d&#39;étape du groupe de travail" in response.get_data(as_text=True)
    assert count_rows(db, AgendaDocument) == 0
    assert _files_under(unusable_uploads) == []


# --- the mail server down -----------------------------------------------------------------


@contextmanager
def _smtp(capture: SMTPCapture) -> Iterator[None]:
    from aiosmtpd.controller import Controller

    controller = Controller(capture, hostname=capture.host, port=capture.port)
    controller.start()
    try:
        yield
    finally:
        controller.stop()


@pytest.mark.smtp
def test_the_outbox_keeps_waiting_mail_and_says_since_when(
    app, client, db, secretariat, monkeypatch
):
    capture = SMTPCapture("127.0.0.1", free_port())
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", capture.host)
    monkeypatch.setitem(app.config, "MAIL_PORT", capture.port)
    assert "Aucun message en attente d'envoi." in text_of(client.get("/outbox/"))
    queue_message("expert@example.org", "Convocation du 4 mai", "Bonjour")
    db.session.commit()

    # The server is down: the message stays, tried once, due again later.
    down = app.test_cli_runner().invoke(args=["send-mail"])
    assert "deferred 1" in down.output
    db.session.expire_all()
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING.value, 1)
    assert message.next_attempt_at > message.created_at
    page = text_of(client.get("/outbox/"))
    assert "1 message attend d'être envoyé depuis le" in page
    assert "Prochain essai" in page

    # The server is back: once the message is due, it is sent, once.
    with _smtp(capture):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=message.created_at))
        db.session.commit()
        up = app.test_cli_runner().invoke(args=["send-mail"])
    assert "sent 1" in up.output, up.output
    assert [m["Subject"] for m in capture.messages] == ["Convocation du 4 mai"]
    assert "Aucun message en attente d'envoi." in text_of(client.get("/outbox/"))
