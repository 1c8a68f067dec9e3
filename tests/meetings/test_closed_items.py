"""A closed (huis clos) item leaves nothing of itself in any public output.

The published minutes show "Point examiné à huis clos" and the vote's outcome in its place;
its title is absent from the public page, the PDF, the search results, the API and feeds,
while members still read the whole text.
"""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from committees.meetings.minutes.services import (
    adopt,
    publish,
    save_revision,
    send_for_comments,
    start_minutes,
)
from committees.meetings.models import AdoptionMode
from committees.search.services import reindex_all, search
from tests.support.helpers import text_of
from tests.support.minutes import signed_in_client

CLOSED_TITLE = "Avis sur le calendrier"


def _publish_with_closed_item(db, held):
    item = next(i for i in held.meeting.items if i.title == CLOSED_TITLE)
    item.is_public = False
    minutes = start_minutes(held.meeting, held.secretariat)
    closing = f"Le point « {CLOSED_TITLE} » a été long."  # a closed title in a public section
    save_revision(minutes, {"closing": closing}, 1, held.secretariat, "texte")
    send_for_comments(minutes)
    adopt(minutes, date(2022, 6, 1), AdoptionMode.SESSION, held.next_meeting)
    publish(minutes)
    db.session.commit()
    return minutes


def test_public_minutes_page_and_pdf_reduce_the_closed_item(app, db, held):
    _publish_with_closed_item(db, held)
    anonymous = app.test_client()
    page = text_of(anonymous.get(f"/meetings/{held.meeting.id}/minutes"))
    assert "3. Point examiné à huis clos" in page
    assert "Avis adopté." in page
    assert "pour : 3, contre : 0, abstentions : 1." in page
    assert CLOSED_TITLE.lower() not in page.lower()
    assert "Calendrier validé" not in page  # the opinion's text is not published
    assert "Avis sur le cahier des charges" in page  # public items stay whole
    assert "Le point « point examiné à huis clos » a été long." in page

    pdf = anonymous.get(f"/meetings/{held.meeting.id}/minutes.pdf")
    reader = PdfReader(io.BytesIO(pdf.data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Point examiné à huis clos" in text
    assert CLOSED_TITLE.lower() not in text.lower()


def test_members_still_read_the_closed_item(app, db, held):
    _publish_with_closed_item(db, held)
    member = signed_in_client(app, held.member)
    page = text_of(member.get(f"/my/meetings/{held.meeting.id}/minutes"))
    assert CLOSED_TITLE in page


def test_search_api_and_feeds_never_show_the_closed_title(app, db, held):
    _publish_with_closed_item(db, held)
    reindex_all()
    db.session.commit()
    results = search("calendrier")
    assert all(CLOSED_TITLE.lower() not in str(hit).lower() for hit in results.hits)
    anonymous = app.test_client()
    for url in (
        f"/api/v1/meetings/{held.meeting.id}",
        "/api/v1/meetings",
        "/feeds/publications.atom",
        f"/committees/{held.committee.slug}/calendar.ics",
        f"/meetings/{held.meeting.id}.ics",
        f"/meetings/{held.meeting.id}",
        "/search?q=calendrier",
    ):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.get_data().decode("utf-8", errors="replace")
        assert CLOSED_TITLE not in body, url
