"""Every e-mail the application sends is a complete, accessible HTML document (issue 23):
``<!DOCTYPE html>``, ``<html lang>`` in the recipient's language, a charset, a ``<title>``
(the subject), headings, no image and no inline style; its plain-text part carries the
same content. Each kind is triggered through the service that sends it, then the outbox
rows are read back."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from committees.admin.services import invite_user
from committees.auth.models import Role
from committees.auth.services import (
    offer_unlock_link,
    register_contributor,
    request_password_reset,
)
from committees.calls.submission.receipts import queue_receipt
from committees.common.timeutils import utcnow
from committees.follows.dispatch import dispatch_pending, send_digests
from committees.follows.models import Frequency
from committees.follows.services import notify_followers, request_follow, resolve_scope
from committees.mail.models import OutboxMessage
from committees.meetings.agenda.services import add_document
from committees.meetings.conduct.convocations import convene, send_cancellation, send_update
from committees.meetings.conduct.recusals import notify_recusal
from committees.meetings.conduct.services import decide_recusal
from committees.meetings.models import MinutesStatus, RecusalStatus
from committees.meetings.pack.notices import send_change_notices
from tests.support.calls import IN_2022, contribute, make_call, make_committee, make_meeting
from tests.support.convocations import build_session
from tests.support.documents import parse_mail_html
from tests.support.follows import make_follower
from tests.support.minutes import minutes_at

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "mail"
#: every e-mail the application sends: its template, and the outbox kind it is queued as
KINDS = {
    "admin/invitation": "invitation",
    "auth/already_registered": "already_registered",
    "auth/confirm_email": "confirm_email",
    "auth/login_unlock": "login_unlock",
    "auth/password_reset": "password_reset",
    "calls/receipt": "calls_receipt",
    "follows/confirm": "follow_confirm",
    "follows/digest": "follow_digest",
    "follows/event": "follow_agenda_published",
    "meetings/cancellation": "meeting_cancellation",
    "meetings/convocation": "meeting_convocation",
    "meetings/minutes_sent": "minutes_sent",
    "meetings/pack_changes": "meeting_pack_changes",
    "meetings/recusal": "meeting_recusal",
    "meetings/update": "meeting_update",
}


def test_every_html_mail_template_extends_the_complete_document():
    html = sorted(p for p in TEMPLATES.rglob("*.html") if not p.name.startswith("_"))
    assert html
    for path in html:
        source = path.read_text(encoding="utf-8")
        assert '{% extends "mail/_base.html" %}' in source, path
        assert "style=" not in source, path
        assert "<img" not in source, path
        assert path.with_suffix(".txt").exists(), f"{path} has no plain-text part"
    # every template is sent by one of the kinds the next test triggers
    assert {str(p.relative_to(TEMPLATES).with_suffix("")) for p in html} == set(KINDS)


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _outbox(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _assert_accessible(message: OutboxMessage, language: str) -> None:
    """The HTML part is a complete document in ``language`` whose text the text part holds."""
    where = f"{message.kind} to {message.recipient}"
    assert message.body_html, f"{where} has no HTML part"
    mail = parse_mail_html(message.body_html)
    assert mail.doctype, where
    assert mail.charset, where
    assert mail.lang == language, where
    assert mail.title == _normalise(message.subject), where
    assert mail.headings, where
    assert mail.headings[0] == mail.title, where
    assert not mail.styled, f"{where}: inline styles on {mail.styled}"
    assert not mail.images_without_alt, where
    # the plain-text part says everything the HTML part says (the <h1> is the subject)
    text = _normalise(message.body_text)
    for line in mail.text.splitlines()[1:]:
        for piece in re.split(r"https?://\S+", line):
            piece = _normalise(piece).strip(" :")
            assert piece in text, f"{where}: « {piece} » is not in the text part"


def _trigger_every_kind(db, make_user, held) -> dict[str, str]:
    """Send one e-mail of each kind; the expected language of each kind's recipient."""
    admin = make_user(Role.ADMIN)
    english = make_user(Role.MEMBER, email="reader@example.org")
    english.locale = "en"
    db.session.commit()
    request_password_reset("reader@example.org")
    offer_unlock_link("reader@example.org")
    register_contributor("Nina Nouvelle", "nina@example.org", "mot de passe long 123")
    register_contributor("Autre", "reader@example.org", "mot de passe long 123", locale="fr")
    invite_user("invite@example.org", "Ivan Invité", Role.MEMBER, invited_by=admin)

    situation = build_session(db, starts_in=timedelta(days=10), slug="cst-mails")
    convene(situation.meeting)
    db.session.commit()
    send_update(situation.meeting)
    add_document(situation.items[0], title="Note ajoutée", data=b"%PDF-1.4\n", filename="n.pdf")
    send_change_notices()  # the convocation's pack, then a document added
    decide_recusal(
        situation.items[1], situation.members[0], RecusalStatus.CONFIRMED, "lien d'intérêts"
    )
    notify_recusal(situation.items[1].recusals[0])
    send_cancellation(situation.meeting)
    db.session.commit()

    committee = make_committee()
    call = make_call(committee, make_meeting(committee), reference="AMI-2022", **IN_2022)
    contribution = contribute(call, make_user(Role.CONTRIBUTOR))
    queue_receipt(contribution)
    db.session.commit()

    scope = resolve_scope(f"committee:{held.committee.id}")
    request_follow("curieux@example.org", scope, "en", Frequency.IMMEDIATE)
    make_follower("abonne@example.org", committee=held.committee)
    weekly = make_follower("hebdo@example.org", committee=held.committee, frequency="weekly")
    weekly.digest_until = utcnow() - timedelta(days=8)
    notify_followers(
        "agenda_published",
        object_key=f"meeting:{held.meeting.id}",
        title_fr="Ordre du jour de la séance du 4 mai 2022",
        url="https://comites.example/seances/1",
        committee_id=held.committee.id,
    )
    db.session.commit()
    dispatch_pending()
    send_digests()
    db.session.commit()
    return {"reader@example.org": "en", "curieux@example.org": "en"}


def test_every_kind_of_email_is_a_complete_document_in_the_recipients_language(
    app, db, make_user, held
):
    with app.test_request_context():
        languages = _trigger_every_kind(db, make_user, held)
    messages = _outbox(db)
    missing = set(KINDS.values()) - {"minutes_sent"} - {m.kind for m in messages}
    assert not missing, f"kinds not sent: {missing}"

    for message in messages:
        _assert_accessible(message, languages.get(message.recipient, "fr"))


def test_the_draft_minutes_mail_is_a_complete_document(app, db, held):
    with app.test_request_context():
        minutes_at(db, held, MinutesStatus.SENT)
    sent = [m for m in _outbox(db) if m.kind == KINDS["meetings/minutes_sent"]]
    assert sent
    for message in sent:
        _assert_accessible(message, "fr")


def test_the_receipt_number_is_a_heading_not_a_font_size(app, db, make_user):
    committee = make_committee()
    call = make_call(committee, make_meeting(committee), reference="AMI-2022", **IN_2022)
    with app.test_request_context():
        contribution = contribute(call, make_user(Role.CONTRIBUTOR))
        queue_receipt(contribution)
        db.session.commit()
    receipt = [m for m in _outbox(db) if "receipt" in m.kind][-1]
    mail = parse_mail_html(receipt.body_html)
    assert any(contribution.receipt in heading for heading in mail.headings)
    assert contribution.receipt in receipt.body_text


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_password_reset_speaks_the_accounts_language(app, db, make_user, locale):
    user = make_user(Role.MEMBER, email="lang@example.org")
    user.locale = locale
    db.session.commit()
    with app.test_request_context():
        request_password_reset("lang@example.org")
        db.session.commit()
    message = _outbox(db)[-1]
    mail = parse_mail_html(message.body_html)
    assert mail.lang == locale
    assert mail.title == message.subject
    assert ("Réinitialisation" in mail.title) == (locale == "fr")
