"""Minutes (compte rendu) of a session: prefilled draft, revisions, sending, adoption,
publication, and the one rule on who sees and edits them.

Functions add to the session and flush; the caller commits (or rolls back on
``MeetingError``). A revision is never changed once written: every save adds one,
naming the revision it started from, so that two people editing at once never
overwrite each other (``StaleRevision``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.auth.permissions import Permission, has_permission
from committees.bodies.labels import MANDATE_ROLE_LABELS
from committees.bodies.models import Mandate, MandateRole
from committees.common.timeutils import paris_today, utcnow
from committees.common.urls import public_url
from committees.extensions import db
from committees.follows import events as follow_events
from committees.mail.services import queue_email
from committees.meetings.labels import (
    HEARING_MODE_LABELS,
    HEARING_STATUS_LABELS,
    ITEM_KIND_LABELS,
    MEETING_FORMAT_LABELS,
    ORGANISATION_KIND_LABELS,
    label_of,
)
from committees.meetings.models import (
    AdoptionMode,
    AgendaItem,
    Ballot,
    BallotChoice,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    MinutesStatus,
    Presence,
    Recusal,
    RecusalStatus,
    Vote,
)
from committees.meetings.queries import is_publicly_visible, member_can_see
from committees.meetings.scheduling.services import (
    MeetingError,
    attendance_by_mandate,
    expected_mandates,
    meeting_day,
    quorum_by_item,
)
from committees.templating import paris_date, paris_datetime

#: statuses in which the text may still change
EDITABLE = frozenset({MinutesStatus.DRAFT, MinutesStatus.SENT})

#: statuses in which the committee's members see the text
SHOWN_TO_MEMBERS = frozenset({MinutesStatus.SENT, MinutesStatus.ADOPTED, MinutesStatus.PUBLISHED})


class MinutesError(MeetingError):
    """A rule about minutes was broken; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class StaleRevision(MinutesError):  # noqa: N818 - a situation, not a failure
    """The text was saved by someone else since the person started editing."""

    def __init__(self, latest: MinutesRevision):
        super().__init__(
            _(
                "Le compte rendu a été modifié entre-temps (version %(number)s).",
                number=latest.number,
            ),
            field="body",
        )
        self.latest = latest


# --- who sees and edits ---------------------------------------------------------------


def is_secretariat(user: Any) -> bool:
    """The secretariat (and admins) see and edit every minutes."""
    return has_permission(user, Permission.MANAGE_COMMITTEES)


def can_view_minutes(minutes: Minutes | None, user: Any) -> bool:
    """The one rule on who reads minutes.

    The public (anyone, ``user`` None or anonymous included) reads only published minutes of
    a public session of a published committee; the members of the committee (a mandate
    covering the session's day) read them once sent for comments; the secretariat reads
    them at every step.
    """
    if minutes is None:
        return False
    if is_secretariat(user):
        return True
    meeting = minutes.meeting
    if minutes.status == MinutesStatus.PUBLISHED and is_publicly_visible(meeting):
        return True
    return (
        minutes.status in SHOWN_TO_MEMBERS
        and has_permission(user, Permission.MEMBER_AREA)
        and member_can_see(meeting, user)
    )


def can_edit_minutes(user: Any, minutes: Minutes | None = None) -> bool:
    """Only the secretariat edits, and nobody once the minutes are adopted."""
    if not is_secretariat(user):
        return False
    return minutes is None or minutes.status in EDITABLE


def can_view_publicly(minutes: Minutes | None) -> bool:
    """What the public pages show: ``can_view_minutes`` for a visitor who is not signed in."""
    return can_view_minutes(minutes, None)


# --- reading --------------------------------------------------------------------------


def latest_revision(minutes: Minutes) -> MinutesRevision:
    """The current text of the minutes (the highest revision number)."""
    return db.session.execute(
        select(MinutesRevision)
        .where(MinutesRevision.minutes_id == minutes.id)
        .order_by(MinutesRevision.number.desc())
        .limit(1)
        .options(selectinload(MinutesRevision.author))
    ).scalar_one()


def revision_history(minutes: Minutes) -> list[MinutesRevision]:
    """Every revision, newest first, with its author (two queries)."""
    return list(
        db.session.execute(
            select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .order_by(MinutesRevision.number.desc())
            .options(selectinload(MinutesRevision.author))
        ).scalars()
    )


def get_revision(minutes: Minutes, number: int) -> MinutesRevision | None:
    """One revision of the minutes by its number, or None."""
    return db.session.execute(
        select(MinutesRevision).where(
            MinutesRevision.minutes_id == minutes.id, MinutesRevision.number == number
        )
    ).scalar_one_or_none()


def adopting_meeting_choices(meeting: Meeting) -> list[tuple[int, str]]:
    """(id, label) of the later sessions of the committee that may adopt the minutes."""
    rows = db.session.execute(
        select(Meeting)
        .where(
            Meeting.committee_id == meeting.committee_id,
            Meeting.starts_at > meeting.starts_at,
            Meeting.status.not_in([MeetingStatus.CANCELLED, MeetingStatus.POSTPONED]),
        )
        .order_by(Meeting.starts_at)
    ).scalars()
    return [
        (m.id, _("Séance n°%(number)s du %(day)s", number=m.number, day=paris_date(m.starts_at)))
        for m in rows
    ]


# --- writing --------------------------------------------------------------------------


def _add_revision(minutes: Minutes, number: int, body: str, author: User | None, note: str):
    revision = MinutesRevision(
        minutes=minutes,
        number=number,
        body=body,
        author=author,
        note=note.strip()[:300],
        created_at=utcnow(),
    )
    db.session.add(revision)
    return revision


def start_minutes(meeting: Meeting, author: User | None) -> Minutes:
    """Open the minutes of a held session: a draft whose first revision is prefilled
    from the attendance, quorum, recusals, hearings and votes."""
    if meeting.minutes is not None:
        raise MinutesError(_("Le compte rendu de cette séance est déjà commencé."))
    if meeting.is_cancelled:
        raise MinutesError(_("Une séance annulée ou reportée n'a pas de compte rendu."))
    if meeting.starts_at > utcnow():
        raise MinutesError(_("La séance n'a pas encore eu lieu."))
    minutes = Minutes(meeting=meeting, status=MinutesStatus.DRAFT.value)
    db.session.add(minutes)
    _add_revision(minutes, 1, prefill(meeting), author, _("Texte prérempli depuis la séance"))
    db.session.flush()
    return minutes


def save_revision(
    minutes: Minutes, body: str, base_number: int, author: User | None, note: str = ""
) -> MinutesRevision:
    """Save a new version of the text, started from revision ``base_number``.

    If someone saved since (``base_number`` is not the latest), nothing is written and
    ``StaleRevision`` carries the latest revision, to be shown beside the person's text.
    """
    if minutes.status not in EDITABLE:
        raise MinutesError(_("Le compte rendu est adopté : il ne peut plus être modifié."))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise MinutesError(_("Le texte du compte rendu ne peut pas être vide."), field="body")
    latest = latest_revision(minutes)
    if base_number != latest.number:
        raise StaleRevision(latest)
    revision = _add_revision(minutes, latest.number + 1, body, author, note or "")
    # Two saves racing past the check above collide on the unique (minutes, number)
    # constraint here: the later one fails instead of overwriting.
    db.session.flush()
    return revision


def _recipients(meeting: Meeting) -> list[tuple[str, str, str | None]]:
    """(address, name, locale) of each expected participant who has an address."""
    result, seen = [], set()
    for mandate in expected_mandates(meeting):
        person = mandate.person
        user = person.user
        address = person.email or (user.email if user is not None else None)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            result.append((address, person.display_name, user.locale if user else None))
    return result


def member_link(meeting: Meeting) -> str:
    """The absolute address of the minutes in the member area.

    Built on PUBLIC_BASE_URL, not on the secretariat's request, so that members reach it,
    and without a request at all (CLI, demo data, tests).
    """
    return public_url("minutes.member_view", meeting_id=meeting.id)


def send_for_comments(minutes: Minutes) -> int:
    """Send the draft to the members for comments: one e-mail per expected participant
    with an address; returns how many were queued. May be sent again after changes."""
    if minutes.status not in EDITABLE:
        raise MinutesError(_("Le compte rendu est adopté : il n'est plus soumis aux observations."))
    meeting = minutes.meeting
    recipients = _recipients(meeting)
    if not recipients:
        raise MinutesError(_("Aucun participant attendu n'a d'adresse électronique."))
    link = member_link(meeting)
    for address, name, locale in recipients:
        queue_email(
            address,
            _l("Projet de compte rendu de la séance du %(day)s", day=_day_text(meeting)),
            "meetings/minutes_sent",
            locale=locale,
            kind="minutes_sent",
            name=name,
            meeting=meeting,
            link=link,
        )
    minutes.status = MinutesStatus.SENT.value
    minutes.sent_at = utcnow()
    # Each sending (a revised draft) gives the participants a full period again.
    minutes.comments_until = minutes.sent_at + timedelta(
        days=current_app.config.get("MINUTES_COMMENT_DAYS", 15)
    )
    db.session.flush()
    return len(recipients)


def _day_text(meeting: Meeting) -> str:
    return meeting_day(meeting).strftime("%d/%m/%Y")


def adopt(
    minutes: Minutes,
    on: date,
    mode: AdoptionMode | str,
    at_meeting: Meeting | None = None,
) -> None:
    """Record the adoption of minutes sent for comments, at a later session of the
    committee (on that session's day) or in writing; the session becomes « minutes
    adopted ». The text cannot change afterwards."""
    if minutes.status != MinutesStatus.SENT:
        raise MinutesError(
            _("Seul un compte rendu envoyé aux membres pour observations peut être adopté.")
        )
    mode = AdoptionMode(mode)
    meeting = minutes.meeting
    if on is None:
        raise MinutesError(_("Indiquez la date d'adoption."), field="adopted_on")
    if on < meeting_day(meeting):
        raise MinutesError(
            _("Le compte rendu ne peut pas être adopté avant la séance."), field="adopted_on"
        )
    if on > paris_today():
        raise MinutesError(_("La date d'adoption ne peut pas être future."), field="adopted_on")
    if mode == AdoptionMode.SESSION:
        _check_adopting_meeting(meeting, at_meeting, on)
    elif at_meeting is not None:
        raise MinutesError(
            _("Une adoption par écrit ne se rattache à aucune séance."), field="at_meeting_id"
        )
    minutes.status = MinutesStatus.ADOPTED.value
    minutes.adopted_on = on
    minutes.adoption_mode = mode.value
    minutes.adopted_at_meeting = at_meeting
    # Set directly rather than through update_meeting: calendars need no new SEQUENCE for it.
    meeting.status = MeetingStatus.MINUTES_ADOPTED.value
    db.session.flush()


def _check_adopting_meeting(meeting: Meeting, at_meeting: Meeting | None, on: date) -> None:
    if at_meeting is None:
        raise MinutesError(
            _("Choisissez la séance qui a adopté le compte rendu."), field="at_meeting_id"
        )
    if (
        at_meeting.committee_id != meeting.committee_id
        or at_meeting.starts_at <= meeting.starts_at
        or at_meeting.is_cancelled
    ):
        raise MinutesError(
            _("Le compte rendu est adopté à une séance ultérieure du même comité."),
            field="at_meeting_id",
        )
    if meeting_day(at_meeting) != on:
        raise MinutesError(
            _(
                "La date d'adoption doit être celle de la séance qui l'adopte (%(day)s).",
                day=_day_text(at_meeting),
            ),
            field="adopted_on",
        )


def publish(minutes: Minutes) -> None:
    """Publish adopted minutes: the public then reads them, as a page and as a PDF."""
    if minutes.status != MinutesStatus.ADOPTED:
        raise MinutesError(_("Seul un compte rendu adopté peut être publié."))
    minutes.status = MinutesStatus.PUBLISHED.value
    minutes.published_at = utcnow()
    db.session.flush()
    if is_publicly_visible(minutes.meeting):
        follow_events.minutes_published(minutes)


# --- prefill --------------------------------------------------------------------------


def prefill(meeting: Meeting) -> str:
    """The first draft of the minutes in Markdown, in French whatever the page's language:
    heading, attendance, then per item its quorum, recusals, hearings and vote."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        items = _items_with_details(meeting)
        mandates = expected_mandates(meeting)
        lines = _heading(meeting)
        lines += _attendance(meeting, mandates)
        lines += _agenda(meeting, items, {m.id: m for m in mandates})
    return "\n".join(lines).strip() + "\n"


def _items_with_details(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.execute(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
            .options(
                selectinload(AgendaItem.hearings),
                selectinload(AgendaItem.recusals)
                .selectinload(Recusal.mandate)
                .selectinload(Mandate.person),
                selectinload(AgendaItem.vote)
                .selectinload(Vote.ballots)
                .selectinload(Ballot.mandate)
                .selectinload(Mandate.person),
            )
        ).scalars()
    )


def _heading(meeting: Meeting) -> list[str]:
    committee = meeting.committee
    name = f"{committee.name_fr} ({committee.acronym})" if committee.acronym else committee.name_fr
    when = _(
        "%(start)s – %(end)s",
        start=paris_datetime(meeting.starts_at, "long"),
        end=paris_datetime(meeting.ends_at, "HH:mm"),
    )
    # No title line: every page and the PDF head the text with their own title.
    lines = [
        f"**{_('Comité')} :** {name}  ",
        f"**{_('Séance')} :** {meeting.title}  ",
        f"**{_('Date')} :** {when}  ",
        f"**{_('Format')} :** {label_of(MEETING_FORMAT_LABELS, meeting.format)}",
    ]
    if meeting.place:
        lines[-1] += "  "
        lines.append(f"**{_('Lieu')} :** {meeting.place}")
    return [*lines, ""]


def _names(mandates) -> str:
    """Names in the order of the attendance lists (family name, then given name)."""
    ordered = sorted(mandates, key=lambda m: (m.person.last_name, m.person.first_name))
    return ", ".join(m.person.display_name for m in ordered)


def _who(mandate: Mandate) -> str:
    return f"{mandate.person.display_name} ({label_of(MANDATE_ROLE_LABELS, mandate.role)})"


def _attendance(meeting: Meeting, mandates: list[Mandate]) -> list[str]:
    rows = attendance_by_mandate(meeting)
    groups: dict[str | None, list[str]] = defaultdict(list)
    experts: list[str] = []
    for mandate in mandates:
        row = rows.get(mandate.id)
        presence = row.presence if row is not None else None
        if mandate.role == MandateRole.INVITED_EXPERT:
            state = _PRESENCE_TEXT.get(presence, _l("présence non renseignée"))
            experts.append(f"- {mandate.person.display_name} — {state}")
        else:
            groups[presence].append(f"- {_who(mandate)}")
    lines = ["## " + _("Participants"), ""]
    for presence, title in _PRESENCE_GROUPS:
        lines += [f"### {title}", "", *(groups.get(presence) or ["- " + _("aucun")]), ""]
    if groups.get(None):
        lines += ["### " + _("Présence non renseignée"), "", *groups[None], ""]
    if experts:
        lines += ["### " + _("Experts invités (sans voix délibérative)"), "", *experts, ""]
    return lines


_PRESENCE_GROUPS = (
    (Presence.PRESENT.value, _l("Membres présents")),
    (Presence.REMOTE.value, _l("Membres présents à distance")),
    (Presence.EXCUSED.value, _l("Membres excusés")),
    (Presence.ABSENT.value, _l("Membres absents")),
)

_PRESENCE_TEXT = {
    Presence.PRESENT.value: _l("présent·e"),
    Presence.REMOTE.value: _l("présent·e à distance"),
    Presence.EXCUSED.value: _l("excusé·e"),
    Presence.ABSENT.value: _l("absent·e"),
}


def _agenda(meeting: Meeting, items: list[AgendaItem], mandates: dict[int, Mandate]) -> list[str]:
    if not items:
        return ["## " + _("Ordre du jour"), "", _("Aucun point à l'ordre du jour."), ""]
    quorum = quorum_by_item(meeting)
    lines = ["## " + _("Ordre du jour"), ""]
    for item in items:
        lines += _item(item, quorum.get(item.id))
    return lines


def _item(item: AgendaItem, quorum) -> list[str]:
    lines = [f"### {item.position}. {item.title}", ""]
    facts = [label_of(ITEM_KIND_LABELS, item.kind)]
    if item.rapporteur:
        facts.append(_("rapporteur : %(name)s", name=item.rapporteur))
    if not item.is_public:
        facts.append(_("point non public"))
    lines += [f"*{' — '.join(str(f) for f in facts)}*", ""]
    if quorum is not None:
        lines += [_quorum_text(quorum), ""]
    recused = _names(r.mandate for r in item.recusals if r.status == RecusalStatus.CONFIRMED)
    if recused:
        lines += [
            _("Déport (ne prend part ni au débat ni au vote) : %(names)s.", names=recused),
            "",
        ]
    lines += _hearings(item)
    if item.kind == ItemKind.OPINION:
        lines += _vote(item.vote)
    lines += ["**" + _("Débat") + " :** " + _("[à compléter]"), ""]
    return lines


def _quorum_text(quorum) -> str:
    state = _("quorum atteint") if quorum.reached else _("quorum NON atteint")
    return _(
        "Quorum : %(present)s membres votants présents sur %(voting)s (%(required)s requis) — "
        "%(state)s.",
        present=quorum.present,
        voting=quorum.voting_members,
        required=quorum.required,
        state=state,
    )


def _hearings(item: AgendaItem) -> list[str]:
    if not item.hearings:
        return []
    lines = ["**" + _("Auditions") + " :**", ""]
    for hearing in item.hearings:
        lines.append(
            f"- **{hearing.organisation}** "
            f"({label_of(ORGANISATION_KIND_LABELS, hearing.organisation_kind)}, "
            f"{str(label_of(HEARING_MODE_LABELS, hearing.mode)).lower()}, "
            f"{str(label_of(HEARING_STATUS_LABELS, hearing.status)).lower()})"
        )
        representatives = [r.strip() for r in hearing.representatives.splitlines() if r.strip()]
        if representatives:
            lines.append("  - " + _("Représentants : %(names)s", names=", ".join(representatives)))
        if hearing.summary.strip():
            lines.append("  - " + _("Synthèse : %(text)s", text=" ".join(hearing.summary.split())))
    return [*lines, ""]


def _vote(vote: Vote | None) -> list[str]:
    title = "**" + _("Vote") + " :** "
    if vote is None:
        return [title + _("aucun vote enregistré."), ""]
    lines = [
        title
        + _(
            "pour : %(for)s, contre : %(against)s, abstentions : %(abstain)s.",
            **{"for": vote.votes_for, "against": vote.votes_against, "abstain": vote.abstentions},
        ),
        "",
    ]
    if vote.secret:
        lines += [_("Vote à bulletin secret : seuls les décomptes sont consignés."), ""]
    else:
        by_choice: dict[str, list[Mandate]] = defaultdict(list)
        for ballot in vote.ballots:
            by_choice[ballot.choice].append(ballot.mandate)
        for choice, label in _CHOICE_TEXT:
            if by_choice.get(choice):
                lines.append(f"- {label} : {_names(by_choice[choice])}")
        lines.append("")
    verdict = _("Avis adopté.") if vote.adopted else _("Avis non adopté.")
    lines += [f"**{verdict}**", ""]
    if vote.opinion:
        lines += [*(f"> {line}" if line else ">" for line in vote.opinion.splitlines()), ""]
    return lines


_CHOICE_TEXT = (
    (BallotChoice.FOR.value, _l("Pour")),
    (BallotChoice.AGAINST.value, _l("Contre")),
    (BallotChoice.ABSTAIN.value, _l("Abstention")),
)
