"""Builders for the calls tests: a committee, a call, real little office files."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from itertools import count

from committees.bodies.models import CommitteeKind
from committees.bodies.services import create_committee
from committees.calls.models import Call, CallStatus
from committees.common.timeutils import utcnow
from committees.extensions import db

THEMES = "Culture et récolte\nTransformation en matière première\nContrôle de la qualité"
_numbers = count(1)


def make_call(**fields) -> Call:
    """A published call of a fresh committee, open for a week unless ``fields`` say otherwise."""
    n = next(_numbers)
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr=f"Culture en France du cannabis à usage médical {n}",
        start_date=date(2021, 8, 2),
        end_date=date(2030, 12, 31),
        published_at=datetime(2021, 8, 2, tzinfo=UTC),
    )
    now = utcnow()
    values = {
        "committee": committee,
        "reference": f"AMI-2022-{n}",
        "title": "Appel à contributions : la filière française du cannabis médical",
        "body": "Les acteurs de la **future filière** sont invités à contribuer.",
        "opens_at": now - timedelta(days=7),
        "closes_at": now + timedelta(days=7),
        "themes": THEMES,
        "max_attachments": 3,
        "max_attachment_bytes": 1024 * 1024,
        "hearing_offer": "Jusqu'à 6 contributeurs entendus par visioconférence le 4 mai 2022",
        "status": CallStatus.PUBLISHED.value,
        "published_at": now - timedelta(days=7),
    }
    values.update(fields)
    call = Call(**values)
    db.session.add(call)
    db.session.commit()
    return call


def pdf_bytes(text: str = "contribution") -> bytes:
    """A small PDF (enough for content sniffing)."""
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\n%%EOF\n"


def docx_bytes() -> bytes:
    """A minimal Office Open XML word-processing archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    """A minimal OpenDocument text archive: « mimetype » first, stored."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def form_data(**overrides) -> dict:
    """A complete, valid contribution form (without the CSRF token and the key)."""
    data = {
        "organisation": "Coopérative Chanvre du Berry",
        "organisation_kind": "farmer",
        "siren": "732829320",
        "contact_name": "Claire Dupont",
        "contact_function": "Directrice",
        "themes": ["Culture et récolte"],
        "text": "Nous cultivons du chanvre depuis vingt ans.",
        "consent_publication": "y",
        "wants_hearing": "y",
    }
    data.update(overrides)
    return data


def uploaded_files(root) -> list:
    """Every file under the upload folder (temporary ones included)."""
    from pathlib import Path

    base = Path(root)
    return [p for p in base.rglob("*") if p.is_file()] if base.exists() else []
