"""The home page's news blocks, and the « Publié le / Mis à jour le » line and the
« En lien avec cette information » block of the public object pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from committees.calls.models import Call, CallStatus
from committees.common.timeutils import utcnow
from committees.extensions import db
from tests.support import search as make
from tests.support.helpers import text_of


def _call(owner, title, *, closes_at, status=CallStatus.PUBLISHED.value, opens_at=None):
    call = Call(
        committee=owner,
        reference=f"AMI-{title[-8:]}",
        title=title,
        opens_at=opens_at or utcnow() - timedelta(days=5),
        closes_at=closes_at,
        status=status,
        published_at=make.PUBLISHED,
    )
    db.session.add(call)
    return call


def _news(count: int) -> None:
    owner = make.committee(slug=f"c{count}")
    start = utcnow() + timedelta(days=3)
    for n in range(1, count + 1):
        session = make.meeting(
            owner, f"Séance à venir {n}", number=n, starts_at=start + timedelta(days=n)
        )
        make.decision(f"2022-{count * 100 + n}", f"Décision {n}", concerns=owner)
        past = make.meeting(
            owner, f"Séance tenue {n}", number=100 + n, starts_at=start - timedelta(days=60 + n)
        )
        make.minutes(past, f"Compte rendu {n}")
        _call(owner, f"Appel ouvert {count}-{n}", closes_at=utcnow() + timedelta(days=n))
        assert session.id
    db.session.commit()


def test_home_lists_sessions_calls_decisions_and_minutes(client, db):
    owner = make.committee()
    make.meeting(owner, "Séance du 4 mai", agenda=[("Auditions", True)])
    make.meeting(owner, "Séance à huis clos", number=2, is_public=False)
    make.meeting(owner, "Séance passée", number=3, starts_at=utcnow() - timedelta(days=30))
    make.decision("2022-30", "Nomination des membres", concerns=owner)
    make.decision("2022-31", "Décision en préparation", published_at=None)
    held = make.meeting(owner, "Séance de mars", number=4, starts_at=utcnow() - timedelta(days=60))
    make.minutes(held, "Texte adopté")
    draft = make.meeting(owner, "Séance d'avril", number=5, starts_at=utcnow() - timedelta(days=40))
    make.minutes(draft, "Brouillon", published=False)
    _call(
        owner,
        "Appel aux acteurs de la filière",
        closes_at=datetime(2099, 4, 20, 21, 59, tzinfo=UTC),
    )
    _call(owner, "Appel clos", closes_at=utcnow() - timedelta(days=1))
    _call(
        owner,
        "Appel en brouillon",
        closes_at=utcnow() + timedelta(days=9),
        status=CallStatus.DRAFT.value,
    )
    db.session.commit()

    page = text_of(client.get("/"))
    assert "Séance du 4 mai" in page
    assert "huis clos" not in page
    assert "Séance passée" not in page
    assert "Appel aux acteurs de la filière" in page
    # 21:59 UTC in April is 23:59 in Paris
    assert "Date limite : 20 avril 2099" in page
    assert "23:59 (heure de Paris)" in page
    assert "Appel clos" not in page
    assert "Appel en brouillon" not in page
    assert "Décision n°2022-30" in page
    assert "en préparation" not in page
    assert "Séance de mars" in page
    assert "Séance d'avril" not in page


def test_home_speaks_english_dates_in_english(client, db):
    owner = make.committee()
    _call(owner, "Appel aux acteurs", closes_at=datetime(2099, 4, 20, 21, 59, tzinfo=UTC))
    db.session.commit()
    page = text_of(client.get("/?lang=en"))
    assert "April 20, 2099" in page


def test_home_costs_the_same_queries_whatever_the_data(client, db, count_queries):
    _news(2)
    with count_queries() as few:
        assert client.get("/").status_code == 200
    _news(8)
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 6


def test_object_pages_show_dates_and_related_items(client, db):
    owner = make.committee()
    other = make.committee("Autre comité", slug="autre")
    make.decision("2022-30", "Nomination des membres", concerns=owner)
    make.decision("2022-40", "Décision d'un autre comité", concerns=other)
    make.decision("2022-31", "Décision en préparation", concerns=owner, published_at=None)
    session = make.meeting(owner, "Séance du 4 mai", agenda=[("Auditions", True)])
    make.meeting(owner, "Séance à huis clos", number=2, is_public=False)
    call = _call(owner, "Appel aux acteurs", closes_at=utcnow() + timedelta(days=9))
    db.session.commit()

    pages = {
        "/committees/culture": ("Séance du 4 mai", "Appel aux acteurs"),
        "/decisions/2022-30": ("Culture en France", "Séance du 4 mai", "Appel aux acteurs"),
        f"/meetings/{session.id}": (
            "Culture en France",
            "Nomination des membres",
            "Appel aux acteurs",
        ),
        f"/calls/{call.id}": ("Culture en France", "Nomination des membres", "Séance du 4 mai"),
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = text_of(response)
        related = page.split("En lien avec cette information", 1)
        assert len(related) == 2, url
        for title in expected:
            assert title in related[1], (url, title)
        for hidden in ("en préparation", "huis clos", "Décision d'un autre comité"):
            assert hidden not in related[1], (url, hidden)
        assert "Publié le" in page, url
    assert "Mis à jour le" in text_of(client.get(f"/meetings/{session.id}"))
    # The committee page lists its decisions once, in its own section, not again below.
    assert text_of(client.get("/committees/culture")).count("Nomination des membres") == 1
