"""Follow-up actions (suites à donner): recorded from a session's minutes, carried to the next
session's preparation page and agenda builder until closed, shown on the assignee's
dashboard, and the public ones on the committee's page as « Suivi des avis »."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from committees.auth.models import Role
from committees.meetings.models import FollowUpAction
from tests.support.helpers import DEFAULT_PASSWORD, errors_beside, login, post_form, text_of
from tests.support.meetings import add_item, appoint, make_committee, schedule
from tests.support.privacy import archive_of


def _two_sessions(db):
    committee = make_committee(db)
    first = schedule(db, committee, date(2022, 3, 3))
    second = schedule(db, committee, date(2022, 5, 5))
    item = add_item(db, first, 1, "Retour d'expérience des pharmacies")
    return committee, first, second, item


def test_an_action_is_carried_to_the_next_session_until_closed(client, db, secretary, make_user):
    committee, first, second, item = _two_sessions(db)
    member_user = make_user(Role.MEMBER, email="claire@example.org")
    mandate = appoint(db, committee, "Claire", "Martin", user=member_user)

    response = post_form(
        client,
        f"/secretariat/meetings/{first.id}/actions",
        {
            "description": "Rédiger la note sur les pharmacies",
            "assignee_kind": "member",
            "assignee_mandate_id": str(mandate.id),
            "due_on": "2022-04-30",
            "item_id": str(item.id),
            "is_public": "y",
        },
    )
    assert response.status_code == 303
    action = db.session.scalars(select(FollowUpAction)).one()
    assert (action.assignee_mandate_id, action.item_id, action.is_public) == (
        mandate.id,
        item.id,
        True,
    )

    # The next session's preparation page and agenda builder show it, with its origin.
    for path in (f"/secretariat/meetings/{second.id}", f"/secretariat/meetings/{second.id}/agenda"):
        page = text_of(client.get(path))
        assert "Rédiger la note sur les pharmacies" in page
        assert "Reportée depuis la séance du 3 mars 2022" in page
    # Not on the session that decided it (it is not carried backwards).
    assert "Reportée depuis" not in text_of(client.get(f"/secretariat/meetings/{first.id}"))

    # The assignee sees it on their dashboard.
    member_client = client.application.test_client()
    assert login(member_client, "claire@example.org", DEFAULT_PASSWORD).status_code == 302
    assert "Rédiger la note sur les pharmacies" in text_of(member_client.get("/dashboard"))

    # The assignee's data export names the action.
    exported, _archive = archive_of(
        post_form(member_client, "/account/data/export", {}, form_url="/account/data")
    )
    assert [a["description"] for a in exported["follow_up_actions"]] == [
        "Rédiger la note sur les pharmacies"
    ]

    # Closing needs a note; then the action leaves the next session's pages.
    refused = post_form(
        client,
        f"/secretariat/actions/{action.id}/close",
        {f"close-{action.id}-note": "  "},
        form_url=f"/secretariat/meetings/{first.id}/actions",
    )
    assert refused.status_code == 422
    assert "Indiquez comment" in errors_beside(refused, f"close-{action.id}-note")
    closed = post_form(
        client,
        f"/secretariat/actions/{action.id}/close",
        {f"close-{action.id}-note": "Note transmise le 28 avril."},
        form_url=f"/secretariat/meetings/{first.id}/actions",
    )
    assert closed.status_code == 303
    db.session.expire_all()
    assert db.session.get(FollowUpAction, action.id).closing_note == "Note transmise le 28 avril."
    assert "Rédiger la note" not in text_of(client.get(f"/secretariat/meetings/{second.id}"))
    assert "Rédiger la note" not in text_of(member_client.get("/dashboard"))
    page = text_of(client.get(f"/secretariat/meetings/{first.id}/actions"))
    assert "Note transmise le 28 avril." in page


def test_public_follow_up_shows_only_public_actions(client, db, secretary):
    committee, first, _second, _item = _two_sessions(db)
    url = f"/secretariat/meetings/{first.id}/actions"
    for text, public in (("Publier le bilan annuel", "y"), ("Relancer l'éditeur", "")):
        data = {"description": text, "assignee_kind": "secretariat"}
        if public:
            data["is_public"] = public
        assert post_form(client, url, data).status_code == 303
    service = {
        "description": "Saisir la direction de l'évaluation",
        "assignee_kind": "service",
        "assignee_text": "Direction de l'évaluation",
        "is_public": "y",
    }
    assert post_form(client, url, service).status_code == 303
    first_public = db.session.scalars(
        select(FollowUpAction).where(FollowUpAction.description == "Publier le bilan annuel")
    ).one()
    post_form(
        client,
        f"/secretariat/actions/{first_public.id}/close",
        {f"close-{first_public.id}-note": "Bilan publié."},
        form_url=url,
    )

    page = text_of(client.application.test_client().get(f"/committees/{committee.slug}"))
    assert "Suivi des avis" in page
    assert "Publier le bilan annuel" in page
    assert "Bilan publié." in page
    assert "Saisir la direction de l'évaluation" in page
    assert "En cours" in page
    assert "Direction de l'évaluation" in page
    assert "Relancer l'éditeur" not in page

    api = client.application.test_client().get(f"/api/v1/committees/{committee.slug}/follow-up")
    assert api.status_code == 200
    listed = {a["description"]: a for a in api.get_json()["data"]}
    assert set(listed) == {"Publier le bilan annuel", "Saisir la direction de l'évaluation"}
    assert listed["Publier le bilan annuel"]["status"] == "closed"
    assert listed["Publier le bilan annuel"]["closingNote"] == "Bilan publié."
    assert listed["Saisir la direction de l'évaluation"]["assignee"] == "Direction de l'évaluation"
    assert listed["Saisir la direction de l'évaluation"]["decidedOn"] == "2022-03-03"


def test_bad_action_input_is_refused_beside_its_field(client, db, secretary):
    _committee, first, _second, _item = _two_sessions(db)
    other = make_committee(db, name="Autre comité", acronym="AC", slug="autre")
    stranger = appoint(db, other, "Paul", "Durand")
    url = f"/secretariat/meetings/{first.id}/actions"
    cases = (
        ({"description": "X", "assignee_kind": "service"}, "assignee_text", "Indiquez le service"),
        (
            {
                "description": "X",
                "assignee_kind": "member",
                "assignee_mandate_id": str(stranger.id),
            },
            "assignee_mandate_id",
            "Choisissez un membre",
        ),
        ({"description": "", "assignee_kind": "secretariat"}, "description", "Indiquez l'action"),
    )
    for data, field, message in cases:
        response = post_form(client, url, data)
        assert response.status_code == 422, data
        assert message in errors_beside(response, field)
    assert db.session.scalars(select(FollowUpAction)).all() == []
