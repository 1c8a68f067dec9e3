"""Builders for the calls tests: committees, sessions, calls, contributions, office files.

``make_call`` writes the row directly, so a test may give any column (status, template,
dates); by default the call is published and open from a week ago to a week ahead.
Tests replaying the 2022 call pass ``**IN_2022`` and submit through ``contribute``, whose
server clock is ``DURING`` unless told otherwise.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from pathlib import Path

from committees.bodies.models import Committee, CommitteeKind
from committees.bodies.services import create_committee
from committees.calls.models import Call, CallStatus, Contribution
from committees.calls.submission.services import ContributionData, Upload, submit_contribution
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.meetings.models import ItemKind, Meeting, MeetingFormat
from committees.meetings.rules import paris_to_utc
from committees.meetings.scheduling.services import create_meeting

THEMES = ["Culture et récolte", "Transformation en matière première", "Contrôle de la qualité"]
#: the window of the 2022 call (Paris 15/03 09:00 to 20/04 23:59) and an instant inside it
OPENS = paris_to_utc(date(2022, 3, 15), time(9, 0))
CLOSES = paris_to_utc(date(2022, 4, 20), time(23, 59))
DURING = datetime(2022, 4, 1, 10, 0, tzinfo=UTC)
IN_2022 = {"opens_at": OPENS, "closes_at": CLOSES}

_numbers = count(1)


def make_committee(name: str | None = None) -> Committee:
    """A published temporary committee (a fresh name unless ``name`` is given)."""
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr=name or f"Culture en France du cannabis à usage médical {next(_numbers)}",
        start_date=date(2021, 8, 2),
        end_date=date(2030, 12, 31),
        published_at=datetime(2021, 8, 2, tzinfo=UTC),
    )
    db.session.commit()
    return committee


def make_meeting(
    committee: Committee, *, hearing_item: bool = True, day: date = date(2022, 5, 4)
) -> Meeting:
    """The session of 4 May 2022 (or ``day``), with (or without) a hearing item on its
    agenda."""
    from committees.meetings.agenda.services import add_item

    meeting = create_meeting(
        committee,
        title="Séance du 4 mai 2022" if day == date(2022, 5, 4) else f"Séance du {day:%d/%m/%Y}",
        starts_at=paris_to_utc(day, time(9, 30)),
        ends_at=paris_to_utc(day, time(17, 0)),
        format=MeetingFormat.VIDEOCONFERENCE.value,
    )
    add_item(meeting, title="Introduction", kind=ItemKind.INFORMATION.value)
    if hearing_item:
        add_item(meeting, title="Auditions des opérateurs", kind=ItemKind.HEARING.value)
    db.session.commit()
    return meeting


def make_call(
    committee: Committee | None = None,
    meeting: Meeting | None = None,
    *,
    publish: bool = True,
    **fields,
) -> Call:
    """A call of ``committee`` (a fresh one by default), published unless ``publish`` is
    false, open for a week either side of now; ``fields`` override any column."""
    now = utcnow()
    values = {
        "committee": committee or make_committee(),
        "meeting": meeting,
        "reference": f"AMI-2022-{next(_numbers)}",
        "title": "Appel à contributions : la filière française du cannabis médical",
        "body": "Les acteurs de la **future filière** sont invités à contribuer.",
        "audience": "economic_operators",
        "opens_at": now - timedelta(days=7),
        "closes_at": now + timedelta(days=7),
        "themes": "\n".join(THEMES),
        "max_attachments": 3,
        "max_attachment_bytes": 1024 * 1024,
        "hearing_offer": "Jusqu'à 6 contributeurs entendus par visioconférence le 4 mai 2022",
        "status": CallStatus.PUBLISHED.value if publish else CallStatus.DRAFT.value,
    }
    values.update(fields)
    values.setdefault("published_at", values["opens_at"] if publish else None)
    call = Call(**values)
    db.session.add(call)
    db.session.commit()
    return call


def contribute(
    call: Call,
    contributor,
    *,
    organisation: str = "Chanvre de Touraine",
    kind: str = "farmer",
    consent: bool = True,
    wants_hearing: bool = True,
    themes: list[str] | None = None,
    files: list[tuple[str, bytes]] | None = None,
    now: datetime = DURING,
    **fields,
) -> Contribution:
    """A contribution submitted through the contributors' own service, at ``now``."""
    data = ContributionData(
        organisation=organisation,
        organisation_kind=kind,
        contact_name=fields.pop("contact_name", "Marie Lefèvre"),
        contact_function=fields.pop("contact_function", "Gérante"),
        text=fields.pop("text", "Notre exploitation cultive du chanvre depuis 1998."),
        siren=fields.pop("siren", "732829320"),
        themes=THEMES[:1] if themes is None else themes,
        consent_publication=consent,
        wants_hearing=wants_hearing,
    )
    uploads = [Upload(name, content) for name, content in (files or [])]
    return submit_contribution(call, contributor, data, uploads, secrets.token_urlsafe(16), now=now)


def pdf_bytes(text: str = "contribution") -> bytes:
    """A small file that is a PDF by its content, different for each ``text``."""
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
        "themes": [THEMES[0]],
        "text": "Nous cultivons du chanvre depuis vingt ans.",
        "consent_publication": "y",
        "wants_hearing": "y",
    }
    data.update(overrides)
    return data


def uploaded_files(root) -> list[Path]:
    """Every file under the upload folder (temporary ones included)."""
    base = Path(root)
    return [p for p in base.rglob("*") if p.is_file()] if base.exists() else []
