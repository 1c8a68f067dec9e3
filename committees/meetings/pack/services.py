"""Session packs as rows: what a member's pack holds (its key), asking for a build, the
queue ``flask packs build`` works through, and building one pack into the file store.

A pack is personal (the member's recusals shape it) and cached per (session, mandate)
under the hash of what it holds: a replaced document, an added one, a new recusal or a
changed agenda line make a new key, so a stale pack is never served. Small sessions are
built in the request; larger ones are queued. Functions flush; the caller commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from committees.bodies.models import Mandate
from committees.common import filestore
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.conduct.recusals import MemberAccess, item_barrings
from committees.meetings.conduct.services import expected_mandates
from committees.meetings.models import AgendaDocument, AgendaItem, Meeting, PackBuild, PackStatus
from committees.meetings.pack.builder import build_pack

log = logging.getLogger(__name__)

#: raise when the pack's layout changes: every cached pack is then rebuilt
PACK_FORMAT = 1


def access_of(meeting: Meeting, mandate: Mandate) -> MemberAccess:
    """What ``mandate``'s member may read of ``meeting`` (the recusal rule)."""
    return MemberAccess(mandate, item_barrings(meeting, mandate))


def state_key(meeting: Meeting, access: MemberAccess) -> str:
    """SHA-256 of everything the member's pack shows: the session's facts, each agenda
    line, the member's recusals and each document they may read with its version."""
    person = access.mandate.person
    state = {
        "format": PACK_FORMAT,
        "mandate": access.mandate.id,
        "person": [person.first_name, person.last_name],
        "meeting": [
            meeting.id,
            meeting.number,
            meeting.title,
            meeting.starts_at.isoformat(),
            meeting.ends_at.isoformat(),
            meeting.place or "",
        ],
        "items": [
            [
                item.id,
                item.position,
                item.title,
                item.kind,
                item.is_public,
                item.rapporteur,
                _barring_state(access, item),
                [[d.id, d.version, d.sha256, d.title] for d in access.documents(item)],
            ]
            for item in sorted(meeting.items, key=lambda i: (i.position, i.id))
        ],
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def _barring_state(access: MemberAccess, item: AgendaItem) -> str:
    barring = access.barrings.get(item.id)
    if barring is None:
        return ""
    return "recused" if barring.recused else "flagged"


def pack_row(meeting: Meeting, mandate: Mandate) -> PackBuild | None:
    """The member's pack row of the session, if one was ever asked for."""
    return db.session.execute(
        select(PackBuild).where(
            PackBuild.meeting_id == meeting.id, PackBuild.mandate_id == mandate.id
        )
    ).scalar_one_or_none()


def is_current(row: PackBuild | None, key: str) -> bool:
    """A built pack whose content is still what the member should get, file present."""
    return (
        row is not None
        and row.status == PackStatus.READY
        and row.state_key == key
        and row.sha256 is not None
        and filestore.exists(row.sha256)
    )


def request_pack(meeting: Meeting, mandate: Mandate) -> PackBuild:
    """Ask for the member's pack: an up-to-date row is returned as it is, a stale or
    missing one becomes a pending build (the queue of ``flask packs build``)."""
    key = state_key(meeting, access_of(meeting, mandate))
    row = pack_row(meeting, mandate)
    if is_current(row, key):
        return row
    if row is None:
        row = PackBuild(meeting_id=meeting.id, mandate_id=mandate.id, state_key=key)
        db.session.add(row)
    if row.state_key != key or row.status != PackStatus.PENDING:
        row.state_key = key
        row.status = PackStatus.PENDING.value
        row.requested_at = utcnow()
        row.error = ""
    db.session.flush()
    return row


def request_session(meeting: Meeting) -> int:
    """Queue the pack of every expected member whose pack is stale (a document replaced,
    a recusal decided...); return how many were queued."""
    queued = 0
    for mandate in expected_mandates(meeting):
        if request_pack(meeting, mandate).status == PackStatus.PENDING:
            queued += 1
    return queued


def documents_bytes(meeting: Meeting) -> int:
    """The total size of the session's documents (one query)."""
    return db.session.execute(
        select(func.coalesce(func.sum(AgendaDocument.size), 0))
        .join(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
    ).scalar_one()


def builds_in_request(meeting: Meeting) -> bool:
    """Whether a pack of this session is small enough to be built while the member waits
    (PACK_SYNC_MAX_BYTES of documents at most); larger ones go to the queue."""
    return documents_bytes(meeting) <= current_app.config["PACK_SYNC_MAX_BYTES"]


def build(row: PackBuild) -> PackBuild:
    """Build the pack of ``row`` now (its key recomputed: the state may have moved since
    it was queued) into the file store; a failure is recorded on the row, not raised."""
    meeting = db.session.get(Meeting, row.meeting_id)
    mandate = db.session.get(Mandate, row.mandate_id)
    access = access_of(meeting, mandate)
    root = Path(current_app.config["UPLOAD_FOLDER"])
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".pack-", suffix=".pdf")
        os.close(fd)
        try:
            pages = build_pack(meeting, mandate, access, Path(tmp))
            size = Path(tmp).stat().st_size
            digest = filestore.store_path(Path(tmp))
        finally:
            Path(tmp).unlink(missing_ok=True)
    except Exception as error:
        log.exception("pack %s of meeting %s failed", row.id, row.meeting_id)
        row.status = PackStatus.FAILED.value
        row.error = str(error)[:2000]
        db.session.flush()
        return row
    row.state_key = state_key(meeting, access)
    row.status = PackStatus.READY.value
    row.sha256, row.size, row.page_count = digest, size, pages
    row.built_at = utcnow()
    row.error = ""
    db.session.flush()
    return row


def ensure_pack(meeting: Meeting, mandate: Mandate) -> PackBuild:
    """The member's pack: current, built now when the session is small, else queued."""
    row = request_pack(meeting, mandate)
    if row.status == PackStatus.PENDING and builds_in_request(meeting):
        build(row)
    return row


def pack_state(meeting: Meeting, mandate: Mandate) -> str:
    """What the session page says of the member's pack: "ready", "pending" (en
    préparation), "failed", or "none" (not asked for yet, or stale: built on demand)."""
    row = pack_row(meeting, mandate)
    if row is None:
        return "none"
    key = state_key(meeting, access_of(meeting, mandate))
    if is_current(row, key):
        return "ready"
    if row.status == PackStatus.PENDING:
        return "pending"
    return "failed" if row.status == PackStatus.FAILED and row.state_key == key else "none"


def process_queue(limit: int | None = None) -> tuple[int, int]:
    """Build the pending packs, oldest request first, committing after each; return
    (built, failed)."""
    query = (
        select(PackBuild.id)
        .where(PackBuild.status == PackStatus.PENDING)
        .order_by(PackBuild.requested_at, PackBuild.id)
    )
    if limit:
        query = query.limit(limit)
    built = failed = 0
    for row_id in db.session.execute(query).scalars().all():
        row = db.session.get(PackBuild, row_id)
        if row is None or row.status != PackStatus.PENDING:
            continue
        build(row)
        db.session.commit()
        if row.status == PackStatus.READY:
            built += 1
        else:
            failed += 1
    return built, failed
