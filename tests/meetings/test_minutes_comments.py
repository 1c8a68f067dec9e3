"""Comments on draft minutes: who may comment on which section until when, processing by
the secretariat, visibility, and the counts the adopted minutes keep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from committees.auth.models import Role
from committees.common.timeutils import utcnow
from committees.meetings.minutes.comments import MinutesError, add_comment, process_comment
from committees.meetings.minutes.services import adopt, publish, save_revision
from committees.meetings.models import AdoptionMode, AgendaItem, MinutesComment, MinutesStatus
from tests.support.helpers import count_rows, errors_beside, open_session, post_form, text_of
from tests.support.minutes import Held, item_section_id, minutes_at, section_of

COMMENT = "Au point 2, l'association a demandé un accès élargi, pas exclusif."


def _items(db, held: Held) -> dict[int, AgendaItem]:
    rows = db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == held.meeting.id))
    return {item.position: item for item in rows.scalars()}


def _member_client(app, user):
    client = app.test_client()
    open_session(client, user)
    return client


def _comment(client, held: Held, item, body=COMMENT):
    """Comment on ``item``'s section (an AgendaItem), or on the section id ``item`` gives."""
    url = f"/my/meetings/{held.meeting.id}/minutes"
    if isinstance(item, AgendaItem):
        item = item_section_id(held.meeting.minutes, item)
    return post_form(
        client, f"{url}/comments", {"section_id": str(item), "body": body}, form_url=url
    )


def _recused_bruno(db, held: Held, make_user):
    bruno = make_user(Role.MEMBER, email="bruno.petit@example.org", full_name="Bruno Petit")
    held.mandates["bruno"].person.user_id = bruno.id
    db.session.commit()
    return bruno


def test_a_member_comments_on_a_section_and_the_secretariat_sees_it_beside_the_draft(app, db, held):
    minutes = minutes_at(db, held, MinutesStatus.SENT)
    items = _items(db, held)
    member = _member_client(app, held.member)
    page = member.get(f"/my/meetings/{held.meeting.id}/minutes")
    assert "Vous pouvez commenter chaque point jusqu'au" in text_of(page)

    answer = _comment(member, held, items[2])
    assert answer.status_code == 302
    comment = db.session.execute(select(MinutesComment)).scalar_one()
    assert (comment.item_id, comment.revision_number) == (items[2].id, 2)
    assert comment.section_id == item_section_id(minutes, items[2])
    assert COMMENT in text_of(member.get(f"/my/meetings/{held.meeting.id}/minutes"))

    secretariat = _member_client(app, held.secretariat)
    manage = text_of(secretariat.get(f"/secretariat/meetings/{held.meeting.id}/minutes"))
    assert "Observations des participants" in manage
    assert COMMENT in manage
    assert "Anne Martin" in manage
    assert minutes.comments_until is not None


def test_a_member_who_recused_cannot_comment_on_that_section(app, db, held, make_user):
    minutes_at(db, held, MinutesStatus.SENT)
    items = _items(db, held)
    bruno = _member_client(app, _recused_bruno(db, held, make_user))
    page = bruno.get(f"/my/meetings/{held.meeting.id}/minutes").get_data(as_text=True)
    assert "Avis sur le cahier des charges</option>" not in page  # his recusal
    assert "Audition des associations</option>" in page

    refused = _comment(bruno, held, items[1])
    assert refused.status_code == 422
    assert "Vous vous êtes déporté·e sur ce point" in errors_beside(refused, "section_id")
    assert _comment(bruno, held, items[2]).status_code == 302
    assert count_rows(db, MinutesComment) == 1


def test_no_comment_outside_the_window_nor_from_outside_the_committee(app, db, held):
    minutes = minutes_at(db, held, MinutesStatus.SENT)
    items = _items(db, held)
    outsider = _member_client(app, held.outsider)
    assert outsider.post(
        f"/my/meetings/{held.meeting.id}/minutes/comments", data={"body": "x"}
    ).status_code in (400, 404)
    assert outsider.get(f"/my/meetings/{held.meeting.id}/minutes").status_code == 404

    minutes.comments_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    member = _member_client(app, held.member)
    page = text_of(member.get(f"/my/meetings/{held.meeting.id}/minutes"))
    assert "Le délai des observations est écoulé" in page
    assert "Envoyer l'observation" not in page
    late = _comment(member, held, items[2])
    assert late.status_code == 422
    assert "Les observations sur ce projet de compte rendu sont closes" in text_of(late)
    assert count_rows(db, MinutesComment) == 0


def test_bad_comment_inputs_are_refused_beside_their_field(app, db, held):
    minutes_at(db, held, MinutesStatus.SENT)
    items = _items(db, held)
    member = _member_client(app, held.member)
    empty = _comment(member, held, items[2], body="   ")
    assert empty.status_code == 422
    assert "Écrivez votre observation" in errors_beside(empty, "body")
    too_long = _comment(member, held, items[2], body="x" * 5001)
    assert too_long.status_code == 422
    minutes = held.meeting.minutes
    old_section = next(
        s for s in minutes.revisions[0].sections if s.item_id == items[2].id
    )  # a section of an older version
    for section_id in (old_section.id, "abc", "99999999"):
        wrong = _comment(member, held, section_id)
        assert wrong.status_code == 422
        assert "Choisissez une section du compte rendu" in errors_beside(wrong, "section_id")
    assert count_rows(db, MinutesComment) == 0


def test_processing_names_a_later_revision_and_adopted_minutes_only_count_comments(app, db, held):
    minutes = minutes_at(db, held, MinutesStatus.SENT)
    items = _items(db, held)
    first = add_comment(minutes, held.member, item_section_id(minutes, items[2]), COMMENT)
    opening = section_of(minutes, "opening").row_id
    second = add_comment(minutes, held.member, opening, "Une coquille en ouverture.")
    db.session.commit()
    secretariat = _member_client(app, held.secretariat)
    url = f"/secretariat/meetings/{held.meeting.id}/minutes"

    same = post_form(
        secretariat, f"{url}/comments/{first.id}", {"taken_in_revision": "2"}, form_url=url
    )
    assert same.status_code == 422
    assert "postérieure à celle commentée (2)" in text_of(same)
    nothing = post_form(secretariat, f"{url}/comments/{first.id}", {"answer": " "}, form_url=url)
    assert nothing.status_code == 422
    assert (
        post_form(secretariat, f"{url}/comments/999999", {"answer": "x"}, form_url=url).status_code
        == 404
    )

    save_revision(minutes, {"opening": "Accès élargi."}, 2, held.secretariat, "observations")
    db.session.commit()
    done = post_form(
        secretariat, f"{url}/comments/{first.id}", {"taken_in_revision": "3"}, form_url=url
    )
    assert done.status_code == 302
    answered = post_form(
        secretariat,
        f"{url}/comments/{second.id}",
        {"answer": "Corrigée, merci."},
        form_url=url,
    )
    assert answered.status_code == 302
    db.session.refresh(first)
    assert first.taken_in_revision == 3
    member_page = text_of(
        _member_client(app, held.member).get(f"/my/meetings/{held.meeting.id}/minutes")
    )
    assert "Prise en compte dans la version 3." in member_page
    assert "Réponse du secrétariat : Corrigée, merci." in member_page

    adopt(minutes, date(2022, 6, 1), AdoptionMode.SESSION, held.next_meeting)
    publish(minutes)
    db.session.commit()
    with_counts = app.test_client().get(f"/meetings/{held.meeting.id}/minutes")
    public = text_of(with_counts)
    assert "2 observations reçues sur le projet, 2 traitées" in public
    assert COMMENT not in public
    assert "coquille" not in public
    with pytest.raises(MinutesError, match="adopté"):
        process_comment(second, answer="trop tard", taken_in_revision=None)
