"""Export of a call's contributions: a CSV for spreadsheets and a ZIP with the files.

The CSV is UTF-8 with a byte-order mark and ``;`` separators, the form French Excel
opens without an import wizard; dates are in Paris time. The ZIP holds the same CSV
and every current attachment under ``<receipt>/<safe original name>``.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Sequence
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.calls.administration.services import safe_filename
from committees.calls.labels import CONTRIBUTION_STATUS_LABELS, CONTRIBUTOR_KIND_LABELS
from committees.calls.models import Call, Contribution
from committees.common import filestore
from committees.common.timeutils import to_paris
from committees.extensions import db

#: between several values in one cell (themes, file names)
LIST_SEPARATOR = " | "
#: cells starting with these are read as formulas by spreadsheets (CSV injection)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_headers() -> list[str]:
    """The CSV's column titles, in the page's language."""
    return [
        _("Accusé de réception"),
        _("Déposée le (heure de Paris)"),
        _("Modifiée le (heure de Paris)"),
        _("Version"),
        _("Organisme"),
        _("Type d'organisme"),
        _("SIREN"),
        _("Personne à contacter"),
        _("Fonction"),
        _("Adresse électronique du compte"),
        _("Thèmes"),
        _("Statut"),
        _("Motif"),
        _("Consent à la publication"),
        _("Souhaite être auditionné"),
        _("Publiée le (heure de Paris)"),
        _("Pièces jointes"),
        _("SHA-256 des pièces jointes"),
        _("Texte"),
    ]


def export_contributions(call: Call) -> Sequence[Contribution]:
    """Every contribution of ``call`` (withdrawn ones included), by receipt number,
    with their accounts and attachments: three queries."""
    return (
        db.session.execute(
            select(Contribution)
            .where(Contribution.call_id == call.id)
            .options(
                selectinload(Contribution.attachments),
                selectinload(Contribution.contributor),
            )
            .order_by(Contribution.receipt_number)
        )
        .scalars()
        .all()
    )


def _when(value) -> str:
    return to_paris(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _yes_no(value: bool) -> str:
    return _("oui") if value else _("non")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading quote keeps a spreadsheet from running a formula typed by a contributor.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _label(labels: dict, value: str) -> str:
    return str(labels.get(value, value))


def contribution_row(contribution: Contribution) -> list[str]:
    """One CSV row (same order as ``export_headers``)."""
    files = [a for a in contribution.attachments if a.current]
    values = [
        contribution.receipt,
        _when(contribution.submitted_at),
        _when(contribution.updated_at),
        contribution.version,
        contribution.organisation,
        _label(CONTRIBUTOR_KIND_LABELS, contribution.organisation_kind),
        contribution.siren or "",
        contribution.contact_name,
        contribution.contact_function,
        contribution.contributor.email,
        LIST_SEPARATOR.join(contribution.themes or ()),
        _label(CONTRIBUTION_STATUS_LABELS, contribution.status),
        contribution.review_note,
        _yes_no(contribution.consent_publication),
        _yes_no(contribution.wants_hearing),
        _when(contribution.published_at),
        LIST_SEPARATOR.join(a.filename for a in files),
        LIST_SEPARATOR.join(a.sha256 for a in files),
        contribution.text,
    ]
    return [_cell(v) for v in values]


def csv_bytes(call: Call, contributions: Sequence[Contribution] | None = None) -> bytes:
    """The CSV of the contributions of ``call``, UTF-8 with a byte-order mark."""
    if contributions is None:
        contributions = export_contributions(call)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(export_headers())
    for contribution in contributions:
        writer.writerow(contribution_row(contribution))
    return buffer.getvalue().encode("utf-8-sig")


def export_basename(call: Call) -> str:
    """The name of the exported files, e.g. « AMI-2022-contributions »."""
    return f"{safe_filename(call.reference, default='appel')}-contributions"


def archive_name(contribution: Contribution, filename: str, taken: set[str]) -> str:
    """Where an attachment goes in the ZIP: ``<receipt>/<safe name>``, made unique
    within the contribution (« rapport.pdf », « rapport-2.pdf »)."""
    name = safe_filename(filename, default="piece-jointe")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    folder = safe_filename(contribution.receipt)
    candidate, n = name, 1
    while f"{folder}/{candidate}".casefold() in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    path = f"{folder}/{candidate}"
    taken.add(path.casefold())
    return path


def write_zip(call: Call, target: IO[bytes]) -> list[str]:
    """Write the ZIP of ``call`` to ``target``; return the attachments missing from
    the file store (listed in the archive too, so that nobody misses them)."""
    contributions = export_contributions(call)
    taken: set[str] = set()
    missing: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{export_basename(call)}.csv", csv_bytes(call, contributions))
        for contribution in contributions:
            for attachment in contribution.attachments:
                if not attachment.current:
                    continue
                name = archive_name(contribution, attachment.filename, taken)
                path = filestore.path_for(attachment.sha256)
                if path.is_file():
                    # Read from disk in chunks by zipfile: no file is held whole in memory.
                    archive.write(path, name)
                else:
                    missing.append(name)
        if missing:
            archive.writestr("fichiers-manquants.txt", "\n".join(missing).encode("utf-8") + b"\n")
    return missing


def zip_file(call: Call) -> IO[bytes]:
    """The ZIP of ``call`` in a temporary file (deleted when closed), rewound."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that sends it
    try:
        write_zip(call, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
