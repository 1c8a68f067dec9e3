"""Probes for load balancers and monitoring.

``/healthz`` is liveness: the process answers and its database too. ``/readyz`` is
readiness: everything a request may need is there — the database, a writable upload
folder, Redis when ``REDIS_URL`` is set, and an outbox that is being delivered (no
message waiting longer than ``READY_OUTBOX_MAX_AGE`` seconds). Each check is reported by
name; 503 when one fails.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from committees.common.timeutils import utcnow
from committees.extensions import db, limiter
from committees.mail.models import OutboxMessage, OutboxStatus

bp = Blueprint("health", __name__)


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when the database answers, 503 otherwise; never cached."""
    try:
        db.session.execute(text("SELECT 1"))
        body, status = {"status": "ok", "database": "ok"}, 200
    except SQLAlchemyError:
        db.session.rollback()
        body, status = {"status": "error", "database": "unreachable"}, 503
    return _answer(body, status)


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """200 with every check "ok", or 503 naming the checks that failed."""
    checks = {
        "database": _database(),
        "uploads": _uploads(),
        "outbox": _outbox(),
    }
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis(current_app.config["REDIS_URL"])
    ready = all(value == "ok" for value in checks.values())
    return _answer({"status": "ok" if ready else "error", "checks": checks}, 200 if ready else 503)


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    return "ok"


def _redis(url: str) -> str:
    # Rate limits are shared there; without it each worker counts alone (pages keep working,
    # see errors.py and the README's "When something fails"), which operators must know.
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        return "unreachable"
    finally:
        client.close()
    return "ok"


def _uploads() -> str:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return "missing"
    return "ok" if os.access(folder, os.W_OK | os.X_OK) else "not writable"


def _outbox() -> str:
    limit = timedelta(seconds=current_app.config["READY_OUTBOX_MAX_AGE"])
    try:
        late = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING.value,
                OutboxMessage.next_attempt_at < utcnow() - limit,
            )
        )
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    return "ok" if not late else f"{late} message(s) waiting for more than {limit}"
