"""A contribution's receipt: its number, gap-free within the call and never given twice,
and the receipt e-mail sent to the contributor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # Windows: SQLite's own busy handler only
    fcntl = None  # type: ignore[assignment]

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from committees.calls.models import Call, Contribution
from committees.common.urls import public_url
from committees.extensions import db
from committees.mail.services import queue_email


def next_receipt_number(call: Call) -> int:
    """Raise the call's receipt counter in the current transaction and return the new number.

    One UPDATE ... RETURNING: the row lock (PostgreSQL) or the write lock (SQLite)
    serialises concurrent submitters, and a rollback takes the number back, so that
    numbers are gap-free and never given twice.
    """
    number = db.session.execute(
        update(Call)
        .where(Call.id == call.id)
        .values(last_receipt_number=Call.last_receipt_number + 1)
        .returning(Call.last_receipt_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    # The loaded Call would otherwise keep the old value (and audit a change it did not make).
    set_committed_value(call, "last_receipt_number", number)
    return number


@contextmanager
def writers_queue() -> Iterator[None]:
    """On a SQLite file, wait for the database's single write lock in a kernel queue.

    SQLite's own busy handler makes a waiting writer sleep and retry (up to 100 ms per
    nap), so that under a rush of submissions the lock is often free while everyone
    sleeps, and an unlucky writer starves for seconds. An exclusive flock() on a file
    beside the database, taken just before the counter and released after the commit,
    wakes the next submitter (any thread or process) as soon as the previous one is
    done. PostgreSQL queues row-lock waiters itself: nothing to do there.
    """
    path = _lock_path()
    if path is None:
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_path() -> str | None:
    url = db.engine.url
    if fcntl is None or url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    return f"{url.database}-receipts.lock"


def queue_receipt(contribution: Contribution) -> None:
    """Queue the receipt e-mail of a new contribution: its number, its files, its page."""
    contributor = contribution.contributor
    queue_email(
        contributor.email,
        lambda: _(
            "Accusé de réception de votre contribution %(receipt)s", receipt=contribution.receipt
        ),
        "calls/receipt",
        locale=contributor.locale,
        kind="calls_receipt",
        contribution=contribution,
        call=contribution.call,
        files=[a for a in contribution.attachments if a.current],
        follow_url=public_url("contributions.detail", contribution_id=contribution.id),
    )
