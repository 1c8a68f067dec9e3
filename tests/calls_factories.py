"""Builders for the secretariat's call tests: a committee, its session, a call, contributions.

Contributions go through the contributors' own service (``submit_contribution``), so the
rows are exactly what a real submission writes.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time

from committees.bodies.models import Committee, CommitteeKind
from committees.bodies.services import create_committee
from committees.calls.models import Call, Contribution
from committees.calls.services import create_call, publish_call
from committees.calls.submission import ContributionData, Upload, submit_contribution
from committees.extensions import db
from committees.meetings.models import ItemKind, Meeting, MeetingFormat
from committees.meetings.rules import paris_to_utc
from committees.meetings.services import create_meeting

THEMES = ["Culture et production de la plante", "Contrôle qualité et traçabilité"]
OPENS = paris_to_utc(date(2022, 3, 15), time(9, 0))
CLOSES = paris_to_utc(date(2022, 4, 20), time(23, 59))
#: the server's clock during the tests' submissions: inside the call's window
DURING = datetime(2022, 4, 1, 10, 0, tzinfo=UTC)


def pdf(label: str) -> bytes:
    """A small file that is a PDF by its content, different for each label."""
    return b"%PDF-1.4\n% " + label.encode() + b"\n%%EOF\n"


def make_committee(name: str = "Culture en France du cannabis à usage médical") -> Committee:
    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr=name,
        acronym=name[:20],
        start_date=date(2021, 8, 2),
        end_date=date(2022, 12, 31),
    )
    db.session.commit()
    return committee


def make_meeting(committee: Committee, *, hearing_item: bool = True) -> Meeting:
    """The session of 4 May 2022, with (or without) a hearing item on its agenda."""
    from committees.meetings.agenda import add_item

    meeting = create_meeting(
        committee,
        title="Séance du 4 mai 2022",
        starts_at=paris_to_utc(date(2022, 5, 4), time(9, 30)),
        ends_at=paris_to_utc(date(2022, 5, 4), time(17, 0)),
        format=MeetingFormat.VIDEOCONFERENCE.value,
    )
    add_item(meeting, title="Introduction", kind=ItemKind.INFORMATION.value)
    if hearing_item:
        add_item(meeting, title="Auditions des opérateurs", kind=ItemKind.HEARING.value)
    db.session.commit()
    return meeting


def make_call(
    committee: Committee, meeting: Meeting | None = None, *, publish: bool = True, **fields
) -> Call:
    values = {
        "committee": committee,
        "meeting": meeting,
        "reference": "AMI-2022",
        "title": "Appel aux acteurs de la future filière",
        "body": "Contributions **écrites**.",
        "audience": "economic_operators",
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "themes": "\n".join(THEMES),
        "hearing_offer": "Jusqu'à 6 contributeurs entendus par visioconférence",
    }
    values.update(fields)
    call = create_call(**values)
    if publish:
        publish_call(call, now=OPENS)
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
    **fields,
) -> Contribution:
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
    uploads = [Upload(name, data) for name, data in (files or [])]
    return submit_contribution(
        call, contributor, data, uploads, secrets.token_urlsafe(16), now=DURING
    )
