"""The secretariat's side of calls: a call's settings, its template and its status.

Functions change the session and flush; the caller commits, or rolls back on
``CallError`` (``calls.rules``). The review of contributions is in ``review``; what the
public sees, in ``calls.visibility``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee
from committees.calls.models import Audience, Call, CallStatus, Contribution
from committees.calls.rules import FILE_KINDS, CallError, is_public
from committees.common import filestore
from committees.common.filetypes import sniff
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows import events as follow_events
from committees.meetings.models import Meeting, MeetingStatus

#: bounds of the attachment rules the secretariat may set
MAX_ATTACHMENTS = 10

_REFERENCE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")

# --- calls ----------------------------------------------------------------------------


def parse_themes(text: str | None) -> list[str]:
    """Themes typed one per line: trimmed, blank lines and repeats left out."""
    themes: list[str] = []
    for line in (text or "").splitlines():
        theme = " ".join(line.split())[:200]
        if theme and theme.casefold() not in {t.casefold() for t in themes}:
            themes.append(theme)
    return themes


def _reference_taken(reference: str, call: Call | None) -> bool:
    query = select(Call.id).where(func.upper(Call.reference) == reference)
    if call is not None and call.id is not None:
        query = query.where(Call.id != call.id)
    return db.session.execute(query.limit(1)).first() is not None


def _has_receipts(call: Call) -> bool:
    query = select(Contribution.id).where(Contribution.call_id == call.id)
    return db.session.execute(query.limit(1)).first() is not None


def _check_reference(reference: str, call: Call | None) -> str:
    reference = (reference or "").strip().upper()
    if not reference:
        raise CallError(_("Indiquez la référence de l'appel (par exemple AMI-2022)."), "reference")
    if len(reference) > 40 or not _REFERENCE.fullmatch(reference):
        raise CallError(
            _(
                "La référence ne contient que des lettres, des chiffres et des tirets "
                "(40 caractères au plus), par exemple AMI-2022."
            ),
            "reference",
        )
    if call is not None and call.reference and call.reference != reference and _has_receipts(call):
        raise CallError(
            _(
                "Des accusés de réception ont déjà été délivrés avec la référence %(reference)s : "
                "elle ne peut plus changer.",
                reference=call.reference,
            ),
            "reference",
        )
    if _reference_taken(reference, call):
        raise CallError(
            _(
                "La référence %(reference)s est déjà utilisée par un autre appel.",
                reference=reference,
            ),
            "reference",
        )
    return reference


def _check_meeting(committee: Committee, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.committee_id != committee.id:
        raise CallError(
            _("Choisissez une séance du comité qui lance l'appel."),
            "meeting_id",
        )


def _call_fields(
    call: Call | None,
    *,
    committee: Committee,
    meeting: Meeting | None = None,
    reference: str,
    title: str,
    body: str = "",
    audience: str = Audience.ANYONE.value,
    opens_at: datetime,
    closes_at: datetime,
    themes: str = "",
    max_attachments: int = 3,
    max_attachment_bytes: int = 10 * 1024 * 1024,
    allowed_types: Sequence[str] = ("pdf", "odt", "docx"),
    contributions_publishable: bool = True,
    hearing_offer: str = "",
) -> dict:
    reference = _check_reference(reference, call)
    title = " ".join((title or "").split())
    if not title:
        raise CallError(_("Indiquez le titre de l'appel."), "title")
    if audience not in {a.value for a in Audience}:
        raise CallError(_("Choisissez le public visé dans la liste."), "audience")
    if closes_at <= opens_at:
        raise CallError(_("La clôture doit suivre l'ouverture."), "closes_at")
    _check_meeting(committee, meeting)
    if not 0 <= max_attachments <= MAX_ATTACHMENTS:
        raise CallError(
            _("Le nombre de pièces jointes va de 0 à %(max)d.", max=MAX_ATTACHMENTS),
            "max_attachments",
        )
    if max_attachment_bytes <= 0:
        raise CallError(_("La taille maximale doit dépasser zéro."), "max_attachment_mb")
    types = [kind for kind in FILE_KINDS if kind in set(allowed_types)]
    if max_attachments and not types:
        raise CallError(_("Cochez au moins un type de fichier accepté."), "allowed_types")
    return {
        "committee_id": committee.id,
        "meeting_id": meeting.id if meeting is not None else None,
        "reference": reference,
        "title": title[:300],
        "body": body or "",
        "audience": audience,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "themes": "\n".join(parse_themes(themes)),
        "max_attachments": max_attachments,
        "max_attachment_bytes": max_attachment_bytes,
        "allowed_types": ",".join(types),
        "contributions_publishable": bool(contributions_publishable),
        "hearing_offer": " ".join((hearing_offer or "").split())[:500],
    }


def create_call(**fields) -> Call:
    """Create a draft call.

    Fields: committee, meeting (optional, one of the committee's sessions), reference
    (unique prefix of receipt numbers, e.g. AMI-2022), title, body (Markdown), audience,
    opens_at and closes_at (aware datetimes, closing after opening), themes (one per
    line), max_attachments, max_attachment_bytes, allowed_types (among pdf, odt, docx),
    contributions_publishable, hearing_offer.
    """
    call = Call(status=CallStatus.DRAFT.value, **_call_fields(None, **fields))
    db.session.add(call)
    db.session.flush()
    return call


def update_call(call: Call, **fields) -> None:
    """Change a call (same fields and rules as ``create_call``).

    The reference is frozen once receipts have been given with it.
    """
    for key, value in _call_fields(call, **fields).items():
        setattr(call, key, value)
    db.session.flush()


def template_max_bytes() -> int:
    """The largest template file accepted."""
    return current_app.config["CALL_TEMPLATE_MAX_BYTES"]


def safe_filename(name: str | None, default: str = "fichier") -> str:
    """A file name safe inside an archive or a download header: no path, no control
    characters, no leading dot, at most 150 characters; the extension is kept."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" ._")
    if not name:
        return default
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 150 - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else name[:150]
    return name


def attach_template(call: Call, data: bytes, filename: str) -> None:
    """Store the downloadable template of ``call`` (PDF, ODT or DOCX recognised by its
    content, never by its name or the browser's word)."""
    if len(data) > template_max_bytes():
        raise CallError(
            _(
                "Le modèle dépasse la taille maximale (%(size)d Mo).",
                size=template_max_bytes() // (1024 * 1024),
            ),
            "template",
        )
    found = sniff(data) if data else None
    if found is None or found[0] not in FILE_KINDS:
        raise CallError(
            _("Le modèle doit être un fichier PDF, ODT ou DOCX (son contenu n'en est pas un)."),
            "template",
        )
    call.template_sha256 = filestore.store_bytes(data)
    call.template_filename = safe_filename(filename, default=f"modele.{found[0]}")
    db.session.flush()


def remove_template(call: Call) -> None:
    """Stop offering a template (the file stays in the store: it is addressed by content)."""
    call.template_sha256 = None
    call.template_filename = None
    db.session.flush()


def publish_call(call: Call, now: datetime | None = None) -> None:
    """Make a draft (or closed) call public."""
    if call.status == CallStatus.PUBLISHED:
        return
    call.status = CallStatus.PUBLISHED.value
    call.published_at = call.published_at or now or utcnow()
    db.session.flush()
    if is_public(call):
        follow_events.call_opened(call)


def calls_query() -> Select:
    """Every call, the latest opening first, with its committee."""
    return (
        select(Call)
        .options(selectinload(Call.committee))
        .order_by(Call.opens_at.desc(), Call.id.desc())
    )


def contribution_counts(calls: Sequence[Call]) -> dict[int, int]:
    """How many contributions each call received, in one query."""
    ids = [c.id for c in calls]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Contribution.call_id, func.count(Contribution.id))
        .where(Contribution.call_id.in_(ids))
        .group_by(Contribution.call_id)
    )
    return {call_id: count for call_id, count in rows}


def session_choices(
    keep_id: int | None = None, now: datetime | None = None
) -> list[tuple[Meeting, Committee]]:
    """Sessions a call may prepare, with their committee: the upcoming ones not cancelled,
    by committee then date (plus ``keep_id``, the session a call already names)."""
    upcoming = and_(
        Meeting.starts_at >= (now or utcnow()),
        Meeting.status.not_in([MeetingStatus.CANCELLED.value, MeetingStatus.POSTPONED.value]),
    )
    rows = db.session.execute(
        select(Meeting, Committee)
        .join(Committee, Committee.id == Meeting.committee_id)
        .where(or_(upcoming, Meeting.id == keep_id) if keep_id else upcoming)
        .order_by(Committee.name_fr, Meeting.starts_at)
    )
    return [(meeting, committee) for meeting, committee in rows]
