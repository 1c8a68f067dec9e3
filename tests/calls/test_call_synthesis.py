"""The consultation synthesis of a closed call: counts from a hand-built set of contributions,
the secretariat's page, never an excerpt of a contribution without consent (page, PDF, API,
search), not before closing, publication (public text, PDF, Atom, API, follow event)."""

from __future__ import annotations

import io
import sys
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.administration.review import (
    mark_eligible,
    mark_off_topic,
    select_for_hearing,
)
from committees.calls.models import CallSynthesis, SynthesisExcerpt
from committees.calls.rules import CallError
from committees.calls.submission.services import withdraw_contribution
from committees.calls.synthesis.services import (
    ExcerptChoice,
    call_hearings,
    compute_counts,
    publish_synthesis,
    save_draft,
    skeleton,
)
from committees.common.timeutils import paris_today, utcnow
from committees.follows.models import FollowEvent
from committees.search.services import search
from tests.support.calls import (
    DURING,
    IN_2022,
    THEMES,
    contribute,
    make_call,
    make_committee,
    make_meeting,
)
from tests.support.helpers import count_rows, csrf_token_from, text_of

#: what the contribution without consent says: it must never reach the public
SECRET = "Procédé confidentiel de séchage sous azote"
#: what the consented contribution says
QUOTE = "Nos quarante exploitations cultivent le chanvre depuis vingt ans"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def closed(db, make_user):
    """A call of 2022 (closed by its deadline) and five contributions:

    - Chanvre de Touraine, farmer, consented, themes 1 and 3, selected for a hearing;
    - PhytoLab, raw-material producer, NO consent, theme 2, eligible;
    - Patients Unis, patient association, consented, theme 1, off topic;
    - Société française de pharmacologie, learned society, consented, no theme, not reviewed;
    - Retrait SARL, farmer, consented, theme 2, withdrawn by its authors.
    """
    committee = make_committee()
    meeting = make_meeting(committee)
    call = make_call(committee, meeting, reference="AMI-2022", **IN_2022)
    author = make_user(Role.CONTRIBUTOR)
    farm = contribute(call, author, organisation="Chanvre de Touraine",
                      themes=[THEMES[0], THEMES[2]], text=f"{QUOTE}.\n\nSuite.")  # fmt: skip
    lab = contribute(call, author, organisation="PhytoLab", kind="raw_material_producer",
                     consent=False, themes=[THEMES[1]], text=SECRET + ".")  # fmt: skip
    patients = contribute(call, author, organisation="Patients Unis", kind="patient_association",
                          themes=[THEMES[0]])  # fmt: skip
    society = contribute(call, author, organisation="Société française de pharmacologie",
                         kind="learned_society", themes=[])  # fmt: skip
    gone = contribute(call, author, organisation="Retrait SARL", themes=[THEMES[1]])
    withdraw_contribution(gone, now=DURING)
    mark_eligible(farm)
    select_for_hearing(farm)
    mark_eligible(lab)
    mark_off_topic(patients, "Hors du champ de la filière.")
    db.session.commit()
    return {"call": call, "farm": farm, "lab": lab, "patients": patients, "society": society}


def _edit_url(call) -> str:
    return f"/secretariat/calls/{call.id}/synthesis"


def _post(client, call, data):
    token = csrf_token_from(client.get(_edit_url(call)).get_data(as_text=True))
    return client.post(_edit_url(call), data={"csrf_token": token, **data})


def _publish(db, closed, body="Les contributeurs décrivent une filière structurée."):
    call, farm = closed["call"], closed["farm"]
    synthesis = save_draft(call, body, [ExcerptChoice(farm.id, QUOTE, 1)])
    publish_synthesis(synthesis)
    db.session.commit()
    return synthesis


# --- counts ---------------------------------------------------------------------------


def test_counts_follow_the_contributions_withdrawn_ones_apart(closed):
    counts = compute_counts(closed["call"])

    assert counts.total == 4
    assert counts.withdrawn == 1
    assert dict(counts.by_kind) == {
        "farmer": 1,
        "raw_material_producer": 1,
        "patient_association": 1,
        "learned_society": 1,
    }
    assert counts.by_theme == ((THEMES[0], 2), (THEMES[1], 1), (THEMES[2], 1))
    assert dict(counts.by_outcome) == {"submitted": 1, "eligible": 1, "off_topic": 1, "selected": 1}


def test_counts_are_computed_at_each_read(db, closed, make_user):
    mark_eligible(closed["society"])
    db.session.commit()

    assert dict(compute_counts(closed["call"]).by_outcome)["eligible"] == 2


def test_the_page_shows_counts_hearings_and_a_french_skeleton(client, closed, secretariat):
    response = client.get(_edit_url(closed["call"]))
    page = text_of(response)

    assert response.status_code == 200
    assert "Société savante : 1" in page
    assert "Association de patients : 1" in page
    assert f"{THEMES[0]} : 2" in page
    assert "Retenue pour une audition : 1" in page
    assert "a reçu 4 contributions (et 1 retirée par ses auteurs)" in page
    assert "Chanvre de Touraine — Séance du 4 mai 2022" in page  # the hearing that followed
    assert "### Principaux enseignements" in response.get_data(as_text=True)


def test_hearings_of_the_session_count_when_a_contributor_is_heard(db, closed):
    from committees.meetings.agenda.hearings import add_hearing
    from committees.meetings.models import ItemKind

    call = closed["call"]
    item = next(i for i in call.meeting.items if i.kind == ItemKind.HEARING)
    add_hearing(item, organisation="PATIENTS UNIS", organisation_kind="patient_association")
    add_hearing(item, organisation="Laboratoire sans contribution", organisation_kind="institution")
    db.session.commit()

    names = [h.organisation for h in call_hearings(call)]
    assert sorted(names) == ["Chanvre de Touraine", "PATIENTS UNIS"]
    assert "- PATIENTS UNIS — séance du 04/05/2022" in skeleton(call)


def test_only_consented_contributions_are_offered_as_excerpts(client, closed, secretariat):
    html = client.get(_edit_url(closed["call"])).get_data(as_text=True)

    assert f'name="quote-{closed["farm"].id}"' in html
    assert f'name="quote-{closed["patients"].id}"' in html
    assert f'name="quote-{closed["lab"].id}"' not in html
    assert SECRET not in html


# --- not before closing ---------------------------------------------------------------


def test_no_synthesis_while_the_call_is_open(client, db, secretariat):
    call = make_call(reference="AMI-OUVERT")

    response = client.get(_edit_url(call))
    assert response.status_code == 409
    assert "La synthèse ne peut être rédigée qu'une fois l'appel clos" in text_of(response)
    token = csrf_token_from(client.get(f"/secretariat/calls/{call.id}").get_data(as_text=True))
    posted = client.post(_edit_url(call), data={"csrf_token": token, "body": "Texte", "save": "1"})
    assert posted.status_code == 409
    assert count_rows(db, CallSynthesis) == 0
    with pytest.raises(CallError):
        save_draft(call, "Texte", [])


def test_a_call_closed_early_by_the_secretariat_may_be_summed_up(client, db, secretariat):
    call = make_call(reference="AMI-CLOS", status="closed")

    assert client.get(_edit_url(call)).status_code == 200
    assert _edit_url(call) in client.get(f"/secretariat/calls/{call.id}").get_data(as_text=True)


def test_an_open_call_page_offers_no_synthesis_yet(client, db, secretariat):
    call = make_call(reference="AMI-OUVERT")

    assert _edit_url(call) not in client.get(f"/secretariat/calls/{call.id}").get_data(as_text=True)


def test_other_roles_are_refused(client, closed, signed_in):
    signed_in(Role.MEMBER)
    assert client.get(_edit_url(closed["call"])).status_code == 403


# --- saving ---------------------------------------------------------------------------


def test_saving_a_draft_with_an_excerpt(client, db, closed, secretariat):
    farm = closed["farm"]
    response = _post(
        client,
        closed["call"],
        {"body": "## Synthèse\n\nTexte.", f"quote-{farm.id}": "y",
         f"excerpt-{farm.id}": QUOTE, f"position-{farm.id}": "1", "save": "1"},
    )  # fmt: skip

    assert response.status_code == 302
    synthesis = db.session.scalars(select(CallSynthesis)).one()
    assert synthesis.published_at is None
    assert [(e.contribution_id, e.excerpt, e.position) for e in synthesis.excerpts] == [
        (farm.id, QUOTE, 1)
    ]
    assert "## Synthèse" in client.get(_edit_url(closed["call"])).get_data(as_text=True)


def test_saving_twice_with_the_same_excerpt_keeps_one_row(client, db, closed, secretariat):
    farm = closed["farm"]
    form = {"body": "Texte.", f"quote-{farm.id}": "y", f"excerpt-{farm.id}": QUOTE,
            f"position-{farm.id}": "1", "save": "1"}  # fmt: skip
    assert _post(client, closed["call"], form).status_code == 302

    again = _post(client, closed["call"], {**form, "body": "Texte revu."})

    assert again.status_code == 302
    db.session.expire_all()
    synthesis = db.session.scalars(select(CallSynthesis)).one()
    assert synthesis.body == "Texte revu."
    assert [(e.contribution_id, e.excerpt) for e in synthesis.excerpts] == [(farm.id, QUOTE)]


def test_an_excerpt_of_a_contribution_without_consent_is_refused(client, db, closed, secretariat):
    lab = closed["lab"]
    response = _post(
        client,
        closed["call"],
        {"body": "Texte gardé.", f"quote-{lab.id}": "y", f"excerpt-{lab.id}": SECRET,
         "publish": "1"},
    )  # fmt: skip

    assert response.status_code == 422
    page = text_of(response)
    assert "Seules les contributions dont les auteurs ont consenti" in page
    assert "Texte gardé." in page  # what was typed is kept
    assert count_rows(db, CallSynthesis) == 0
    assert count_rows(db, SynthesisExcerpt) == 0
    with pytest.raises(CallError):
        save_draft(closed["call"], "Texte", [ExcerptChoice(lab.id, SECRET, 1)])


def test_an_empty_excerpt_is_refused_with_a_clear_message(client, db, closed, secretariat):
    farm = closed["farm"]
    response = _post(
        client,
        closed["call"],
        {"body": "Texte", f"quote-{farm.id}": "y", f"excerpt-{farm.id}": "  ", "save": "1"},
    )

    assert response.status_code == 422
    assert f"Indiquez l'extrait cité de la contribution {farm.receipt}" in text_of(response)
    assert count_rows(db, CallSynthesis) == 0


def test_a_synthesis_without_text_is_not_published(client, db, closed, secretariat):
    response = _post(client, closed["call"], {"body": "   ", "publish": "1"})

    assert response.status_code == 422
    assert "Rédigez la synthèse avant de la publier." in text_of(response)
    assert count_rows(db, CallSynthesis) == 0


# --- publication ----------------------------------------------------------------------


def test_a_draft_is_seen_nowhere_by_the_public(app, db, closed):
    call, farm = closed["call"], closed["farm"]
    save_draft(call, "Brouillon confidentiel de synthèse", [ExcerptChoice(farm.id, QUOTE, 1)])
    db.session.commit()
    anonymous = app.test_client()

    assert "Brouillon confidentiel" not in text_of(anonymous.get(f"/calls/{call.id}"))
    assert anonymous.get(f"/calls/{call.id}/synthesis.pdf").status_code == 404
    assert anonymous.get(f"/api/v1/calls/{call.id}").get_json()["synthesis"] is None
    assert b"synthesis:" not in anonymous.get("/feeds/publications.atom").data
    assert search("Brouillon confidentiel").total == 0


def test_publishing_from_the_page_shows_the_synthesis_on_the_call_page(
    app, client, db, closed, secretariat
):
    call, farm = closed["call"], closed["farm"]
    response = _post(
        client,
        call,
        {"body": "Les contributeurs décrivent une **filière structurée**.",
         f"quote-{farm.id}": "y", f"excerpt-{farm.id}": QUOTE, "publish": "1"},
    )  # fmt: skip
    assert response.status_code == 302

    page = text_of(app.test_client().get(f"/calls/{call.id}"))
    assert "Synthèse de la consultation" in page
    assert f"Publiée le {paris_today().day} " in page
    assert "filière structurée" in page
    assert QUOTE in page
    assert "Chanvre de Touraine (Agriculteur ou cultivateur)" in page
    assert SECRET not in page
    event = db.session.scalars(select(FollowEvent)).one()
    assert (event.kind, event.object_key) == ("synthesis_published", f"call:{call.id}")
    assert event.url.endswith(f"/calls/{call.id}#synthese")


def test_the_pdf_holds_the_text_and_the_excerpts(app, db, closed):
    _publish(db, closed)
    response = app.test_client().get(f"/calls/{closed['call'].id}/synthesis.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Synthèse de la consultation AMI-2022" in text
    assert "filière structurée" in text
    assert QUOTE in text
    assert app.config["AGENCY_NAME"] in text
    assert "Procédé confidentiel" not in text


def test_the_pdf_without_weasyprint_answers_503(app, db, closed, monkeypatch):
    _publish(db, closed)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a missing package looks like
    response = app.test_client().get(f"/calls/{closed['call'].id}/synthesis.pdf")

    assert response.status_code == 503
    assert "Le PDF de la synthèse est momentanément indisponible" in text_of(response)


def test_the_atom_feed_has_an_entry(app, db, closed):
    _publish(db, closed)
    feed = ET.fromstring(app.test_client().get("/feeds/publications.atom").data)  # noqa: S314

    [entry] = [e for e in feed.iter(f"{ATOM}entry") if "synthesis:" in e.find(f"{ATOM}id").text]
    assert entry.find(f"{ATOM}title").text.startswith("Synthèse de la consultation : ")
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(f"/calls/{closed['call'].id}#synthese")


def test_the_api_gives_the_synthesis_with_its_counts(app, db, closed):
    _publish(db, closed)
    body = app.test_client().get(f"/api/v1/calls/{closed['call'].id}").get_json()

    synthesis = body["synthesis"]
    assert synthesis["body"] == "Les contributeurs décrivent une filière structurée."
    assert synthesis["contributionsCount"] == 4
    assert synthesis["withdrawnCount"] == 1
    assert {"kind": "learned_society", "count": 1} in synthesis["byKind"]
    assert {"outcome": "selected", "count": 1} in synthesis["byOutcome"]
    assert synthesis["excerpts"] == [
        {"organisation": "Chanvre de Touraine", "kind": "farmer", "excerpt": QUOTE}
    ]
    assert synthesis["pdf"].endswith(f"/calls/{closed['call'].id}/synthesis.pdf")
    assert "PhytoLab" not in str(synthesis)
    assert SECRET not in str(body)


def test_search_finds_the_synthesis_and_its_excerpts_only(db, closed):
    _publish(db, closed)

    [hit] = search("filière structurée").hits
    assert hit.kind == "synthesis"
    assert hit.url == f"/calls/{closed['call'].id}#synthese"
    assert search("quarante exploitations").total == 1
    assert search("séchage azote").total == 0


def test_excerpts_disappear_when_the_call_no_longer_allows_publication(app, db, closed):
    _publish(db, closed)
    closed["call"].contributions_publishable = False
    db.session.commit()
    anonymous = app.test_client()

    assert QUOTE not in text_of(anonymous.get(f"/calls/{closed['call'].id}"))
    api = anonymous.get(f"/api/v1/calls/{closed['call'].id}").get_json()
    assert api["synthesis"]["excerpts"] == []
    assert search("quarante exploitations").total == 0
    assert search("filière structurée").total == 1


def test_unpublishing_hides_it_again(app, client, db, closed, secretariat):
    _publish(db, closed)
    token = csrf_token_from(client.get(_edit_url(closed["call"])).get_data(as_text=True))
    response = client.post(f"{_edit_url(closed['call'])}/unpublish", data={"csrf_token": token})
    assert response.status_code == 302

    anonymous = app.test_client()
    assert "filière structurée" not in text_of(anonymous.get(f"/calls/{closed['call'].id}"))
    assert anonymous.get(f"/calls/{closed['call'].id}/synthesis.pdf").status_code == 404
    assert anonymous.get(f"/api/v1/calls/{closed['call'].id}").get_json()["synthesis"] is None
    assert search("filière structurée").total == 0


def test_republishing_does_not_tell_the_followers_twice(db, closed):
    synthesis = _publish(db, closed)
    synthesis.published_at = None
    db.session.commit()
    publish_synthesis(synthesis, now=utcnow() + timedelta(days=1))
    db.session.commit()

    assert count_rows(db, FollowEvent) == 1


def test_the_demo_call_has_a_published_synthesis(app, db):
    from committees.demo import seed_all

    seed_all()
    seed_all()  # idempotent
    assert count_rows(db, CallSynthesis) == 1
    synthesis = db.session.scalars(select(CallSynthesis)).one()
    page = text_of(app.test_client().get(f"/calls/{synthesis.call_id}"))
    assert "Publiée le 1er juin 2022" in page
    assert "Principaux enseignements" in page
    # The demo quotes only contributions whose authors consented.
    assert all(e.contribution.consent_publication for e in synthesis.excerpts)
