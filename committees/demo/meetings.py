"""Demo sessions: the CST Suivi's monthly sessions from June 2021, the CST Culture's session
of 4 May 2022 with the economic operators heard by videoconference, the CSP mixte's first
session in March 2022 and its quarterly sessions since. Agendas, hearings, and the
attendance of one held session (its recusal, vote and minutes: ``held_session``). Dates
and times are illustrative."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from committees.bodies.models import Committee
from committees.bodies.services import committee_by_slug
from committees.common.timeutils import PARIS
from committees.demo.bodies import CSP_MIXTE, CULTURE, SUIVI
from committees.extensions import db
from committees.meetings.conduct.services import (
    eligible_voters,
    expected_mandates,
    record_presence,
    record_vote,
)
from committees.meetings.models import (
    AgendaItem,
    Attendance,
    Hearing,
    HearingMode,
    HearingStatus,
    ItemKind,
    ItemOrganisation,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    OrganisationKind,
    Presence,
)
from committees.meetings.rules import SeriesRule, paris_to_utc
from committees.meetings.scheduling.services import create_meeting, plan_series

PLACE = "ANSM, 143-147 boulevard Anatole France, 93200 Saint-Denis — salle du conseil"
VISIO = "https://visio.ansm.example/cst"


def _has_meetings(committee: Committee) -> bool:
    return bool(
        db.session.execute(
            select(func.count(Meeting.id)).where(Meeting.committee_id == committee.id)
        ).scalar()
    )


def _published(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def _item(
    meeting,
    position,
    title,
    kind,
    *,
    rapporteur="",
    minutes=None,
    public=True,
    organisations=(),
    description="",
) -> AgendaItem:
    item = AgendaItem(
        meeting=meeting,
        position=position,
        title=title,
        kind=kind.value,
        rapporteur=rapporteur,
        duration_minutes=minutes,
        is_public=public,
        description=description,
    )
    item.organisations = [ItemOrganisation(name=name) for name in organisations]
    db.session.add(item)
    return item


def _hearing(item, organisation, kind, representatives, start, end, mode, status, summary=""):
    db.session.add(
        Hearing(
            item=item,
            organisation=organisation,
            organisation_kind=kind.value,
            representatives=representatives,
            slot_start=start,
            slot_end=end,
            mode=mode.value,
            status=status.value,
            summary=summary,
        )
    )


def _seed_suivi(committee: Committee, today: date) -> dict[str, Meeting]:
    meetings = plan_series(
        committee,
        SeriesRule(
            weekday=3,
            nth=-1,  # the last Thursday: the committee was created on 8 June 2021
            start_time=time(14, 0),
            end_time=time(17, 0),
            first_day=date(2021, 6, 1),
            last_day=date(2022, 12, 31),
            except_months=frozenset({8}),
        ),
        title="Séance du {date}",
        format=MeetingFormat.HYBRID.value,
        place=PLACE,
        remote_link=VISIO + "-suivi",
    )
    for meeting in meetings:
        if meeting.starts_at.date() < today:
            meeting.status = MeetingStatus.HELD.value
    by_month = {m.starts_at.strftime("%Y-%m"): m for m in meetings}

    first = by_month["2021-06"]
    first.agenda_published_at = _published(date(2021, 6, 17))
    _item(
        first,
        1,
        "Installation du comité et présentation de ses membres",
        ItemKind.INFORMATION,
        rapporteur="Direction générale",
        minutes=30,
    )
    _item(
        first,
        2,
        "Bilan des premières inclusions depuis le 26 mars 2021",
        ItemKind.DISCUSSION,
        rapporteur="Direction des médicaments en neurologie",
        minutes=60,
    )
    _item(
        first,
        3,
        "Règlement intérieur et déclarations d'intérêts",
        ItemKind.OPINION,
        rapporteur="Secrétariat",
        minutes=30,
    )

    march = by_month["2022-03"]
    march.agenda_published_at = _published(date(2022, 3, 24))
    _item(
        march,
        1,
        "Point sur l'expérimentation : près de 1 500 patients inclus",
        ItemKind.INFORMATION,
        rapporteur="Direction des médicaments en neurologie",
        minutes=30,
    )
    _item(
        march,
        2,
        "Modification des critères d'inclusion en cancérologie",
        ItemKind.OPINION,
        rapporteur="Pr Hélène Garnier",
        minutes=60,
        organisations=("Laboratoire Phytopharma",),
        description="Avis du comité sur l'élargissement des critères d'inclusion pour les "
        "patients atteints de cancer.",
    )
    _item(
        march,
        3,
        "Formation des professionnels de santé participants",
        ItemKind.DISCUSSION,
        rapporteur="Dr Sophie Bertrand",
        minutes=45,
    )
    _item(
        march,
        4,
        "Situation individuelle d'un centre de référence",
        ItemKind.DISCUSSION,
        minutes=20,
        public=False,
    )

    april = by_month["2022-04"]
    april.agenda_published_at = _published(date(2022, 4, 21))
    hearing_item = _item(
        april,
        1,
        "Auditions des associations de patients et des sociétés savantes",
        ItemKind.HEARING,
        rapporteur="Pr Hélène Garnier",
        minutes=120,
        description="Élargissement, à terme, des indications retenues pour les futurs patients.",
    )
    day = april.starts_at.astimezone(PARIS).date()
    slots = [
        (
            "Association française des patients douloureux",
            OrganisationKind.PATIENT_ASSOCIATION,
            "Mme Lucie Perrot, présidente",
            time(14, 0),
            time(14, 30),
        ),
        (
            "Association sclérose en plaques France",
            OrganisationKind.PATIENT_ASSOCIATION,
            "M. Paul Renaud, délégué général",
            time(14, 30),
            time(15, 0),
        ),
        (
            "Société française d'étude et de traitement de la douleur",
            OrganisationKind.LEARNED_SOCIETY,
            "Dr Alice Colin, vice-présidente",
            time(15, 0),
            time(15, 30),
        ),
        (
            "Société française de neurologie",
            OrganisationKind.LEARNED_SOCIETY,
            "Pr Marc Vidal, membre du bureau",
            time(15, 30),
            time(16, 0),
        ),
    ]
    for organisation, kind, people, start, end in slots:
        _hearing(
            hearing_item,
            organisation,
            kind,
            people,
            paris_to_utc(day, start),
            paris_to_utc(day, end),
            HearingMode.ON_SITE,
            HearingStatus.HEARD,
            f"{organisation} a présenté les besoins des patients qu'elle représente et ses "
            "propositions d'indications.",
        )
    return by_month


def _seed_culture(committee: Committee) -> None:
    day = date(2022, 5, 4)
    meeting = create_meeting(
        committee,
        title="Séance du 4 mai 2022 — opérateurs économiques de la filière",
        starts_at=paris_to_utc(day, time(9, 30)),
        ends_at=paris_to_utc(day, time(17, 0)),
        format=MeetingFormat.VIDEOCONFERENCE.value,
        remote_link=VISIO + "-culture",
        status=MeetingStatus.HELD.value,
        agenda_published_at=_published(date(2022, 4, 27)),
    )
    _item(
        meeting,
        1,
        "Introduction : spécifications de la chaîne de production",
        ItemKind.INFORMATION,
        rapporteur="Pr Laurent Chevalier",
        minutes=30,
    )
    _item(
        meeting,
        2,
        "Auditions des opérateurs économiques retenus après l'appel à contributions",
        ItemKind.HEARING,
        rapporteur="Secrétariat",
        minutes=360,
        description="Jusqu'à six contributeurs entendus par visioconférence, choisis parmi les "
        "contributions écrites reçues avant le 20 avril 2022.",
    )


def _seed_csp(committee: Committee, today: date) -> None:
    meetings = plan_series(
        committee,
        SeriesRule(
            weekday=1,
            nth=3,
            start_time=time(10, 0),
            end_time=time(13, 0),
            first_day=date(2022, 3, 1),
            last_day=date(today.year + 1, 12, 31),
            except_months=frozenset({1, 2, 4, 5, 7, 8, 10, 11}),
        ),
        title="Séance du {date}",
        format=MeetingFormat.HYBRID.value,
        place=PLACE,
        remote_link=VISIO + "-csp",
    )
    for meeting in meetings:
        if meeting.starts_at.date() < today:
            meeting.status = MeetingStatus.HELD.value
    first = meetings[0]
    first.title = "Séance d'installation — rapport sur les effets indésirables"
    first.agenda_published_at = _published(date(2022, 3, 8))
    _item(
        first,
        1,
        "Installation du comité scientifique permanent mixte",
        ItemKind.INFORMATION,
        rapporteur="Direction générale",
        minutes=20,
    )
    _item(
        first,
        2,
        "Rapport relatif aux effets indésirables recueillis dans le cadre de l'expérimentation",
        ItemKind.OPINION,
        rapporteur="CRPV de Toulouse",
        minutes=120,
        description="Discussion collégiale pour confirmer le profil de sécurité du cannabis "
        "médical et, si nécessaire, envisager des mesures supplémentaires.",
    )


def _attendance_for(meeting: Meeting) -> None:
    """Everyone present but two (one remote, one excused)."""
    mandates = expected_mandates(meeting)
    presences = {m.id: Presence.PRESENT for m in mandates}
    if len(mandates) > 3:
        presences[mandates[1].id] = Presence.REMOTE
        presences[mandates[2].id] = Presence.EXCUSED
    record_presence(meeting, presences)


def _csp_conduct(committee: Committee) -> None:
    """The CSP mixte's held sessions record their attendance, and its installation session
    the vote on the adverse-effects report, so that its published reports give real
    attendance and quorum figures. Sessions that already have attendance are left alone
    (safe to run again, and it completes a demo database seeded before it existed)."""
    held = db.session.execute(
        select(Meeting)
        .where(
            Meeting.committee_id == committee.id,
            Meeting.status == MeetingStatus.HELD.value,
            ~select(Attendance.id).where(Attendance.meeting_id == Meeting.id).exists(),
        )
        .order_by(Meeting.starts_at)
    ).scalars()
    for meeting in held:
        _attendance_for(meeting)
        for item in meeting.items:
            if item.kind == ItemKind.OPINION and item.vote is None:
                voters = len(eligible_voters(item))
                record_vote(
                    item,
                    opinion="Le comité confirme le profil de sécurité du cannabis médical.",
                    secret=True,
                    counts=(max(voters - 1, 0), 0, min(voters, 1)),
                )


def seed_meetings(today: date) -> Meeting | None:
    """Sessions of the three committees (skipped for committees that already have some); the
    CST Suivi's held session of March 2022 when its sessions are created now, else None."""
    suivi = committee_by_slug(SUIVI)
    culture = committee_by_slug(CULTURE)
    csp = committee_by_slug(CSP_MIXTE)
    held = None
    if suivi is not None and not _has_meetings(suivi):
        by_month = _seed_suivi(suivi, today)
        held = by_month["2022-03"]
        db.session.flush()
        _attendance_for(held)
    if culture is not None and not _has_meetings(culture):
        _seed_culture(culture)
    if csp is not None and not _has_meetings(csp):
        _seed_csp(csp, today)
    db.session.flush()
    if csp is not None:
        _csp_conduct(csp)
        db.session.flush()
    return held
