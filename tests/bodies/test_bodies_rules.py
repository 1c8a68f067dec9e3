"""The rules behind the screens, at the service level: composition, clearance, counts."""

from __future__ import annotations

from datetime import date

import pytest

from committees.auth.models import Role
from committees.bodies.models import CommitteeKind, MandateRole
from committees.bodies.persons.declarations import (
    clearance,
    declaration_status,
    file_declaration,
    is_cleared,
)
from committees.bodies.persons.services import create_person, invite_person
from committees.bodies.rules import BodiesError
from committees.bodies.services import (
    MandateLine,
    add_mandate,
    composition_on,
    create_committee,
    member_counts,
    not_cleared_count,
    update_mandate,
)


@pytest.fixture
def experiment_committee(db):
    """« Suivi de l'expérimentation », June 2021 to 2024, left uncommitted (service level)."""
    return create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Suivi de l'expérimentation",
        start_date=date(2021, 6, 8),
        end_date=date(2024, 12, 31),
    )


@pytest.fixture
def person(db):
    return create_person(first_name="Claire", last_name="Martin", email="claire@example.org")


def test_composition_includes_the_last_day_of_a_mandate(experiment_committee, person):
    add_mandate(
        experiment_committee,
        MandateLine(person, MandateRole.MEMBER, date(2021, 6, 8), date(2022, 3, 31)),
    )
    assert [m.person for m in composition_on(experiment_committee, date(2022, 3, 31))] == [person]
    assert composition_on(experiment_committee, date(2022, 4, 1)) == []
    assert composition_on(experiment_committee, date(2021, 6, 7)) == []


def test_twelve_month_rule_at_its_edge(person):
    file_declaration(person, date(2021, 6, 8), [])
    assert is_cleared(person, date(2022, 6, 8))
    assert not is_cleared(person, date(2022, 6, 9))
    status = declaration_status(person, date(2022, 6, 9))
    assert (status.cleared, status.latest, status.valid_until) == (
        False,
        date(2021, 6, 8),
        date(2022, 6, 8),
    )


def test_no_declaration_is_not_cleared(person):
    assert clearance([person.id], date(2022, 1, 1)) == {person.id: False}
    assert declaration_status(person, date(2022, 1, 1)).latest is None


def test_a_past_day_is_judged_on_the_declarations_known_that_day(person):
    file_declaration(person, date(2021, 6, 8), [])
    file_declaration(person, date(2022, 3, 1), [])
    # On 1 January 2022 the June 2021 declaration was current; the later one is irrelevant.
    assert is_cleared(person, date(2022, 1, 1))
    assert not is_cleared(person, date(2021, 6, 7))


def test_member_counts_and_not_cleared_across_committees(db, experiment_committee, person):
    other = create_committee(
        kind=CommitteeKind.PERMANENT, name_fr="Pharmacovigilance", start_date=date(2022, 3, 1)
    )
    cleared = create_person(first_name="Paul", last_name="Durand")
    file_declaration(cleared, date(2022, 1, 1), [])
    for target in (experiment_committee, other):
        add_mandate(target, MandateLine(person, MandateRole.MEMBER, date(2022, 3, 1)))
    add_mandate(experiment_committee, MandateLine(cleared, MandateRole.MEMBER, date(2022, 3, 1)))
    counts = member_counts([experiment_committee.id, other.id], date(2022, 6, 1))
    assert (
        counts[experiment_committee.id].members,
        counts[experiment_committee.id].not_cleared,
    ) == (2, 1)
    assert (counts[other.id].members, counts[other.id].not_cleared) == (1, 1)
    # A person sitting in two committees is one declaration to chase, not two.
    assert not_cleared_count(date(2022, 6, 1)) == 1


def test_update_refuses_an_overlap_with_another_mandate(experiment_committee, person):
    add_mandate(
        experiment_committee,
        MandateLine(person, MandateRole.MEMBER, date(2021, 6, 8), date(2021, 12, 31)),
    )
    later = add_mandate(
        experiment_committee, MandateLine(person, MandateRole.PRESIDENT, date(2022, 1, 1))
    )
    with pytest.raises(BodiesError, match="a déjà un mandat"):
        update_mandate(later, role=MandateRole.PRESIDENT, start_date=date(2021, 12, 1))
    with pytest.raises(BodiesError, match=r"Un expert invité ne vote pas\."):
        update_mandate(
            later, role=MandateRole.INVITED_EXPERT, start_date=date(2022, 1, 1), voting=True
        )


def test_invite_person_refuses_an_account_already_tied(db, make_user, person):
    secretary = make_user(Role.SECRETARIAT)
    account = make_user(Role.MEMBER, email="shared@example.org")
    first = create_person(first_name="A", last_name="A", email="other@example.org")
    first.user = account
    person.email = "shared@example.org"
    db.session.flush()
    with pytest.raises(BodiesError, match="déjà rattaché à une autre personne"):
        invite_person(person, secretary)
