"""The secretariat's side of calls: settings, status, review, hearings and publication.

Functions change the session and flush; the caller commits, or rolls back on
``CallError``. The rule deciding what the public sees of contributions lives here,
in ``publicly_visible_contributions`` and ``is_publicly_visible``, and nowhere else.

``CallError`` (from ``calls.rules``) is re-exported for the views.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import selectinload

from committees.bodies.models import Committee
from committees.calls.models import (
    Audience,
    Call,
    CallStatus,
    Contribution,
    ContributionAttachment,
    ContributionStatus,
    ContributorKind,
)
from committees.calls.rules import PUBLIC_STATUSES, CallError, is_public
from committees.common import filestore
from committees.common.search import LIKE_ESCAPE, contains_pattern
from committees.common.timeutils import utcnow
from committees.extensions import db
from committees.follows import events as follow_events
from committees.meetings.models import (
    AgendaItem,
    Hearing,
    HearingMode,
    HearingStatus,
    ItemKind,
    ItemOrganisation,
    Meeting,
    OrganisationKind,
)

#: kinds of files a call may accept, and the MIME type content sniffing gives each
FILE_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: bounds of the attachment rules the secretariat may set
MAX_ATTACHMENTS = 10
#: default largest template file (setting CALL_TEMPLATE_MAX_BYTES)
TEMPLATE_MAX_BYTES = 20 * 1024 * 1024

_REFERENCE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")

#: how a contributor's kind reads on a session's agenda
HEARING_KINDS = {
    ContributorKind.FARMER: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.RAW_MATERIAL_PRODUCER: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.PHARMACEUTICAL_ESTABLISHMENT: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.ECONOMIC_OPERATOR: OrganisationKind.ECONOMIC_OPERATOR,
    ContributorKind.PATIENT_ASSOCIATION: OrganisationKind.PATIENT_ASSOCIATION,
    ContributorKind.LEARNED_SOCIETY: OrganisationKind.LEARNED_SOCIETY,
    ContributorKind.INSTITUTION: OrganisationKind.INSTITUTION,
    ContributorKind.OTHER: OrganisationKind.INSTITUTION,
}


# --- calls ----------------------------------------------------------------------------


def parse_themes(text: str | None) -> list[str]:
    """Themes typed one per line: trimmed, blank lines and repeats left out."""
    themes: list[str] = []
    for line in (text or "").splitlines():
        theme = " ".join(line.split())[:200]
        if theme and theme.casefold() not in {t.casefold() for t in themes}:
            themes.append(theme)
    return themes


def parse_allowed_types(value: str | None) -> list[str]:
    """The accepted kinds of files of a call (``"pdf,odt"`` -> ``["pdf", "odt"]``)."""
    return [kind for kind in (value or "").split(",") if kind in FILE_TYPES]


def _reference_taken(reference: str, call: Call | None) -> bool:
    query = select(Call.id).where(func.upper(Call.reference) == reference)
    if call is not None and call.id is not None:
        query = query.where(Call.id != call.id)
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
    if call is not None and call.reference and call.reference != reference and call.contributions:
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
    types = [kind for kind in FILE_TYPES if kind in set(allowed_types)]
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
    return int(current_app.config.get("CALL_TEMPLATE_MAX_BYTES", TEMPLATE_MAX_BYTES))


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
    from committees.common.filetypes import sniff

    if len(data) > template_max_bytes():
        raise CallError(
            _(
                "Le modèle dépasse la taille maximale (%(size)d Mo).",
                size=template_max_bytes() // (1024 * 1024),
            ),
            "template",
        )
    found = sniff(data) if data else None
    if found is None or found[0] not in FILE_TYPES:
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


def close_call(call: Call) -> None:
    """Close a published call before its deadline: nothing more is accepted."""
    if call.status != CallStatus.PUBLISHED:
        raise CallError(_("Seul un appel publié peut être clos."))
    call.status = CallStatus.CLOSED.value
    db.session.flush()


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


def session_choices() -> list[tuple[Meeting, Committee]]:
    """Sessions a call may prepare, with their committee, latest first."""
    rows = db.session.execute(
        select(Meeting, Committee)
        .join(Committee, Committee.id == Meeting.committee_id)
        .order_by(Committee.name_fr, Meeting.starts_at.desc())
    )
    return [(meeting, committee) for meeting, committee in rows]


# --- review ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionFilter:
    """What the secretariat's list of contributions is narrowed to."""

    status: str | None = None
    kind: str | None = None
    wants_hearing: bool | None = None
    theme: str | None = None
    q: str = ""


def contributions_query(call: Call, criteria: ContributionFilter) -> Select:
    """The contributions of ``call`` matching ``criteria``, by receipt number,
    attachments loaded with them."""
    query = (
        select(Contribution)
        .where(Contribution.call_id == call.id)
        .options(selectinload(Contribution.attachments))
        .order_by(Contribution.receipt_number)
    )
    if criteria.status in {s.value for s in ContributionStatus}:
        query = query.where(Contribution.status == criteria.status)
    if criteria.kind in {k.value for k in ContributorKind}:
        query = query.where(Contribution.organisation_kind == criteria.kind)
    if criteria.wants_hearing is not None:
        query = query.where(Contribution.wants_hearing.is_(criteria.wants_hearing))
    if criteria.theme:
        # Themes are a JSON list: its stored text holds the theme exactly as json.dumps
        # writes it (the serializer SQLAlchemy uses), quotes included, on both engines.
        needle = contains_pattern(json.dumps(criteria.theme))
        query = query.where(cast(Contribution.themes, Text).like(needle, escape=LIKE_ESCAPE))
    if criteria.q:
        query = query.where(
            Contribution.organisation.ilike(contains_pattern(criteria.q), escape="\\")
        )
    return query


def contribution_of(call: Call, contribution_id: int) -> Contribution | None:
    """One contribution of ``call`` with everything its page shows, or None."""
    return db.session.execute(
        select(Contribution)
        .where(Contribution.call_id == call.id, Contribution.id == contribution_id)
        .options(
            selectinload(Contribution.attachments),
            selectinload(Contribution.versions),
            selectinload(Contribution.contributor),
            selectinload(Contribution.hearing),
        )
    ).scalar_one_or_none()


def attachment_of(contribution: Contribution, attachment_id: int) -> ContributionAttachment | None:
    """One attachment of ``contribution`` (current or from an earlier version), or None."""
    return next((a for a in contribution.attachments if a.id == attachment_id), None)


def _check_reviewable(contribution: Contribution) -> None:
    if contribution.status == ContributionStatus.WITHDRAWN:
        raise CallError(_("Cette contribution a été retirée par son auteur."))
    if contribution.hearing_id is not None:
        raise CallError(
            _(
                "Cette contribution est retenue pour une audition : retirez d'abord l'audition "
                "de l'ordre du jour de la séance."
            )
        )


def mark_eligible(contribution: Contribution, note: str = "") -> None:
    """Mark a contribution eligible (recevable), with an optional note."""
    _check_reviewable(contribution)
    contribution.status = ContributionStatus.ELIGIBLE.value
    contribution.review_note = " ".join((note or "").split())[:500]
    db.session.flush()


def mark_off_topic(contribution: Contribution, reason: str) -> None:
    """Set a contribution aside as off-topic; the reason is required."""
    _check_reviewable(contribution)
    reason = " ".join((reason or "").split())
    if not reason:
        raise CallError(_("Indiquez pourquoi la contribution est hors sujet."), "reason")
    contribution.status = ContributionStatus.OFF_TOPIC.value
    contribution.review_note = reason[:500]
    db.session.flush()


def _hearing_item(meeting: Meeting, call: Call) -> AgendaItem:
    """The session's hearing item, created at the end of the agenda when there is none."""
    from committees.meetings.agenda.services import add_item

    item = next((i for i in meeting.items if i.kind == ItemKind.HEARING), None)
    if item is not None:
        return item
    return add_item(
        meeting,
        title=_("Auditions à la suite de l'appel %(reference)s", reference=call.reference),
        kind=ItemKind.HEARING.value,
        description=call.hearing_offer,
    )


def select_for_hearing(contribution: Contribution) -> Hearing:
    """Select a contribution's authors to be heard: the hearing is added to the hearing
    item of the call's session (created if missing), invited, by videoconference.

    The contact person is not copied onto the agenda (which the public may read): the
    secretariat enters the representatives once the organisation has named them.
    """
    from committees.meetings.agenda.services import add_hearing
    from committees.meetings.scheduling.services import MeetingError

    if contribution.hearing is not None:
        return contribution.hearing
    if contribution.status in (ContributionStatus.WITHDRAWN, ContributionStatus.OFF_TOPIC):
        raise CallError(
            _("Une contribution retirée ou hors sujet ne peut pas être retenue pour une audition.")
        )
    meeting = contribution.call.meeting
    if meeting is None:
        raise CallError(
            _(
                "Cet appel n'est rattaché à aucune séance : choisissez la séance des auditions "
                "dans les paramètres de l'appel avant de retenir des contributeurs."
            )
        )
    try:
        item = _hearing_item(meeting, contribution.call)
        hearing = add_hearing(
            item,
            organisation=contribution.organisation,
            organisation_kind=HEARING_KINDS[ContributorKind(contribution.organisation_kind)].value,
            mode=HearingMode.VIDEOCONFERENCE.value,
            status=HearingStatus.INVITED.value,
        )
    except MeetingError as error:
        raise CallError(str(error)) from error
    # Declared interests are matched against the item's organisations (recusals).
    names = {o.name.casefold() for o in item.organisations}
    if contribution.organisation.casefold() not in names:
        item.organisations.append(ItemOrganisation(name=contribution.organisation[:300]))
    contribution.hearing = hearing
    contribution.status = ContributionStatus.SELECTED.value
    db.session.flush()
    return hearing


# --- publication ----------------------------------------------------------------------


def is_publicly_visible(contribution: Contribution) -> bool:
    """Whether the public may read ``contribution`` (the rule of
    ``publicly_visible_contributions``, for one row)."""
    call = contribution.call
    return (
        is_public(call)
        and call.contributions_publishable
        and contribution.consent_publication
        and contribution.published_at is not None
        and contribution.status != ContributionStatus.WITHDRAWN
    )


def publish_contribution(contribution: Contribution, now: datetime | None = None) -> None:
    """Publish a contribution: only if the call allows it and its authors consented."""
    if not contribution.call.contributions_publishable:
        raise CallError(_("Cet appel ne prévoit pas la publication des contributions."))
    if not contribution.consent_publication:
        raise CallError(_("Les auteurs de cette contribution n'ont pas consenti à sa publication."))
    if contribution.status == ContributionStatus.WITHDRAWN:
        raise CallError(_("Cette contribution a été retirée par son auteur."))
    contribution.published_at = contribution.published_at or now or utcnow()
    db.session.flush()


def unpublish_contribution(contribution: Contribution) -> None:
    """Withdraw a contribution from the public site."""
    contribution.published_at = None
    db.session.flush()


@dataclass(frozen=True)
class PublicAttachment:
    """What the public sees of an attachment."""

    id: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class PublicContribution:
    """What the public sees of a contribution: never the contact person, their function,
    the contributor's account or the secretariat's notes."""

    id: int
    receipt: str
    organisation: str
    organisation_kind: str
    themes: tuple[str, ...]
    text: str
    published_at: datetime
    attachments: tuple[PublicAttachment, ...]


def restrict_to_visible(query: Select) -> Select:
    return query.join(Call, Call.id == Contribution.call_id).where(
        Call.status.in_(PUBLIC_STATUSES),
        Call.contributions_publishable.is_(True),
        Contribution.consent_publication.is_(True),
        Contribution.published_at.is_not(None),
        Contribution.status != ContributionStatus.WITHDRAWN.value,
    )


def _visible_contributions(call: Call) -> Select:
    return (
        restrict_to_visible(select(Contribution))
        .where(Contribution.call_id == call.id)
        .options(selectinload(Contribution.attachments))
        .order_by(Contribution.receipt_number, Contribution.id)
    )


def _public_view(contribution: Contribution) -> PublicContribution:
    return PublicContribution(
        id=contribution.id,
        receipt=contribution.receipt,
        organisation=contribution.organisation,
        organisation_kind=contribution.organisation_kind,
        themes=tuple(contribution.themes or ()),
        text=contribution.text,
        published_at=contribution.published_at,
        attachments=tuple(
            PublicAttachment(a.id, a.filename, a.content_type, a.size)
            for a in contribution.attachments
            if a.current
        ),
    )


def publicly_visible_contributions(call: Call) -> list[PublicContribution]:
    """The published contributions of ``call`` as the public may read them, by receipt
    number, current attachments included; two queries whatever their number."""
    rows = db.session.execute(_visible_contributions(call)).scalars()
    return [_public_view(c) for c in rows]


def publicly_visible_page(call: Call, page: int, per_page: int) -> Pagination:
    """One page of ``publicly_visible_contributions(call)``: same rule, same order, its
    items are ``PublicContribution``; three queries (count, page, attachments)."""
    pagination = db.paginate(
        _visible_contributions(call), page=page, per_page=per_page, error_out=False
    )
    pagination.items = [_public_view(c) for c in pagination.items]
    return pagination


def public_attachment(
    call: Call, contribution_id: int, attachment_id: int
) -> ContributionAttachment | None:
    """A current attachment of a publicly visible contribution of ``call``, or None."""
    return db.session.execute(
        restrict_to_visible(select(ContributionAttachment).join(Contribution)).where(
            Contribution.call_id == call.id,
            Contribution.id == contribution_id,
            ContributionAttachment.id == attachment_id,
            ContributionAttachment.current.is_(True),
        )
    ).scalar_one_or_none()
