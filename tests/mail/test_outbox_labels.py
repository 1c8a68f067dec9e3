"""The outbox names each message's kind in words, never by its code (issue 20)."""

from __future__ import annotations

import re

from committees.calls.administration.notices import EVENTS
from committees.follows.models import EventKind
from committees.mail.labels import KIND_LABELS
from committees.mail.services import queue_message
from committees.reminders.kinds import Kind
from tests.support.helpers import ROOT, text_of

LITERAL_KIND = re.compile(r'\bkind="([a-z_]+)"')


def kinds_the_application_writes() -> set[str]:
    """Every outbox kind: the literals next to the queueing calls, and the computed ones."""
    found = {"general", "follow_digest", "calls_withdrawn", "calls_restored"}
    for path in (ROOT / "committees").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "queue_email(" in source or "queue_message(" in source:
            found |= set(LITERAL_KIND.findall(source))
    found |= {f"reminder_{kind.value}" for kind in Kind}
    found |= {f"calls_{event}" for event in EVENTS}
    found |= {f"follow_{kind.value}" for kind in EventKind}
    return found


def test_every_kind_the_application_writes_has_a_label():
    missing = kinds_the_application_writes() - set(KIND_LABELS)
    assert not missing, f"add these to committees/mail/labels.py: {sorted(missing)}"


def test_the_outbox_list_and_message_show_the_kind_in_words(db, client, secretariat):
    message = queue_message(
        "membre@example.org", "Convocation", "Texte.", kind="meeting_convocation"
    )
    db.session.commit()

    listing = text_of(client.get("/outbox/"))
    detail = text_of(client.get(f"/outbox/{message.id}"))
    english = text_of(client.get(f"/outbox/{message.id}?lang=en"))

    assert "Convocation" in listing
    assert "meeting_convocation" not in listing
    assert "meeting_convocation" not in detail
    assert "Notice of meeting" in english
