"""What a contributor sees: a file kept after a form error, line breaks shown as typed,
withdrawal confirmed, undone until the deadline, and told by e-mail."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.models import Contribution
from committees.common import filestore
from committees.common.timeutils import utcnow
from committees.mail.models import OutboxMessage
from tests.support.calls import form_data, make_call, pdf_bytes
from tests.support.helpers import csrf_token_from, text_of

_KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')
_PENDING = re.compile(r'name="pending_files" value="([^"]+)"')


@pytest.fixture
def contributor(signed_in):
    return signed_in(Role.CONTRIBUTOR, email="claire@example.org", full_name="Claire Dupont")


def _post(client, call, html: str, *, files=(), extra=None, **overrides):
    payload = {
        "csrf_token": csrf_token_from(html),
        "idempotency_key": unescape(_KEY.search(html).group(1)),
        **form_data(**overrides),
        **(extra or {}),
        "attachments": [(io.BytesIO(data), name) for name, data in files],
    }
    return client.post(
        f"/calls/{call.id}/contribute", data=payload, content_type="multipart/form-data"
    )


def _mails(db, kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_the_attached_pdf_is_kept_after_a_wrong_siren(client, db, contributor):
    call = make_call()
    form = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    document = pdf_bytes("notre contribution")
    refused = _post(client, call, form, files=[("contribution.pdf", document)], siren="732829321")
    assert refused.status_code == 422
    page = text_of(refused)
    assert "chiffre de contrôle" in page
    assert "Ces fichiers joints sont conservés : inutile de les joindre à nouveau." in page
    assert "contribution.pdf" in page
    html = refused.get_data(as_text=True)
    token = unescape(_PENDING.search(html).group(1))

    # Corrected, without attaching the file again.
    accepted = _post(client, call, html, extra={"pending_files": token}, siren="732829320")
    assert accepted.status_code == 302
    contribution = db.session.scalar(select(Contribution))
    [attachment] = contribution.attachments
    assert attachment.filename == "contribution.pdf"
    assert filestore.read_bytes(attachment.sha256) == document
    receipt = _mails(db, "calls_receipt")[0]
    assert "contribution.pdf" in receipt.body_text


def test_a_kept_file_is_only_for_its_account_and_call(client, db, contributor, make_user):
    call, other_call = make_call(), make_call()
    form = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    refused = _post(client, call, form, files=[("a.pdf", pdf_bytes("a"))], siren="732829321")
    token = unescape(_PENDING.search(refused.get_data(as_text=True)).group(1))
    other_form = client.get(f"/calls/{other_call.id}/contribute").get_data(as_text=True)
    accepted = _post(client, other_call, other_form, extra={"pending_files": token})
    assert accepted.status_code == 302
    assert db.session.scalar(select(Contribution)).attachments == []
    forged = _post(client, call, form, extra={"pending_files": token[:-3] + "abc"})
    assert forged.status_code == 302
    mine = db.session.scalar(select(Contribution).where(Contribution.call_id == call.id))
    assert mine.attachments == []  # a tampered signature names no file


def test_line_breaks_typed_in_the_text_are_shown(client, db, contributor):
    call = make_call()
    form = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    text = "Première ligne\r\nDeuxième ligne\r\n\r\nSecond paragraphe"
    response = _post(client, call, form, text=text)
    contribution = db.session.scalar(select(Contribution))
    assert contribution.text == "Première ligne\nDeuxième ligne\n\nSecond paragraphe"
    html = client.get(f"/my/contributions/{contribution.id}").get_data(as_text=True)
    assert response.status_code == 302
    assert '<div class="contribution-text"><p>Première ligne\nDeuxième ligne</p>' in html
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert re.search(r"\.contribution-text p \{\s*white-space: pre-line;", css)


def test_withdrawal_is_confirmed_told_by_email_and_undone_until_the_deadline(
    client, db, contributor
):
    call = make_call(reference="AMI-2022")
    form = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    _post(client, call, form)
    contribution = db.session.scalar(select(Contribution))
    url = f"/my/contributions/{contribution.id}"

    detail = client.get(url)
    assert f'href="{url}/withdraw"' in detail.get_data(as_text=True)
    confirm = client.get(f"{url}/withdraw")
    page = text_of(confirm)
    assert "Retirer la contribution AMI-2022-0001 ?" in page
    assert "Vous pourrez annuler ce retrait jusqu'au" in page
    assert db.session.scalar(select(Contribution.status)) == "submitted"  # nothing yet

    done = client.post(
        f"{url}/withdraw",
        data={"csrf_token": csrf_token_from(confirm.get_data(as_text=True))},
        follow_redirects=True,
    )
    page = text_of(done)
    assert "La contribution AMI-2022-0001 est retirée. Vous pouvez annuler ce retrait" in page
    assert 'value="Annuler le retrait"' in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Contribution.status)) == "withdrawn"
    [mail] = _mails(db, "calls_withdrawn")
    assert mail.recipient == "claire@example.org"
    assert "Votre contribution AMI-2022-0001" in mail.subject
    assert "Vous pouvez annuler ce retrait jusqu'au" in mail.body_text

    restored = client.post(
        f"{url}/restore",
        data={"csrf_token": csrf_token_from(done.get_data(as_text=True))},
        follow_redirects=True,
    )
    assert "Le retrait de la contribution AMI-2022-0001 est annulé." in text_of(restored)
    db.session.expire_all()
    assert db.session.scalar(select(Contribution.status)) == "submitted"
    assert len(_mails(db, "calls_restored")) == 1


def test_a_withdrawal_cannot_be_undone_after_the_deadline(client, db, contributor):
    call = make_call()
    form = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    _post(client, call, form)
    contribution = db.session.scalar(select(Contribution))
    url = f"/my/contributions/{contribution.id}"
    confirm = client.get(f"{url}/withdraw").get_data(as_text=True)
    client.post(f"{url}/withdraw", data={"csrf_token": csrf_token_from(confirm)})
    call.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(url)
    assert 'value="Annuler le retrait"' not in page.get_data(as_text=True)
    refused = client.post(
        f"{url}/restore",
        data={"csrf_token": csrf_token_from(page.get_data(as_text=True))},
        follow_redirects=True,
    )
    assert "L'appel est clos depuis le" in text_of(refused)
    db.session.expire_all()
    assert db.session.scalar(select(Contribution.status)) == "withdrawn"
    assert _mails(db, "calls_restored") == []
