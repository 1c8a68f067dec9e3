"""A hearing whose session is over and still « Confirmée » (issue 20, secretariat): the
session page and the dashboard prompt to record it as held or not held, and the yearly
report counts the hearings held."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from committees.auth.models import Role
from committees.common.timeutils import utcnow
from committees.meetings.agenda import hearings
from committees.meetings.agenda import services as agenda
from committees.meetings.models import HearingStatus, ItemKind, MeetingStatus
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import mark_held
from committees.reports.computing import report_figures
from tests.support.helpers import csrf_token_from, open_session, text_of
from tests.support.meetings import SESSION_DAY, schedule

PROMPT = "Auditions à consigner"


def _hearing(db, meeting, organisation, status=HearingStatus.CONFIRMED.value, slot=True):
    item = agenda.add_item(meeting, title="Auditions", kind=ItemKind.HEARING.value)
    hearing = hearings.add_hearing(
        item,
        organisation=organisation,
        organisation_kind="patient_association",
        representatives="Marie Lefèvre",
        slot_start=paris_to_utc(SESSION_DAY, time(14, 30)) if slot else None,
        slot_end=paris_to_utc(SESSION_DAY, time(15, 0)) if slot else None,
        mode="on_site",
        status=status,
    )
    db.session.commit()
    return hearing


def test_a_past_confirmed_hearing_is_flagged_then_recorded(
    client, db, secretary, meeting, published_committee
):
    heard = _hearing(db, meeting, "Association Chanvre et Santé")
    page = text_of(client.get(f"/secretariat/meetings/{meeting.id}"))
    assert PROMPT in page
    assert "Association Chanvre et Santé" in page
    assert "Confirmée" in page
    dashboard = text_of(client.get("/dashboard"))
    assert PROMPT in dashboard
    assert "Association Chanvre et Santé" in dashboard

    html = client.get(f"/secretariat/meetings/{meeting.id}").get_data(as_text=True)
    token = csrf_token_from(html)
    url = f"/secretariat/meetings/{meeting.id}/hearings/{heard.id}/outcome"
    done = client.post(url, data={"csrf_token": token, "held": "yes"}, follow_redirects=True)
    assert "L'audition d'Association Chanvre et Santé est consignée." in text_of(done)
    assert PROMPT not in text_of(done)
    db.session.refresh(heard)
    assert heard.status == HearingStatus.HEARD

    mark_held(meeting, utcnow())
    db.session.commit()
    figures = report_figures(published_committee, SESSION_DAY.year)
    assert len(figures.hearings) == 1


def test_not_held_and_future_hearings(client, db, secretary, meeting, published_committee):
    missed = _hearing(db, meeting, "Phytopharma")
    token = csrf_token_from(
        client.get(f"/secretariat/meetings/{meeting.id}").get_data(as_text=True)
    )
    url = f"/secretariat/meetings/{meeting.id}/hearings/{missed.id}/outcome"
    client.post(url, data={"csrf_token": token, "held": "no", "back": "dashboard"})
    db.session.refresh(missed)
    assert missed.status == HearingStatus.NOT_HELD
    assert "Non tenue" in text_of(
        client.get(f"/secretariat/meetings/{meeting.id}/items/{missed.item_id}/hearings")
    )

    # A session still to come: nothing to record yet, and recording is refused.
    published_committee.end_date = None  # (it ended in 2024)
    later = schedule(db, published_committee, (utcnow() + timedelta(days=30)).date())
    soon = _hearing(db, later, "Chanvre du Berry", slot=False)
    assert PROMPT not in text_of(client.get(f"/secretariat/meetings/{later.id}"))
    assert soon not in hearings.hearings_to_record()
    refused = client.post(
        f"/secretariat/meetings/{later.id}/hearings/{soon.id}/outcome",
        data={"csrf_token": token, "held": "yes"},
        follow_redirects=True,
    )
    assert "La séance n'a pas encore eu lieu." in text_of(refused)
    db.session.refresh(soon)
    assert soon.status == HearingStatus.CONFIRMED
    assert later.status == MeetingStatus.PLANNED
    assert isinstance(later.starts_at, datetime)


def _form_token(html: str) -> str:
    prompt = html.split(PROMPT, 1)[1]
    return re.search(r'name="csrf_token" value="([^"]+)"', prompt).group(1)


def test_the_kept_prompt_holds_each_secretary_s_own_token(
    app, client, db, secretary, meeting, make_user
):
    # The dashboard's prompt is kept for every secretary, its forms' tokens taken out:
    # each secretary's page carries their own, which records the hearing.
    heard = _hearing(db, meeting, "Association Chanvre et Santé")
    other = app.test_client()
    open_session(other, make_user(Role.SECRETARIAT))
    first = client.get("/dashboard").get_data(as_text=True)
    second = other.get("/dashboard").get_data(as_text=True)
    assert _form_token(first) != _form_token(second)

    url = f"/secretariat/meetings/{meeting.id}/hearings/{heard.id}/outcome"
    done = other.post(
        url,
        data={"csrf_token": _form_token(second), "held": "yes", "back": "dashboard"},
        follow_redirects=True,
    )
    assert "L'audition d'Association Chanvre et Santé est consignée." in text_of(done)
    assert PROMPT not in text_of(done)
    assert PROMPT not in text_of(client.get("/dashboard"))
