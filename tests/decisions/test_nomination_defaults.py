"""The nomination form (issue 20, secretariat): mandates never prefilled to start before
their committee, and every refused line shown at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from committees.bodies.models import Mandate
from tests.support.decisions import make_committee, make_decision, make_person
from tests.support.helpers import count_rows, post_form, text_of


def _data(committee, rows):
    data = {"committee": str(committee.id)}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    return data


def test_a_committee_starting_after_the_signature_gets_its_own_start(client, db, secretariat):
    # signed 17/02/2022, the committee starts on 01/03/2022
    committee = make_committee(start_date=date(2022, 3, 1))
    decision = make_decision("2022-30")
    claire, paul = make_person("Claire", "Martin"), make_person("Paul", "Durand")
    db.session.commit()
    url = f"/secretariat/decisions/{decision.id}/nomination"

    preset = client.get(f"{url}?committee={committee.id}").get_data(as_text=True)
    assert preset.count('value="2022-03-01"') == 15
    assert 'value="2022-02-17"' not in preset

    # Left as prefilled without a committee (the signature date), or blank: the committee's start.
    rows = [
        {"person": str(claire.id), "role": "member", "start_date": "2022-02-17"},
        {"person": str(paul.id), "role": "member", "start_date": ""},
    ]
    response = post_form(client, url, _data(committee, rows))
    assert response.status_code == 302
    starts = db.session.execute(select(Mandate.start_date)).scalars().all()
    assert starts == [date(2022, 3, 1), date(2022, 3, 1)]


def test_every_refused_line_is_shown_at_once(client, db, secretariat):
    committee = make_committee()
    decision = make_decision("2022-30")
    claire, paul, ines = (
        make_person("Claire", "Martin"),
        make_person("Paul", "Durand"),
        make_person("Inès", "Bernard"),
    )
    db.session.commit()
    rows = [
        {"person": str(claire.id), "role": "invited_expert", "voting": "yes", "start_date": ""},
        {"person": str(paul.id), "role": "member", "start_date": ""},
        {
            "person": str(ines.id),
            "role": "member",
            "start_date": "2022-06-01",
            "end_date": "2022-03-01",
        },
    ]
    response = post_form(
        client, f"/secretariat/decisions/{decision.id}/nomination", _data(committee, rows)
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Ligne 1 : Un expert invité ne vote pas." in page
    assert "Ligne 3 : La fin du mandat précède son début." in page
    html = response.get_data(as_text=True)
    assert html.count('<strong class="field-errors">refusée</strong>') == 2
    assert count_rows(db, Mandate) == 0
