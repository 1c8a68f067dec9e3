"""The signed PDF of a decision: what is accepted, and its storage under its SHA-256."""

from __future__ import annotations

import re

from flask import Response, current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from committees.common import filestore
from committees.decisions.models import Decision
from committees.decisions.services import DecisionError
from committees.extensions import db


class PdfError(DecisionError):
    """The uploaded file cannot be the decision's signed PDF."""


def pdf_max_bytes() -> int:
    """The size limit of a decision's PDF, in bytes."""
    return current_app.config["DECISION_PDF_MAX_BYTES"]


def check_pdf(data: bytes) -> None:
    """Refuse a file that is empty, too large or not a PDF (judged by its content, not its name)."""
    if not data:
        raise PdfError(_("Le fichier est vide."))
    limit = pdf_max_bytes()
    if len(data) > limit:
        raise PdfError(
            _(
                "Le fichier dépasse la taille maximale de %(size)s Mo.",
                size=format_decimal(limit / (1024 * 1024), format="#,##0.#"),
            )
        )
    if not data.startswith(b"%PDF-"):
        raise PdfError(_("Le fichier n'est pas un PDF."))


def _download_name(filename: str) -> str:
    # Browsers may send a full path (old Windows versions); keep the last segment only.
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "decision.pdf")[:255]


def attach_pdf(decision: Decision, data: bytes, filename: str) -> str:
    """Store the signed PDF of ``decision`` under its SHA-256 and return the digest.

    Call it inside ``filestore.staged_files()`` so that a save that fails afterwards
    leaves no file behind. The original file name is kept for the download only.
    """
    check_pdf(data)
    digest = filestore.store_bytes(data)
    decision.pdf_sha256 = digest
    decision.pdf_filename = _download_name(filename)
    db.session.flush()
    return digest


def send_signed_pdf(decision: Decision) -> Response:
    """The download of the decision's signed PDF; 404 when it has none (or the file is gone)."""
    return filestore.send_stored(
        decision.pdf_sha256,
        decision.pdf_filename or f"decision-{decision.number}.pdf",
        "application/pdf",
    )
