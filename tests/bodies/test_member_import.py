"""CSV import of members: preview with per-line errors, all-or-nothing import."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from committees.auth.models import Role
from committees.bodies.importing.services import parse_members_csv
from committees.bodies.models import Mandate, MandateRole, Person
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate
from tests.support.helpers import (
    DEFAULT_PASSWORD,
    count_rows,
    csrf_token_from,
    login,
    post_form,
    text_of,
)

HEADER = "civilite;titre;prenom;nom;email;affiliation;qualification;role;vote;debut;fin"
GOOD_LINES = [
    "Mme;Pr;Claire;Martin;claire.martin@chu.example;CHU de Lyon;Pharmacologie;présidente;;"
    "17/02/2022;31/12/2024",
    "M.;Dr;Paul;Durand;paul.durand@example.org;Hôpital Cochin;Addictologie;membre;oui;2022-02-17;",
    "Mme;;Hélène;Petit;;Association Patients;;représentant patients;;17/02/2022;",
]
BAD_LINE = "M.;;Marc;Roux;marc.roux@example.org;Inserm;Toxicologie;expert invité;non;31/02/2022;"
FIXED_LINE = "M.;;Marc;Roux;marc.roux@example.org;Inserm;Toxicologie;expert invité;non;28/02/2022;"


def _url(committee) -> str:
    return f"/secretariat/committees/{committee.id}/import"


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def _upload(client, committee, data: bytes, filename: str = "membres.csv"):
    return post_form(
        client,
        _url(committee),
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _confirm(client, committee, preview_response):
    html = preview_response.get_data(as_text=True)
    match = re.search(
        r'name="csv_text"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="csv_text"', html, re.S
    )
    assert match, "no confirmation form on the preview"
    text = unescape(match.group(1) or match.group(2))
    return _post_confirm(client, committee, html, text)


def _post_confirm(client, committee, html: str, text: str):
    return client.post(
        f"{_url(committee)}/confirm",
        data={"csrf_token": csrf_token_from(html), "csv_text": text},
        content_type="multipart/form-data",
    )


def test_one_bad_line_imports_nothing_and_the_fixed_file_imports_all(
    db, client, culture_committee, secretariat
):
    response = _upload(client, culture_committee, _csv(*GOOD_LINES, BAD_LINE))

    assert response.status_code == 422
    page = text_of(response)
    assert "rien n'a été importé" in page
    assert "Ligne 5, colonne « debut » : Date invalide « 31/02/2022 »" in page
    assert "Importer" not in re.sub(r"Importer des membres", "", page)
    assert count_rows(db, Person) == 0
    assert count_rows(db, Mandate) == 0

    # A forged confirmation of the bad file is checked again and refused.
    forged = _post_confirm(
        client,
        culture_committee,
        response.get_data(as_text=True),
        _csv(*GOOD_LINES, BAD_LINE).decode(),
    )
    assert forged.status_code == 422
    assert "Ligne 5" in text_of(forged)
    assert count_rows(db, Person) == 0
    assert count_rows(db, Mandate) == 0

    preview = _upload(client, culture_committee, _csv(*GOOD_LINES, FIXED_LINE))
    assert preview.status_code == 200
    assert "4 membres seront importés" in text_of(preview)
    assert count_rows(db, Person) == 0, "the preview writes nothing"

    done = _confirm(client, culture_committee, preview)
    assert done.status_code == 302
    assert "4 membres importés" in text_of(client.get(done.headers["Location"]))
    mandates = db.session.execute(select(Mandate).order_by(Mandate.id)).scalars().all()
    assert count_rows(db, Person) == 4
    assert [(m.person.last_name, m.role, m.voting) for m in mandates] == [
        ("Martin", "president", True),
        ("Durand", "member", True),
        ("Petit", "patient_representative", True),
        ("Roux", "invited_expert", False),
    ]
    martin = mandates[0]
    assert (martin.person.civility, martin.person.title, martin.person.email) == (
        "Mme",
        "Pr",
        "claire.martin@chu.example",
    )
    assert (martin.start_date, martin.end_date) == (date(2022, 2, 17), date(2024, 12, 31))
    assert mandates[2].person.email is None
    assert all(m.committee_id == culture_committee.id for m in mandates)


def test_preview_shows_every_line_parsed(client, culture_committee, secretariat):
    response = _upload(client, culture_committee, _csv(*GOOD_LINES))

    assert response.status_code == 200
    page = text_of(response)
    assert "3 lignes lues" in page
    # both are « Mme »: the role is written in the person's gender (issue 23)
    assert "Présidente" in page
    assert "Président·e" not in page
    assert "Représentante d'une association de patients" in page
    assert "Hélène" in page
    assert "Hôpital Cochin" in page
    assert page.count("nouvelle") == 3


def test_bom_and_comma_separator_are_read(db, client, culture_committee, secretariat):
    comma_file = "\ufeff" + "\n".join(
        [
            "prenom,nom,email,role,vote,debut,fin",
            "Hélène,Bernard,h.bernard@example.org,vice-président,oui,2022-02-17,2024-12-31",
            '"Jean, Pierre",Lefèvre,,member,,17/02/2022,',
        ]
    )
    preview = _upload(client, culture_committee, comma_file.encode("utf-8"))

    assert preview.status_code == 200, text_of(preview)
    assert _confirm(client, culture_committee, preview).status_code == 302
    persons = db.session.execute(select(Person).order_by(Person.id)).scalars().all()
    assert [(p.first_name, p.last_name) for p in persons] == [
        ("Hélène", "Bernard"),
        ("Jean, Pierre", "Lefèvre"),
    ]
    assert [m.role for p in persons for m in p.mandates] == ["vice_president", "member"]


def test_bom_with_semicolons_is_read(db, client, culture_committee, secretariat):
    data = b"\xef\xbb\xbf" + _csv(GOOD_LINES[0])
    preview = _upload(client, culture_committee, data)

    assert preview.status_code == 200, text_of(preview)
    assert "Claire" in text_of(preview)
    assert _confirm(client, culture_committee, preview).status_code == 302
    assert count_rows(db, Mandate) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_csv(GOOD_LINES[1]).decode().encode("latin-1"), "n'est pas un texte encodé en UTF-8"),
        (b"%PDF-1.4\x00\x01\x02", "n'est pas un fichier texte CSV"),
        (b"", "Le fichier est vide"),
        (b"\xef\xbb\xbf\n \n", "Le fichier est vide"),
        (b"prenom;nom\nClaire;Martin\n", "Colonnes obligatoires absentes : role, debut"),
        (
            (HEADER + ";naissance\n" + GOOD_LINES[0] + ";1970\n").encode(),
            "Colonnes inconnues : naissance",
        ),
        (_csv(), "ne contient aucun membre"),
        (_csv(*[GOOD_LINES[2]] * 2001), "dépasse 2000 lignes"),
        (HEADER.encode() + b"\n" + b"x" * (1024 * 1024), "taille maximale de 1 Mo"),
    ],
    ids=["latin-1", "binary", "empty", "blank", "missing", "unknown", "no-line", "lines", "size"],
)
def test_unusable_files_are_refused(db, client, culture_committee, secretariat, data, message):
    response = _upload(client, culture_committee, data)

    assert response.status_code == 422
    assert message in text_of(response)
    assert count_rows(db, Person) == 0


def test_a_large_file_comes_back_whole_for_confirmation(db, client, culture_committee, secretariat):
    # ~700 kB: above Flask's default limit for a form field, below the import's 1 MB.
    affiliation = "Centre hospitalier universitaire " * 9
    lines = [f"M.;;Jean{n};Dupont{n};;{affiliation};;membre;;17/02/2022;" for n in range(1999)]
    text = "\n".join([HEADER, *lines, "M.;;Luc;Faux;;;;membre;;17/13/2022;"])
    assert 500_000 < len(text.encode()) < 1024 * 1024
    page = client.get(_url(culture_committee)).get_data(as_text=True)

    response = _post_confirm(client, culture_committee, page, text)

    assert response.status_code == 422
    assert "Ligne 2001, colonne « debut » : Date invalide « 17/13/2022 »" in text_of(response)
    assert count_rows(db, Person) == 0


def test_no_file_is_refused(client, culture_committee, secretariat):
    response = post_form(client, _url(culture_committee), {}, content_type="multipart/form-data")

    assert response.status_code == 422
    assert "Choisissez un fichier CSV." in text_of(response)


def test_an_existing_person_is_reused_not_duplicated(db, client, culture_committee, secretariat):
    known = create_person(
        first_name="Claire", last_name="Martin", email="Claire.Martin@chu.example"
    )
    db.session.commit()

    preview = _upload(client, culture_committee, _csv(GOOD_LINES[0]))
    assert "existante : Claire Martin" in text_of(preview)
    assert _confirm(client, culture_committee, preview).status_code == 302

    assert count_rows(db, Person) == 1
    assert [m.person_id for m in db.session.execute(select(Mandate)).scalars()] == [known.id]


def test_lines_that_break_the_rules_are_reported(db, culture_committee):
    person = create_person(
        first_name="Claire", last_name="Martin", email="claire.martin@chu.example"
    )
    add_mandate(culture_committee, MandateLine(person, MandateRole.MEMBER, date(2022, 1, 1)))
    text = "\n".join(
        [
            HEADER,
            GOOD_LINES[0],  # line 2: already sits in the committee
            "Mme;;Anne;Roy;;;;experte invitée;oui;17/02/2022;",  # 3: experts do not vote
            "M.;;Luc;Blanc;;;;trésorier;;17/02/2022;",  # 4: unknown role
            "M.;;Luc;Noir;;;;membre;peut-être;01/01/2020;",  # 5: vote, before the committee
            "Dr;;;Vert;pas-une-adresse;;;membre;;17/02/2022;16/02/2022",  # 6
            "M.;;Paul;Gris;paul@example.org;;;member;;17/02/2022;",  # 7
            "M.;;Paul;Gris;PAUL@example.org;;;member;;17/02/2022;",  # 8: same address
        ]
    )

    preview = parse_members_csv(text, culture_committee)

    found = {(issue.line, issue.column) for issue in preview.errors}
    assert found == {
        (2, "email"),
        (3, "vote"),
        (4, "role"),
        (5, "vote"),
        (5, "debut"),
        (6, "civilite"),
        (6, "prenom"),
        (6, "email"),
        (6, "fin"),
        (8, "email"),
    }
    assert not preview.is_valid
    assert preview.rows[0].existing_person == person


def test_english_role_values_and_votes_are_understood(culture_committee):
    text = "prenom;nom;role;vote;debut\n" + "\n".join(
        f"A;{role};{role};{vote};2022-02-17"
        for role, vote in [
            ("president", ""),
            ("vice_president", "non"),
            ("patient_representative", "oui"),
            ("invited_expert", ""),
        ]
    )

    preview = parse_members_csv(text, culture_committee)

    assert preview.is_valid, preview.errors
    assert [(row.role, row.effective_voting) for row in preview.rows] == [
        (MandateRole.PRESIDENT, True),
        (MandateRole.VICE_PRESIDENT, False),
        (MandateRole.PATIENT_REPRESENTATIVE, True),
        (MandateRole.INVITED_EXPERT, False),
    ]


def test_only_the_secretariat_imports(client, culture_committee, make_user):
    assert client.get(_url(culture_committee)).status_code == 302  # to the sign-in page
    member = make_user(Role.MEMBER)
    login(client, member.email, DEFAULT_PASSWORD)
    assert client.get(_url(culture_committee)).status_code == 403


def test_the_page_documents_the_columns(client, culture_committee, secretariat):
    page = text_of(client.get(_url(culture_committee)))

    assert "civilite;titre;prenom;nom;email;affiliation;qualification;role;vote;debut;fin" in page
    assert "JJ/MM/AAAA ou AAAA-MM-JJ" in page
