"""The secretariat's screens of a session's conduct, under /secretariat/meetings/<id>:
convocations, attendance and quorum, conflicts of interest, votes.

Participants answer their convocation elsewhere: from its link (``public_views``) or from
their dashboard (``member_views``).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from committees.auth.models import User
from committees.auth.permissions import Permission, require
from committees.common.views import form_status, one_or_404, refuse
from committees.extensions import db
from committees.meetings.conduct.answers import participants
from committees.meetings.conduct.convocations import convene, convocation_deliveries
from committees.meetings.conduct.forms import (
    BALLOT_PREFIX,
    PRESENCE_PREFIX,
    ConveneForm,
    RecusalsForm,
    extra_ids,
    presence_form,
    recusals_form,
    vote_form,
)
from committees.meetings.conduct.recusals import FlagDecision, record_decisions
from committees.meetings.conduct.services import (
    conflict_flags,
    eligible_voters,
    missing_declarations,
    quorum_by_item,
    record_presence,
    record_vote,
)
from committees.meetings.labels import TEMPLATE_LABELS
from committees.meetings.models import (
    AgendaItem,
    BallotChoice,
    ItemKind,
    Meeting,
    Presence,
    RecusalStatus,
    Vote,
)
from committees.meetings.queries import item_of, meeting_with_committee
from committees.meetings.scheduling.services import MeetingError

bp = Blueprint("meeting_conduct", __name__)


@bp.context_processor
def _labels() -> dict:
    # Only this blueprint's pages: "labels" is too common a name to give every template.
    return {"labels": TEMPLATE_LABELS}


# --- convocations ---------------------------------------------------------------------


@bp.route("/secretariat/meetings/<id:meeting_id>/convocations", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def convocations(meeting_id: int):
    meeting = one_or_404(meeting_with_committee(meeting_id))
    form = ConveneForm()
    if form.validate_on_submit():
        try:
            report = convene(meeting)
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d convocation a été placée dans la boîte d'envoi.",
                    "%(num)d convocations ont été placées dans la boîte d'envoi.",
                    report.sent,
                ),
                "success",
            )
            if report.without_email:
                names = ", ".join(
                    f"{p.person.first_name} {p.person.last_name}" for p in report.without_email
                )
                flash(
                    _("Sans adresse e-mail, non convoqué·es : %(names)s.", names=names), "warning"
                )
            return redirect(url_for(".convocations", meeting_id=meeting.id))
    people = participants(meeting)
    return render_template(
        "meetings/convocations/convocations.html",
        meeting=meeting,
        participants=people,
        deliveries=convocation_deliveries(people),
        form=form,
    ), form_status(form)


# --- attendance and quorum ------------------------------------------------------------


@bp.route("/secretariat/meetings/<id:meeting_id>/attendance", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def attendance(meeting_id: int):
    meeting = one_or_404(meeting_with_committee(meeting_id))
    people = participants(meeting)
    current = {p.mandate.id: p.attendance.presence for p in people if p.attendance}
    form = presence_form([p.mandate for p in people], current)
    if form.validate_on_submit():
        presences = {
            int(field.name.removeprefix(PRESENCE_PREFIX)): Presence(field.data)
            if field.data
            else None
            for field in form.presence_fields()
        }
        # Ids the page did not offer go to the service, which refuses them by name.
        presences.update(dict.fromkeys(extra_ids(request.form, PRESENCE_PREFIX, presences)))
        try:
            record_presence(meeting, presences)
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(_("Les présences ont été enregistrées."), "success")
            return redirect(url_for(".attendance", meeting_id=meeting.id))
    return render_template(
        "meetings/convocations/attendance.html",
        meeting=meeting,
        rows=[(p, form[f"{PRESENCE_PREFIX}{p.mandate.id}"]) for p in people],
        form=form,
        quorum=quorum_by_item(meeting),
    ), form_status(form)


# --- conflicts of interest ------------------------------------------------------------


#: where the page returns after the conflicts form is posted
RECUSALS_ANCHOR = "decisions"


def _flag_rows(meeting: Meeting, flags) -> list:
    """(item id, flag, item label) of every flag, in agenda order, for ``recusals_form``."""
    return [
        (item.id, flag, _("point %(number)s", number=item.position))
        for item in meeting.items
        for flag in flags.get(item.id, [])
    ]


def _conflicts_page(meeting: Meeting, flags, form: RecusalsForm):
    _load_deciders(flags)
    return render_template(
        "meetings/convocations/conflicts.html",
        meeting=meeting,
        items=meeting.items,
        flags=flags,
        form=form,
        missing=missing_declarations(meeting),
        anchor=RECUSALS_ANCHOR,
    ), form_status(form)


def _load_deciders(flags) -> None:
    """Load who decided each flag in one query (the identity map then serves them)."""
    ids = {
        f.decision.decided_by_id
        for item_flags in flags.values()
        for f in item_flags
        if f.decision is not None and f.decision.decided_by_id is not None
    }
    if ids:
        db.session.execute(select(User).where(User.id.in_(ids))).scalars().all()


@bp.get("/secretariat/meetings/<id:meeting_id>/conflicts")
@require(Permission.MANAGE_COMMITTEES)
def conflicts(meeting_id: int):
    meeting = one_or_404(meeting_with_committee(meeting_id))
    flags = conflict_flags(meeting)
    return _conflicts_page(meeting, flags, recusals_form(_flag_rows(meeting, flags)))


@bp.post("/secretariat/meetings/<id:meeting_id>/conflicts/decisions")
@require(Permission.MANAGE_COMMITTEES)
def decide(meeting_id: int):
    meeting = one_or_404(meeting_with_committee(meeting_id))
    flags = conflict_flags(meeting)
    form = recusals_form(_flag_rows(meeting, flags))
    if form.validate_on_submit():
        rows = [
            FlagDecision(item_id, mandate_id, RecusalStatus(d.data) if d.data else None, r.data)
            for item_id, mandate_id in form.rows()
            for d, r in [form.pair(item_id, mandate_id)]
        ]
        try:
            changed = record_decisions(meeting, rows, current_user)
        except MeetingError as error:
            refuse(form, error)
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d décision enregistrée.", "%(num)d décisions enregistrées.", len(changed)
                ),
                "success",
            )
            return redirect(url_for(".conflicts", meeting_id=meeting.id, _anchor=RECUSALS_ANCHOR))
    return _conflicts_page(meeting, conflict_flags(meeting), form)


# --- votes ----------------------------------------------------------------------------


def _choice(value: str) -> BallotChoice:
    """A ballot value as posted; garbage counts as an abstention (the ballot is refused anyway)."""
    try:
        return BallotChoice(value)
    except ValueError:
        return BallotChoice.ABSTAIN


def _vote_of(item: AgendaItem) -> Vote | None:
    return db.session.execute(
        select(Vote).where(Vote.item_id == item.id).options(selectinload(Vote.ballots))
    ).scalar_one_or_none()


@bp.route("/secretariat/meetings/<id:meeting_id>/items/<id:item_id>/vote", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMITTEES)
def vote(meeting_id: int, item_id: int):
    meeting = one_or_404(meeting_with_committee(meeting_id))
    item = one_or_404(item_of(meeting.id, item_id))
    if item.kind != ItemKind.OPINION:
        abort(404)
    voters = eligible_voters(item)
    existing = _vote_of(item)
    form = vote_form(voters, existing)
    if form.validate_on_submit():
        ballots = {
            int(field.name.removeprefix(BALLOT_PREFIX)): field.data
            for field in form.ballot_fields()
            if field.data
        }
        # A ballot the page did not offer (recused, expert, absent, unknown) reaches the
        # service, which refuses the whole vote.
        for stranger in extra_ids(request.form, BALLOT_PREFIX, [m.id for m in voters]):
            ballots[stranger] = _choice(request.form[f"{BALLOT_PREFIX}{stranger}"])
        try:
            record_vote(
                item,
                opinion=form.opinion.data,
                secret=form.secret.data,
                counts=form.counts() if form.secret.data else None,
                ballots=None if form.secret.data else ballots,
            )
        except MeetingError as error:
            refuse(form, error, form.votes_for if form.secret.data else None)
        else:
            db.session.commit()
            flash(
                _("Le vote sur le point %(number)s a été enregistré.", number=item.position),
                "success",
            )
            return redirect(url_for(".vote", meeting_id=meeting.id, item_id=item.id))
    return render_template(
        "meetings/convocations/vote.html",
        meeting=meeting,
        item=item,
        voters=voters,
        form=form,
        vote=existing,
        quorum=quorum_by_item(meeting).get(item.id),
        names={m.id: f"{m.person.first_name} {m.person.last_name}" for m in voters},
    ), form_status(form)
