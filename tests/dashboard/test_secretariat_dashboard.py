"""The secretariat's dashboard at any size: the members whose declaration of interests
lapsed (counted in SQL, to the day of the twelve-month rule) and the next sessions, a
session under way first."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from html import unescape

import pytest

from committees.auth.models import Role
from committees.bodies.models import MandateRole
from committees.bodies.persons.declarations import file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.rules import is_declaration_current, oldest_current_declaration
from committees.bodies.services import MandateLine, add_mandate
from committees.common.timeutils import paris_today, utcnow
from committees.meetings.scheduling.services import create_meeting
from tests.support.helpers import DEFAULT_PASSWORD, login
from tests.support.meetings import make_committee


def _panel(client, label: str, path: str = "/dashboard") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(
        rf'<section class="panel" aria-labelledby="{label}">(.*?)</section>', html, re.S
    )
    assert match, label
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def _member(committee, name: str, declared_on: date | None, *, end: date | None = None):
    person = create_person(first_name=name, last_name="Test")
    if declared_on is not None:
        file_declaration(person, declared_on, [])
    add_mandate(committee, MandateLine(person, MandateRole.MEMBER, date(2021, 6, 1), end))
    return person


@pytest.mark.parametrize(
    "on", [date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1), date(2026, 12, 7)]
)
def test_the_oldest_declaration_that_counts_is_the_rule_of_twelve_months(on):
    first = oldest_current_declaration(on)
    for days in range(-400, 2):
        declared = on + timedelta(days=days)
        assert is_declaration_current(declared, on) == (first <= declared <= on), declared


def test_members_not_cleared_are_counted_once_to_the_day(client, db, secretariat):
    today = paris_today()
    first_valid = oldest_current_declaration(today)
    cst = make_committee(db)
    other = make_committee(db, name="Pharmacovigilance", acronym="PV")
    _member(cst, "Juste", first_valid)  # its last day: still cleared
    _member(cst, "Périmée", first_valid - timedelta(days=1))
    _member(cst, "Jamais", None)
    both = _member(cst, "Double", None)
    add_mandate(other, MandateLine(both, MandateRole.MEMBER, date(2021, 6, 1)))
    _member(cst, "Partie", None, end=today - timedelta(days=1))  # no longer sitting
    renewed = _member(other, "Renouvelé", first_valid - timedelta(days=400))
    file_declaration(renewed, today, [])
    db.session.commit()

    text = _panel(client, "panel-declarations-to-update")

    # Périmée, Jamais and Double (in two committees, one declaration to chase).
    assert "3 membres en fonction n'ont pas de déclaration à jour." in text


def test_every_member_cleared(client, db, secretariat):
    _member(make_committee(db), "Juste", paris_today())
    db.session.commit()
    assert "Tous les membres en fonction ont une déclaration à jour." in _panel(
        client, "panel-declarations-to-update"
    )


def test_next_sessions_begin_with_the_one_under_way(client, db, secretariat):
    cst = make_committee(db)
    now = utcnow().replace(microsecond=0)
    for days in (400, 60, 2):
        create_meeting(
            cst,
            title=f"Passée J-{days}",
            starts_at=now - timedelta(days=days),
            ends_at=now - timedelta(days=days) + timedelta(hours=3),
        )
    for days in (6, 1, 5, 3, 4, 2):  # scheduled out of order
        create_meeting(
            cst,
            title=f"À venir J+{days}",
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=3),
        )
    create_meeting(
        cst,
        title="En cours",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    db.session.commit()

    text = _panel(client, "panel-next-meetings")

    titles = re.findall(r"(En cours|À venir J\+\d|Passée J-\d+)", text)
    assert titles == ["En cours", "À venir J+1", "À venir J+2", "À venir J+3", "À venir J+4"]


# --- panels drawn once per worker (committees.publication.fragments) -------------------


def _titles(client) -> list[str]:
    return re.findall(r"Séance (\w+)", _panel(client, "panel-next-meetings"))


def test_a_kept_panel_shows_a_new_session_on_the_very_next_visit(client, db, secretariat):
    cst = make_committee(db)
    now = utcnow().replace(microsecond=0)
    create_meeting(cst, title="Séance Alpha", starts_at=now + timedelta(days=3),
                   ends_at=now + timedelta(days=3, hours=3))  # fmt: skip
    db.session.commit()
    assert _titles(client) == ["Alpha"]
    assert _titles(client) == ["Alpha"]  # drawn once, shown again

    create_meeting(cst, title="Séance Bêta", starts_at=now + timedelta(days=1),
                   ends_at=now + timedelta(days=1, hours=3))  # fmt: skip
    db.session.commit()

    assert _titles(client) == ["Bêta", "Alpha"]


def test_a_kept_panel_drops_a_session_the_moment_it_ends(client, db, secretariat):
    cst = make_committee(db)
    now = utcnow()
    ends = now + timedelta(seconds=2.5)
    create_meeting(cst, title="Séance Brève", starts_at=now - timedelta(hours=1), ends_at=ends)
    db.session.commit()
    assert _titles(client) == ["Brève"]

    time.sleep(max(0.0, (ends - utcnow()).total_seconds()) + 0.2)

    # No row changed: the session's end is one of the instants the panel is kept until.
    assert _titles(client) == []


def test_a_kept_panel_is_drawn_in_each_language_and_for_each_secretary(
    app, client, db, secretariat, make_user
):
    _member(make_committee(db), "Jamais", None)
    db.session.commit()
    french = _panel(client, "panel-declarations-to-update")
    english = _panel(client, "panel-declarations-to-update", "/en/dashboard")
    other = app.test_client()
    colleague = make_user(Role.SECRETARIAT, email="colleague@example.org")
    assert login(other, colleague.email, DEFAULT_PASSWORD).status_code == 302

    assert "1 membre en fonction n'a pas de déclaration à jour." in french
    assert "1 serving member does not have an up-to-date declaration." in english
    assert "1 membre en fonction n'a pas de déclaration à jour." in _panel(
        other, "panel-declarations-to-update"
    )
