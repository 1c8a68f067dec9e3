"""Ten years of activity, inserted with Core bulk inserts: the data of bench/scale.py.

``build(sizes, scale)`` fills empty tables with ``scale`` times the activity of ``sizes``
(committees, persons, decisions, calls and their contributions multiply; each committee
keeps its ten years of sessions), and returns the ``Landmarks`` the pages are asked about:
the same objects (committee 1, its sessions, its first call...) at every scale, so that a
page's work differs only by the data around it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

#: the password of every account the benchmark builds
PASSWORD = "banc d'essai 2026"  # noqa: S105 - a benchmark's throw-away accounts
SECRETARIAT_EMAIL = "secretariat@bench.example"
MEMBER_EMAIL = "membre@bench.example"

_ITEM_KINDS = ("information", "discussion", "opinion", "hearing")
_DECISION_KINDS = ("creation", "nomination", "extension", "end_of_mandates", "other")
_CONTRIBUTOR_KINDS = ("patient_association", "learned_society", "economic_operator", "other")
_CONTRIBUTION_STATUSES = ("submitted", "eligible", "off_topic", "selected")


@dataclass(frozen=True)
class Sizes:
    """The activity at 1x (the issue's figures by default)."""

    committees: int = 8
    sessions: int = 120  # per committee: monthly, ten years
    items: int = 8  # per session
    attendees: int = 12  # convened mandates per session
    mandates: int = 40  # per committee, each a person with a declaration of interests
    decisions: int = 300
    calls: int = 30
    contributions: int = 200  # per call
    contributors: int = 200  # accounts writing them


@dataclass
class Landmarks:
    """What the pages are asked about, identical at every scale."""

    slug: str
    past_meeting_id: int  # held, minutes published
    future_meeting_id: int  # planned: the edit page
    decision_number: str
    decision_year: int
    call_id: int  # open, ``Sizes.contributions`` contributions
    member_user_id: int
    secretariat_email: str = SECRETARIAT_EMAIL
    member_email: str = MEMBER_EMAIL
    password: str = PASSWORD


def _month(first: date, offset: int) -> date:
    index = first.year * 12 + first.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def _stamp(row: dict, at: datetime) -> dict:
    row.setdefault("created_at", at)
    row.setdefault("updated_at", at)
    return row


class _Builder:
    def __init__(self, sizes: Sizes, scale: int, now: datetime):
        from werkzeug.security import generate_password_hash

        self.s, self.scale, self.now = sizes, scale, now
        self.committees = sizes.committees * scale
        self.this_month = now.date().replace(day=1)
        # Cheap hashing: the benchmark signs in, it does not measure scrypt.
        self.hash = generate_password_hash(PASSWORD, "scrypt:1024:8:1")
        self.rows: dict[str, list[dict]] = {}

    def add(self, table: str, row: dict) -> int:
        rows = self.rows.setdefault(table, [])
        row["id"] = len(rows) + 1
        rows.append(row)
        return row["id"]

    # --- accounts, committees, people ---

    def users(self) -> None:
        for email, name, role in (
            (SECRETARIAT_EMAIL, "Secrétariat du banc", "secretariat"),
            (MEMBER_EMAIL, "Dr Claire Banc", "member"),
        ):
            self.add("users", self._user(email, name, role))
        self.contributors = [
            self.add("users", self._user(f"c{n}@bench.example", f"Contrib {n}", "contributor"))
            for n in range(1, self.s.contributors + 1)
        ]

    def _user(self, email: str, name: str, role: str) -> dict:
        return _stamp(
            {
                "email": email,
                "full_name": name,
                "password_hash": self.hash,
                "role": role,
                "is_enabled": True,
                "email_confirmed_at": self.now - timedelta(days=800),
                "session_token": uuid.uuid4().hex,
            },
            self.now,
        )

    def bodies(self) -> None:
        start = _month(self.this_month, -120)
        for c in range(1, self.committees + 1):
            self.add(
                "committees",
                _stamp(
                    {
                        "kind": "permanent" if c % 3 else "temporary",
                        "name_fr": f"Comité scientifique n°{c} sur le cannabis médical",
                        "name_en": f"Scientific committee no. {c} on medical cannabis",
                        "acronym": f"CS{c}",
                        "slug": f"comite-{c}",
                        "mission_fr": "Rendre des avis sur le cannabis médical.",
                        "start_date": start,
                        "meeting_cadence": "mensuelle",
                        "quorum_percent": 50,
                        "published_at": self.now - timedelta(days=3700),
                    },
                    self.now,
                ),
            )
            self._members(c, start)
        # The member of the benchmark sits in committees 1 and 2.
        pid = self._person("Claire", "Banc", MEMBER_EMAIL, user_id=2)
        self.member_mandates = [self._mandate(pid, c, start, None) for c in (1, 2)]

    def _members(self, c: int, start: date) -> None:
        half = self.s.mandates // 2
        self.current: dict[int, list[int]] = getattr(self, "current", {})
        self.current[c] = []
        for m in range(self.s.mandates):
            pid = self._person(f"Prénom{c}-{m}", f"Nom{c}-{m}", f"p{c}-{m}@bench.example")
            # Half serve the whole ten years, half ended five years ago.
            end = None if m < half else _month(self.this_month, -60)
            mid = self._mandate(pid, c, start, end, role="president" if m == 0 else "member")
            if end is None:
                self.current[c].append(mid)

    def _person(self, first: str, last: str, email: str, user_id: int | None = None) -> int:
        pid = self.add(
            "persons",
            _stamp(
                {
                    "civility": "Mme",
                    "title": "Dr",
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "affiliation": "CHU de Nantes",
                    "user_id": user_id,
                },
                self.now,
            ),
        )
        did = self.add(
            "interest_declarations",
            _stamp({"person_id": pid, "declared_on": self.this_month}, self.now),
        )
        for kind, organisation in (("consultancy", "Laboratoire A"), ("other", "Société B")):
            self.add(
                "interest_links",
                {"declaration_id": did, "organisation": organisation, "kind": kind},
            )
        return pid

    def _mandate(self, pid, c, start, end, role="member") -> int:
        return self.add(
            "mandates",
            _stamp(
                {
                    "person_id": pid,
                    "committee_id": c,
                    "role": role,
                    "voting": True,
                    "start_date": start,
                    "end_date": end,
                    "end_reason": "Fin de mandat" if end else "",
                },
                self.now,
            ),
        )

    # --- sessions ---

    def sessions(self) -> None:
        from committees.common.timeutils import PARIS

        # Ten years whatever their number: the last 5 months ahead, the others back to
        # 114 months ago (monthly at 120 sessions).
        step = max(1, 120 // self.s.sessions)
        offsets = [5 - (self.s.sessions - 1 - k) * step for k in range(self.s.sessions)]
        for c in range(1, self.committees + 1):
            for number, offset in enumerate(offsets, start=1):
                day = _month(self.this_month, offset).replace(day=10 + c % 15)
                starts = datetime(day.year, day.month, day.day, 14, tzinfo=PARIS).astimezone(UTC)
                self._session(c, number, offset, starts)

    def _session(self, c: int, number: int, offset: int, starts: datetime) -> None:
        past = starts < self.now
        status = "minutes_adopted" if offset < -1 else ("held" if past else "planned")
        mid = self.add(
            "meetings",
            _stamp(
                {
                    "committee_id": c,
                    "number": number,
                    "title": f"Séance n°{number} du comité n°{c}",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3),
                    "format": "hybrid",
                    "place": "143-147 bd Anatole France, Saint-Denis",
                    "remote_link": f"https://visio.ansm.example/s/{c}-{number}",
                    "is_public": True,
                    "status": status,
                    "uid": f"{uuid.uuid4()}@committees",
                    "sequence": 0,
                    "agenda_published_at": starts - timedelta(days=15) if offset <= 1 else None,
                    "convened_at": starts - timedelta(days=20) if offset <= 1 else None,
                },
                starts - timedelta(days=30),
            ),
        )
        if c == 1 and status == "minutes_adopted":
            self.past_meeting_id = mid
        if c == 1 and not past and not hasattr(self, "future_meeting_id"):
            self.future_meeting_id = mid
        attendees = self._attendees(c)
        for mandate in attendees:
            self.add(
                "attendances",
                _stamp(
                    {
                        "meeting_id": mid,
                        "mandate_id": mandate,
                        "convened_at": starts - timedelta(days=20),
                        "response": "attending" if past else None,
                        "presence": "present" if past else None,
                    },
                    starts,
                ),
            )
        for position in range(1, self.s.items + 1):
            self._item(mid, position, starts, attendees if past else [])
        if status == "minutes_adopted":
            self._minutes(mid, number, starts)

    def _attendees(self, c: int) -> list[int]:
        extra = self.member_mandates[c - 1 : c] if c <= 2 else []
        return (self.current[c][: self.s.attendees - len(extra)]) + extra

    def _item(self, mid: int, position: int, starts: datetime, attendees: list[int]) -> None:
        kind = _ITEM_KINDS[(position - 1) % len(_ITEM_KINDS)]
        iid = self.add(
            "agenda_items",
            _stamp(
                {
                    "meeting_id": mid,
                    "position": position,
                    "title": f"Point {position} : cannabis médical, dossier {mid}-{position}",
                    "kind": kind,
                    "rapporteur": "Direction des médicaments en neurologie",
                    "duration_minutes": 30,
                    "is_public": True,
                    "description": "Présentation, discussion puis avis du comité.",
                },
                starts,
            ),
        )
        if not attendees or kind != "opinion":
            return
        self.add(
            "recusals",
            _stamp(
                {
                    "item_id": iid,
                    "mandate_id": attendees[1],
                    "status": "confirmed",
                    "reason": "Lien déclaré avec le laboratoire A",
                },
                starts,
            ),
        )
        voters = len(attendees) - 1
        self.add(
            "votes",
            _stamp(
                {
                    "item_id": iid,
                    "secret": False,
                    "votes_for": voters - 2,
                    "votes_against": 1,
                    "abstentions": 1,
                    "opinion": "Avis favorable.",
                    "adopted": True,
                },
                starts,
            ),
        )

    def _minutes(self, mid: int, number: int, starts: datetime) -> None:
        published = starts + timedelta(days=40)
        minutes = self.add(
            "minutes",
            _stamp(
                {
                    "meeting_id": mid,
                    "status": "published",
                    "sent_at": starts + timedelta(days=7),
                    "adopted_on": published.date(),
                    "adoption_mode": "in_writing",
                    "published_at": published,
                },
                published,
            ),
        )
        body = "\n\n".join(
            f"## Point {p}\n\nLe comité a examiné le dossier {mid}-{p} sur le cannabis médical."
            for p in range(1, self.s.items + 1)
        )
        revision = self.add(
            "minutes_revisions", {"minutes_id": minutes, "number": 1, "created_at": published}
        )
        self.add(
            "minutes_sections",
            {"revision_id": revision, "kind": "opening", "body": body, "public_outcome": ""},
        )

    # --- decisions, calls ---

    def decisions(self) -> None:
        count = self.s.decisions * self.scale
        first_year = self.this_month.year - 9
        per_year = -(-count // 10)
        for n in range(count):
            year, sequence = first_year + n // per_year, n % per_year + 1
            signed = date(year, 1 + sequence % 12, 1 + sequence % 27)
            did = self.add(
                "decisions",
                _stamp(
                    {
                        "number": f"{year}-{sequence}",
                        "title": f"Décision relative au comité n°{n % self.committees + 1}",
                        "kind": _DECISION_KINDS[n % len(_DECISION_KINDS)],
                        "signed_on": signed,
                        "summary": "Décision du directeur général sur le cannabis médical.",
                        "published_at": datetime(year, signed.month, signed.day, 9, tzinfo=UTC),
                    },
                    self.now,
                ),
            )
            self.add(
                "decision_effects",
                {"decision_id": did, "action": "concerns", "committee_id": n % self.committees + 1},
            )
            if n == 0:
                self.decision = (f"{year}-{sequence}", year)

    def calls(self) -> None:
        for n in range(self.s.calls * self.scale):
            closes = self.now - timedelta(days=30 * (n % 100) - 20)
            cid = self.add(
                "calls",
                _stamp(
                    {
                        "committee_id": n % self.committees + 1,
                        "reference": f"AMI-{n + 1:05d}",
                        "title": f"Appel à contributions n°{n + 1} sur le cannabis médical",
                        "body": "Le comité recueille des contributions écrites.",
                        "audience": "anyone",
                        "opens_at": closes - timedelta(days=60),
                        "closes_at": closes,
                        "themes": "Culture\nDistribution\nSuivi des patients",
                        "max_attachments": 3,
                        "max_attachment_bytes": 10_000_000,
                        "allowed_types": "pdf",
                        "contributions_publishable": True,
                        "status": "published",
                        "published_at": closes - timedelta(days=60),
                        "last_receipt_number": self.s.contributions,
                    },
                    closes - timedelta(days=61),
                ),
            )
            for r in range(1, self.s.contributions + 1):
                self._contribution(cid, r, closes)

    def _contribution(self, cid: int, r: int, closes: datetime) -> None:
        self.add(
            "contributions",
            _stamp(
                {
                    "call_id": cid,
                    "receipt_number": r,
                    "receipt": f"AMI-{cid:05d}-{r:04d}",
                    "contributor_id": self.contributors[r % len(self.contributors)],
                    "idempotency_key": uuid.uuid4().hex,
                    "organisation": f"Association n°{r}",
                    "organisation_kind": _CONTRIBUTOR_KINDS[r % len(_CONTRIBUTOR_KINDS)],
                    "contact_name": f"Contact {r}",
                    "contact_function": "Présidente",
                    "themes": ["Culture", "Suivi des patients"],
                    "text": f"Contribution {r} : notre expérience du cannabis médical. " * 5,
                    "consent_publication": r % 2 == 0,
                    "wants_hearing": r % 5 == 0,
                    "status": _CONTRIBUTION_STATUSES[r % len(_CONTRIBUTION_STATUSES)],
                    "version": 1,
                    "submitted_at": closes - timedelta(days=1, minutes=r),
                },
                closes,
            ),
        )

    def insert(self) -> None:
        from sqlalchemy import insert

        from committees.extensions import db

        tables = db.metadata.tables
        for table in db.metadata.sorted_tables:  # parents first
            rows = self.rows.get(table.name)
            if rows:
                db.session.execute(insert(tables[table.name]), rows)
        db.session.commit()


def build(sizes: Sizes, scale: int = 1, now: datetime | None = None) -> Landmarks:
    """Insert ``scale`` times the activity of ``sizes`` into empty tables (inside an
    application context), index it for search, and return the pages' landmarks."""
    from committees.extensions import db
    from committees.search.services import reindex_all

    builder = _Builder(sizes, scale, now or datetime.now(UTC))
    builder.users()
    builder.bodies()
    builder.sessions()
    builder.decisions()
    builder.calls()
    builder.insert()
    reindex_all()
    db.session.commit()
    number, year = builder.decision
    return Landmarks(
        slug="comite-1",
        past_meeting_id=builder.past_meeting_id,
        future_meeting_id=builder.future_meeting_id,
        decision_number=number,
        decision_year=year,
        call_id=1,
        member_user_id=2,
    )


#: tables whose ids the builder sets (PostgreSQL sequences to move past them)
TABLES = (
    "users", "committees", "persons", "interest_declarations", "interest_links", "mandates",
    "meetings", "attendances", "agenda_items", "recusals", "votes", "minutes",
    "minutes_revisions", "minutes_sections", "decisions", "decision_effects", "calls",
    "contributions",
)  # fmt: skip
