"""The files of certificates and statements: the PDFs (tagged, through
``common.pdf.html_to_pdf``) and the CSV for the paying service.

CSV: UTF-8 with a byte-order mark, « ; » between cells, amounts with a decimal comma and
two decimals (« 150,00 »), as French spreadsheets read them; streamed row by row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from committees.common.pdf import html_to_pdf
from committees.common.timeutils import to_paris
from committees.meetings.certificates.services import Certificate, Statement
from committees.meetings.labels import PRESENCE_LABELS
from committees.meetings.models import FeeKind

FEE_KIND_LABELS = {
    FeeKind.IN_PERSON.value: _l("Séance en présentiel"),
    FeeKind.REMOTE.value: _l("Séance à distance"),
    FeeKind.HALF_DAY.value: _l("Demi-journée"),
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def euros(amount: Decimal | None) -> str:
    """« 150,00 » (decimal comma, two decimals); "" for no amount."""
    if amount is None:
        return ""
    return f"{amount:.2f}".replace(".", ",")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading quote keeps a spreadsheet from running a formula typed in a name.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_headers() -> list[str]:
    return [
        _("Nom"),
        _("Comité"),
        _("Séance"),
        _("Date"),
        _("Présence"),
        _("Type d'indemnité"),
        _("Montant (€)"),
    ]


def statement_rows(statement: Statement) -> Iterator[list[str]]:
    """The CSV rows of one statement: a row per session, then the member's total."""
    name = statement.person.display_name
    for line in statement.lines:
        meeting = line.attendance.meeting
        yield [
            _cell(name),
            _cell(meeting.committee.acronym or meeting.committee.name_fr),
            _cell(f"{meeting.number}"),
            to_paris(meeting.starts_at).date().isoformat(),
            str(PRESENCE_LABELS.get(line.attendance.presence, line.attendance.presence)),
            str(FEE_KIND_LABELS[line.kind.value]),
            euros(line.amount),
        ]
    yield [_cell(name), "", "", "", "", _("Total"), euros(statement.total)]


def stream_csv(statements: Sequence[Statement]) -> Iterator[bytes]:
    """The CSV of ``statements``, chunk by chunk (one chunk per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow(csv_headers())
    yield "\ufeff".encode() + flush()
    for statement in statements:
        for row in statement_rows(statement):
            writer.writerow(row)
            yield flush()


def unavailable() -> str:
    """The page shown instead of a PDF when the host cannot print one."""
    return render_template("meetings/certificates/pdf_unavailable.html")


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The PDF of one attendance certificate; raises ``PdfUnavailable`` without WeasyPrint."""
    meeting = certificate.attendance.meeting
    html = render_template(
        "meetings/certificates/certificate_pdf.html",
        certificate=certificate,
        meeting=meeting,
        committee=meeting.committee,
        verify_url=verify_url,
    )
    return html_to_pdf(html)


def statement_pdf(statement: Statement) -> bytes:
    """The PDF of a yearly statement; raises ``PdfUnavailable`` without WeasyPrint."""
    html = render_template(
        "meetings/certificates/statement_pdf.html",
        statement=statement,
        committee=statement.committee,
        fee_kind_labels=FEE_KIND_LABELS,
        euros=euros,
    )
    return html_to_pdf(html)
