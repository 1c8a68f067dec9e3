"""What the secretariat reads (issue 20): the new-call form lists upcoming sessions grouped
by committee, the session page links to its committee, the convocation page speaks of
updates (not a calendar sequence), the change history speaks French (and English)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from committees.bodies.services import update_committee
from committees.meetings.conduct.convocations import convene
from committees.meetings.scheduling.services import update_meeting
from tests.support.convocations import build_session, sign_in_secretariat
from tests.support.helpers import text_of
from tests.support.meetings import make_committee, schedule


def test_the_new_call_form_lists_upcoming_sessions_grouped_by_committee(db, client, make_user):
    sign_in_secretariat(client, make_user)
    cst = make_committee(db, name="Suivi du cannabis médical", acronym="CST")
    csp = make_committee(db, name="Pharmacovigilance", acronym="CSP", slug="csp")
    schedule(db, cst, date(2022, 5, 4), title="Séance passée du CST")
    soon = (datetime.now(UTC) + timedelta(days=20)).date()
    schedule(db, cst, soon, title="Séance à venir du CST")
    schedule(db, csp, soon + timedelta(days=1), title="Séance à venir du CSP")

    html = client.get("/secretariat/calls/new").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="meeting_id".*?</select>', html, re.S).group(0)
    assert "Séance passée du CST" not in select
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [name for name, _ in groups] == ["Pharmacovigilance", "Suivi du cannabis médical"]
    assert "Séance à venir du CSP" in groups[0][1]
    assert "Séance à venir du CST" in groups[1][1]


def test_session_page_links_committee_and_convocation_page_speaks_plainly(db, client, make_user):
    s = build_session(db, members=2)
    sign_in_secretariat(client, make_user)
    page = client.get(f"/secretariat/meetings/{s.meeting.id}").get_data(as_text=True)
    assert f'href="/secretariat/committees/{s.committee.id}"' in page
    assert f"Comité : {s.committee.name_fr}" in text_of(
        client.get(f"/secretariat/meetings/{s.meeting.id}")
    )

    convene(s.meeting)
    db.session.commit()
    url = f"/secretariat/meetings/{s.meeting.id}/convocations"
    text = text_of(client.get(url))
    assert "Convocations envoyées le " in text
    assert "séquence" not in text
    assert "mise à jour n°" not in text
    update_meeting(s.meeting, place="ANSM, salle 2, Saint-Denis")
    db.session.commit()
    assert "(mise à jour n° 1)" in text_of(client.get(url))


def test_the_change_history_shows_labels_and_dates(db, client, make_user):
    sign_in_secretariat(client, make_user)
    committee = make_committee(db)
    update_committee(committee, end_date=date(2022, 11, 1))
    db.session.commit()
    text = text_of(client.get(f"/secretariat/committees/{committee.id}"))
    assert "Date de fin" in text
    assert "1er novembre 2022" in text
    assert "end_date" not in text
    assert "2022-11-01" not in text
    english = text_of(client.get(f"/secretariat/committees/{committee.id}?lang=en"))
    assert "End date" in english
    assert "November 1, 2022" in english
