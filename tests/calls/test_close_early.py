"""Closing a call before its deadline (issue 20, secretariat): a confirmation with a reason,
the actual closing date on every page and in the synthesis, the contributors told, and the
next actions offered."""

from __future__ import annotations

from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.synthesis.services import skeleton
from committees.common.timeutils import to_paris, utcnow
from committees.mail.models import OutboxMessage
from tests.support.calls import contribute, make_call, make_committee
from tests.support.helpers import csrf_token_from, post_form, text_of

REASON = "Le comité avance sa séance au 15 décembre."


def _mails(db, kind):
    return list(
        db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind)).scalars()
    )


def test_closing_early_asks_a_reason_tells_contributors_and_shows_the_actual_date(
    client, db, secretariat, make_user
):
    call = make_call(make_committee())
    first = make_user(Role.CONTRIBUTOR, email="anne@example.org")
    second = make_user(Role.CONTRIBUTOR, email="bruno@example.org")
    contribute(call, first, now=utcnow())
    contribute(call, first, organisation="Autre structure", now=utcnow())
    contribute(call, second, organisation="Chanvre du Berry", now=utcnow())
    deadline = to_paris(call.closes_at)
    detail = f"/secretariat/calls/{call.id}"

    # The detail page leads to a confirmation, not a one-click close.
    page = client.get(detail).get_data(as_text=True)
    assert f'href="{detail}/close"' in page
    confirm = text_of(client.get(f"{detail}/close"))
    assert "Clore l'appel" in confirm
    assert "avant sa date limite" in confirm
    assert "2 contributeurs recevront un courriel avec le motif." in confirm

    # No reason: refused, nothing closed, nobody told.
    refused = post_form(client, f"{detail}/close", {"reason": "  "})
    assert refused.status_code == 422
    assert "Indiquez pourquoi l'appel est clos avant sa date limite." in text_of(refused)
    db.session.refresh(call)
    assert call.status == "published"
    assert _mails(db, "calls_closed_early") == []

    done = post_form(client, f"{detail}/close", {"reason": REASON}, follow_redirects=True)
    assert done.status_code == 200
    text = text_of(done)
    assert "2 contributeurs en sont informés par courriel." in text
    db.session.refresh(call)
    assert call.status == "closed"
    assert call.closing_reason == REASON
    closed_day = to_paris(call.closed_early_at)
    assert "Clos le " in text
    assert "(avant la date limite du " in text
    assert f"Motif : {REASON}" in text
    # The next actions: the synthesis and the review, no « Publier l'appel ».
    assert "Rédiger la synthèse de la consultation" in text
    assert "Examiner les contributions" in text
    assert "Publier l'appel" not in text

    mails = _mails(db, "calls_closed_early")
    assert sorted(m.recipient for m in mails) == ["anne@example.org", "bruno@example.org"]
    assert REASON in mails[0].body_text
    assert call.title in mails[0].body_text

    # The public pages and the synthesis give the actual closing date.
    public = text_of(client.get(f"/calls/{call.id}"))
    assert "Clos le " in public
    assert "avant la date limite du" in public
    listing = text_of(client.get("/calls"))
    assert "Clos le " in listing
    assert f"au {closed_day:%d/%m/%Y}," in skeleton(call)
    if closed_day.date() != deadline.date():
        assert f"au {deadline:%d/%m/%Y}," not in skeleton(call)


def test_a_call_past_its_deadline_has_nothing_to_close(client, db, secretariat):
    from tests.support.calls import IN_2022

    call = make_call(make_committee(), **IN_2022)
    page = client.get(f"/secretariat/calls/{call.id}/close")
    assert "il n'y a rien à clore" in text_of(page)
    token = csrf_token_from(client.get(f"/secretariat/calls/{call.id}").get_data(as_text=True))
    refused = client.post(
        f"/secretariat/calls/{call.id}/close", data={"csrf_token": token, "reason": "x"}
    )
    assert refused.status_code == 422
    assert "La date limite de cet appel est déjà passée" in text_of(refused)
    db.session.refresh(call)
    assert call.closed_early_at is None
