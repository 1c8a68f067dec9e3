"""The demo's permanent committee records attendance and a vote (issue 20, wording): its
published 2022 report gives real attendance and quorum figures, not 0 % and « missed »."""

from __future__ import annotations

from sqlalchemy import func, select

from committees.bodies.services import committee_by_slug
from committees.common.timeutils import paris_today
from committees.demo import seed_all
from committees.demo.bodies import CSP_MIXTE
from committees.meetings.models import Attendance, Vote
from committees.reports.computing import report_figures
from tests.support.helpers import text_of


def test_the_permanent_committee_report_of_2022_has_attendance_and_quorum(client, db):
    seed_all(today=paris_today())
    seed_all(today=paris_today())  # idempotent: no second attendance nor vote
    csp = committee_by_slug(CSP_MIXTE)

    figures = report_figures(csp, 2022)
    assert figures.held == 4
    assert figures.quorum_reached == figures.held
    assert figures.attendance_rate is not None
    assert figures.attendance_rate > 50
    assert len(figures.votes) == 1

    page = text_of(client.get(f"/committees/{CSP_MIXTE}/reports/2022"))
    assert "4 séances sur 4" in page
    assert "Taux de présence des membres 0 %" not in page
    attendance = db.session.scalar(select(func.count()).select_from(Attendance))
    votes = db.session.scalar(select(func.count()).select_from(Vote))
    seed_all(today=paris_today())
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == attendance
    assert db.session.scalar(select(func.count()).select_from(Vote)) == votes
