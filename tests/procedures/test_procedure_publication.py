"""A written procedure's opinion reaches the public (page, PDF, API, Atom, search, activity
report) once published, and never before."""

from __future__ import annotations

from datetime import timedelta

from committees.procedures import services
from committees.reports.computing import report_figures
from tests.support.procedures import opened


def _closed(db, held):
    procedure = opened(db, held, organisation="")
    services.record_recusal(
        procedure, held.mandates["bruno"].id, "consultant d'un opérateur économique"
    )
    for key, choice in {"anne": "for", "claire": "for", "denis": "against"}.items():
        row = next(c for c in procedure.consulted if c.mandate_id == held.mandates[key].id)
        services.answer(procedure, row, choice)
    services.close(procedure, now=procedure.deadline + timedelta(minutes=1))
    db.session.commit()
    return procedure


def _seen(client, procedure) -> dict[str, bool]:
    api_list = client.get("/api/v1/procedures").get_json()
    atom = client.get("/feeds/publications.atom").get_data(as_text=True)
    search = client.get("/search?q=prolongation").get_data(as_text=True)
    return {
        "page": client.get(f"/procedures/{procedure.id}").status_code == 200,
        "api list": any(p["id"] == procedure.id for p in api_list["data"]),
        "api detail": client.get(f"/api/v1/procedures/{procedure.id}").status_code == 200,
        "atom": f"/procedures/{procedure.id}" in atom,
        "search": f"/procedures/{procedure.id}" in search,
        "committee page": f"/procedures/{procedure.id}"
        in client.get(f"/committees/{procedure.committee.slug}").get_data(as_text=True),
    }


def test_nothing_is_public_before_publication_and_everything_after(app, db, held):
    client = app.test_client()
    procedure = opened(db, held)
    assert not any(_seen(client, procedure).values())
    services.close(procedure, now=procedure.deadline + timedelta(minutes=1))
    db.session.commit()
    assert not any(_seen(client, procedure).values())
    services.publish(procedure, "Avis favorable à la prolongation de l'expérimentation.")
    db.session.commit()
    assert all(_seen(client, procedure).values()), _seen(client, procedure)


def test_the_api_gives_the_named_votes(app, db, held):
    procedure = _closed(db, held)
    services.publish(procedure, "Avis favorable.")
    db.session.commit()
    body = app.test_client().get(f"/api/v1/procedures/{procedure.id}").get_json()
    assert body["adopted"] is True
    assert body["quorumReached"] is True
    assert (body["votingMembers"], body["quorum"]) == (5, 3)
    assert (body["votesFor"], body["votesAgainst"], body["abstentions"]) == (2, 1, 0)
    votes = {v["name"]: v for v in body["votes"]}
    assert votes["Pr Anne Martin"]["choice"] == "for"
    assert votes["Bruno Petit"] == {"name": "Bruno Petit", "choice": None, "recused": True}
    assert body["documents"][0]["name"] == "Note de cadrage"
    # the reason of a recusal and the members' comments stay private
    assert "consultant" not in str(body)
    listed = app.test_client().get(f"/api/v1/procedures?committee={held.committee.slug}")
    assert [p["id"] for p in listed.get_json()["data"]] == [procedure.id]
    assert app.test_client().get("/api/v1/procedures?committee=autre").get_json()["data"] == []


def test_the_pdf_and_the_activity_report(app, db, held):
    procedure = _closed(db, held)
    services.publish(procedure, "Avis favorable.")
    db.session.commit()
    response = app.test_client().get(f"/procedures/{procedure.id}/opinion.pdf")
    assert response.status_code in (200, 503)
    if response.status_code == 200:
        assert response.data.startswith(b"%PDF")
    year = procedure.closed_at.astimezone(services.PARIS).year
    figures = report_figures(held.committee, year)
    assert (figures.written_procedures, figures.written_opinions) == (1, 1)
