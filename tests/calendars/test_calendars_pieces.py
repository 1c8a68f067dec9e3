"""VEVENTs kept in the database for every worker, and one session's .ics served like a
feed: what a calendar client receives, and what the database holds (and never exports)."""

from __future__ import annotations

import zipfile
from datetime import timedelta

import flask_migrate
from sqlalchemy import select, text

from committees.calendars import revision
from committees.calendars.content import TIMEZONE, session_event, texts
from committees.calendars.models import CalendarEventPiece
from committees.common.ics import build_calendar, to_bytes
from committees.common.timeutils import paris_today
from committees.privacy.export import personal_data
from committees.privacy.subjects import subject_for_user
from tests.support.backups import backup, restore, seed
from tests.support.calendars import (
    SECRET_LINK,
    feed_url,
    fresh_cache,
    make_committee,
    member_with_mandate,
    parse,
    session_with_items,
    unfolded,
)

SOON = paris_today() + timedelta(days=30)


def _pieces(db) -> list[tuple[int, str, bytes]]:
    rows = db.session.execute(
        select(
            CalendarEventPiece.meeting_id, CalendarEventPiece.variant, CalendarEventPiece.body
        ).order_by(CalendarEventPiece.meeting_id, CalendarEventPiece.variant)
    ).all()
    db.session.rollback()  # the next read sees what requests committed since
    return [(mid, variant, bytes(body)) for mid, variant, body in rows]


def _whole(app, meetings, *, members: bool, name: str, refresh: bool = True) -> bytes:
    """The feed as icalendar writes it for the whole Calendar."""
    with app.test_request_context():
        t = texts("fr")
        return to_bytes(
            build_calendar(
                [session_event(m, t, members=members) for m in meetings],
                name=name,
                refresh_interval=timedelta(hours=1) if refresh else None,
                calscale="GREGORIAN",
                timezone_name=TIMEZONE,
            )
        )


def test_a_worker_holding_nothing_assembles_the_feed_from_kept_pieces(
    app, client, db, make_user, count_queries
):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    first = session_with_items(db, cst, SOON)
    second = session_with_items(db, cst, SOON + timedelta(days=400), is_public=False)
    url = feed_url(db, member)
    built = client.get(url).get_data()
    assert [(mid, variant) for mid, variant, _ in _pieces(db)] == [
        (first.id, "fr:members"),
        (second.id, "fr:members"),
    ]

    # A new worker, or a restarted server: nothing in memory.
    fresh_cache()
    with count_queries() as queries:
        body = client.get(url).get_data()
    # Fingerprint, session keys, kept pieces: no session loaded, nothing built.
    assert len(queries) == 3
    assert "FROM calendar_event_pieces" in queries[-1]
    assert body == built == _whole(app, [first, second], members=True, name="Mes séances — ANSM")


def test_a_changed_session_replaces_its_piece_and_a_deleted_one_takes_its_pieces(
    client, db, make_user
):
    cst = make_committee(db)
    member = member_with_mandate(db, make_user, cst)
    kept = session_with_items(db, cst, SOON)
    changed = session_with_items(db, cst, SOON + timedelta(days=7))
    url = feed_url(db, member)
    client.get(url)
    before = dict((mid, body) for mid, _, body in _pieces(db))

    changed.title = "Séance déplacée en salle B"
    db.session.commit()
    fresh_cache()
    feed = parse(client.get(url))
    assert "Séance déplacée en salle B" in str(feed.event(changed.uid)["SUMMARY"])
    after = dict((mid, body) for mid, _, body in _pieces(db))
    assert after[kept.id] == before[kept.id]
    assert "Séance déplacée en salle B" in unfolded(after[changed.id].decode())
    assert len(after) == 2  # replaced, not added

    db.session.delete(changed)
    db.session.commit()
    assert [mid for mid, _, _ in _pieces(db)] == [kept.id]


def test_one_sessions_ics_shares_the_feeds_piece_and_revalidates_with_one_revision_read(
    app, client, db, count_queries
):
    cst = make_committee(db)
    meeting = session_with_items(db, cst, SOON)
    client.get(f"/committees/{cst.slug}/calendar.ics")
    fresh_cache()

    url = f"/meetings/{meeting.id}.ics"
    with count_queries() as queries:
        first = client.get(url)
    # Validators and title, session keys, the committee feed's piece.
    assert len(queries) == 3
    assert "FROM calendar_event_pieces" in queries[-1]
    assert first.get_data() == _whole(app, [meeting], members=False, name=meeting.title,
                                      refresh=False)  # fmt: skip
    assert first.headers["Content-Disposition"] == f'attachment; filename="seance-{meeting.id}.ics"'
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")

    reads = revision.reads()
    with count_queries() as queries:
        revalidated = client.get(url, headers={"If-None-Match": etag})
        again = client.get(url)
    assert revalidated.status_code == 304
    assert revalidated.headers["ETag"] == etag
    assert again.get_data() == first.get_data()
    assert queries == []
    assert revision.reads() == reads + 2

    # Never stale: a change is in the next answer.
    meeting.place = "Salle du conseil"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Salle du conseil" in unfolded(parse(changed).raw)
    meeting.is_public = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_members_pieces_are_neither_exported_nor_backed_up_and_a_restore_empties_them(
    app, client, db, make_user, tmp_path
):
    flask_migrate.stamp()
    try:
        seed(app)
        cst = make_committee(db, name="Comité des pièces", acronym="CPI")
        member = member_with_mandate(db, make_user, cst)
        session_with_items(db, cst, SOON)
        assert SECRET_LINK in unfolded(client.get(feed_url(db, member)).get_data(as_text=True))
        assert any(variant == "fr:members" for _, variant, _ in _pieces(db))

        document, _found = personal_data(subject_for_user(member))
        assert SECRET_LINK not in str(document)

        archive = tmp_path / "backup.zip"
        backup(app, archive)
        with zipfile.ZipFile(archive) as zf:
            assert "database/calendar_event_pieces.jsonl" not in zf.namelist()
            for name in zf.namelist():
                assert b"BEGIN:VEVENT" not in zf.read(name), name

        result = restore(app, archive, "--force")
        assert result.exit_code == 0, result.output
        assert _pieces(db) == []
    finally:
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
