"""Session pages for the public and for members, the dashboard panels, query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from committees.auth.models import Role
from committees.common.timeutils import utcnow
from committees.meetings.models import (
    Attendance,
    Hearing,
    Minutes,
    MinutesStatus,
)
from committees.meetings.queries import upcoming_public_meetings
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import postpone_meeting
from tests.support.helpers import DEFAULT_PASSWORD, login, text_of
from tests.support.meetings import add_document, add_item, appoint, make_committee, schedule

SECRET_LINK = "https://visio.example.org/secret-room"


@pytest.fixture
def session_with_agenda(db, committee):
    """A public hybrid session with a published agenda: a public item with a public and a
    members-only document, a closed item, and a hearing item."""
    meeting = schedule(
        db,
        committee,
        date(2030, 5, 2),
        format="hybrid",
        place="Saint-Denis",
        remote_link=SECRET_LINK,
    )
    public = add_item(db, meeting, 1, "Bilan de l'expérimentation", rapporteur="Dr Martin")
    add_document(db, public, "Rapport public", members_only=False)
    add_document(db, public, "Note de travail interne", members_only=True)
    add_item(db, meeting, 2, "Dossier confidentiel Phytopharma", is_public=False)
    hearing_item = add_item(db, meeting, 3, "Audition des associations", kind="hearing")
    db.session.add_all(
        [
            Hearing(
                item=hearing_item,
                organisation="Association Patients Cannabis",
                organisation_kind="patient_association",
                mode="videoconference",
                status="heard",
                summary="Les patients demandent la continuité des traitements.",
            ),
            Hearing(
                item=hearing_item,
                organisation="Société française de pharmacologie",
                organisation_kind="learned_society",
                status="confirmed",
                summary="Brouillon de synthèse à ne pas publier.",
            ),
        ]
    )
    meeting.agenda_published_at = datetime(2030, 4, 20, 9, 0, tzinfo=UTC)
    db.session.commit()
    return meeting


# --- public ---------------------------------------------------------------------------


def test_public_page_shows_the_published_agenda_and_never_what_is_private(
    client, session_with_agenda
):
    meeting = session_with_agenda
    response = client.get(f"/meetings/{meeting.id}")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), text_of(response)
    assert "jeudi 2 mai 2030, 14:00 – 17:00" in text
    assert "Hybride" in text
    assert "Saint-Denis" in text
    assert "Bilan de l'expérimentation" in text
    assert "Rapporteur : Dr Martin" in text
    docs = [d for i in meeting.items for d in i.documents]
    public_doc = next(d for d in docs if not d.members_only)
    private_doc = next(d for d in docs if d.members_only)
    assert f'href="/meetings/{meeting.id}/documents/{public_doc.id}"' in html
    assert "Note de travail interne" not in text
    assert f"/documents/{private_doc.id}" not in html
    # Never: the remote link, closed items.
    assert SECRET_LINK not in html
    assert "visio.example.org" not in html
    assert "Phytopharma" not in text
    # Hearings: organisation, kind, mode, status; the summary only once heard.
    assert "Association Patients Cannabis" in text
    assert "Association de patients" in text
    assert "Visioconférence" in text
    assert "Entendue" in text
    assert "Les patients demandent la continuité des traitements." in text
    assert "Société française de pharmacologie" in text
    assert "Brouillon de synthèse à ne pas publier." not in text


def test_public_never_sees_an_unpublished_agenda(client, db, session_with_agenda):
    meeting = session_with_agenda
    meeting.agenda_published_at = None
    db.session.commit()
    text = text_of(client.get(f"/meetings/{meeting.id}"))
    assert "L'ordre du jour n'est pas encore publié." in text
    assert "Bilan de l'expérimentation" not in text
    assert "Association Patients Cannabis" not in text


def test_closed_sessions_and_unpublished_committees_are_404(client, db, committee):
    closed = schedule(db, committee, date(2030, 5, 2), is_public=False, title="Séance à huis clos")
    hidden = make_committee(db, name="Comité en préparation", acronym="PREP", published_at=None)
    unpublished = schedule(db, hidden, date(2030, 5, 3), title="Séance du comité caché")
    assert client.get(f"/meetings/{closed.id}").status_code == 404
    assert client.get(f"/meetings/{unpublished.id}").status_code == 404
    assert client.get("/meetings/9999").status_code == 404
    listing = text_of(client.get("/meetings"))
    assert "Séance à huis clos" not in listing
    assert "Séance du comité caché" not in listing


def test_public_list_upcoming_past_and_committee_filter(client, db, committee):
    other = make_committee(db, name="Culture du cannabis", acronym="CULT")
    schedule(db, committee, date(2030, 5, 2), title="Séance future du suivi")
    schedule(db, committee, date(2022, 5, 4), title="Séance passée du suivi")
    schedule(db, other, date(2030, 6, 6), title="Séance future de la culture")
    upcoming = text_of(client.get("/meetings"))
    assert "Séance future du suivi" in upcoming
    assert "Séance future de la culture" in upcoming
    assert "Séance passée du suivi" not in upcoming
    past = text_of(client.get("/meetings?when=past"))
    assert "Séance passée du suivi" in past
    assert "Séance future du suivi" not in past
    filtered = text_of(client.get(f"/meetings?committee={other.id}"))
    assert "Séance future de la culture" in filtered
    assert "Séance future du suivi" not in filtered
    assert client.get("/meetings?committee=abc&when=zzz&page=-3").status_code == 200


def test_public_page_of_a_postponed_session_links_the_new_one(client, db, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    replacement = postpone_meeting(
        meeting,
        paris_to_utc(date(2030, 5, 16), time(10, 0)),
        paris_to_utc(date(2030, 5, 16), time(12, 0)),
        "Indisponibilité de la salle",
    )
    db.session.commit()
    response = client.get(f"/meetings/{meeting.id}")
    text = text_of(response)
    assert "Reportée" in text
    assert "Motif : Indisponibilité de la salle" in text
    assert f'href="/meetings/{replacement.id}"' in response.get_data(as_text=True)
    assert "Remplace" in text_of(client.get(f"/meetings/{replacement.id}"))


def test_public_page_links_the_minutes_once_published(client, db, committee):
    meeting = schedule(db, committee, date(2022, 5, 4))
    minutes = Minutes(meeting=meeting, status=MinutesStatus.ADOPTED.value)
    db.session.add(minutes)
    db.session.commit()
    assert f"/meetings/{meeting.id}/minutes" not in client.get(f"/meetings/{meeting.id}").get_data(
        as_text=True
    )
    minutes.status, minutes.published_at = MinutesStatus.PUBLISHED.value, utcnow()
    db.session.commit()
    assert f'href="/meetings/{meeting.id}/minutes"' in client.get(
        f"/meetings/{meeting.id}"
    ).get_data(as_text=True)


def test_upcoming_public_meetings_for_the_committee_page(db, committee):
    schedule(db, committee, date(2030, 6, 6), title="Juin")
    schedule(db, committee, date(2030, 5, 2), title="Mai")
    schedule(db, committee, date(2030, 7, 4), title="Huis clos", is_public=False)
    schedule(db, committee, date(2022, 5, 4), title="Passée")
    assert [m.title for m in upcoming_public_meetings(committee, 5)] == ["Mai", "Juin"]
    assert [m.title for m in upcoming_public_meetings(committee, 1)] == ["Mai"]
    hidden = make_committee(db, name="Caché", acronym="C", published_at=None)
    schedule(db, hidden, date(2030, 5, 2))
    assert upcoming_public_meetings(hidden, 5) == []


def test_public_list_costs_the_same_queries_whatever_the_number(
    client, db, committee, count_queries
):
    schedule(db, committee, date(2030, 1, 3))
    client.get("/meetings")
    with count_queries() as few:
        assert client.get("/meetings").status_code == 200
    other = make_committee(db, name="Culture du cannabis", acronym="CULT")
    for month in range(1, 13):
        schedule(db, committee, date(2031, month, 2))
        schedule(db, other, date(2031, month, 3))
    with count_queries() as many:
        assert client.get("/meetings").status_code == 200
    assert len(many) == len(few)


# --- members --------------------------------------------------------------------------


@pytest.fixture
def member(client, db, make_user, committee):
    """A member of ``committee`` whose account is tied to their person, signed in."""
    user = make_user(Role.MEMBER, email="claire@example.org")
    mandate = appoint(db, committee, "Claire", "Martin", user=user)
    login(client, user.email, DEFAULT_PASSWORD)
    return mandate


def test_member_page_shows_members_only_details(client, db, member, session_with_agenda):
    meeting = session_with_agenda
    response = client.get(f"/my/meetings/{meeting.id}")
    assert response.status_code == 200
    html, text = response.get_data(as_text=True), text_of(response)
    assert SECRET_LINK in html
    assert "Dossier confidentiel Phytopharma" in text
    assert "huis clos" in text
    private_doc = next(d for i in meeting.items for d in i.documents if d.members_only)
    assert f'href="/my/meetings/{meeting.id}/documents/{private_doc.id}"' in html
    assert "Brouillon de synthèse à ne pas publier." in text
    assert "Vous n'avez pas encore reçu de convocation" in text


def test_member_sees_their_convocation_answer(client, db, member, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    db.session.add(
        Attendance(
            meeting=meeting,
            mandate_id=member.id,
            convened_at=utcnow(),
            response="remote",
            responded_at=datetime(2030, 4, 25, 8, 30, tzinfo=UTC),
        )
    )
    db.session.commit()
    assert "Votre réponse : Présent·e à distance" in text_of(
        client.get(f"/my/meetings/{meeting.id}")
    )
    assert "Présent·e à distance" in text_of(client.get("/my/meetings"))


def test_member_of_committee_a_gets_404_for_committee_b(client, db, member, committee):
    other = make_committee(db, name="Culture du cannabis", acronym="CULT")
    theirs = schedule(db, other, date(2030, 5, 2), title="Séance de la culture")
    mine = schedule(db, committee, date(2030, 5, 3), title="Séance du suivi")
    assert client.get(f"/my/meetings/{theirs.id}").status_code == 404
    assert client.get(f"/my/meetings/{mine.id}").status_code == 200
    listing = text_of(client.get("/my/meetings"))
    assert "Séance du suivi" in listing
    assert "Séance de la culture" not in listing


def test_a_session_after_the_mandate_ended_is_not_the_members(client, db, make_user, committee):
    user = make_user(Role.MEMBER, email="ancien@example.org")
    appoint(db, committee, "Ancien", "Membre", end=date(2022, 12, 31), user=user)
    login(client, user.email, DEFAULT_PASSWORD)
    during = schedule(db, committee, date(2022, 12, 1), title="Pendant le mandat")
    after = schedule(db, committee, date(2030, 1, 10), title="Après le mandat")
    assert client.get(f"/my/meetings/{after.id}").status_code == 404
    # The mandate covered its day: the session stays readable (and is too old to be "recent").
    assert client.get(f"/my/meetings/{during.id}").status_code == 200
    listing = text_of(client.get("/my/meetings"))
    assert "Après le mandat" not in listing


def test_member_lists_upcoming_and_recent_sessions(client, db, member, committee):
    schedule(db, committee, date(2030, 5, 2), title="Séance à venir")
    recent_day = (utcnow() - timedelta(days=30)).date()
    schedule(db, committee, recent_day, title="Séance récente")
    schedule(db, committee, date(2021, 7, 1), title="Séance ancienne")
    text = text_of(client.get("/my/meetings"))
    upcoming, recent = text.split("Séances récentes", 1)
    assert "Séance à venir" in upcoming
    assert "Séance récente" not in upcoming
    assert "Séance récente" in recent
    assert "Séance ancienne" not in text


def test_member_pages_need_the_member_area(client, db, make_user, committee):
    meeting = schedule(db, committee, date(2030, 5, 2))
    for url in ("/my/meetings", f"/my/meetings/{meeting.id}"):
        assert client.get(url).status_code == 302
    contributor = make_user(Role.CONTRIBUTOR)
    login(client, contributor.email, DEFAULT_PASSWORD)
    assert client.get("/my/meetings").status_code == 403
    assert client.get(f"/my/meetings/{meeting.id}").status_code == 403


def test_member_list_costs_the_same_queries_whatever_the_number(
    client, db, member, committee, count_queries
):
    schedule(db, committee, date(2030, 1, 3))
    client.get("/my/meetings")
    with count_queries() as few:
        assert client.get("/my/meetings").status_code == 200
    for month in range(1, 13):
        meeting = schedule(db, committee, date(2031, month, 2))
        db.session.add(Attendance(meeting=meeting, mandate_id=member.id, response="attending"))
    db.session.commit()
    with count_queries() as many:
        assert client.get("/my/meetings").status_code == 200
    assert len(many) == len(few)


# --- dashboard panels -----------------------------------------------------------------


def test_member_dashboard_shows_the_next_sessions(client, db, member, committee):
    for month in range(1, 8):
        schedule(db, committee, date(2030, month, 3), title=f"Séance {month:02d}/2030")
    text = text_of(client.get("/dashboard"))
    assert "Mes prochaines séances" in text
    assert "Séance 01/2030" in text
    assert "Séance 05/2030" in text
    assert "Séance 06/2030" not in text  # five at most


def test_secretariat_dashboard_shows_the_next_sessions_with_status(
    client, db, make_user, committee
):
    meeting = schedule(db, committee, date(2030, 5, 2), title="Séance de mai")
    schedule(db, committee, date(2022, 5, 4), title="Séance passée")
    meeting.status = "convened"
    db.session.commit()
    user = make_user(Role.SECRETARIAT)
    login(client, user.email, DEFAULT_PASSWORD)
    text = text_of(client.get("/dashboard"))
    assert "Prochaines séances" in text
    assert "Séance de mai" in text
    assert "Convoquée" in text
    assert "Séance passée" not in text


def test_past_sessions_offer_no_add_to_calendar(client, db):
    from sqlalchemy import select

    from committees.common.timeutils import paris_today, utcnow
    from committees.demo import seed_all
    from committees.meetings.models import Meeting

    seed_all(today=paris_today())
    meetings = db.session.scalars(select(Meeting).where(Meeting.is_public.is_(True))).all()
    past = next(m for m in meetings if m.ends_at < utcnow() and m.committee.published_at)
    page = client.get(f"/meetings/{past.id}")
    assert page.status_code == 200
    assert "Ajouter à mon agenda" not in text_of(page)
