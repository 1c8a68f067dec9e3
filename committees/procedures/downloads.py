"""A written procedure's document served from the file store, through the member's or the
public door (each view decides who may)."""

from __future__ import annotations

from flask import abort

from committees.common import filestore
from committees.procedures.models import WrittenProcedure


def send_procedure_document(procedure: WrittenProcedure, document_id: int):
    """One of the procedure's documents from the file store, or a 404 page."""
    document = next((d for d in procedure.documents if d.id == document_id), None)
    if document is None:
        abort(404)
    return filestore.send_stored(document.sha256, document.filename, document.content_type)
