"""Export of a call's contributions: a CSV for spreadsheets and a ZIP with the files.

The CSV is UTF-8 with a byte-order mark and ``;`` separators, the form French Excel
opens without an import wizard; dates are in Paris time. The ZIP holds the same CSV
and every current attachment under ``<receipt>/<safe original name>``.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.calls.administration.services import safe_filename
from committees.calls.labels import CONTRIBUTION_STATUS_LABELS, CONTRIBUTOR_KIND_LABELS
from committees.calls.models import Call, Contribution, ContributionAttachment
from committees.common import filestore
from committees.common.timeutils import PARIS
from committees.extensions import db
from committees.publication.fragments import kept_part

#: between several values in one cell (themes, file names)
LIST_SEPARATOR = " | "
#: cells starting with these are read as formulas by spreadsheets (CSV injection)
_FORMULA_STARTS = frozenset("=+-@\t\r")


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
    """« 17/02/2022 14:00 » in Paris time (a column of UTCDateTime: always aware)."""
    if not value:
        return ""
    local = value.astimezone(PARIS)
    return f"{local.day:02}/{local.month:02}/{local.year} {local.hour:02}:{local.minute:02}"


def _cell(value: str | None) -> str:
    if not value:
        return ""
    # A leading quote keeps a spreadsheet from running a formula typed by a contributor.
    return "'" + value if value[0] in _FORMULA_STARTS else value


@dataclass(frozen=True)
class _Words:
    """The labels a row shows, translated once per export rather than once per row."""

    kinds: dict[str, str]
    statuses: dict[str, str]
    yes_no: dict[bool, str]

    @classmethod
    def translated(cls) -> _Words:
        return cls(
            kinds={k: str(v) for k, v in CONTRIBUTOR_KIND_LABELS.items()},
            statuses={k: str(v) for k, v in CONTRIBUTION_STATUS_LABELS.items()},
            yes_no={True: _("oui"), False: _("non")},
        )


def _values(row, files: Sequence[tuple[str, str]], words: _Words) -> list[str]:
    """One CSV row (same order as ``export_headers``) of a row of ``_ROW_COLUMNS`` and
    its current ``files`` as (name, SHA-256). What a person typed goes through ``_cell``;
    what the application wrote (dates, numbers, labels, hashes) cannot start a formula."""
    (_id, receipt, submitted_at, updated_at, version, organisation, kind, siren, contact_name,
     contact_function, email, themes, status, review_note, consent, hearing, published_at,
     text, _number) = row  # fmt: skip
    return [
        receipt,
        _when(submitted_at),
        _when(updated_at),
        str(version),
        _cell(organisation),
        _cell(words.kinds.get(kind, kind)),
        _cell(siren),
        _cell(contact_name),
        _cell(contact_function),
        _cell(email),
        _cell(LIST_SEPARATOR.join(themes or ())),
        _cell(words.statuses.get(status, status)),
        _cell(review_note),
        words.yes_no[bool(consent)],
        words.yes_no[bool(hearing)],
        _when(published_at),
        _cell(LIST_SEPARATOR.join(name for name, _sha in files)),
        LIST_SEPARATOR.join(sha for _name, sha in files),
        _cell(text),
    ]


#: what a CSV row reads of each contribution, with its account's address (``email``)
_ROW_COLUMNS = (
    Contribution.id,
    Contribution.receipt,
    Contribution.submitted_at,
    Contribution.updated_at,
    Contribution.version,
    Contribution.organisation,
    Contribution.organisation_kind,
    Contribution.siren,
    Contribution.contact_name,
    Contribution.contact_function,
    User.email,
    Contribution.themes,
    Contribution.status,
    Contribution.review_note,
    Contribution.consent_publication,
    Contribution.wants_hearing,
    Contribution.published_at,
    Contribution.text,
    Contribution.receipt_number,
)
#: rows read at a time while the CSV is written
STREAM_BATCH = 250


def _current_files(call: Call) -> dict[int, list[tuple[str, str]]]:
    """(name, SHA-256) of the current attachments of each contribution of ``call``, in one
    query of two short columns."""
    rows = db.session.execute(
        select(
            ContributionAttachment.contribution_id,
            ContributionAttachment.filename,
            ContributionAttachment.sha256,
        )
        .join(ContributionAttachment.contribution)
        .where(Contribution.call_id == call.id, ContributionAttachment.current.is_(True))
        .order_by(ContributionAttachment.contribution_id, ContributionAttachment.id)
    )
    files: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for contribution_id, filename, sha256 in rows:
        files[contribution_id].append((filename, sha256))
    return files


def csv_chunks(call: Call) -> Iterator[bytes]:
    """The CSV of the contributions of ``call`` (withdrawn ones included, by receipt
    number), a chunk at a time: UTF-8 with a byte-order mark, the same bytes as
    ``csv_bytes``. The column titles come first, then ``STREAM_BATCH`` rows a chunk, each
    batch read after the last receipt number of the one before (no cursor held open
    between chunks, and a call of a few hundred contributions is one query).

    Each batch's text is kept in the worker under the publication revision, which every
    change to a contribution, its files or its author's account moves
    (``publication.fragments``): the next export after any change draws it again, and
    only this route, for the secretariat, shows it."""
    batches = _Batches(call)
    yield codecs.BOM_UTF8 + _csv_text([export_headers()]).encode("utf-8")
    after = None
    while True:
        chunk, after, count = kept_part(
            ("calls.export", call.id, STREAM_BATCH, after), partial(batches.draw, after)
        )
        if chunk:
            yield chunk
        if count < STREAM_BATCH:
            return


def _csv_text(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


class _Batches:
    """Draws the batches of one export: the labels translated, and the attachments'
    names read, once, at the first batch not kept."""

    def __init__(self, call: Call):
        self.call = call
        self._words: _Words | None = None
        self._files: dict[int, list[tuple[str, str]]] | None = None

    def draw(self, after: int | None) -> tuple[bytes, int | None, int]:
        """The CSV text of the ``STREAM_BATCH`` rows after receipt number ``after``, the
        last receipt number it holds and how many rows."""
        if self._files is None:
            self._words, self._files = _Words.translated(), _current_files(self.call)
        words, files = self._words, self._files
        batch = _row_batch(self.call, after)
        text = _csv_text(_values(row, files.get(row[0], ()), words) for row in batch)
        return text.encode("utf-8"), (batch[-1][-1] if batch else after), len(batch)


def _row_batch(call: Call, after: int | None) -> Sequence:
    """The rows of ``_ROW_COLUMNS`` of ``call``'s contributions, ``STREAM_BATCH`` of
    them after receipt number ``after`` (unique within a call)."""
    query = (
        select(*_ROW_COLUMNS)
        .join(User, Contribution.contributor_id == User.id)
        .where(Contribution.call_id == call.id)
        .order_by(Contribution.receipt_number)
        .limit(STREAM_BATCH)
    )
    if after is not None:
        query = query.where(Contribution.receipt_number > after)
    # On the session's connection: plain rows, without the ORM's result machinery.
    return db.session.connection().execute(query).all()


def csv_bytes(call: Call) -> bytes:
    """The whole CSV of ``csv_chunks`` (the ZIP holds it; the download streams it)."""
    return b"".join(csv_chunks(call))


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
        archive.writestr(f"{export_basename(call)}.csv", csv_bytes(call))
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
