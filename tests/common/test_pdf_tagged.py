"""Every PDF the application prints is tagged PDF/UA-1 (issue 23): read back with pypdf, each
kind (minutes, call synthesis, yearly report) has a structure tree with headings (and, for the
report, tables with header cells), is marked, has its language and its title shown by viewers,
a text alternative for the letterhead's image and bookmarks for its headings."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from committees.auth.models import Role
from committees.calls.administration.review import mark_eligible
from committees.calls.synthesis.services import ExcerptChoice, publish_synthesis, save_draft
from committees.common.pdf import PDF_VARIANT
from committees.meetings.models import MinutesStatus
from committees.reports.services import publish_report, save_foreword
from tests.support.calls import IN_2022, contribute, make_call, make_committee, make_meeting
from tests.support.documents import pdf_structure
from tests.support.minutes import SENTENCE, minutes_at
from tests.support.reports import build_year

QUOTE = "Nos quarante exploitations cultivent le chanvre depuis vingt ans"


def _minutes_pdf(app, db, held, make_user) -> tuple[bytes, str]:
    minutes_at(db, held, MinutesStatus.PUBLISHED)
    response = app.test_client().get(f"/meetings/{held.meeting.id}/minutes.pdf")
    assert response.status_code == 200
    return response.data, "Compte rendu de la séance n°1 du 4 mai 2022"


def _synthesis_pdf(app, db, held, make_user) -> tuple[bytes, str]:
    committee = make_committee()
    call = make_call(committee, make_meeting(committee), reference="AMI-2022", **IN_2022)
    farm = contribute(call, make_user(Role.CONTRIBUTOR), organisation="Chanvre de Touraine",
                      text=f"{QUOTE}.\n\nSuite.")  # fmt: skip
    mark_eligible(farm)
    db.session.commit()
    synthesis = save_draft(
        call, "## Constats\n\n- un\n- deux\n", [ExcerptChoice(farm.id, QUOTE, 1)]
    )
    publish_synthesis(synthesis)
    db.session.commit()
    response = app.test_client().get(f"/calls/{call.id}/synthesis.pdf")
    assert response.status_code == 200
    return response.data, "Synthèse de la consultation AMI-2022"


def _report_pdf(app, db, held, make_user) -> tuple[bytes, str]:
    year = build_year(make_user)
    report = save_foreword(year.committee, 2022, "Une **année** de suivi.")
    publish_report(report, datetime(2023, 2, 1, 9, 0, tzinfo=UTC))
    db.session.commit()
    response = app.test_client().get(f"/committees/{year.committee.slug}/reports/2022.pdf")
    assert response.status_code == 200
    return response.data, "Rapport d'activité 2022"


def _procedure_pdf(app, db, held, make_user) -> tuple[bytes, str]:
    from datetime import timedelta

    from committees.procedures.services import close, publish
    from tests.support.procedures import opened

    procedure = opened(db, held)
    close(procedure, now=procedure.deadline + timedelta(minutes=1))
    publish(procedure, "Quorum non atteint.")
    db.session.commit()
    response = app.test_client().get(f"/procedures/{procedure.id}/opinion.pdf")
    assert response.status_code == 200
    return response.data, "Prolongation de l'expérimentation"


def _attended(db, make_user):
    """A secretariat client, and a member's counted attendance of 3 March 2022 (rates set)."""
    from datetime import date
    from decimal import Decimal

    from flask import current_app

    from committees.meetings.certificates.services import set_rates
    from committees.meetings.models import Attendance
    from tests.support.helpers import DEFAULT_PASSWORD, login
    from tests.support.meetings import appoint, make_committee, schedule

    committee = make_committee(db, name="Suivi des attestations", acronym="CSA", slug="csa")
    mandate = appoint(db, committee, "Claire", "Martin")
    meeting = schedule(db, committee, date(2022, 3, 3))
    attendance = Attendance(meeting=meeting, mandate_id=mandate.id, presence="present")
    db.session.add(attendance)
    set_rates(committee, {"in_person": Decimal("150")})
    db.session.commit()
    secretary = make_user(Role.SECRETARIAT)
    client = current_app.test_client()
    assert login(client, secretary.email, DEFAULT_PASSWORD).status_code == 302
    return client, attendance


def _certificate_pdf(app, db, held, make_user) -> tuple[bytes, str]:
    client, attendance = _attended(db, make_user)
    response = client.get(f"/secretariat/attendances/{attendance.id}/certificate.pdf")
    assert response.status_code == 200
    return response.data, "Attestation de présence"


def _statement_pdf(app, db, held, make_user) -> tuple[bytes, str]:
    client, attendance = _attended(db, make_user)
    committee_id, person_id = attendance.meeting.committee_id, attendance.mandate.person_id
    url = f"/secretariat/committees/{committee_id}/fees/2022/people/{person_id}.pdf"
    response = client.get(url)
    assert response.status_code == 200
    return response.data, "Relevé annuel des séances 2022"


KINDS = {
    "minutes": _minutes_pdf,
    "synthesis": _synthesis_pdf,
    "report": _report_pdf,
    "procedure": _procedure_pdf,
    "certificate": _certificate_pdf,
    "statement": _statement_pdf,
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_pdf_is_tagged_pdf_ua(app, db, held, make_user, kind):
    data, title = KINDS[kind](app, db, held, make_user)
    if os.environ.get("PDF_DUMP_DIR"):  # to run an external PDF/UA validator on each kind
        (Path(os.environ["PDF_DUMP_DIR"]) / f"{kind}.pdf").write_bytes(data)
    pdf = pdf_structure(data)

    assert pdf.has_struct_tree, "no /StructTreeRoot: the PDF is not tagged"
    assert pdf.tagged, "/MarkInfo /Marked is not true"
    assert pdf.pdfua_part == "1", "no PDF/UA-1 identification in the XMP metadata"
    assert pdf.lang == "fr"
    assert pdf.title.startswith(title)
    assert pdf.display_doc_title
    assert {"Document", "H1", "P"} <= pdf.tags
    assert pdf.bookmarks[0] == title
    # the letterhead's image has its text alternative
    assert pdf.figures_alt == ["Drapeau de la République française"]
    assert title in pdf.text


def test_headings_lists_and_tables_are_tagged(app, db, held, make_user):
    data, _title = _report_pdf(app, db, held, make_user)
    report = pdf_structure(data)
    assert {"H1", "H2", "L", "LI", "Table", "TR", "TH", "TD"} <= report.tags
    assert "Présence des membres" in report.bookmarks
    # header cells have an ID, every data cell names its column and row headers
    assert all(cell != "TH " for cell in report.cells if cell.startswith("TH"))
    assert {cell for cell in report.cells if cell.startswith("TD")} == {"TD 2"}

    data, _title = _synthesis_pdf(app, db, held, make_user)
    synthesis = pdf_structure(data)
    assert {"H1", "H2", "L", "LI", "BlockQuote"} <= synthesis.tags
    assert "Constats" in synthesis.bookmarks


def test_the_pdf_is_in_the_readers_language_the_minutes_text_stays_french(app, db, held):
    minutes_at(db, held, MinutesStatus.PUBLISHED)
    response = app.test_client().get(f"/meetings/{held.meeting.id}/minutes.pdf?lang=en")
    pdf = pdf_structure(response.data)
    assert pdf.lang == "en"
    assert pdf.tagged
    assert SENTENCE in pdf.text
    assert PDF_VARIANT == "pdf/ua-1"
