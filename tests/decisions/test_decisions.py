"""Decisions, secretariat side: numbering, signed PDF, effects on committees and mandates."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from committees.audit.models import AuditEntry
from committees.auth.models import Role
from committees.bodies.models import Committee, CommitteeKind, Mandate, MandateRole
from committees.bodies.services import MandateLine, add_mandate
from committees.decisions.models import Decision, DecisionEffect, DecisionKind
from committees.decisions.services import (
    publish_decision,
    record_concerns,
    record_creation,
)
from tests.support.decisions import PDF, make_committee, make_decision, make_person
from tests.support.helpers import (
    DEFAULT_PASSWORD,
    count_rows,
    csrf_token_from,
    errors_beside,
    login,
    post_form,
    text_of,
)


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _decision_form(**overrides) -> dict:
    data = {
        "number": "2022-30",
        "title": "Nomination des membres du CST « Culture en France du cannabis à usage médical »",
        "kind": "nomination",
        "signed_on": "2022-02-17",
        "summary": "Le directeur général nomme les membres du comité.",
    }
    data.update(overrides)
    return data


# --- numbering (must show) ------------------------------------------------------------


def test_secretariat_records_a_decision(client, db, secretariat):
    response = post_form(client, "/secretariat/decisions/new", _decision_form())
    assert response.status_code == 302
    decision = db.session.execute(select(Decision)).scalar_one()
    assert (decision.number, decision.signed_on, decision.kind) == (
        "2022-30",
        date(2022, 2, 17),
        "nomination",
    )
    assert decision.published_at is None
    page = text_of(client.get(response.headers["Location"]))
    assert "Décision DG n°2022-30 du 17/02/2022" in page
    assert "Brouillon" in page
    # the audit trail of the decision, with who created it
    assert "Historique des modifications" in page
    assert "secretariat@example.org" in page


@pytest.mark.parametrize(
    ("number", "signed_on", "message"),
    [
        ("2022-30", "2022-02-17", "Une décision porte déjà le numéro 2022-30."),
        (
            "22-30",
            "2022-02-17",
            "Le numéro « 22-30 » n'a pas la forme AAAA-NN (par exemple 2022-30).",
        ),
        ("2022-3a", "2022-02-17", "Le numéro « 2022-3a » n'a pas la forme AAAA-NN"),
        (
            "2021-30",
            "2022-02-17",
            "L'année du numéro (2021) diffère de celle de la signature (2022).",
        ),
    ],
    ids=["duplicate", "short-year", "letter", "year-differs"],
)
def test_bad_decision_numbers_are_refused_beside_the_field(
    app, client, db, secretariat, number, signed_on, message
):
    make_decision("2022-30", title="La décision existante")
    db.session.commit()

    response = _post_with_file(
        client,
        "/secretariat/decisions/new",
        _decision_form(number=number, signed_on=signed_on, title="Une autre décision"),
        PDF,
        "decision.pdf",
    )

    assert response.status_code == 422
    assert message in errors_beside(response, "number")
    # the form keeps what was typed
    assert 'value="Une autre décision"' in response.get_data(as_text=True)
    # nothing saved: one decision (the existing one), no file on disk
    assert [d.title for d in db.session.execute(select(Decision)).scalars()] == [
        "La décision existante"
    ]
    assert stored_files(app) == []


def test_editing_checks_the_number_against_the_new_signing_date(client, db, secretariat):
    decision = make_decision("2022-30")
    db.session.commit()

    response = post_form(
        client,
        f"/secretariat/decisions/{decision.id}/edit",
        _decision_form(signed_on="2023-01-05", title="Titre modifié"),
    )

    assert response.status_code == 422
    assert "L'année du numéro (2022) diffère de celle de la signature (2023)." in errors_beside(
        response, "number"
    )
    db.session.expire_all()
    assert decision.signed_on == date(2022, 2, 17)
    assert decision.title != "Titre modifié"

    response = post_form(
        client, f"/secretariat/decisions/{decision.id}/edit", _decision_form(title="Titre modifié")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert decision.title == "Titre modifié"
    update = db.session.execute(
        select(AuditEntry).where(
            AuditEntry.entity_type == "decisions", AuditEntry.action == "update"
        )
    ).scalar_one()
    assert update.changes["title"][1] == "Titre modifié"
    assert "Titre modifié" in text_of(client.get(f"/secretariat/decisions/{decision.id}"))


def test_missing_fields_are_refused_with_422(client, db, secretariat):
    response = post_form(
        client, "/secretariat/decisions/new", _decision_form(title="", signed_on="", kind="bogus")
    )
    assert response.status_code == 422
    assert "Indiquez le titre de la décision." in errors_beside(response, "title")
    assert "Indiquez la date de signature" in errors_beside(response, "signed_on")
    assert "Choisissez une nature de décision dans la liste." in errors_beside(response, "kind")
    assert count_rows(db, Decision) == 0


# --- signed PDF -----------------------------------------------------------------------


def _post_with_file(client, url: str, data: dict, content: bytes, filename: str):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(
        url,
        data={"csrf_token": token, **data, "pdf": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_pdf_is_stored_under_its_sha256_and_downloaded_byte_identical(app, client, db, secretariat):
    response = _post_with_file(
        client, "/secretariat/decisions/new", _decision_form(), PDF, "Décision 2022-30 signée.pdf"
    )
    assert response.status_code == 302

    digest = hashlib.sha256(PDF).hexdigest()
    decision = db.session.execute(select(Decision)).scalar_one()
    assert decision.pdf_sha256 == digest
    assert decision.pdf_filename == "Décision 2022-30 signée.pdf"
    files = stored_files(app)
    assert [f.name for f in files] == [digest]
    assert files[0].read_bytes() == PDF

    download = client.get(f"/secretariat/decisions/{decision.id}/pdf")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert "attachment" in disposition
    assert "filename*=UTF-8''D%C3%A9cision%202022-30%20sign%C3%A9e.pdf" in disposition


def test_a_text_file_named_pdf_is_refused_and_nothing_is_stored(app, client, db, secretariat):
    response = _post_with_file(
        client, "/secretariat/decisions/new", _decision_form(), b"not a pdf at all\n", "fake.pdf"
    )
    assert response.status_code == 422
    assert "Le fichier n'est pas un PDF." in errors_beside(response, "pdf")
    assert count_rows(db, Decision) == 0
    assert stored_files(app) == []


def test_a_pdf_over_the_limit_is_refused(app, client, db, secretariat):
    previous = app.config["DECISION_PDF_MAX_BYTES"]
    app.config["DECISION_PDF_MAX_BYTES"] = 100
    try:
        response = _post_with_file(
            client, "/secretariat/decisions/new", _decision_form(), PDF, "big.pdf"
        )
    finally:
        app.config["DECISION_PDF_MAX_BYTES"] = previous
    assert response.status_code == 422
    assert "Le fichier dépasse la taille maximale" in errors_beside(response, "pdf")
    assert count_rows(db, Decision) == 0
    assert stored_files(app) == []


def test_editing_replaces_the_pdf(app, client, db, secretariat):
    decision = make_decision("2022-30")
    db.session.commit()
    other = PDF.replace(b"595 842", b"842 595")
    response = _post_with_file(
        client, f"/secretariat/decisions/{decision.id}/edit", _decision_form(), other, "v2.pdf"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert decision.pdf_sha256 == hashlib.sha256(other).hexdigest()
    assert client.get(f"/secretariat/decisions/{decision.id}/pdf").data == other


def test_no_pdf_means_404(client, db, secretariat):
    decision = make_decision()
    db.session.commit()
    assert client.get(f"/secretariat/decisions/{decision.id}/pdf").status_code == 404


# --- nomination -----------------------------------------------------------------------


def _nomination_data(committee: Committee, rows: list[dict]) -> dict:
    data = {"committee": str(committee.id)}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    return data


@pytest.fixture
def cast(db):
    """A committee, a draft nomination decision and four persons."""
    committee = make_committee()
    decision = make_decision("2022-30")
    persons = [
        make_person("Claire", "Martin", affiliation="CHU de Lyon"),
        make_person("Paul", "Durand"),
        make_person("Inès", "Bernard"),
        make_person("Hugo", "Petit"),
    ]
    db.session.commit()
    return committee, decision, persons


def test_nomination_creates_every_mandate_in_one_step(client, db, secretariat, cast):
    committee, decision, (claire, paul, ines, hugo) = cast
    url = f"/secretariat/decisions/{decision.id}/nomination"
    form_page = client.get(url)
    assert form_page.status_code == 200
    # the start date defaults to the signing date, on every row
    assert form_page.get_data(as_text=True).count('value="2022-02-17"') == 15

    rows = [
        {"person": str(claire.id), "role": "president", "start_date": "2022-02-17"},
        {"person": "", "role": "member", "start_date": "2022-02-17"},  # blank row: ignored
        {"person": str(paul.id), "role": "member", "start_date": "", "end_date": "2022-12-31"},
        {"person": str(ines.id), "role": "patient_representative", "start_date": "2022-03-01"},
        {
            "person": str(hugo.id),
            "role": "invited_expert",
            "voting": "",
            "start_date": "2022-02-17",
        },
    ]
    response = post_form(client, url, _nomination_data(committee, rows))

    assert response.status_code == 302
    mandates = {
        m.person.last_name: m
        for m in db.session.execute(select(Mandate).where(Mandate.committee_id == committee.id))
        .scalars()
        .all()
    }
    assert sorted(mandates) == ["Bernard", "Durand", "Martin", "Petit"]
    assert mandates["Martin"].role == MandateRole.PRESIDENT
    assert mandates["Durand"].start_date == date(2022, 2, 17)  # defaulted
    assert mandates["Durand"].end_date == date(2022, 12, 31)
    assert mandates["Bernard"].start_date == date(2022, 3, 1)
    assert mandates["Petit"].voting is False  # experts do not vote
    assert all(m.appointing_decision_id == decision.id for m in mandates.values())
    assert count_rows(db, DecisionEffect) == 4

    page = text_of(client.get(response.headers["Location"]))
    assert "4 mandats créés" in page
    assert "Membres nommés" in page
    for name in ("Claire Martin", "Paul Durand", "Inès Bernard", "Hugo Petit"):
        assert name in page


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (
            {"role": "invited_expert", "voting": "yes", "start_date": "2022-02-17"},
            "Un expert invité ne vote pas.",
        ),
        (
            {"role": "member", "start_date": "2022-06-01", "end_date": "2022-03-01"},
            "La fin du mandat précède son début.",
        ),
    ],
    ids=["expert-with-vote", "end-before-start"],
)
def test_nomination_is_all_or_nothing(client, db, secretariat, cast, bad_row, reason):
    committee, decision, (claire, paul, ines, _hugo) = cast
    rows = [
        {"person": str(claire.id), "role": "president", "start_date": "2022-02-17"},
        {"person": str(paul.id), "role": "member", "start_date": "2022-02-17"},
        {"person": str(ines.id), **bad_row},
    ]
    response = post_form(
        client,
        f"/secretariat/decisions/{decision.id}/nomination",
        _nomination_data(committee, rows),
    )

    assert response.status_code == 422
    page = text_of(response)
    assert "Aucun mandat n'a été créé" in page
    assert f"Ligne 3 : {reason}" in page
    assert count_rows(db, Mandate) == 0
    assert count_rows(db, DecisionEffect) == 0
    # what was typed is kept
    assert f'<option selected value="{ines.id}">' in response.get_data(as_text=True)


def test_nomination_refuses_a_person_twice_and_names_the_line(client, db, secretariat, cast):
    committee, decision, (claire, paul, *_rest) = cast
    rows = [
        {"person": str(claire.id), "role": "member", "start_date": "2022-02-17"},
        {"person": str(paul.id), "role": "member", "start_date": "2022-02-17"},
        {"person": str(claire.id), "role": "president", "start_date": "2022-03-01"},
    ]
    response = post_form(
        client,
        f"/secretariat/decisions/{decision.id}/nomination",
        _nomination_data(committee, rows),
    )
    assert response.status_code == 422
    assert "Ligne 3 : Claire Martin a déjà un mandat dans ce comité sur cette période." in text_of(
        response
    )
    assert count_rows(db, Mandate) == 0


def test_nomination_without_anybody_or_with_an_unknown_person_is_refused(
    client, db, secretariat, cast
):
    committee, decision, _persons = cast
    url = f"/secretariat/decisions/{decision.id}/nomination"
    response = post_form(client, url, _nomination_data(committee, []))
    assert response.status_code == 422
    assert "Choisissez au moins une personne à nommer." in text_of(response)

    rows = [{"person": "99999", "role": "member", "start_date": "2022-02-17"}]
    response = post_form(client, url, _nomination_data(committee, rows))
    assert response.status_code == 422
    assert "Choisissez une personne dans la liste." in errors_beside(response, "lines-0-person")
    assert count_rows(db, Mandate) == 0


# --- extension, end of mandates, creation, concerns -----------------------------------


def test_extension_keeps_previous_and_new_end_dates_and_moves_running_mandates(
    client, db, secretariat
):
    committee = make_committee(end_date=date(2023, 3, 26))
    running = add_mandate(
        committee,
        MandateLine(
            make_person("Claire", "Martin"), MandateRole.MEMBER, date(2021, 8, 2), date(2023, 3, 26)
        ),
    )
    open_ended = add_mandate(
        committee, MandateLine(make_person("Paul", "Durand"), MandateRole.MEMBER, date(2021, 8, 2))
    )
    ended = add_mandate(
        committee,
        MandateLine(
            make_person("Inès", "Bernard"), MandateRole.MEMBER, date(2021, 8, 2), date(2022, 1, 31)
        ),
    )
    decision = make_decision("2023-12", kind=DecisionKind.EXTENSION, title="Prolongation")
    db.session.commit()

    url = f"/secretariat/decisions/{decision.id}/extension"
    refused = post_form(
        client,
        url,
        {"committee": str(committee.id), "new_end_date": "2023-01-01", "extend_mandates": "y"},
    )
    assert refused.status_code == 422
    assert "La nouvelle date de fin doit suivre l'actuelle." in errors_beside(
        refused, "new_end_date"
    )
    assert count_rows(db, DecisionEffect) == 0

    response = post_form(
        client,
        url,
        {"committee": str(committee.id), "new_end_date": "2024-03-26", "extend_mandates": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert committee.end_date == date(2024, 3, 26)
    assert running.end_date == date(2024, 3, 26)
    assert open_ended.end_date == date(2024, 3, 26)
    assert ended.end_date == date(2022, 1, 31)  # already over: untouched
    effect = db.session.execute(
        select(DecisionEffect).where(DecisionEffect.action == "extend_committee")
    ).scalar_one()
    assert (effect.previous_end_date, effect.new_end_date) == (date(2023, 3, 26), date(2024, 3, 26))

    page = text_of(client.get(response.headers["Location"]))
    assert "26/03/2023 → 26/03/2024" in page
    assert "Mandat de Claire Martin" in page


def test_extension_without_moving_mandates(client, db, secretariat):
    committee = make_committee(end_date=date(2023, 3, 26))
    mandate = add_mandate(
        committee,
        MandateLine(
            make_person("Claire", "Martin"), MandateRole.MEMBER, date(2021, 8, 2), date(2023, 3, 26)
        ),
    )
    decision = make_decision("2023-12", kind=DecisionKind.EXTENSION, title="Prolongation")
    db.session.commit()
    response = post_form(
        client,
        f"/secretariat/decisions/{decision.id}/extension",
        {"committee": str(committee.id), "new_end_date": "2024-12-31"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert committee.end_date == date(2024, 12, 31)
    assert mandate.end_date == date(2023, 3, 26)


def test_end_of_mandates(client, db, secretariat):
    committee = make_committee()
    claire = add_mandate(
        committee,
        MandateLine(make_person("Claire", "Martin"), MandateRole.MEMBER, date(2021, 8, 2)),
    )
    paul = add_mandate(
        committee, MandateLine(make_person("Paul", "Durand"), MandateRole.MEMBER, date(2021, 8, 2))
    )
    decision = make_decision("2022-41", kind=DecisionKind.END_OF_MANDATES, title="Fin de mandat")
    db.session.commit()
    url = f"/secretariat/decisions/{decision.id}/end-of-mandates"

    chooser = client.get(url)
    assert chooser.status_code == 200
    assert "Afficher les mandats en cours" in text_of(chooser)
    assert client.get(f"{url}?committee=xyz").status_code == 400

    page = client.get(f"{url}?committee={committee.id}")
    assert "Claire Martin — Membre" in text_of(page)

    refused = post_form(
        client,
        f"{url}?committee={committee.id}",
        {"mandates": [str(claire.id)], "end_date": "2022-02-17", "reason": ""},
    )
    assert refused.status_code == 422
    assert "Indiquez le motif de fin des mandats." in errors_beside(refused, "reason")

    response = post_form(
        client,
        f"{url}?committee={committee.id}",
        {"mandates": [str(claire.id)], "end_date": "2022-02-17", "reason": "Démission"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (claire.end_date, claire.end_reason) == (date(2022, 2, 17), "Démission")
    assert paul.end_date is None
    assert count_rows(db, Mandate) == 2  # ended, never deleted
    effect = db.session.execute(select(DecisionEffect)).scalar_one()
    assert (effect.action, effect.mandate_id, effect.new_end_date) == (
        "end_mandate",
        claire.id,
        date(2022, 2, 17),
    )
    assert "Démission" in text_of(client.get(response.headers["Location"]))


def test_creation_and_concerns_link_a_committee(client, db, secretariat):
    committee = make_committee()
    other = make_committee(
        "Pharmacovigilance et addictovigilance",
        kind=CommitteeKind.PERMANENT,
        end_date=None,
        acronym="CSP",
    )
    decision = make_decision(
        "2021-286", kind=DecisionKind.CREATION, title="Création du CST", signed_on=date(2021, 8, 2)
    )
    db.session.commit()

    response = post_form(
        client, f"/secretariat/decisions/{decision.id}/creation", {"committee": str(committee.id)}
    )
    assert response.status_code == 302
    response = post_form(
        client, f"/secretariat/decisions/{decision.id}/concerns", {"committee": str(other.id)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert committee.creating_decision_id == decision.id
    assert sorted(e.action for e in db.session.execute(select(DecisionEffect)).scalars()) == [
        "concerns",
        "create_committee",
    ]
    refused = post_form(
        client, f"/secretariat/decisions/{decision.id}/concerns", {"committee": "12345"}
    )
    assert refused.status_code == 422
    assert "Choisissez un comité dans la liste." in errors_beside(refused, "committee")


# --- publication ----------------------------------------------------------------------


def test_publish_and_unpublish_change_what_the_public_sees(app, client, db, secretariat):
    decision = make_decision("2022-30")
    db.session.commit()
    anonymous = app.test_client()
    assert anonymous.get("/decisions/2022-30").status_code == 404

    response = post_form(
        client,
        f"/secretariat/decisions/{decision.id}/publish",
        {},
        form_url=f"/secretariat/decisions/{decision.id}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert decision.published_at is not None
    public = anonymous.get("/decisions/2022-30")
    assert public.status_code == 200
    assert "Décision DG n°2022-30 du 17/02/2022" in text_of(public)
    assert "2022-30" in text_of(anonymous.get("/decisions"))

    post_form(
        client,
        f"/secretariat/decisions/{decision.id}/unpublish",
        {},
        form_url=f"/secretariat/decisions/{decision.id}",
    )
    db.session.expire_all()
    assert decision.published_at is None
    assert anonymous.get("/decisions/2022-30").status_code == 404
    assert "2022-30" not in text_of(anonymous.get("/decisions"))


def test_publish_needs_the_csrf_token(client, db, secretariat):
    decision = make_decision()
    db.session.commit()
    assert client.post(f"/secretariat/decisions/{decision.id}/publish").status_code == 400
    db.session.expire_all()
    assert decision.published_at is None


# --- the secretariat's list -----------------------------------------------------------


def test_list_filters_by_year_committee_status_and_search(client, db, secretariat):
    culture = make_committee()
    suivi = make_committee(
        "Suivi de l'expérimentation", start_date=date(2021, 6, 8), acronym="CSTS"
    )
    creation = make_decision(
        "2021-286",
        kind=DecisionKind.CREATION,
        title="Création du CST culture",
        signed_on=date(2021, 8, 2),
    )
    nomination = make_decision("2022-30")
    other = make_decision("2022-31", kind=DecisionKind.OTHER, title="Autre sujet")
    record_creation(creation, culture)
    record_concerns(nomination, culture)
    record_concerns(other, suivi)
    publish_decision(nomination)
    db.session.commit()

    def numbers(query: str) -> list[str]:
        page = client.get(f"/secretariat/decisions{query}")
        assert page.status_code == 200
        return re.findall(r">(20\d\d-\d+)</a></th>", page.get_data(as_text=True))

    assert numbers("") == ["2022-31", "2022-30", "2021-286"]
    assert numbers("?year=2021") == ["2021-286"]
    assert numbers(f"?committee={culture.id}") == ["2022-30", "2021-286"]
    assert numbers("?status=draft") == ["2022-31", "2021-286"]
    assert numbers("?status=published") == ["2022-30"]
    assert numbers("?q=autre") == ["2022-31"]
    assert numbers("?q=2021-") == ["2021-286"]
    # bad values are ignored, never a server error
    assert numbers("?year=abc&committee=xyz&status=nope&page=-1") == [
        "2022-31",
        "2022-30",
        "2021-286",
    ]


def test_list_costs_the_same_number_of_queries_whatever_its_size(
    client, db, secretariat, count_queries
):
    committee = make_committee()

    def add(n: int) -> None:
        for i in range(n):
            decision = make_decision(
                f"2022-{100 + count_rows(db, Decision)}", title=f"Décision {i}"
            )
            record_concerns(decision, committee)
        db.session.commit()

    add(3)
    client.get("/secretariat/decisions")  # warm up (session user, caches)
    with count_queries() as few:
        assert client.get("/secretariat/decisions").status_code == 200
    add(17)
    with count_queries() as many:
        page = client.get("/secretariat/decisions")
    assert page.status_code == 200
    assert "20 décisions trouvées" in text_of(page)
    assert len(many) == len(few)


# --- permissions ----------------------------------------------------------------------

SECRETARIAT_PAGES = [
    "/secretariat/decisions",
    "/secretariat/decisions/new",
    "/secretariat/decisions/{id}",
    "/secretariat/decisions/{id}/edit",
    "/secretariat/decisions/{id}/pdf",
    "/secretariat/decisions/{id}/nomination",
    "/secretariat/decisions/{id}/extension",
    "/secretariat/decisions/{id}/end-of-mandates",
    "/secretariat/decisions/{id}/creation",
    "/secretariat/decisions/{id}/concerns",
]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CONTRIBUTOR])
def test_members_and_contributors_are_refused(client, db, make_user, role):
    decision = make_decision()
    db.session.commit()
    user = make_user(role)
    login(client, user.email, DEFAULT_PASSWORD)
    for url in SECRETARIAT_PAGES:
        assert client.get(url.format(id=decision.id)).status_code == 403, url
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/secretariat/decisions/{decision.id}/publish", data={"csrf_token": token}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert decision.published_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    decision = make_decision()
    db.session.commit()
    for url in SECRETARIAT_PAGES:
        response = client.get(url.format(id=decision.id))
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]
