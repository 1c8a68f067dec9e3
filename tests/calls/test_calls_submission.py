"""Submitting a contribution: receipt, files, resent forms, failures, isolation, concurrency."""

from __future__ import annotations

import io
import re
import threading
from html import unescape

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from committees.auth.models import Role, User
from committees.calls.models import (
    Call,
    Contribution,
    ContributionAttachment,
    ContributionStatus,
    ContributionVersion,
)
from committees.calls.rules import CallError, clean_siren, siren_is_valid
from committees.calls.submission.services import (
    ContributionData,
    Upload,
    edit_contribution,
    submit_contribution,
    withdraw_contribution,
)
from committees.common import filestore
from committees.common.filetypes import sniff
from committees.mail.models import OutboxMessage
from tests.support.calls import (
    docx_bytes,
    form_data,
    make_call,
    odt_bytes,
    pdf_bytes,
    uploaded_files,
)
from tests.support.helpers import (
    count_rows,
    csrf_token_from,
    errors_beside,
    open_session,
    outbox,
    text_of,
)

_KEY = re.compile(
    r'name="idempotency_key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="idempotency_key"'
)


def form_tokens(client, call) -> dict:
    """Open the submission form and return its CSRF token and idempotency key."""
    page = client.get(f"/calls/{call.id}/contribute")
    assert page.status_code == 200, text_of(page)
    html = page.get_data(as_text=True)
    key = _KEY.search(html)
    assert key, "no idempotency key in the form"
    return {
        "csrf_token": csrf_token_from(html),
        "idempotency_key": unescape(key.group(1) or key.group(2)),
    }


def post_contribution(client, call, *, files=(), tokens=None, **overrides):
    payload = {**(tokens or form_tokens(client, call)), **form_data(**overrides)}
    payload["attachments"] = [(io.BytesIO(data), name) for name, data in files]
    return client.post(
        f"/calls/{call.id}/contribute", data=payload, content_type="multipart/form-data"
    )


def data(**overrides) -> ContributionData:
    values = {
        "organisation": "Pharmacie centrale",
        "organisation_kind": "pharmaceutical_establishment",
        "contact_name": "Paul Martin",
        "text": "Notre établissement prépare des médicaments.",
    }
    values.update(overrides)
    return ContributionData(**values)


def receipt_counter(db, call) -> int:
    return db.session.execute(
        select(Call.last_receipt_number).where(Call.id == call.id)
    ).scalar_one()


def contributions(db) -> list[Contribution]:
    return list(db.session.execute(select(Contribution).order_by(Contribution.id)).scalars())


@pytest.fixture
def contributor(signed_in):
    return signed_in(Role.CONTRIBUTOR, email="claire@example.org", full_name="Claire Dupont")


# --- the happy path -------------------------------------------------------------------


def test_contributor_gets_a_receipt_on_screen_and_by_email(app, client, db, contributor):
    call = make_call(reference="AMI-2022")
    response = post_contribution(
        client, call, files=[("contribution.pdf", pdf_bytes()), ("annexe.docx", docx_bytes())]
    )
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"])
    assert receipt.status_code == 200
    assert "AMI-2022-0001" in text_of(receipt)
    assert 'id="receipt">AMI-2022-0001<' in receipt.get_data(as_text=True)

    [contribution] = contributions(db)
    assert contribution.receipt == "AMI-2022-0001"
    assert contribution.receipt_number == 1
    assert contribution.contributor_id == contributor.id
    assert contribution.siren == "732829320"
    assert contribution.themes == ["Culture et récolte"]
    assert contribution.consent_publication
    assert contribution.wants_hearing
    assert receipt_counter(db, call) == 1
    files = {a.filename: a for a in contribution.attachments}
    assert files["contribution.pdf"].content_type == "application/pdf"
    assert files["annexe.docx"].content_type.endswith("wordprocessingml.document")
    assert filestore.read_bytes(files["contribution.pdf"].sha256) == pdf_bytes()

    [message] = outbox(db)
    assert message.recipient == "claire@example.org"
    assert message.subject == "Accusé de réception de votre contribution AMI-2022-0001"
    body = message.body_text
    assert "Numéro d'accusé de réception : AMI-2022-0001" in body
    assert "Organisation : Coopérative Chanvre du Berry" in body
    assert "contribution.pdf (1 ko)" in body
    assert "annexe.docx" in body
    assert f"http://localhost/my/contributions/{contribution.id}" in body
    assert "AMI-2022-0001" in message.body_html


def test_receipt_numbers_follow_each_other_within_a_call(client, db, contributor):
    call = make_call(reference="AMI-2023")
    for _ in range(3):
        assert post_contribution(client, call).status_code == 302
    assert [c.receipt for c in contributions(db)] == [
        "AMI-2023-0001",
        "AMI-2023-0002",
        "AMI-2023-0003",
    ]


def test_odt_recognised_by_content_and_a_fake_docx_refused():
    assert sniff(odt_bytes()).kind == "odt"
    assert sniff(docx_bytes()).kind == "docx"
    assert sniff(pdf_bytes()).kind == "pdf"
    assert sniff(b"PK\x03\x04 not really a zip") is None
    assert sniff(b"Hello, I am text") is None


# --- refusals -------------------------------------------------------------------------


def test_a_pdf_that_is_really_text_is_refused_and_nothing_is_kept(app, client, db, contributor):
    call = make_call()
    response = post_contribution(
        client, call, files=[("contribution.pdf", b"Just some text, not a PDF at all.")]
    )
    assert response.status_code == 422
    error = errors_beside(response, "attachments")
    assert "contribution.pdf" in error
    assert "type accepté" in error
    # The form keeps what was typed.
    assert 'value="Coopérative Chanvre du Berry"' in response.get_data(as_text=True)
    assert count_rows(db, Contribution) == 0
    assert count_rows(db, OutboxMessage) == 0
    assert uploaded_files(app.config["UPLOAD_FOLDER"]) == []


def test_a_type_the_call_does_not_accept_is_refused(client, db, contributor):
    call = make_call(allowed_types="pdf")
    response = post_contribution(client, call, files=[("annexe.odt", odt_bytes())])
    assert response.status_code == 422
    assert "(PDF)" in errors_beside(response, "attachments")
    assert count_rows(db, Contribution) == 0


def test_oversized_request_gets_the_french_413_page_and_nothing_is_stored(
    app, client, db, contributor
):
    call = make_call()
    tokens = form_tokens(client, call)
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    try:
        response = post_contribution(
            client, call, tokens=tokens, files=[("gros.pdf", pdf_bytes() + b"0" * 100_000)]
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert response.status_code == 413
    page = text_of(response)
    assert "Fichier trop volumineux" in page
    assert "Rien n'a été enregistré" in page
    assert count_rows(db, Contribution) == 0
    assert uploaded_files(app.config["UPLOAD_FOLDER"]) == []


def test_a_file_over_the_calls_limit_is_refused_beside_the_field(app, client, db, contributor):
    call = make_call(max_attachment_bytes=2000)
    response = post_contribution(client, call, files=[("long.pdf", pdf_bytes() + b"0" * 3000)])
    assert response.status_code == 422
    assert "dépasse la taille maximale" in errors_beside(response, "attachments")
    assert count_rows(db, Contribution) == 0
    assert uploaded_files(app.config["UPLOAD_FOLDER"]) == []


def test_too_many_files_are_refused(client, db, contributor):
    call = make_call(max_attachments=1)
    response = post_contribution(
        client, call, files=[("a.pdf", pdf_bytes("a")), ("b.pdf", pdf_bytes("b"))]
    )
    assert response.status_code == 422
    assert "au plus 1 pièce" in errors_beside(response, "attachments")
    assert count_rows(db, Contribution) == 0


def test_siren_check_digit():
    assert siren_is_valid("732829320")
    assert not siren_is_valid("732829321")
    assert not siren_is_valid("73282932")
    assert clean_siren("732 829 320") == "732829320"
    assert clean_siren("") is None
    with pytest.raises(CallError) as refused:
        clean_siren("732829321")
    assert refused.value.field == "siren"


def test_invalid_siren_is_refused_beside_the_field(client, db, contributor):
    call = make_call()
    response = post_contribution(client, call, siren="732829321")
    assert response.status_code == 422
    assert "chiffre de contrôle" in errors_beside(response, "siren")
    assert 'value="732829321"' in response.get_data(as_text=True)
    assert count_rows(db, Contribution) == 0


def test_missing_fields_are_named(client, db, contributor):
    call = make_call()
    response = post_contribution(client, call, organisation="", contact_name="", text="")
    assert response.status_code == 422
    assert "Indiquez le nom de l'organisation." in errors_beside(response, "organisation")
    assert "Indiquez la personne à contacter." in errors_beside(response, "contact_name")
    assert "Rédigez le texte" in errors_beside(response, "text")
    assert count_rows(db, Contribution) == 0


def test_consent_is_not_offered_when_the_call_publishes_nothing(client, db, contributor):
    call = make_call(contributions_publishable=False)
    page = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    assert 'name="consent_publication"' not in page
    assert post_contribution(client, call).status_code == 302
    assert contributions(db)[0].consent_publication is False


# --- resent forms ---------------------------------------------------------------------


def test_a_resent_form_creates_one_contribution_and_one_receipt(client, db, contributor):
    call = make_call(reference="AMI-2022")
    tokens = form_tokens(client, call)
    first = post_contribution(client, call, tokens=tokens, files=[("c.pdf", pdf_bytes())])
    again = post_contribution(client, call, tokens=tokens, files=[("c.pdf", pdf_bytes())])
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    [contribution] = contributions(db)
    assert contribution.receipt == "AMI-2022-0001"
    assert len(outbox(db)) == 1
    assert receipt_counter(db, call) == 1


def test_two_identical_posts_racing_make_one_contribution(app, db, make_user):
    call_id = make_call().id
    user_id = make_user(Role.CONTRIBUTOR).id
    results, errors = [], []
    barrier = threading.Barrier(2)

    def submit():
        with app.app_context():
            try:
                barrier.wait()
                contribution = submit_contribution(
                    db.session.get(Call, call_id),
                    db.session.get(User, user_id),
                    data(),
                    [Upload("c.pdf", pdf_bytes())],
                    "same-key-for-both-posts",
                )
                results.append(contribution.id)
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(results) == 2
    assert results[0] == results[1]
    assert count_rows(db, Contribution) == 1
    assert db.session.execute(select(Call.last_receipt_number)).scalar_one() == 1


# --- failures leave nothing -----------------------------------------------------------


def test_a_failure_while_storing_the_second_file_leaves_no_row_and_no_file(
    app, db, make_user, monkeypatch
):
    call = make_call(reference="AMI-2022")
    user = make_user(Role.CONTRIBUTOR)
    real_replace = filestore.os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(filestore.os, "replace", failing_replace)
    files = [Upload("a.pdf", pdf_bytes("a")), Upload("b.pdf", pdf_bytes("b"))]
    with pytest.raises(filestore.StoreUnavailable) as refused:
        submit_contribution(call, user, data(), files, "key-of-the-failed-form")
    assert refused.value.cause.errno == 28
    assert len(calls) == 2
    assert count_rows(db, Contribution) == 0
    assert count_rows(db, ContributionAttachment) == 0
    assert count_rows(db, OutboxMessage) == 0
    assert uploaded_files(app.config["UPLOAD_FOLDER"]) == []

    # The number the failed attempt took is given back: no gap.
    monkeypatch.setattr(filestore.os, "replace", real_replace)
    contribution = submit_contribution(
        db.session.get(Call, call.id), user, data(), files, "key-of-the-second-form"
    )
    assert contribution.receipt == "AMI-2022-0001"
    assert len(uploaded_files(app.config["UPLOAD_FOLDER"])) == 2


def test_a_database_failure_after_storing_leaves_no_file(app, db, make_user, monkeypatch):
    call = make_call()
    user = make_user(Role.CONTRIBUTOR)
    # A contribution text the database refuses at flush (NOT NULL), after the files are written.
    from committees.calls.submission import services as submission

    real_store = submission._store

    def store_then_break(contribution, checked):
        real_store(contribution, checked)
        contribution.organisation = None

    monkeypatch.setattr(submission, "_store", store_then_break)
    with pytest.raises(IntegrityError):
        submit_contribution(call, user, data(), [Upload("a.pdf", pdf_bytes())], "key-0123456789abc")
    assert count_rows(db, Contribution) == 0
    assert uploaded_files(app.config["UPLOAD_FOLDER"]) == []


# --- access ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    call = make_call()
    response = client.get(f"/calls/{call.id}/contribute")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_unconfirmed_account_is_told_to_confirm(client, db, make_user):
    call = make_call()
    user = make_user(Role.CONTRIBUTOR, confirmed=False)
    open_session(client, user)
    response = client.get(f"/calls/{call.id}/contribute")
    assert response.status_code == 403
    assert "Confirmez d'abord votre adresse électronique" in text_of(response)


def test_a_draft_call_takes_no_contribution(client, contributor):
    call = make_call(status="draft")
    assert client.get(f"/calls/{call.id}/contribute").status_code == 404


def test_a_contributor_never_sees_another_ones_contribution(app, client, db, make_user):
    call = make_call()
    owner = make_user(Role.CONTRIBUTOR, email="owner@example.org")
    theirs = submit_contribution(
        call,
        owner,
        data(organisation="Laboratoire Secret"),
        [Upload("s.pdf", pdf_bytes())],
        "k" * 20,
    )
    attachment_id = theirs.attachments[0].id
    other = make_user(Role.CONTRIBUTOR, email="other@example.org")
    open_session(client, other)

    listing = client.get("/my/contributions")
    assert listing.status_code == 200
    assert theirs.receipt not in text_of(listing)
    base = f"/my/contributions/{theirs.id}"
    for url in (base, f"{base}/receipt", f"{base}/edit", f"{base}/attachments/{attachment_id}"):
        assert client.get(url).status_code == 404, url
    token = csrf_token_from(client.get("/my/contributions").get_data(as_text=True))
    assert client.post(f"{base}/withdraw", data={"csrf_token": token}).status_code == 404
    assert db.session.get(Contribution, theirs.id).status == ContributionStatus.SUBMITTED.value


# --- the contributor's space ----------------------------------------------------------


def test_my_contributions_lists_them_with_status(client, db, contributor):
    call = make_call(reference="AMI-2022")
    post_contribution(client, call)
    page = client.get("/my/contributions")
    assert page.status_code == 200
    text = text_of(page)
    assert "AMI-2022-0001" in text
    assert call.title in text
    assert "Déposée" in text


def test_my_contributions_costs_a_bounded_number_of_queries(client, db, contributor, count_queries):
    for n in range(4):
        call = make_call()
        submit_contribution(call, contributor, data(), [], f"key-of-form-number-{n}")
    with count_queries() as few:
        client.get("/my/contributions")
    for n in range(4, 12):
        call = make_call()
        submit_contribution(call, contributor, data(), [], f"key-of-form-number-{n}")
    with count_queries() as many:
        page = client.get("/my/contributions")
    assert page.status_code == 200
    assert len(many) == len(few)


def test_edit_keeps_the_previous_version_and_files(client, db, contributor):
    call = make_call()
    post_contribution(client, call, files=[("v1.pdf", pdf_bytes("v1"))])
    [contribution] = contributions(db)
    [old_file] = contribution.attachments
    url = f"/my/contributions/{contribution.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    payload = {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "version": "1",
        "remove_attachments": [str(old_file.id)],
        "attachments": [(io.BytesIO(docx_bytes()), "v2.docx")],
        **form_data(text="Texte complété après relecture.", siren=""),
    }
    response = client.post(url, data=payload, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    contribution = db.session.get(Contribution, contribution.id)
    assert contribution.version == 2
    assert contribution.text == "Texte complété après relecture."
    assert contribution.siren is None
    [version] = contribution.versions
    assert version.number == 1
    assert version.snapshot["text"] == "Nous cultivons du chanvre depuis vingt ans."
    assert [a["filename"] for a in version.snapshot["attachments"]] == ["v1.pdf"]
    assert {(a.filename, a.current) for a in contribution.attachments} == {
        ("v1.pdf", False),
        ("v2.docx", True),
    }
    # The removed file stays downloadable from the earlier version.
    assert filestore.exists(old_file.sha256)
    detail = client.get(f"/my/contributions/{contribution.id}")
    assert "Versions précédentes" in text_of(detail)
    download = client.get(f"/my/contributions/{contribution.id}/attachments/{old_file.id}")
    assert download.status_code == 200
    assert download.data == pdf_bytes("v1")


def test_a_stale_edit_is_refused(client, db, contributor):
    call = make_call()
    post_contribution(client, call)
    [contribution] = contributions(db)
    url = f"/my/contributions/{contribution.id}/edit"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    edit_contribution(contribution, data(text="Modifiée dans un autre onglet."))
    payload = {"csrf_token": token, "version": "1", **form_data(text="Ma version")}
    response = client.post(url, data=payload, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "modifiée entre-temps" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).text == "Modifiée dans un autre onglet."


def test_edit_cannot_exceed_the_number_of_files(db, make_user):
    call = make_call(max_attachments=1)
    user = make_user(Role.CONTRIBUTOR)
    contribution = submit_contribution(call, user, data(), [Upload("a.pdf", pdf_bytes())], "k" * 16)
    with pytest.raises(CallError):
        edit_contribution(contribution, data(), [Upload("b.pdf", pdf_bytes("b"))])
    db.session.rollback()
    assert count_rows(db, ContributionVersion) == 0
    assert db.session.get(Contribution, contribution.id).version == 1


def test_withdrawal_keeps_the_receipt_number_taken(client, db, contributor):
    call = make_call(reference="AMI-2022")
    post_contribution(client, call)
    [first] = contributions(db)
    detail = client.get(f"/my/contributions/{first.id}")
    token = csrf_token_from(detail.get_data(as_text=True))
    response = client.post(f"/my/contributions/{first.id}/withdraw", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Retirée" in text_of(page)
    post_contribution(client, call)
    db.session.expire_all()
    assert [(c.receipt, c.status) for c in contributions(db)] == [
        ("AMI-2022-0001", "withdrawn"),
        ("AMI-2022-0002", "submitted"),
    ]
    with pytest.raises(CallError):
        withdraw_contribution(contributions(db)[0])


# --- concurrency ----------------------------------------------------------------------


def test_concurrent_submissions_get_distinct_gap_free_numbers(app, db, make_user):
    call = make_call(reference="AMI-2022")
    call_id = call.id
    user_ids = [make_user(Role.CONTRIBUTOR).id for _ in range(4)]
    results, errors = [], []
    barrier = threading.Barrier(8)

    def submit(n: int):
        with app.app_context():
            try:
                barrier.wait()
                contribution = submit_contribution(
                    db.session.get(Call, call_id),
                    db.session.get(User, user_ids[n % 4]),
                    data(organisation=f"Organisation {n}"),
                    [Upload(f"{n}.pdf", pdf_bytes(str(n)))],
                    f"concurrent-form-key-{n:04d}",
                )
                results.append(contribution.receipt_number)
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(results) == list(range(1, 9))
    receipts = db.session.execute(select(Contribution.receipt)).scalars().all()
    assert sorted(receipts) == [f"AMI-2022-{n:04d}" for n in range(1, 9)]
    assert receipt_counter(db, call) == 8


def test_losing_the_race_on_the_key_returns_the_winners_contribution(db, make_user, monkeypatch):
    """The other post committed between our look-up and our insert: the unique key decides."""
    from committees.calls.submission import services as submission

    call = make_call()
    user = make_user(Role.CONTRIBUTOR)
    winner = submit_contribution(
        call, user, data(), [Upload("c.pdf", pdf_bytes())], "raced-key-0123456"
    )
    real_existing = submission._existing
    looked_up = []

    def not_yet_committed(contributor_id, key):
        looked_up.append(key)
        return None if len(looked_up) == 1 else real_existing(contributor_id, key)

    monkeypatch.setattr(submission, "_existing", not_yet_committed)
    again = submit_contribution(
        db.session.get(Call, call.id),
        user,
        data(),
        [Upload("c.pdf", pdf_bytes())],
        "raced-key-0123456",
    )
    assert again.id == winner.id
    assert len(looked_up) == 2
    assert count_rows(db, Contribution) == 1
    assert len(outbox(db)) == 1
    assert receipt_counter(db, call) == 1
    assert filestore.exists(winner.attachments[0].sha256)
