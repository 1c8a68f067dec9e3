"""What operators rely on: the readiness probe, request ids, one log line per request."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from committees.common.timeutils import utcnow
from committees.mail.models import OutboxMessage
from committees.observability import access_log
from tests.support.helpers import text_of


@pytest.fixture
def lines():
    """The access log lines written during the test."""
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Keep()
    access_log.addHandler(handler)
    yield records
    access_log.removeHandler(handler)


def test_ready_when_database_uploads_and_outbox_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "uploads": "ok", "outbox": "ok"},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_not_ready_when_the_outbox_is_stuck(client, db):
    db.session.add(
        OutboxMessage(
            recipient="a@example.org",
            subject="s",
            body_text="t",
            kind="test",
            message_id="<stuck@example.org>",
            next_attempt_at=utcnow() - timedelta(hours=3),
        )
    )
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["outbox"].startswith("1 message(s) waiting")


def test_not_ready_when_uploads_cannot_be_written(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    saved = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(blocker / "uploads")
    try:
        response = client.get("/readyz")
    finally:
        app.config["UPLOAD_FOLDER"] = saved
    assert response.status_code == 503
    assert response.get_json()["checks"]["uploads"] == "missing"


@pytest.mark.parametrize(
    ("url", "expected", "status"),
    [
        ("redis://127.0.0.1:6379/14", "ok", 200),
        # A port nothing listens on (the suite's SMTP and servers use high random ports).
        ("redis://127.0.0.1:9/0", "unreachable", 503),
    ],
)
def test_redis_is_checked_when_configured(app, client, url, expected, status):
    app.config["REDIS_URL"] = url
    try:
        response = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = None
    assert response.get_json()["checks"]["redis"] == expected
    assert response.status_code == status


def test_every_answer_has_a_request_id_and_a_log_line(client, lines):
    response = client.get("/committees", headers={"X-Request-ID": "proxy-1234abcd"})
    assert response.headers["X-Request-ID"] == "proxy-1234abcd"
    assert any("GET /committees 200" in line and "id=proxy-1234abcd" in line for line in lines)
    # An id that could forge log lines is replaced.
    other = client.get("/committees", headers={"X-Request-ID": "x forged=line"})
    assert other.headers["X-Request-ID"] != "x forged=line"
    assert len(other.headers["X-Request-ID"]) == 32


def test_production_logs_json_lines(app, client, lines):
    app.config["LOG_JSON"] = True
    try:
        client.get("/healthz")
    finally:
        app.config["LOG_JSON"] = False
    record = json.loads(lines[-1])
    assert record["path"] == "/healthz"
    assert record["status"] == 200
    assert len(record["request_id"]) == 32
    assert record["duration_ms"] >= 0


def test_the_500_page_shows_the_request_id_to_quote(probe):
    response = probe.get("/boom", headers={"X-Request-ID": "support-5678efgh"})
    assert response.status_code == 500
    assert "support-5678efgh" in text_of(response)
    assert response.headers["X-Request-ID"] == "support-5678efgh"
