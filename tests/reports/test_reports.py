"""Yearly activity reports: figures against a hand-built year, the secretariat's screens,
the public page, CSV, PDF, API, feed and search (see tests/support/reports.py)."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from committees.meetings.models import ItemKind, Presence
from committees.reports.computing import report_figures
from committees.reports.models import ActivityReport
from committees.reports.services import publish_report, save_foreword, session_years
from committees.search.models import SearchDocument
from tests.support.helpers import count_rows, post_form, text_of
from tests.support.reports import add_hearing, add_item, add_meeting, add_presences, build_year


@pytest.fixture
def year(db, make_user):
    return build_year(make_user)


def _publish(db, year, foreword="Une **année** de suivi."):
    report = save_foreword(year.committee, 2022, foreword)
    publish_report(report, datetime(2023, 2, 1, 9, 0, tzinfo=UTC))
    db.session.commit()
    return report


# --- figures --------------------------------------------------------------------------


def test_sessions_held_cancelled_postponed_are_counted_by_their_paris_year(year):
    figures = report_figures(year.committee, 2022)

    assert [s.number for s in figures.sessions] == [2, 3, 4, 5, 6, 7]
    assert (figures.held, figures.cancelled, figures.postponed) == (3, 1, 1)
    assert session_years(year.committee) == [2023, 2022, 2021]


def test_attendance_rate_of_each_named_member_over_the_sessions_they_were_expected_at(year):
    figures = report_figures(year.committee, 2022)

    rows = [(m.name, m.role, m.expected, m.present, m.rate) for m in figures.members]
    assert rows == [
        ("Bruno Durand", "member", 3, 2, 67),
        ("Eva Leroy", "invited_expert", 3, 2, 67),
        ("Alice Martin", "president", 3, 3, 100),
        ("Fabien Moreau", "member", 1, 0, 0),
        ("Chloé Petit", "member", 3, 2, 67),
        ("Denis Roux", "patient_representative", 3, 1, 33),
    ]
    assert figures.attendance_rate == 63  # 10 of 16: 62.5 rounded up


def test_quorum_and_declarations_per_session(year):
    sessions = {s.number: s for s in report_figures(year.committee, 2022).sessions}

    quorum = {n: (s.voting_members, s.voting_present, s.quorum_required, s.quorum_reached)
              for n, s in sessions.items()}  # fmt: skip
    assert quorum[2] == (4, 3, 3, True)
    assert quorum[3] == (4, 1, 3, False)
    assert quorum[6] == (5, 4, 3, True)
    assert quorum[4][3] is None
    assert quorum[7][3] is None
    declarations = {n: (s.declarations_current, s.members_expected) for n, s in sessions.items()}
    assert declarations[2] == (3, 5)
    assert declarations[3] == (3, 5)
    assert declarations[6] == (4, 6)
    assert not sessions[2].declarations_up_to_date


def test_recusals_votes_hearings_and_contributions(year):
    figures = report_figures(year.committee, 2022)

    assert [(r.session_number, r.item_number, r.title, r.count) for r in figures.recusals] == [
        (2, 1, "Avis sur le protocole de suivi", 1),
        (2, 2, "", 1),  # the closed item's title stays private; the cleared flag is no recusal
    ]
    assert figures.recusal_count == 2
    assert [(v.item_number, v.votes_for, v.votes_against, v.abstentions, v.adopted)
            for v in figures.votes] == [(1, 2, 0, 1, True), (2, 1, 2, 0, False)]  # fmt: skip
    assert figures.opinions_adopted == 1
    assert len(figures.hearings) == 3
    assert figures.organisations_heard == [
        "Association Principes Actifs",
        "Société française de pharmacologie",
    ]
    assert [(c.opens_on, c.contributions) for c in figures.calls] == [(date(2022, 3, 15), 2)]
    assert figures.contributions == 2


def test_figures_cost_the_same_queries_whatever_the_number_of_sessions(year, db, count_queries):
    def cost() -> int:
        db.session.expire_all()
        with count_queries() as queries:
            report_figures(year.committee, 2022)
        return len(queries)

    before = cost()
    for n, month in enumerate(range(7, 12), start=20):
        meeting = add_meeting(year.committee, n, date(2022, month, 10))
        add_presences(meeting, {mandate: Presence.PRESENT for mandate in year.mandates.values()})
        add_hearing(
            add_item(meeting, 1, "Audition", ItemKind.HEARING), f"Organisme {n}", "institution"
        )
    db.session.commit()

    assert cost() == before <= 11  # the written procedures' count is the eleventh
    assert report_figures(year.committee, 2022).held == 8


# --- secretariat ----------------------------------------------------------------------


def test_secretariat_lists_years_writes_the_foreword_and_publishes(year, client, secretariat, db):
    base = f"/secretariat/committees/{year.committee.id}/reports"
    listing = text_of(client.get(base))
    assert "Rapport d'activité 2023" in listing
    assert "Rapport d'activité 2021" in listing

    page = client.get(f"{base}/2022")
    assert page.status_code == 200
    assert "Rédiger l'avant-propos" in text_of(page)
    assert "Alice Martin" in text_of(page)

    saved = post_form(client, f"{base}/2022", {"foreword": "Une année **dense**."})
    assert saved.status_code == 302
    report = db.session.execute(select(ActivityReport)).scalar_one()
    assert (report.year, report.foreword) == (2022, "Une année **dense**.")
    assert report.published_at is None
    assert client.get(f"/committees/{year.committee.slug}/reports/2022").status_code == 404

    post_form(client, f"{base}/2022/publish", {}, form_url=f"{base}/2022")
    db.session.expire_all()
    assert report.published_at is not None
    assert client.get(f"/committees/{year.committee.slug}/reports/2022").status_code == 200

    post_form(client, f"{base}/2022/unpublish", {}, form_url=f"{base}/2022")
    db.session.expire_all()
    assert report.published_at is None


def test_figures_are_not_editable_only_the_foreword_is_stored(year, client, secretariat, db):
    base = f"/secretariat/committees/{year.committee.id}/reports/2022"
    post_form(client, base, {"foreword": "Texte", "held": "99", "attendance_rate": "100"})
    columns = set(ActivityReport.__table__.columns.keys())
    assert columns == {"id", "committee_id", "year", "foreword", "published_at",
                       "created_at", "updated_at"}  # fmt: skip
    assert report_figures(year.committee, 2022).held == 3
    assert 'name="held"' not in client.get(base).get_data(as_text=True)


def test_a_too_long_foreword_is_refused_and_nothing_is_written(year, client, secretariat, db):
    base = f"/secretariat/committees/{year.committee.id}/reports/2022"
    response = post_form(client, base, {"foreword": "x" * 20_001})
    assert response.status_code == 422
    assert "L'avant-propos ne peut dépasser 20000 caractères." in text_of(response)
    assert count_rows(db, ActivityReport) == 0


def test_a_year_without_session_has_no_report(year, client, secretariat):
    base = f"/secretariat/committees/{year.committee.id}/reports"
    assert client.get(f"{base}/2019").status_code == 404
    assert client.get(f"{base}/99999").status_code == 404


# --- public ---------------------------------------------------------------------------


def test_unpublished_report_is_not_public(year, client, db):
    save_foreword(year.committee, 2022, "Brouillon")
    db.session.commit()
    slug = year.committee.slug
    for suffix in ("", ".pdf", ".csv"):
        assert client.get(f"/committees/{slug}/reports/2022{suffix}").status_code == 404
    assert client.get(f"/api/v1/committees/{slug}/reports/2022").status_code == 404


def test_public_page_shows_foreword_and_figures_and_is_linked(year, client, db):
    _publish(db, year)
    slug = year.committee.slug
    page = text_of(client.get(f"/committees/{slug}/reports/2022"))

    assert "Rapport d'activité 2022" in page
    assert "Une année de suivi." in page
    assert "Publié le 1er février 2023" in page
    assert "Séances tenues 3" in page
    assert "Séances annulées 1" in page
    assert "Alice Martin Président·e 3 3 100 %" in page
    assert "Denis Roux" in page
    assert "33 %" in page
    assert "Association Principes Actifs" in page
    assert "Dossier industriel confidentiel" not in page
    assert "Laboratoire Discret" not in page
    assert "organisme entendu à huis clos" in page
    assert "point non public" in page
    committee_page = client.get(f"/committees/{slug}").get_data(as_text=True)
    assert f"/committees/{slug}/reports/2022" in committee_page


def test_csv_has_a_bom_the_members_then_the_sessions(year, client, db):
    _publish(db, year)
    response = client.get(f"/committees/{year.committee.slug}/reports/2022.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Membre", "Rôle", "Séances attendues", "Présences", "Taux de présence (%)"]
    assert ["Alice Martin", "Président·e", "3", "3", "100"] in rows
    assert ["Fabien Moreau", "Membre", "1", "0", "0"] in rows
    blank = rows.index([])
    assert rows[blank + 1][:3] == ["Séance", "Date", "Statut"]
    assert rows[blank + 2] == ["2", "03/03/2022", "Tenue", "4", "3", "3", "oui", "5", "3",
                               "2", "2", "0"]  # fmt: skip
    assert rows[blank + 4][:7] == ["4", "05/05/2022", "Annulée", "0", "0", "0", ""]


def test_pdf_is_a_pdf_or_a_clear_503(year, client, db, monkeypatch):
    _publish(db, year)
    url = f"/committees/{year.committee.slug}/reports/2022.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = client.get(url)
    assert response.status_code == 503
    assert "Le PDF du rapport d'activité est momentanément indisponible" in text_of(response)


# --- API, feed, search ----------------------------------------------------------------


def test_api_serves_the_same_figures(year, client, db):
    _publish(db, year)
    slug = year.committee.slug
    listing = client.get(f"/api/v1/committees/{slug}/reports")
    assert listing.status_code == 200
    data = listing.get_json()["data"]
    assert [r["year"] for r in data] == [2022]

    detail = client.get(f"/api/v1/committees/{slug}/reports/2022").get_json()
    figures = report_figures(year.committee, 2022)
    assert detail["year"] == 2022
    assert detail["foreword"] == "Une **année** de suivi."
    summary = detail["summary"]
    held = (summary["sessionsHeld"], summary["sessionsCancelled"], summary["sessionsPostponed"])
    assert held == (figures.held, figures.cancelled, figures.postponed)
    assert summary["attendanceRate"] == 63
    assert summary["contributionsReceived"] == 2
    assert [(m["name"], m["attendanceRate"]) for m in detail["members"]] == [
        (m.name, m.rate) for m in figures.members
    ]
    assert [s["quorumReached"] for s in detail["sessions"]] == [
        s.quorum_reached for s in figures.sessions
    ]
    assert detail["organisationsHeard"] == figures.organisations_heard
    assert json.dumps(detail)  # plain JSON all through
    assert client.get(f"/api/v1/committees/{slug}/reports/2021").status_code == 404


def test_published_report_is_in_the_feed_and_the_search_index(year, client, db):
    _publish(db, year)
    feed = client.get("/feeds/publications.atom").get_data(as_text=True)
    assert "Rapport d'activité 2022" in feed
    assert f"/committees/{year.committee.slug}/reports/2022" in feed

    rows = db.session.execute(
        select(SearchDocument.url).where(SearchDocument.kind == "report")
    ).scalars()
    assert set(rows) == {f"/committees/{year.committee.slug}/reports/2022"}
    found = text_of(client.get("/search?q=suivi&kind=report"))
    assert "Rapport d'activité 2022" in found


# --- demo -----------------------------------------------------------------------------


def test_demo_publishes_the_2022_report_of_each_committee_and_seeding_twice_changes_nothing(
    client, db
):
    from committees.common.timeutils import paris_today
    from committees.demo import seed_all
    from committees.demo.bodies import CSP_MIXTE, CULTURE, SUIVI

    def snapshot():
        rows = db.session.execute(select(ActivityReport).order_by(ActivityReport.id)).scalars()
        return [(r.committee.slug, r.year, r.foreword, r.published_at, r.updated_at) for r in rows]

    seed_all(today=paris_today())
    first = snapshot()
    seed_all(today=paris_today())
    assert snapshot() == first
    assert sorted((slug, year) for slug, year, *_rest in first) == sorted(
        [(SUIVI, 2022), (CULTURE, 2022), (CSP_MIXTE, 2022)]
    )
    assert all(published for *_rest, published, _updated in first)
    page = text_of(client.get(f"/committees/{CULTURE}/reports/2022"))
    assert "Rapport d'activité 2022" in page
    assert "Séances tenues 1" in page
    assert "Avant-propos" in page


def test_the_secretariat_is_told_of_past_sessions_never_marked_held(year, client, secretariat, db):
    from committees.meetings.models import MeetingStatus

    forgotten = add_meeting(year.committee, 40, date(2022, 12, 15), MeetingStatus.CONVENED)
    db.session.commit()
    base = f"/secretariat/committees/{year.committee.id}/reports/2022"

    page = text_of(client.get(base))

    # The hand-built year already left n°7 (1 December) planned.
    assert "2 séances passées ne sont pas marquées tenues" in page
    assert "Séance n°7 du 1er décembre 2022" in page
    assert "Séance n°40 du 15 décembre 2022" in page
    assert f'href="/secretariat/meetings/{forgotten.id}"' in client.get(base).get_data(True)
    # The figures stay what the record says: the session is not counted as held.
    assert report_figures(year.committee, 2022).held == 3
    # Nor is the warning public.
    _publish(db, year)
    public = text_of(client.get(f"/committees/{year.committee.slug}/reports/2022"))
    assert "pas marquée tenue" not in public
