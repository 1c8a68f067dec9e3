"""Export of a call's contributions: the CSV (for Excel) and the ZIP with the files."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

from sqlalchemy import update

from committees.auth.models import Role
from committees.calls.administration import export
from committees.calls.administration.review import mark_off_topic
from committees.calls.models import Contribution
from committees.common import filestore
from tests.support.calls import IN_2022, THEMES, contribute, make_call, make_committee, pdf_bytes


def _rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble accents"
    return list(csv.DictReader(io.StringIO(body[3:].decode("utf-8")), delimiter=";"))


def _setup(make_user):
    call = make_call(make_committee(), reference="AMI-2022", **IN_2022)
    author = make_user(Role.CONTRIBUTOR, email="marie@chanvre.example")
    first = contribute(
        call,
        author,
        organisation="Chanvre de Touraine",
        themes=THEMES,
        files=[("Étude.pdf", pdf_bytes("étude")), ("../../etc/passwd.pdf", pdf_bytes("ruse"))],
        text="Première ligne;\nseconde ligne « citée ».",
    )
    second = contribute(
        call,
        author,
        organisation='=HYPERLINK("http://evil.example")',
        kind="pharmaceutical_establishment",
        consent=False,
        wants_hearing=False,
        siren="",
        files=[("Étude.pdf", pdf_bytes("autre étude"))],
    )
    return call, first, second


def test_csv_export(client, db, make_user, secretariat):
    call, _first, second = _setup(make_user)
    mark_off_topic(second, "Hors du champ de l'appel")
    db.session.commit()

    response = client.get(f"/secretariat/calls/{call.id}/export.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "AMI-2022-contributions.csv" in response.headers["Content-Disposition"]
    rows = _rows(response.data)
    assert list(rows[0])[:6] == [
        "Accusé de réception",
        "Déposée le (heure de Paris)",
        "Modifiée le (heure de Paris)",
        "Version",
        "Organisme",
        "Type d'organisme",
    ]
    assert [r["Accusé de réception"] for r in rows] == ["AMI-2022-0001", "AMI-2022-0002"]
    one = rows[0]
    # submitted 2022-04-01 10:00 UTC = 12:00 in Paris (summer time)
    assert one["Déposée le (heure de Paris)"] == "01/04/2022 12:00"
    assert one["Organisme"] == "Chanvre de Touraine"
    assert one["Type d'organisme"] == "Agriculteur ou cultivateur"
    assert one["SIREN"] == "732829320"
    assert one["Personne à contacter"] == "Marie Lefèvre"
    assert one["Fonction"] == "Gérante"
    assert one["Adresse électronique du compte"] == "marie@chanvre.example"
    assert one["Thèmes"] == " | ".join(THEMES)
    assert one["Statut"] == "Déposée"
    assert one["Consent à la publication"] == "oui"
    assert one["Souhaite être auditionné"] == "oui"
    assert one["Texte"] == "Première ligne;\nseconde ligne « citée »."
    names = one["Pièces jointes"].split(" | ")
    digests = one["SHA-256 des pièces jointes"].split(" | ")
    assert names == ["Étude.pdf", "passwd.pdf"]
    assert digests == [
        hashlib.sha256(pdf_bytes("étude")).hexdigest(),
        hashlib.sha256(pdf_bytes("ruse")).hexdigest(),
    ]
    two = rows[1]
    assert two["Statut"] == "Hors sujet"
    assert two["Motif"] == "Hors du champ de l'appel"
    assert two["Consent à la publication"] == "non"
    assert two["SIREN"] == ""
    # a formula typed by a contributor is not run by the spreadsheet
    assert two["Organisme"] == '\'=HYPERLINK("http://evil.example")'


def test_zip_export_holds_the_csv_and_every_current_file(client, db, make_user, secretariat):
    call, first, second = _setup(make_user)

    response = client.get(f"/secretariat/calls/{call.id}/export.zip")

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "AMI-2022-0001/passwd.pdf",
        "AMI-2022-0001/Étude.pdf",
        "AMI-2022-0002/Étude.pdf",
        "AMI-2022-contributions.csv",
    ]
    for contribution in (first, second):
        for attachment in contribution.attachments:
            name = attachment.filename.rsplit("/", 1)[-1]
            stored = filestore.read_bytes(attachment.sha256)
            assert archive.read(f"{contribution.receipt}/{name}") == stored
    assert len(_rows(archive.read("AMI-2022-contributions.csv"))) == 2
    for info in archive.infolist():
        assert not info.filename.startswith(("/", ".."))
        assert "/../" not in info.filename


def test_the_export_needs_the_secretariat(client, db, make_user, signed_in):
    call, _first, _second = _setup(make_user)
    signed_in(Role.MEMBER)
    assert client.get(f"/secretariat/calls/{call.id}/export.zip").status_code == 403


def test_the_csv_is_streamed_batch_by_batch_with_the_same_bytes(
    client, db, make_user, secretariat, monkeypatch
):
    call, _first, _second = _setup(make_user)
    third = contribute(call, make_user(Role.CONTRIBUTOR), organisation="Tiers", files=[])
    whole = export.csv_bytes(call)
    monkeypatch.setattr(export, "STREAM_BATCH", 1)  # one chunk per contribution

    response = client.get(f"/secretariat/calls/{call.id}/export.csv")

    assert response.is_streamed
    assert "AMI-2022-contributions.csv" in response.headers["Content-Disposition"]
    chunks = list(response.response)
    assert len(chunks) == 4  # the byte-order mark and titles, then one row each
    body = b"".join(chunks)
    assert body == whole
    assert body.count(b"\xef\xbb\xbf") == 1
    rows = _rows(body)
    assert [r["Accusé de réception"] for r in rows] == [
        "AMI-2022-0001",
        "AMI-2022-0002",
        third.receipt,
    ]
    assert rows[2]["Pièces jointes"] == rows[2]["SHA-256 des pièces jointes"] == ""
    assert rows[1]["Type d'organisme"] == "Établissement pharmaceutique"


def test_the_next_export_after_any_change_shows_it(client, db, make_user, secretariat):
    # Each batch of rows is kept in the worker under the publication revision: a change
    # through the ORM, to the author's account or by a bulk statement is in the next one.
    call, first, second = _setup(make_user)
    url = f"/secretariat/calls/{call.id}/export.csv"
    assert [row["Motif"] for row in _rows(client.get(url).data)] == ["", ""]

    mark_off_topic(second, "Hors du champ de l'appel")
    db.session.commit()
    assert _rows(client.get(url).data)[1]["Motif"] == "Hors du champ de l'appel"

    first.contributor.email = "marie@berry.example"
    db.session.commit()
    assert _rows(client.get(url).data)[0]["Adresse électronique du compte"] == (
        "marie@berry.example"
    )

    db.session.execute(
        update(Contribution).where(Contribution.id == first.id).values(organisation="Berry")
    )
    db.session.commit()
    assert _rows(client.get(url).data)[0]["Organisme"] == "Berry"
    english = _rows(client.get(f"/en{url}").data)
    assert english[0]["Receipt"] == "AMI-2022-0001"
    assert _rows(client.get(url).data)[0]["Accusé de réception"] == "AMI-2022-0001"
