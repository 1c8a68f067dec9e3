"""The calendar addresses over HTTP: headers, revalidation, tokens, query counts, pages."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import MetaData, select, text

from committees.auth.models import Role
from committees.calendars import cache
from committees.calendars.models import CalendarSubscription
from committees.calendars.tokens import personal_token, regenerate
from committees.common.timeutils import paris_today
from committees.meetings.models import AgendaItem
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import create_meeting
from tests.support.calendars import (
    feed_url,
    fresh_cache,
    make_committee,
    member_with_mandate,
    parse,
    schedule,
    session_with_items,
    unfolded,
)
from tests.support.helpers import open_session, post_form, text_of

SOON = paris_today() + timedelta(days=30)
COMMITTEE_FEED = "/committees/suivi-du-cannabis-medical/calendar.ics"


def test_headers_of_each_address(client, db, make_user, committee):
    member = member_with_mandate(db, make_user, committee)
    meeting = schedule(db, committee, SOON)

    single = client.get(f"/meetings/{meeting.id}.ics")
    assert (
        single.headers["Content-Disposition"] == f'attachment; filename="seance-{meeting.id}.ics"'
    )
    assert single.headers["Cache-Control"] == "public, max-age=300"

    public = client.get(COMMITTEE_FEED)
    assert (
        public.headers["Content-Disposition"] == 'inline; filename="suivi-du-cannabis-medical.ics"'
    )
    assert public.headers["Cache-Control"] == "public, max-age=300"

    personal = client.get(feed_url(db, member))
    assert personal.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert personal.headers["Content-Disposition"] == 'inline; filename="mes-seances.ics"'
    assert personal.headers["Cache-Control"] == "private, max-age=300, no-transform"
    assert personal.headers["Referrer-Policy"] == "no-referrer"
    for response in (single, public, personal):
        assert response.headers["ETag"].startswith('"')
        assert not response.headers["ETag"].startswith("W/")
        assert response.headers["Last-Modified"]
        # The language comes from ?lang only (Flask-Login's hook adds Vary: Cookie app-wide).
        assert "Accept-Language" not in response.headers.get("Vary", "")
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url_of", ["personal", "committee"])
def test_revalidation_answers_304_from_the_fingerprint_alone(
    client, db, make_user, committee, count_queries, url_of
):
    member = member_with_mandate(db, make_user, committee)
    meeting = session_with_items(db, committee, SOON)
    url = feed_url(db, member) if url_of == "personal" else COMMITTEE_FEED
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        fresh_cache()
        with count_queries() as queries:
            response = client.get(url, headers=headers)
        assert response.status_code == 304
        assert response.get_data() == b""
        assert response.headers["ETag"] == etag
        # Personal: token and fingerprint in one query (after the calendar revision, read
        # on a connection of its own); committee: its lookup, then its stamp. No session
        # loaded.
        assert len(queries) == (1 if url_of == "personal" else 2), queries
        assert not any("agenda_items.title" in q or "meetings.title" in q for q in queries)

    meeting.items[0].title = "Bilan révisé"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "Bilan révisé" in unfolded(parse(changed).raw)


def test_removing_an_item_changes_etag_and_last_modified(client, db, committee):
    meeting = session_with_items(db, committee, SOON)
    first = client.get(COMMITTEE_FEED)
    item = db.session.execute(select(AgendaItem).where(AgendaItem.position == 1)).scalar_one()
    db.session.delete(item)
    db.session.commit()
    response = client.get(
        COMMITTEE_FEED, headers={"If-Modified-Since": "Sun, 01 Jan 2119 00:00:00 GMT"}
    )
    second = client.get(COMMITTEE_FEED)
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.last_modified >= first.last_modified
    assert "Bilan de l'expérimentation" not in unfolded(parse(second).raw)
    assert response.status_code == 304  # a date in the future: nothing newer
    assert meeting.uid in second.get_data(as_text=True)


def test_same_data_gives_the_same_bytes(client, db, committee):
    session_with_items(db, committee, SOON)
    first = client.get(COMMITTEE_FEED).get_data()
    fresh_cache()
    assert client.get(COMMITTEE_FEED).get_data() == first


def test_unknown_or_regenerated_tokens_answer_404(client, db, make_user, committee):
    member = member_with_mandate(db, make_user, committee)
    schedule(db, committee, SOON)
    old_url = feed_url(db, member)
    assert client.get(old_url).status_code == 200

    new_token = regenerate(member)
    db.session.commit()
    assert client.get(old_url).status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200
    assert client.get("/calendar/" + "A" * 43 + ".ics").status_code == 404
    assert client.get("/calendar/nope.ics").status_code == 404


def test_a_disabled_account_loses_its_feed(client, db, make_user, committee):
    member = member_with_mandate(db, make_user, committee)
    url = feed_url(db, member)
    member.is_enabled = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_the_token_is_random_and_nowhere_in_the_database(client, db, make_user, committee):
    member = member_with_mandate(db, make_user, committee)
    other = member_with_mandate(
        db, make_user, committee, email="bruno.petit@universite.example.org"
    )
    token = personal_token(member)
    db.session.commit()
    # 256 bits in base64url: nothing of the person, and different for everyone.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert token != personal_token(other)
    assert client.get(f"/calendar/{token}.ics").status_code == 200

    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    dump = []
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                dump.extend(str(value) for value in row)
    everything = "\n".join(dump)
    assert token not in everything
    assert token[:20] not in everything
    stored = db.session.execute(select(CalendarSubscription.token_hash)).scalars().all()
    assert len(stored) == 2
    assert all(len(digest) == 64 for digest in stored)


def _queries(client, count_queries, url, *, forget: bool) -> int:
    if forget:
        fresh_cache()
    else:
        cache.feeds.clear()  # keep the built events: the feed is assembled from them
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_personal_feed_costs_the_same_queries_for_10_or_610_sessions(
    client, db, make_user, committee, count_queries
):
    member = member_with_mandate(db, make_user, committee)
    url = feed_url(db, member)

    def add_sessions(count: int) -> None:
        start = db.session.execute(text("SELECT count(*) FROM meetings")).scalar()
        for n in range(start, start + count):
            day = SOON + timedelta(days=n)
            meeting = create_meeting(
                committee,
                title=f"Séance {n}",
                starts_at=paris_to_utc(day, time(14)),
                ends_at=paris_to_utc(day, time(17)),
            )
            db.session.add(
                AgendaItem(meeting=meeting, position=1, title="Point", kind="discussion")
            )
        db.session.commit()

    add_sessions(10)
    stages = (True, True, False)
    small = [_queries(client, count_queries, url, forget=f) for f in stages]
    # Past 500 sessions, where IN lists cut into chunks would add a query.
    add_sessions(600)
    big = [_queries(client, count_queries, url, forget=f) for f in stages]
    assert len(parse(client.get(url)).events()) == 610
    # Built: fingerprint, session keys, pieces kept in the database (none yet), sessions,
    # items, pieces written; a worker holding nothing (pieces kept): fingerprint, session
    # keys, pieces; assembled from the worker's VEVENTs under remembered validators:
    # session keys.
    assert small == big == [6, 3, 1], (small, big)


def test_pages_offer_download_and_subscription(client, db, make_user, committee):
    meeting = session_with_items(db, committee, SOON)
    session_page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}.ics"' in session_page
    assert "Ajouter à mon agenda" in session_page

    committee_page = client.get("/committees/suivi-du-cannabis-medical")
    html = committee_page.get_data(as_text=True)
    assert 'href="webcal://localhost/committees/suivi-du-cannabis-medical/calendar.ics"' in html
    assert (
        'value="http://localhost/committees/suivi-du-cannabis-medical/calendar.ics" readonly'
        in html
    )
    text = text_of(committee_page)
    for client_name in ("Outlook", "Google Agenda", "Apple Calendar", "Thunderbird"):
        assert client_name in text
    assert "S'abonner" in text


def test_member_creates_then_regenerates_the_personal_link(client, db, make_user, committee):
    member = member_with_mandate(db, make_user, committee)
    meeting = schedule(db, committee, SOON)
    open_session(client, member)

    dashboard = client.get("/dashboard")
    assert "Mon agenda personnel" in text_of(dashboard)
    assert "Créer mon adresse d'abonnement" in text_of(dashboard)
    created = post_form(
        client, "/my/calendar/regenerate", {}, form_url="/dashboard", follow_redirects=True
    )
    assert "Votre adresse d'abonnement est prête." in text_of(created)
    first_url = f"/calendar/{personal_token(member)}.ics"
    html = created.get_data(as_text=True)
    assert f'href="webcal://localhost{first_url}"' in html
    assert "l'adresse actuelle cessera aussitôt de fonctionner" in text_of(created)

    renewed = post_form(
        client, "/my/calendar/regenerate", {}, form_url="/dashboard", follow_redirects=True
    )
    assert "l'ancienne adresse de votre agenda ne fonctionne plus" in text_of(renewed)
    assert client.get(first_url).status_code == 404
    second_url = f"/calendar/{personal_token(member)}.ics"
    assert second_url != first_url
    assert second_url in renewed.get_data(as_text=True)
    assert meeting.uid in client.get(second_url).get_data(as_text=True)


def test_member_session_file_carries_members_details_and_others_get_404(
    client, db, make_user, committee
):
    member = member_with_mandate(db, make_user, committee)
    meeting = session_with_items(db, committee, SOON)
    other_committee = make_committee(db, name="Autre comité", acronym="CSP")
    foreign = schedule(db, other_committee, SOON)
    open_session(client, member)

    page = client.get(f"/my/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/my/meetings/{meeting.id}.ics"' in page
    response = client.get(f"/my/meetings/{meeting.id}.ics")
    assert response.headers["Cache-Control"] == "private, max-age=300, no-transform"
    raw = parse(response).raw
    assert "visio.example.org" in raw
    assert "Dossier confidentiel" in raw
    assert client.get(f"/my/meetings/{foreign.id}.ics").status_code == 404
    assert client.get("/my/meetings/999999.ics").status_code == 404


def test_regenerate_needs_the_member_area(client, db, make_user):
    open_session(client, make_user(Role.CONTRIBUTOR))
    assert client.post("/my/calendar/regenerate").status_code in (400, 403)
