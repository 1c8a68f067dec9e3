"""The files sent with a contribution: checked against the call's rules (count, size,
type judged by content), their harmless download names, their sizes as people read them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from committees.calls.models import Call
from committees.calls.rules import CallError, allowed_kinds
from committees.common.filetypes import FileKind, sniff


@dataclass(frozen=True)
class Upload:
    """A file as sent: the name the browser gave (kept for download only) and its bytes."""

    filename: str
    data: bytes


def megabytes(size: int) -> str:
    """A size in bytes as megabytes for people, « 10 » or « 1,5 »."""
    return format_decimal(size / (1024 * 1024), format="#,##0.#")


def file_size(size: int) -> str:
    """A file's size for people: « 340 ko », « 1,5 Mo »."""
    if size < 1024 * 1024:
        return _("%(size)s ko", size=format_decimal(max(1, round(size / 1024)), format="#,##0"))
    return _("%(size)s Mo", size=megabytes(size))


def download_name(filename: str) -> str:
    """The original name reduced to a harmless download name (never used as a path)."""
    # Old browsers send a full client path: keep its last segment only.
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"').strip()
    return (name or "document")[:255]


def check_attachments(
    call: Call, uploads: Sequence[Upload], *, kept: int = 0
) -> list[tuple[Upload, FileKind]]:
    """Each file's kind, after checking count, size and type against the call's rules.

    ``kept`` counts the files a contribution already has and keeps. Types are judged
    by content: a text file named « .pdf » is refused.
    """
    if kept + len(uploads) > call.max_attachments:
        raise CallError(
            ngettext(
                "Une contribution compte au plus %(num)d pièce jointe.",
                "Une contribution compte au plus %(num)d pièces jointes.",
                call.max_attachments,
            ),
            field="attachments",
        )
    kinds = allowed_kinds(call)
    checked = []
    for upload in uploads:
        name = download_name(upload.filename)
        if not upload.data:
            raise CallError(_("Le fichier « %(name)s » est vide.", name=name), field="attachments")
        if len(upload.data) > call.max_attachment_bytes:
            raise CallError(
                _(
                    "Le fichier « %(name)s » dépasse la taille maximale de %(size)s Mo.",
                    name=name,
                    size=megabytes(call.max_attachment_bytes),
                ),
                field="attachments",
            )
        kind = sniff(upload.data)
        if kind is None or kind.kind not in kinds:
            raise CallError(
                _(
                    "Le fichier « %(name)s » n'est pas d'un type accepté (%(types)s) : "
                    "son contenu a été vérifié, pas seulement son nom.",
                    name=name,
                    types=", ".join(k.upper() for k in kinds),
                ),
                field="attachments",
            )
        checked.append((upload, kind))
    return checked
