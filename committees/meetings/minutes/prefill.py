"""The first draft of the minutes, prefilled from the session, section by section: the
opening (committee, session, date), the attendance, then per agenda item its quorum,
recusals, hearings and vote, in Markdown; a closed item's publishable outcome is prefilled
with its vote's verdict and counts.

The secretariat then edits each section; the headings of the items are not in the text but
made from the items when the minutes are read (``sections.full_text``, ``public_text``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.bodies.labels import role_label
from committees.bodies.models import Mandate, MandateRole
from committees.extensions import db
from committees.meetings.conduct.services import (
    attendance_by_mandate,
    expected_mandates,
    quorum_by_item,
)
from committees.meetings.labels import (
    HEARING_MODE_LABELS,
    HEARING_STATUS_LABELS,
    ITEM_KIND_LABELS,
    MEETING_FORMAT_LABELS,
    ORGANISATION_KIND_LABELS,
    label_of,
    quorum_counts,
)
from committees.meetings.minutes.public_text import outcome_text
from committees.meetings.models import (
    AgendaItem,
    Ballot,
    BallotChoice,
    ItemKind,
    Meeting,
    Presence,
    Recusal,
    RecusalStatus,
    SectionKind,
    Vote,
)
from committees.templating import paris_datetime


@dataclass
class PrefilledSection:
    """One section of the first draft."""

    kind: str
    item: AgendaItem | None
    body: str
    public_outcome: str = ""


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip() + "\n"


def prefill(meeting: Meeting) -> list[PrefilledSection]:
    """The sections of the first draft, in French whatever the page's language: opening,
    attendance, then per item its quorum, recusals, hearings and vote; an empty closing."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        items = _items_with_details(meeting)
        mandates = expected_mandates(meeting)
        sections = [
            PrefilledSection(SectionKind.OPENING.value, None, _text(_heading(meeting))),
            PrefilledSection(
                SectionKind.ATTENDANCE.value, None, _text(_attendance(meeting, mandates))
            ),
        ]
        quorum = quorum_by_item(meeting) if items else {}
        for item in items:
            outcome = "" if item.is_public else outcome_text(item)
            body = _text(_item(item, quorum.get(item.id)))
            sections.append(PrefilledSection(SectionKind.ITEM.value, item, body, outcome))
        sections.append(PrefilledSection(SectionKind.CLOSING.value, None, ""))
    return sections


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
    return f"{mandate.person.display_name} ({role_label(mandate.role, mandate.person.civility)})"


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
    lines: list[str] = []
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


def _item(item: AgendaItem, quorum) -> list[str]:
    lines: list[str] = []
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
    counts = quorum_counts(quorum.present, quorum.voting_members, quorum.required)
    return _("Quorum : %(counts)s — %(state)s.", counts=counts, state=state)


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
