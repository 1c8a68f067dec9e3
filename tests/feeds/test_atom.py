"""The Atom feed of publications: valid Atom, newest first, public objects only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

from committees.calls.models import Call, CallStatus
from committees.extensions import db
from tests.support import search as make

A = "{http://www.w3.org/2005/Atom}"


def _feed(client):
    response = client.get("/feeds/publications.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)  # noqa: S314 - our own feed


def _call(owner, title, status, published_at):
    call = Call(
        committee=owner,
        reference=f"AMI-{title[:6]}",
        title=title,
        opens_at=datetime(2022, 3, 15, 8, tzinfo=UTC),
        closes_at=datetime(2022, 4, 20, 21, 59, tzinfo=UTC),
        status=status,
        published_at=published_at,
    )
    db.session.add(call)
    return call


def test_feed_is_atom_with_every_required_element(client):
    owner = make.committee()
    make.decision("2022-30", "Nomination des membres", concerns=owner)
    session = make.meeting(owner, "Séance du 4 mai 2022", agenda=[("Auditions", True)])
    make.minutes(session, "Compte rendu adopté.")
    _call(owner, "Appel aux acteurs de la filière", CallStatus.PUBLISHED.value, make.PUBLISHED)
    db.session.commit()

    feed = _feed(client)
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{A}{tag}") is not None, tag
    assert feed.find(f"{A}link[@rel='self']").get("href").endswith("/feeds/publications.atom")
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 4
    for entry in entries:
        assert entry.find(f"{A}id").text.startswith("tag:")
        for tag in ("title", "updated", "published", "summary"):
            assert entry.find(f"{A}{tag}").text, tag
        datetime.fromisoformat(entry.find(f"{A}updated").text)
        assert entry.find(f"{A}link[@rel='alternate']").get("href").startswith("http")
    links = [e.find(f"{A}link").get("href") for e in entries]
    assert any(link.endswith("/decisions/2022-30") for link in links)
    assert any(link.endswith(f"/meetings/{session.id}/minutes") for link in links)
    assert len({e.find(f"{A}id").text for e in entries}) == 4


def test_feed_lists_newest_first_and_at_most_fifty(client):
    owner = make.committee()
    base = datetime(2022, 1, 1, 9, tzinfo=UTC)
    for n in range(1, 56):
        make.decision(f"2022-{n}", f"Décision numéro {n}", published_at=base + timedelta(days=n))
    db.session.commit()

    entries = _feed(client).findall(f"{A}entry")
    assert len(entries) == 50
    published = [datetime.fromisoformat(e.find(f"{A}published").text) for e in entries]
    assert published == sorted(published, reverse=True)
    assert entries[0].find(f"{A}title").text.startswith("Décision n°2022-55")
    assert owner.id  # the committee only hosts the decisions


def test_feed_leaves_out_what_is_not_public(client):
    owner = make.committee()
    hidden = make.committee("Comité en préparation", slug="hidden", published_at=None)
    make.decision("2022-31", "Décision brouillon", published_at=None)
    make.meeting(owner, "Séance sans ordre du jour publié", agenda_published=False)
    make.meeting(owner, "Séance à huis clos", number=2, is_public=False)
    make.meeting(hidden, "Séance d'un comité non publié")
    closed = make.meeting(owner, "Séance tenue", number=3)
    make.minutes(closed, "Texte en projet", published=False)
    _call(owner, "Appel en brouillon", CallStatus.DRAFT.value, None)
    db.session.commit()

    titles = [e.find(f"{A}title").text for e in _feed(client).findall(f"{A}entry")]
    assert titles == ["Ordre du jour : Séance tenue"]


def test_every_page_announces_the_feed(client):
    html = client.get("/").get_data(as_text=True)
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/publications.atom"' in html
