"""The report's CSV (attendance per member, then one row per session) and download answers.

UTF-8 with a byte-order mark and ``;`` separators, as the calls' export: the form French
Excel opens without an import wizard. The two tables are separated by an empty line.
"""

from __future__ import annotations

import csv
import io

from flask import Response
from flask_babel import gettext as _

from committees.bodies.labels import role_label
from committees.bodies.models import Committee
from committees.meetings.labels import MEETING_STATUS_LABELS
from committees.reports.figures import ReportFigures

#: cells starting with these are read as formulas by spreadsheets (CSV injection)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading quote keeps a spreadsheet from running a formula hidden in a name.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("oui") if value else _("non")


def member_headers() -> list[str]:
    """Column titles of the attendance table."""
    return [
        _("Membre"),
        _("Rôle"),
        _("Séances attendues"),
        _("Présences"),
        _("Taux de présence (%)"),
    ]


def session_headers() -> list[str]:
    """Column titles of the sessions table."""
    return [
        _("Séance"),
        _("Date"),
        _("Statut"),
        _("Membres votants"),
        _("Votants présents"),
        _("Quorum requis"),
        _("Quorum atteint"),
        _("Membres attendus"),
        _("Déclarations d'intérêts à jour"),
        _("Déports"),
        _("Votes"),
        _("Auditions"),
    ]


def csv_bytes(figures: ReportFigures) -> bytes:
    """The CSV of ``figures``, UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(member_headers())
    for m in figures.members:
        rate = "" if m.rate is None else m.rate
        role = role_label(m.role, m.civility)
        writer.writerow([_cell(v) for v in (m.name, role, m.expected, m.present, rate)])
    writer.writerow([])
    writer.writerow(session_headers())
    for s in figures.sessions:
        writer.writerow(
            [
                s.number,
                s.day.strftime("%d/%m/%Y"),
                str(MEETING_STATUS_LABELS.get(s.status, s.status)),
                s.voting_members,
                s.voting_present,
                s.quorum_required,
                _yes_no(s.quorum_reached),
                s.members_expected,
                s.declarations_current,
                s.recusals,
                s.votes,
                s.hearings,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def filename(committee: Committee, year: int, extension: str) -> str:
    """« rapport-activite-cst-culture-2022.pdf »."""
    return f"rapport-activite-{committee.slug}-{year}.{extension}"


def download(body: bytes, mimetype: str, name: str) -> Response:
    """``body`` as a file; PDFs open in the browser, CSVs are saved."""
    disposition = "inline" if mimetype == "application/pdf" else "attachment"
    content_type = f"{mimetype}; charset=utf-8" if mimetype.startswith("text/") else mimetype
    return Response(
        body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'{disposition}; filename="{name}"',
        },
    )
