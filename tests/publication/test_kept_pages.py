"""Anonymous public pages are kept and served again, never stale, never someone's own.

Each test reads what a visitor receives: the bytes, the ETag, the 304, and the
``X-Page-Cache`` header saying whether the answer came from what the worker kept
(``local``), from Redis (``shared``) or was built (``miss``).
"""

from __future__ import annotations

import time
from datetime import timedelta

import flask_migrate
from sqlalchemy import select, text, update

from committees.audit.models import AuditEntry
from committees.bodies.models import Committee
from committees.calendars import revision as calendar_revision
from committees.common.timeutils import utcnow
from committees.publication import revision
from tests.support.backups import backup, restore
from tests.support.calls import make_call, make_committee
from tests.support.helpers import open_session


def _committee_api(committee: Committee) -> str:
    return f"/api/v1/committees/{committee.slug}"


def test_a_kept_answer_is_the_same_bytes_and_is_revalidated_with_a_304(client, db):
    committee = make_committee("Comité des usages médicaux")
    path = f"/committees/{committee.slug}"

    first = client.get(path)
    again = client.get(path)
    revalidated = client.get(path, headers={"If-None-Match": again.headers["ETag"]})

    assert first.status_code == again.status_code == 200
    assert (first.headers["X-Page-Cache"], again.headers["X-Page-Cache"]) == ("miss", "local")
    assert again.data == first.data
    assert "Comité des usages médicaux" in again.text
    assert again.headers["ETag"] == first.headers["ETag"]
    assert not again.headers["ETag"].startswith("W/")  # strong
    assert again.headers["Cache-Control"] == "public, no-cache"
    assert {"Cookie", "Accept-Language"} <= set(again.headers["Vary"].replace(" ", "").split(","))
    assert "Set-Cookie" not in first.headers
    assert "Set-Cookie" not in again.headers
    assert (revalidated.status_code, revalidated.data) == (304, b"")
    # Headers of one request are never kept: each answer has its own request id.
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_a_change_through_the_orm_is_seen_by_the_very_next_request(client, db):
    committee = make_committee("Comité A")
    client.get(_committee_api(committee))
    assert client.get(_committee_api(committee)).headers["X-Page-Cache"] == "local"

    committee.name_fr = "Comité renommé par le secrétariat"
    db.session.commit()
    answer = client.get(_committee_api(committee))

    assert answer.headers["X-Page-Cache"] == "miss"
    assert answer.json["name"] == "Comité renommé par le secrétariat"


def test_a_change_through_a_bulk_statement_is_seen_by_the_very_next_request(client, db):
    committee = make_committee("Comité B")
    client.get(_committee_api(committee))

    db.session.execute(
        update(Committee).where(Committee.id == committee.id).values(name_fr="Renommé en masse")
    )
    db.session.commit()
    answer = client.get(_committee_api(committee))

    assert answer.json["name"] == "Renommé en masse"


def test_a_rolled_back_change_moves_nothing(client, db):
    committee = make_committee("Comité C")
    client.get(_committee_api(committee))
    before = revision.current()

    committee.name_fr = "Jamais enregistré"
    db.session.flush()
    db.session.rollback()

    assert revision.current() == before
    answer = client.get(_committee_api(committee))
    assert answer.headers["X-Page-Cache"] == "local"
    assert answer.json["name"] == "Comité C"


def test_rows_no_public_page_reads_keep_the_pages(client, db):
    committee = make_committee("Comité D")
    client.get(_committee_api(committee))
    before = revision.current()

    entry = AuditEntry(action="update", entity_type="committees", entity_id=1, actor_label="x")
    db.session.add(entry)
    db.session.commit()

    assert revision.current() == before
    assert client.get(_committee_api(committee)).headers["X-Page-Cache"] == "local"


def test_raw_sql_is_not_seen_until_flask_pages_forget(app, client, db):
    committee = make_committee("Comité E")
    client.get(_committee_api(committee))

    db.session.execute(
        text("UPDATE committees SET name_fr = 'Changé à la main' WHERE id = :id"),
        {"id": committee.id},
    )
    db.session.commit()
    # What the README says: a change behind the application's back is not seen...
    assert client.get(_committee_api(committee)).json["name"] == "Comité E"

    result = app.test_cli_runner().invoke(args=["pages", "forget"])

    assert result.exit_code == 0, result.output
    assert "built again" in result.output
    # ... until the operator says so.
    assert client.get(_committee_api(committee)).json["name"] == "Changé à la main"


def test_signed_in_visitors_are_never_answered_from_kept_pages(app, client, db, make_user):
    committee = make_committee("Comité F")
    reader = make_user(email="lecteur@example.org", full_name="Lectrice Connectée")
    path = f"/committees/{committee.slug}"
    client.get(path)
    assert client.get(path).headers["X-Page-Cache"] == "local"

    member = app.test_client()
    open_session(member, reader)
    signed_in = member.get(path)

    assert "X-Page-Cache" not in signed_in.headers
    assert "Lectrice Connectée" in signed_in.text
    assert signed_in.headers["Cache-Control"] == "private, no-cache"
    # ... and what they saw is never kept for anybody else.
    anonymous = app.test_client().get(path)
    assert anonymous.headers["X-Page-Cache"] == "local"
    assert "Lectrice Connectée" not in anonymous.text


def test_a_call_page_changes_when_its_deadline_passes(client, db):
    call = make_call(closes_at=utcnow() + timedelta(seconds=2))
    path = f"/calls/{call.id}"
    assert "L'appel est clos." not in client.get(path).text
    assert client.get(path).headers["X-Page-Cache"] == "local"

    time.sleep(max(0.0, (call.closes_at - utcnow()).total_seconds()) + 0.2)
    answer = client.get(path)

    assert answer.headers["X-Page-Cache"] == "miss"
    assert "L'appel est clos." in answer.text


def test_a_countdown_is_kept_only_until_it_would_read_differently(client, db):
    # 64 s left reads « 1 minute » for 4 s more, then « moins d'une minute ».
    call = make_call(closes_at=utcnow() + timedelta(seconds=64))
    path = f"/calls/{call.id}"
    assert "Il reste 1 minute" in client.get(path).text
    assert client.get(path).headers["X-Page-Cache"] == "local"

    time.sleep(max(0.0, (call.closes_at - utcnow()).total_seconds() - 60) + 0.2)
    answer = client.get(path)

    assert answer.headers["X-Page-Cache"] == "miss"
    assert "Il reste moins d&#39;une minute" in answer.text


def test_no_view_kept_for_everybody_names_a_secret_in_its_address(app):
    kept = [
        rule
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "public_page", False)
    ]
    assert len(kept) >= 30
    for rule in kept:
        assert not {"token", "code"} & set(rule.arguments), rule.rule
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_the_revision_row_moves_with_each_committed_public_change(db):
    committee = make_committee("Comité G")
    first = revision.current()
    committee.mission_fr = "Une mission précisée"
    db.session.commit()
    second = revision.current()

    assert second[0] == first[0] + 1
    assert db.session.scalar(select(Committee.mission_fr)) == "Une mission précisée"


def test_a_restore_moves_the_revisions_past_the_archived_ones(app, db, tmp_path):
    make_committee("Comité H")
    flask_migrate.stamp()
    try:
        backup(app, tmp_path / "archive.zip")
        archived = (revision.current(), calendar_revision.current())
        result = restore(app, tmp_path / "archive.zip", "--force")
        assert result.exit_code == 0, result.output
        restored = (revision.current(), calendar_revision.current())
    finally:
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()

    assert restored[0][0] == archived[0][0] + 1
    assert restored[1][0] == archived[1][0] + 1
    assert restored[0][1] > archived[0][1]


def test_a_kept_answer_carries_every_header_the_built_one_had(client, db, caplog):
    committee = make_committee("Comité des en-têtes")
    path = _committee_api(committee)

    built = client.get(path)
    with caplog.at_level("INFO", logger="committees.access"):
        kept = client.get(path, headers={"X-Request-ID": "relais-0123456789"})

    assert kept.headers["X-Page-Cache"] == "local"
    # What belongs to one request or one client (its rate limit) is never kept.
    per_request = {"Date", "X-Request-ID", "X-Page-Cache", "Content-Length", "Retry-After"}

    def lasting(answer):
        return {
            k: v for k, v in answer.headers if k not in per_request and not k.startswith("X-Rate")
        }

    assert lasting(kept) == lasting(built)
    assert "X-RateLimit-Limit" in built.headers
    # The security headers and the API's CORS are part of what was kept.
    assert kept.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in kept.headers["Content-Security-Policy"]
    assert kept.headers["Access-Control-Allow-Origin"] == "*"
    # A sane request id from the proxy is sent back and logged, as for a built answer.
    assert kept.headers["X-Request-ID"] == "relais-0123456789"
    lines = [r.getMessage() for r in caplog.records if r.name == "committees.access"]
    assert any("relais-0123456789" in line and path in line and "200" in line for line in lines)


def test_a_head_request_is_answered_from_the_kept_page_without_its_body(client, db):
    committee = make_committee("Comité HEAD")
    path = f"/committees/{committee.slug}"
    full = client.get(path)

    head = client.head(path)

    assert head.status_code == 200
    assert head.headers["X-Page-Cache"] == "local"
    assert head.data == b""
    assert head.headers["ETag"] == full.headers["ETag"]
    assert int(head.headers["Content-Length"]) == len(full.data)


def test_the_language_of_a_kept_page_is_the_one_the_visitor_asked_for(client, db):
    committee = make_committee("Comité des langues")
    path = f"/committees/{committee.slug}"

    french = client.get(path, headers={"Accept-Language": "fr"})
    english_by_browser = client.get(path, headers={"Accept-Language": "en"})
    english_by_address = client.get(f"/en{path}")
    english_by_query = client.get(f"{path}?lang=en", headers={"Accept-Language": "fr"})
    french_again = client.get(path, headers={"Accept-Language": "fr-FR,fr;q=0.9"})

    assert '<html lang="fr">' in french.text
    assert '<html lang="en">' in english_by_browser.text
    assert '<html lang="en">' in english_by_address.text
    assert '<html lang="en">' in english_by_query.text
    assert french_again.headers["X-Page-Cache"] == "local"
    assert french_again.data == french.data
    assert english_by_browser.data != french.data
    # Only the page whose language came from the browser varies on its header.
    assert "Accept-Language" in english_by_browser.headers["Vary"]
    assert "Accept-Language" not in english_by_address.headers["Vary"]


def test_a_page_the_store_cannot_answer_is_built(app, client, db, monkeypatch):
    from committees.publication import store

    committee = make_committee("Comité sans mémoire")

    def broken(_key):
        raise RuntimeError("the store is gone")

    monkeypatch.setattr(store, "get", broken)
    answer = client.get(f"/committees/{committee.slug}")

    assert answer.status_code == 200
    assert "Comité sans mémoire" in answer.text
    # Built by Flask, and not kept: its key could not be made.
    assert "X-Page-Cache" not in answer.headers
