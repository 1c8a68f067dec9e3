"""The deadline: the server's clock decides, to the second, in Paris time, across DST changes."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time, timedelta
from html import unescape

import pytest
from sqlalchemy import select, update

from committees.auth.models import Role
from committees.calls.models import Call, Contribution
from committees.calls.rules import CallError, is_open
from committees.calls.submission.services import (
    ContributionData,
    edit_contribution,
    submit_contribution,
)
from committees.common.timeutils import PARIS, utcnow
from committees.meetings.rules import paris_to_utc
from tests.support.calls import form_data, make_call, pdf_bytes, uploaded_files
from tests.support.helpers import count_rows, csrf_token_from, text_of

APRIL_20_2359 = paris_to_utc(date(2022, 4, 20), time(23, 59))
SECOND = timedelta(seconds=1)
_KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')


def data() -> ContributionData:
    return ContributionData(
        organisation="Ferme des Trois Chênes",
        organisation_kind="farmer",
        contact_name="Luc Bernard",
        text="Contribution écrite.",
    )


@pytest.fixture
def contributor(make_user):
    return make_user(Role.CONTRIBUTOR)


def _april_call():
    return make_call(
        reference="AMI-2022",
        opens_at=datetime(2022, 3, 1, tzinfo=UTC),
        closes_at=APRIL_20_2359,
        published_at=datetime(2022, 3, 1, tzinfo=UTC),
    )


def test_the_deadline_is_stored_in_utc():
    # 20/04/2022 23:59 in Paris is summer time (UTC+2).
    assert datetime(2022, 4, 20, 21, 59, tzinfo=UTC) == APRIL_20_2359


def test_one_second_before_the_deadline_is_accepted(db, contributor):
    call = _april_call()
    contribution = submit_contribution(
        call, contributor, data(), [], "before-the-deadline-key", now=APRIL_20_2359 - SECOND
    )
    assert contribution.receipt == "AMI-2022-0001"
    assert contribution.submitted_at == APRIL_20_2359 - SECOND


def test_one_second_after_the_deadline_is_refused_with_paris_time(db, contributor):
    call = _april_call()
    with pytest.raises(CallError) as refused:
        submit_contribution(
            call, contributor, data(), [], "after-the-deadline-key", now=APRIL_20_2359 + SECOND
        )
    assert str(refused.value) == "L'appel est clos depuis le 20/04/2022 à 23:59 (heure de Paris)."
    assert count_rows(db, Contribution) == 0
    assert db.session.execute(select(Call.last_receipt_number)).scalar_one() == 0


def test_the_closing_second_itself_is_refused(db, contributor):
    call = _april_call()
    assert is_open(call, APRIL_20_2359 - SECOND)
    assert not is_open(call, APRIL_20_2359)


def test_before_the_opening_is_refused(db, contributor):
    call = _april_call()
    with pytest.raises(CallError) as refused:
        submit_contribution(
            call, contributor, data(), [], "before-the-opening-key", now=call.opens_at - SECOND
        )
    assert "pas encore ouvert" in str(refused.value)


@pytest.mark.parametrize(
    ("day", "utc_deadline", "shown"),
    [
        # The eve of the spring change: still winter time, UTC+1.
        (date(2022, 3, 26), datetime(2022, 3, 26, 22, 59, tzinfo=UTC), "26/03/2022 à 23:59"),
        # The day of the change (clocks jumped from 02:00 to 03:00): summer time, UTC+2.
        (date(2022, 3, 27), datetime(2022, 3, 27, 21, 59, tzinfo=UTC), "27/03/2022 à 23:59"),
        # The autumn change: back to UTC+1.
        (date(2022, 10, 30), datetime(2022, 10, 30, 22, 59, tzinfo=UTC), "30/10/2022 à 23:59"),
    ],
)
def test_deadline_across_a_daylight_saving_change(
    client, db, contributor, day, utc_deadline, shown
):
    deadline = paris_to_utc(day, time(23, 59))
    assert deadline == utc_deadline
    call = make_call(
        opens_at=datetime(2022, 3, 1, tzinfo=UTC),
        closes_at=deadline,
        published_at=datetime(2022, 3, 1, tzinfo=UTC),
    )
    stored = db.session.execute(select(Call.closes_at).where(Call.id == call.id)).scalar_one()
    assert stored == utc_deadline

    submit_contribution(
        call, contributor, data(), [], "one-second-before-key", now=deadline - SECOND
    )
    with pytest.raises(CallError) as refused:
        submit_contribution(
            call, contributor, data(), [], "one-second-after-key", now=deadline + SECOND
        )
    assert f"clos depuis le {shown} (heure de Paris)" in str(refused.value)

    page = text_of(client.get(f"/calls/{call.id}"))
    local_day = {26: "26 mars 2022", 27: "27 mars 2022", 30: "30 octobre 2022"}[day.day]
    assert f"{local_day}, 23:59 (heure de Paris)" in page


def test_the_last_hour_before_the_spring_change(db, contributor):
    # 02:30 does not exist in Paris on 27/03/2022; 01:59 does, and it is 00:59 UTC.
    deadline = paris_to_utc(date(2022, 3, 27), time(1, 59))
    assert deadline == datetime(2022, 3, 27, 0, 59, tzinfo=UTC)
    call = make_call(
        opens_at=datetime(2022, 3, 1, tzinfo=UTC),
        closes_at=deadline,
        published_at=datetime(2022, 3, 1, tzinfo=UTC),
    )
    # One real hour later it is 03:59 on the wall clock, not 02:59.
    with pytest.raises(CallError) as refused:
        submit_contribution(
            call, contributor, data(), [], "late-night-key-0001", now=deadline + SECOND
        )
    assert "27/03/2022 à 01:59" in str(refused.value)


# --- through HTTP, on the real clock --------------------------------------------------


@pytest.fixture
def signed_contributor(signed_in):
    return signed_in(Role.CONTRIBUTOR)


def _post(client, call, html: str):
    payload = {
        "csrf_token": csrf_token_from(html),
        "idempotency_key": unescape(_KEY.search(html).group(1)),
        **form_data(),
        "attachments": [(io.BytesIO(pdf_bytes()), "contribution.pdf")],
    }
    return client.post(
        f"/calls/{call.id}/contribute", data=payload, content_type="multipart/form-data"
    )


def test_a_form_posted_before_the_deadline_is_accepted(client, db, signed_contributor):
    call = make_call(closes_at=utcnow() + timedelta(seconds=60))
    html = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    response = _post(client, call, html)
    assert response.status_code == 302
    assert count_rows(db, Contribution) == 1


def test_a_form_opened_before_and_posted_after_the_deadline_is_refused(
    app, client, db, signed_contributor
):
    call = make_call(closes_at=utcnow() + timedelta(seconds=60))
    html = client.get(f"/calls/{call.id}/contribute").get_data(as_text=True)
    closed_at = utcnow() - SECOND
    db.session.execute(update(Call).where(Call.id == call.id).values(closes_at=closed_at))
    db.session.commit()

    response = _post(client, call, html)
    assert response.status_code == 422
    local = closed_at.astimezone(PARIS)
    expected = f"L'appel est clos depuis le {local:%d/%m/%Y} à {local:%H:%M} (heure de Paris)."
    assert expected in text_of(response)
    assert count_rows(db, Contribution) == 0
    assert uploaded_files(app.config["UPLOAD_FOLDER"]) == []


def test_the_form_is_not_offered_after_the_deadline(client, signed_contributor):
    call = make_call(closes_at=utcnow() - SECOND, opens_at=utcnow() - timedelta(days=3))
    response = client.get(f"/calls/{call.id}/contribute")
    assert response.status_code == 200
    assert "L'appel est clos depuis le" in text_of(response)
    assert 'name="idempotency_key"' not in response.get_data(as_text=True)


def test_after_the_deadline_a_contribution_is_read_only(client, db, signed_contributor):
    call = make_call(closes_at=utcnow() + timedelta(seconds=60))
    contribution = submit_contribution(call, signed_contributor, data(), [], "read-only-later-key")
    db.session.execute(update(Call).where(Call.id == call.id).values(closes_at=utcnow() - SECOND))
    db.session.commit()
    db.session.expire_all()

    detail = client.get(f"/my/contributions/{contribution.id}")
    assert "L'appel est clos depuis le" in text_of(detail)
    assert "lecture seule" in text_of(detail)
    assert f"/my/contributions/{contribution.id}/edit" not in detail.get_data(as_text=True)
    edit = client.get(f"/my/contributions/{contribution.id}/edit")
    assert edit.status_code == 302
    contribution = db.session.get(Contribution, contribution.id)
    with pytest.raises(CallError):
        edit_contribution(contribution, data())
