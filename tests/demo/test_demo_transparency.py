"""The demo shows the transparency features on the 2021-2022 record: a follower, a
member's comment processed in the next revision of the minutes, seeded once."""

from __future__ import annotations

from sqlalchemy import func, select

from committees.auth.models import User
from committees.common.timeutils import paris_today
from committees.demo import seed_all
from committees.follows.models import Follower
from committees.meetings.models import Minutes, MinutesComment
from tests.support.helpers import text_of


def test_the_demo_has_a_follower_and_a_processed_comment_once(client, db):
    seed_all(today=paris_today())
    seed_all(today=paris_today())

    followers = db.session.scalars(select(Follower)).all()
    assert [(f.email, f.confirmed_at is not None) for f in followers] == [
        ("redaction.sante@demo.ansm.example", True)
    ]
    (comment,) = db.session.scalars(select(MinutesComment)).all()
    assert db.session.get(User, comment.author_id).email == "membre@demo.ansm.example"
    assert comment.taken_in_revision == comment.revision_number + 1
    assert comment.answer == "Précision ajoutée au point 1."

    minutes = db.session.get(Minutes, comment.minutes_id)
    public = text_of(client.get(f"/meetings/{minutes.meeting_id}/minutes"))
    assert "1 observation reçue sur le projet, 1 traitée" in public
    assert "arrêté au 28 février 2022" in public
    # The comment's text stays with the members and the secretariat.
    assert "Merci de préciser" not in public
    assert db.session.scalar(select(func.count()).select_from(MinutesComment)) == 1
