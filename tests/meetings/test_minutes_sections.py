"""Minutes made of sections: what the public reads is assembled from the rows of public
items (plus opening, attendance and closing), so that no heading typed in a text, no
reorder, rename or sub-heading after publication moves closed (huis clos) text into the
public page, PDF, search, API, feed or follower e-mails (issue 19, rows 2 and 2b); and the
migration that turns the old one-text minutes into sections."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime

import flask_migrate
import pytest
from pypdf import PdfReader
from sqlalchemy import select, text

from committees import create_app
from committees.extensions import db as _db
from committees.follows.dispatch import dispatch_pending
from committees.mail.models import OutboxMessage
from committees.meetings.minutes.comments import commentable_sections
from committees.meetings.minutes.sections import sections_of
from committees.meetings.minutes.services import (
    adopt,
    latest_revision,
    publish,
    save_revision,
    send_for_comments,
    start_minutes,
)
from committees.meetings.models import (
    AdoptionMode,
    AgendaItem,
    MinutesSection,
    MinutesStatus,
    SectionKind,
)
from committees.search.services import search
from tests.support.follows import make_follower
from tests.support.helpers import new_postgresql_database, post_form, text_of
from tests.support.minutes import minutes_at, signed_in_client

PUBLIC_TEXT = "Les associations demandent un accès élargi aux fleurs séchées."
#: words only the closed item's section holds
CLOSED_WORDS = ("Zanzibar", "Xylophage", "Quetzalcoatl")
CLOSED_TEXT = (
    "Le comité examine le calendrier confidentiel Zanzibar.\n\n"
    "### Délibération\n\n"
    "Les membres retiennent le scénario Xylophage.\n\n"
    "### 1. Avis sur le cahier des charges\n\n"
    "### 2. Audition des associations\n\n"
    "## Participants\n\n"
    "Dernier mot du huis clos : Quetzalcoatl.\n"
)
FOLLOWER = "suiveuse@example.org"


def _items(held) -> tuple[AgendaItem, AgendaItem]:
    """The public item 2 and item 3, made closed: one public item, then one closed item."""
    items = {item.position: item for item in held.meeting.items}
    items[3].is_public = False
    return items[2], items[3]


def _published(db, held):
    public, closed = _items(held)
    make_follower(FOLLOWER, committee=held.committee)
    minutes = start_minutes(held.meeting, held.secretariat)
    texts = {f"item-{public.id}": PUBLIC_TEXT, f"item-{closed.id}": CLOSED_TEXT}
    save_revision(minutes, texts, 1, held.secretariat, "rédaction")
    send_for_comments(minutes)
    adopt(minutes, date(2022, 6, 1), AdoptionMode.SESSION, held.next_meeting)
    publish(minutes)
    db.session.commit()
    dispatch_pending()
    db.session.commit()
    return minutes, public, closed


def _pdf_text(response) -> str:
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _assert_nothing_closed_is_public(app, held) -> None:
    mid = held.meeting.id
    anonymous = app.test_client()
    page = text_of(anonymous.get(f"/meetings/{mid}/minutes"))
    assert PUBLIC_TEXT in page
    assert "Point examiné à huis clos" in page
    assert "Avis adopté. pour : 3, contre : 0, abstentions : 1." in page
    pdf = _pdf_text(anonymous.get(f"/meetings/{mid}/minutes.pdf"))
    assert "accès élargi aux fleurs séchées" in pdf
    assert "Point examiné à huis clos" in pdf
    assert [hit.url for hit in search("fleurs séchées").hits if "minutes" in hit.url]
    outputs = {"page": page, "pdf": pdf}
    for url in (
        f"/api/v1/meetings/{mid}",
        "/api/v1/meetings",
        f"/api/v1/committees/{held.committee.slug}",
        "/feeds/publications.atom",
        f"/meetings/{mid}",
        "/search?q=fleurs",
    ):
        response = anonymous.get(url)
        assert response.status_code in (200, 404), url
        outputs[url] = response.get_data(as_text=True)
    mails = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == FOLLOWER))
    mails = list(mails)
    assert mails, "the follower was told of the publication"
    for message in mails:
        outputs[f"mail {message.id}"] = f"{message.subject} {message.body_text} {message.body_html}"
    for word in CLOSED_WORDS:
        assert not search(word).hits, word
        for where, body in outputs.items():
            assert word not in body, (word, where)
        # The search page echoes the query, but finds nothing and shows no other word.
        found = anonymous.get(f"/search?q={word}").get_data(as_text=True)
        assert f"/meetings/{mid}/minutes" not in found
        assert not [other for other in CLOSED_WORDS if other != word and other in found]


def test_closed_text_stays_closed_after_reorder_rename_and_sub_headings(app, db, held):
    _minutes, public, closed = _published(db, held)
    _assert_nothing_closed_is_public(app, held)

    # The closed item moves above the public one (issue 19, row 2).
    secretariat = signed_in_client(app, held.secretariat)
    mid = held.meeting.id
    moved = post_form(
        secretariat,
        f"/secretariat/meetings/{mid}/items/{closed.id}/move",
        {"direction": "up"},
        form_url=f"/secretariat/meetings/{mid}/agenda",
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert (closed.position, public.position) == (2, 3)
    _assert_nothing_closed_is_public(app, held)

    # Renamed with headings and numbers, sub-headings in their presentations.
    for item, title in (
        (closed, "### 3. Audition des associations"),
        (public, "### 2. Délibération"),
    ):
        fields = {
            "title": title,
            "kind": item.kind,
            "rapporteur": "",
            "duration_minutes": "",
            "description": "### Délibération\n\n### 1. Avis\n\n## Participants",
            "organisations": "",
        }
        if not item.is_public:
            fields["closed"] = "y"
        url = f"/secretariat/meetings/{mid}/items/{item.id}/edit"
        assert post_form(secretariat, url, fields).status_code == 302
    db.session.expire_all()
    assert closed.title == "### 3. Audition des associations"
    assert not closed.is_public
    _assert_nothing_closed_is_public(app, held)

    # The members still read the whole text, closed item included.
    member = text_of(signed_in_client(app, held.member).get(f"/my/meetings/{mid}/minutes"))
    assert "Zanzibar" in member
    assert PUBLIC_TEXT in member


def test_headings_typed_in_the_closed_section_end_nothing(app, db, held):
    """Row 2b: a ``### Délibération`` line (or ``### 1.``) inside the closed section."""
    _published(db, held)
    page = text_of(app.test_client().get(f"/meetings/{held.meeting.id}/minutes"))
    assert "Délibération" not in page
    assert "scénario" not in page
    assert PUBLIC_TEXT in page


def test_the_secretariat_edits_one_textarea_per_section_and_the_outcome_of_closed_items(
    app, db, held
):
    public, closed = _items(held)
    db.session.commit()
    minutes = start_minutes(held.meeting, held.secretariat)
    db.session.commit()
    client = signed_in_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes/edit"
    page = text_of(client.get(url))
    assert "2. Audition des associations — publique" in page
    assert "3. Avis sur le calendrier — huis clos (non publique)" in page
    html = client.get(url).get_data(as_text=True)
    assert f'name="outcome_item_{closed.id}"' in html
    assert f'name="outcome_item_{public.id}"' not in html

    saved = post_form(
        client,
        url,
        {
            "base_number": "1",
            f"text_item_{closed.id}": CLOSED_TEXT,
            f"outcome_item_{closed.id}": "Avis favorable, calendrier maintenu.",
            "text_closing": "La séance est levée à 17 h.",
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    sections = {s.key: s for s in sections_of(latest_revision(minutes))}
    assert sections[f"item-{closed.id}"].body == CLOSED_TEXT.strip()
    assert sections[f"item-{closed.id}"].public_outcome == "Avis favorable, calendrier maintenu."
    assert "Déport" in sections[f"item-{held.meeting.items[0].id}"].body  # kept as it was

    send_for_comments(minutes)
    adopt(minutes, date(2022, 6, 1), AdoptionMode.SESSION, held.next_meeting)
    publish(minutes)
    db.session.commit()
    public_page = text_of(app.test_client().get(f"/meetings/{held.meeting.id}/minutes"))
    assert "3. Point examiné à huis clos Avis favorable, calendrier maintenu." in public_page
    assert "La séance est levée à 17 h." in public_page
    assert "Zanzibar" not in public_page


def test_an_unplaced_text_is_never_public_nor_commentable_and_goes_once_emptied(app, db, held):
    minutes = minutes_at(db, held, MinutesStatus.DRAFT)
    latest = latest_revision(minutes)
    db.session.add(
        MinutesSection(revision=latest, kind=SectionKind.UNPLACED.value, body="Zanzibar")
    )
    db.session.commit()
    send_for_comments(minutes)
    db.session.commit()
    assert "unplaced" not in [s.key for s in commentable_sections(minutes, held.member)]
    assert "Zanzibar" in text_of(
        signed_in_client(app, held.secretariat).get(
            f"/secretariat/meetings/{held.meeting.id}/minutes/edit"
        )
    )
    adopt(minutes, date(2022, 6, 1), AdoptionMode.SESSION, held.next_meeting)
    publish(minutes)
    db.session.commit()
    assert "Zanzibar" not in text_of(app.test_client().get(f"/meetings/{held.meeting.id}/minutes"))
    assert not search("Zanzibar").hits


def test_placing_an_unplaced_text_drops_its_section(db, held):
    minutes = minutes_at(db, held, MinutesStatus.DRAFT)
    latest = latest_revision(minutes)
    db.session.add(MinutesSection(revision=latest, kind=SectionKind.UNPLACED.value, body="Reste"))
    db.session.commit()
    item = held.meeting.items[1]
    save_revision(minutes, {"unplaced": "", f"item-{item.id}": "Reste"}, latest.number, None)
    db.session.commit()
    kinds = [s.kind for s in latest_revision(minutes).sections]
    assert SectionKind.UNPLACED.value not in kinds
    assert next(s for s in sections_of(latest_revision(minutes)) if s.item == item).body == "Reste"


# --- the migration of one-text minutes into sections ----------------------------------

LEGACY = """**Comité :** Culture (CST)
**Séance :** Auditions

## Participants

### Membres présents

- Pr Anne Martin (Président·e)

## Ordre du jour

### 2. Avis sur le cahier des charges

Texte public : accès élargi.

### 1. Avis sur le calendrier

Le comité examine le calendrier confidentiel Zanzibar.

### Délibération

Les membres retiennent le scénario Xylophage.

### 3. Point renommé depuis

Texte orphelin Quetzalcoatl.
"""


@pytest.fixture
def empty_database_url(tmp_path):
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / 'sections.sqlite3'}"
        return
    with new_postgresql_database(server_url, "sections") as url:
        yield url


def _legacy_minutes():
    """At the head schema: a session whose items were reordered since the minutes were
    written (public item 1, closed item 2 with a vote), minutes and a comment on item 1."""
    from committees.bodies.models import CommitteeKind, MandateRole
    from committees.bodies.persons.services import create_person
    from committees.bodies.services import MandateLine, add_mandate, create_committee
    from committees.meetings.models import ItemKind, Minutes, MinutesComment, MinutesRevision, Vote
    from committees.meetings.scheduling.services import create_meeting

    committee = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Culture",
        acronym="CST",
        slug="cst",
        start_date=date(2021, 8, 2),
        end_date=date(2024, 12, 31),
        published_at=datetime(2022, 3, 1, tzinfo=UTC),
    )
    mandate = add_mandate(
        committee,
        MandateLine(
            create_person(first_name="Anne", last_name="Martin"),
            MandateRole.MEMBER,
            date(2022, 1, 1),
        ),
    )
    meeting = create_meeting(
        committee,
        title="Auditions",
        starts_at=datetime(2022, 5, 4, 12, tzinfo=UTC),
        ends_at=datetime(2022, 5, 4, 15, tzinfo=UTC),
        is_public=True,
    )
    public = AgendaItem(
        meeting=meeting, position=1, title="Avis sur le cahier des charges", kind=ItemKind.OPINION
    )
    closed = AgendaItem(
        meeting=meeting,
        position=2,
        title="Avis sur le calendrier",
        kind=ItemKind.OPINION,
        is_public=False,
    )
    closed.vote = Vote(votes_for=3, votes_against=0, abstentions=1, adopted=True)
    minutes = Minutes(
        meeting=meeting,
        status=MinutesStatus.PUBLISHED.value,
        published_at=datetime(2022, 6, 2, tzinfo=UTC),
    )
    revision = MinutesRevision(number=1, created_at=datetime(2022, 5, 5, tzinfo=UTC))
    revision.sections = [
        MinutesSection(kind=SectionKind.OPENING.value, body="Ouverture à 14 h."),
        MinutesSection(kind=SectionKind.ITEM.value, item=public, body="Texte du point."),
    ]
    minutes.revisions = [revision]
    _db.session.add_all([public, closed, minutes])
    _db.session.flush()
    _db.session.add(
        MinutesComment(
            minutes=minutes,
            item=public,
            mandate=mandate,
            revision_number=1,
            body="Précisez.",
            created_at=datetime(2022, 5, 6, tzinfo=UTC),
        )
    )
    _db.session.commit()
    return minutes.id, public.id, closed.id


def test_the_migration_splits_old_minutes_and_keeps_what_it_cannot_place_non_public(
    empty_database_url, capsys
):
    from committees.meetings.minutes.public_text import public_text
    from committees.meetings.models import Minutes, MinutesComment

    application = create_app({"PROFILE": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with application.app_context():
        try:
            flask_migrate.upgrade()
            minutes_id, public_id, closed_id = _legacy_minutes()
            _db.session.remove()
            flask_migrate.downgrade(revision="0011_synthesis")
            with _db.engine.begin() as conn:
                # The downgrade joined the sections back under the old headings.
                joined = conn.execute(text("SELECT body FROM minutes_revisions")).scalar_one()
                assert joined == (
                    "Ouverture à 14 h.\n\n## Ordre du jour\n\n"
                    "### 1. Avis sur le cahier des charges\n\nTexte du point.\n"
                )
                conn.execute(text("UPDATE minutes_revisions SET body = :body"), {"body": LEGACY})
            capsys.readouterr()
            flask_migrate.upgrade()
            report = capsys.readouterr().out
            assert "not attributed" in report
            assert "### 3. Point renommé depuis" in report

            with application.test_request_context():
                minutes = _db.session.get(Minutes, minutes_id)
                revision = latest_revision(minutes)
                sections = {s.key: s for s in sections_of(revision)}
                assert "**Comité :** Culture (CST)" in sections["opening"].body
                assert sections["attendance"].body.startswith("### Membres présents")
                assert sections[f"item-{public_id}"].body == "Texte public : accès élargi."
                closed_body = sections[f"item-{closed_id}"].body
                assert "Zanzibar" in closed_body
                assert "### Délibération" in closed_body
                assert "Xylophage" in closed_body
                assert sections[f"item-{closed_id}"].public_outcome == (
                    "**Avis adopté.** pour : 3, contre : 0, abstentions : 1."
                )
                unplaced = sections["unplaced"]
                assert not unplaced.is_public
                assert "Quetzalcoatl" in unplaced.body
                shown = public_text(minutes, revision)
                assert "Texte public : accès élargi." in shown
                assert "Point examiné à huis clos" in shown
                for word in CLOSED_WORDS:
                    assert word not in shown
                comment = _db.session.scalars(select(MinutesComment)).one()
                assert comment.section_id == sections[f"item-{public_id}"].row_id
        finally:
            _db.session.remove()
            _db.engine.dispose()
