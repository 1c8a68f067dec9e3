"""The secretariat's committee, person and mandate screens."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from committees.audit.models import AuditEntry
from committees.auth.models import Role
from committees.bodies.models import Committee, CommitteeKind, MandateRole
from committees.bodies.persons.declarations import file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from tests.support.helpers import DEFAULT_PASSWORD, count_rows, login, post_form, text_of


@pytest.fixture
def committee_with_mission(db):
    """The CST « Suivi de l'expérimentation du cannabis médical », whose mission holds
    Markdown and a script the pages must not run."""
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Suivi de l'expérimentation du cannabis médical",
        acronym="CST",
        start_date=date(2021, 6, 8),
        end_date=date(2024, 12, 31),
        mission_fr="Suivre **l'expérimentation**.\n\n<script>alert(1)</script>",
    )
    db.session.commit()
    return committee


@pytest.fixture
def person(db):
    person = create_person(
        first_name="Claire",
        last_name="Martin",
        title="Dr",
        email="claire.martin@chu.example",
        affiliation="CHU de Lyon",
    )
    db.session.commit()
    return person


def _mandate_form(person_id, **overrides) -> dict:
    return {
        "person_id": str(person_id),
        "role": "member",
        "voting": "",
        "start_date": "2021-06-08",
        "end_date": "",
        "appointing_decision_id": "",
        **overrides,
    }


# --- who may enter --------------------------------------------------------------------


SECRETARIAT_PAGES = [
    "/secretariat/committees",
    "/secretariat/committees/new",
    "/secretariat/committees/{committee}",
    "/secretariat/committees/{committee}/edit",
    "/secretariat/committees/{committee}/mandates/new",
    "/secretariat/mandates/{mandate}/edit",
    "/secretariat/mandates/{mandate}/end",
    "/secretariat/persons",
    "/secretariat/persons/new",
    "/secretariat/persons/{person}",
    "/secretariat/persons/{person}/edit",
    "/secretariat/persons/{person}/declarations/new",
]


@pytest.fixture
def mandate(db, committee_with_mission, person):
    mandate = add_mandate(
        committee_with_mission, MandateLine(person, MandateRole.MEMBER, date(2021, 6, 8))
    )
    db.session.commit()
    return mandate


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CONTRIBUTOR])
def test_members_and_contributors_get_403(
    client, make_user, committee_with_mission, person, mandate, role
):
    user = make_user(role)
    login(client, user.email, DEFAULT_PASSWORD)
    ids = {"committee": committee_with_mission.id, "person": person.id, "mandate": mandate.id}
    for path in SECRETARIAT_PAGES:
        assert client.get(path.format(**ids)).status_code == 403, path
    assert client.post(f"/secretariat/persons/{person.id}/invite").status_code in (400, 403)


def test_anonymous_visitor_is_sent_to_sign_in(client, committee_with_mission, person, mandate):
    ids = {"committee": committee_with_mission.id, "person": person.id, "mandate": mandate.id}
    for path in SECRETARIAT_PAGES:
        url = path.format(**ids)
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login?next=" in response.headers["Location"]


def test_secretariat_reaches_every_page(
    client, secretariat, committee_with_mission, person, mandate
):
    ids = {"committee": committee_with_mission.id, "person": person.id, "mandate": mandate.id}
    for path in SECRETARIAT_PAGES:
        assert client.get(path.format(**ids)).status_code == 200, path


# --- committees -----------------------------------------------------------------------


def _committee_form(**overrides) -> dict:
    return {
        "kind": "permanent",
        "name_fr": "Pharmacovigilance et addictovigilance",
        "name_en": "Pharmacovigilance and addictovigilance",
        "acronym": "CSP",
        "slug": "",
        "mission_fr": "Examiner le **rapport** des effets indésirables.",
        "mission_en": "",
        "creating_decision_id": "",
        "start_date": "2022-03-01",
        "end_date": "",
        "meeting_cadence": "mensuelle",
        "quorum_percent": "50",
        **overrides,
    }


def _audit(db, entity) -> list[AuditEntry]:
    return list(
        db.session.execute(
            select(AuditEntry)
            .where(
                AuditEntry.entity_type == entity.__tablename__,
                AuditEntry.entity_id == entity.id,
            )
            .order_by(AuditEntry.id)
        ).scalars()
    )


def test_create_then_edit_a_committee_is_audited_and_shown(client, db, secretariat):
    response = post_form(client, "/secretariat/committees/new", _committee_form(published="y"))
    assert response.status_code == 302
    committee = db.session.execute(select(Committee)).scalar_one()
    assert committee.slug == "pharmacovigilance-et-addictovigilance"
    assert committee.published_at is not None
    assert response.headers["Location"].endswith(f"/secretariat/committees/{committee.id}")

    edit_url = f"/secretariat/committees/{committee.id}/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*id="published"', page)
    response = post_form(
        client,
        edit_url,
        _committee_form(name_fr="CSP mixte pharmaco-addictovigilance", slug="csp-mixte"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert committee.name_fr == "CSP mixte pharmaco-addictovigilance"
    assert committee.published_at is None  # unticked: withdrawn from the public site

    created, edited = _audit(db, committee)
    assert (created.action, edited.action) == ("create", "update")
    for entry in (created, edited):
        assert entry.actor_user_id == secretariat.id
        assert entry.actor_label == "secretariat@example.org"
    assert created.changes["name_fr"] == [None, "Pharmacovigilance et addictovigilance"]
    assert edited.changes["name_fr"] == [
        "Pharmacovigilance et addictovigilance",
        "CSP mixte pharmaco-addictovigilance",
    ]
    assert edited.changes["slug"] == ["pharmacovigilance-et-addictovigilance", "csp-mixte"]
    assert edited.changes["published_at"][1] is None

    text = text_of(client.get(f"/secretariat/committees/{committee.id}"))
    assert "Historique des modifications" in text
    assert "création" in text
    assert "modification" in text
    assert "secretariat@example.org" in text
    assert "CSP mixte pharmaco-addictovigilance" in text


def test_a_member_cannot_reach_the_audit_trail(client, make_user, committee_with_mission):
    member = make_user(Role.MEMBER)
    login(client, member.email, DEFAULT_PASSWORD)
    response = client.get(f"/secretariat/committees/{committee_with_mission.id}")
    assert response.status_code == 403
    assert "Historique des modifications" not in text_of(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"kind": "temporary", "start_date": "2022-03-01", "end_date": "2022-02-01"},
            "La date de fin précède la date de début.",
        ),
        ({"kind": "temporary"}, "Un comité scientifique temporaire a une date de fin."),
        ({"name_fr": ""}, "Indiquez le nom du comité."),
        ({"quorum_percent": "0"}, "Le quorum est un pourcentage entre 1 et 100."),
        ({"creating_decision_id": "12345"}, "Choisissez une décision de la liste."),
    ],
)
def test_bad_committee_is_refused_and_nothing_saved(client, db, secretariat, overrides, message):
    response = post_form(client, "/secretariat/committees/new", _committee_form(**overrides))
    assert response.status_code == 422
    assert message in text_of(response)
    assert count_rows(db, Committee) == 0
    assert count_rows(db, AuditEntry) == 0


def test_duplicate_slug_is_refused_and_what_was_typed_is_kept(
    client, db, secretariat, committee_with_mission
):
    response = post_form(
        client,
        "/secretariat/committees/new",
        _committee_form(name_fr="Un autre comité", slug=committee_with_mission.slug),
    )
    assert response.status_code == 422
    assert (
        f"L'adresse « {committee_with_mission.slug} » est déjà celle d'un autre comité."
        in text_of(response)
    )
    assert 'value="Un autre comité"' in response.get_data(as_text=True)
    assert count_rows(db, Committee) == 1


def test_committee_page_renders_mission_safely(client, secretariat, committee_with_mission):
    html = client.get(f"/secretariat/committees/{committee_with_mission.id}").get_data(as_text=True)
    assert "Suivre <strong>l'expérimentation</strong>." in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _members_on(client, committee, day: str) -> str:
    response = client.get(f"/secretariat/committees/{committee.id}?on={day}")
    assert response.status_code == 200
    return text_of(response).split("Historique des mandats")[0]


def test_composition_at_a_date_across_a_mandate_end(
    client, db, secretariat, committee_with_mission, person
):
    mandate = add_mandate(
        committee_with_mission,
        MandateLine(person, MandateRole.MEMBER, date(2021, 6, 8), date(2022, 3, 31)),
    )
    mandate.end_reason = "Démission"
    db.session.commit()

    on_last_day = _members_on(client, committee_with_mission, "2022-03-31")
    assert "Composition au 31 mars 2022" in on_last_day
    assert "Dr Claire Martin" in on_last_day
    on_next_day = _members_on(client, committee_with_mission, "2022-04-01")
    assert "Composition au 1er avril 2022" in on_next_day
    assert "Dr Claire Martin" not in on_next_day
    assert "Aucun membre à cette date." in on_next_day

    # The ended mandate stays in the history, with its reason.
    history = text_of(client.get(f"/secretariat/committees/{committee_with_mission.id}"))
    assert "Historique des mandats" in history
    assert "Démission" in history.split("Historique des mandats")[1]


@pytest.mark.parametrize("bad", ["2022-13-45", "demain", "31/03/2022"])
def test_malformed_date_is_a_clear_400(client, secretariat, committee_with_mission, bad):
    response = client.get(
        f"/secretariat/committees/{committee_with_mission.id}", query_string={"on": bad}
    )
    assert response.status_code == 400
    assert "Date non reconnue : utilisez le format AAAA-MM-JJ." in text_of(response)


def test_declaration_rule_at_its_edge_on_the_committee_page(
    client, db, secretariat, committee_with_mission, person
):
    add_mandate(committee_with_mission, MandateLine(person, MandateRole.MEMBER, date(2021, 6, 8)))
    other = create_person(first_name="Paul", last_name="Durand")
    add_mandate(committee_with_mission, MandateLine(other, MandateRole.MEMBER, date(2021, 6, 8)))
    file_declaration(person, date(2021, 6, 8), [])
    db.session.commit()

    def status_of(day: str, name: str) -> str:
        html = client.get(f"/secretariat/committees/{committee_with_mission.id}?on={day}").get_data(
            True
        )
        row = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{name}</a></th>.*?</tr>", html, re.S)
        assert row, f"{name} not in the composition on {day}"
        return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())

    assert "non à jour" not in status_of("2022-06-08", "Dr Claire Martin")
    assert "à jour" in status_of("2022-06-08", "Dr Claire Martin")
    assert "non à jour" in status_of("2022-06-09", "Dr Claire Martin")
    assert "non à jour" in status_of("2022-06-08", "Paul Durand")


def test_committee_list_shows_status_members_and_not_cleared(
    client, db, secretariat, committee_with_mission, person
):
    add_mandate(
        committee_with_mission, MandateLine(person, MandateRole.PRESIDENT, date(2021, 6, 8))
    )
    other = create_person(first_name="Paul", last_name="Durand")
    add_mandate(committee_with_mission, MandateLine(other, MandateRole.MEMBER, date(2021, 6, 8)))
    ended = create_person(first_name="Léa", last_name="Petit")
    add_mandate(
        committee_with_mission,
        MandateLine(ended, MandateRole.MEMBER, date(2021, 6, 8), date(2021, 12, 31)),
    )
    from committees.common.timeutils import paris_today

    file_declaration(person, paris_today(), [])
    create_committee(
        kind=CommitteeKind.PERMANENT, name_fr="Comité futur", start_date=date(2099, 1, 1)
    )
    db.session.commit()

    text = text_of(client.get("/secretariat/committees"))
    assert "2 comités" in text
    # kind, name, acronym, status, dates, 2 current members, 1 not cleared
    row = text.split("Suivi de l'expérimentation du cannabis médical")[1]
    assert row.startswith(" CST")
    assert "08/06/2021 31/12/2024 2 1" in row
    if date(2024, 12, 31) < paris_today():
        assert "Terminé" in row.split("Comité")[0]
    assert "Comité scientifique temporaire" in text
    assert "Comité futur" in text
    assert "À venir" in text


def test_committee_list_counts_current_members(
    client, db, secretariat, committee_with_mission, person
):
    from committees.bodies.services import member_counts

    add_mandate(committee_with_mission, MandateLine(person, MandateRole.MEMBER, date(2021, 6, 8)))
    db.session.commit()
    counts = member_counts([committee_with_mission.id], date(2022, 1, 1))
    assert counts[committee_with_mission.id].members == 1
    assert counts[committee_with_mission.id].not_cleared == 1


def _committees_with_members(db, first: int, count: int) -> None:
    for n in range(first, first + count):
        committee = create_committee(
            kind=CommitteeKind.PERMANENT, name_fr=f"Comité {n:02d}", start_date=date(2020, 1, 1)
        )
        for k in range(2):
            member = create_person(first_name=f"P{k}", last_name=f"Membre {n}-{k}")
            add_mandate(committee, MandateLine(member, MandateRole.MEMBER, date(2020, 1, 1)))
            if k:
                file_declaration(member, date(2020, 1, 1), [])
    db.session.commit()


def test_committee_list_costs_the_same_queries_for_3_or_15(client, db, secretariat, count_queries):
    _committees_with_members(db, 0, 3)
    with count_queries() as few:
        small = client.get("/secretariat/committees")
    _committees_with_members(db, 3, 12)  # commits: the signed-in account is reloaded alike
    with count_queries() as many:
        large = client.get("/secretariat/committees")
    assert small.status_code == large.status_code == 200
    assert "15 comités" in text_of(large)
    assert len(many) == len(few)
