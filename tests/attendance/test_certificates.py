"""Attendance certificates and experts' fees: a certificate's code checked by its public
address (and refused when altered), the yearly statement's amounts against a hand-built
year, the secretariat's CSV, who may download what, and a session's live broadcast link."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from committees.auth.models import Role
from committees.common.timeutils import utcnow
from committees.meetings.models import Attendance, FeeRate
from tests.support.helpers import DEFAULT_PASSWORD, errors_beside, login, post_form, text_of
from tests.support.meetings import appoint, make_committee, schedule

YEAR = 2022


def _attend(db, meeting, mandate, presence):
    attendance = Attendance(meeting=meeting, mandate_id=mandate.id, presence=presence)
    db.session.add(attendance)
    db.session.commit()
    return attendance


def _year_of_claire(db, make_user):
    """Claire's 2022 in the CST: 3 sessions in person, 1 remote, 1 half day (morning, 3 h 30),
    plus one she was excused from and one in 2023: 625,00 € at 150 / 100 / 75."""
    committee = make_committee(db)
    user = make_user(Role.MEMBER, email="claire@example.org")
    claire = appoint(db, committee, "Claire", "Martin", user=user)
    attendances = []
    for month in (2, 4, 6):
        meeting = schedule(db, committee, date(YEAR, month, 3), start=(10, 0), end=(17, 0))
        attendances.append(_attend(db, meeting, claire, "present"))
    remote = schedule(db, committee, date(YEAR, 9, 8), start=(10, 0), end=(17, 0))
    attendances.append(_attend(db, remote, claire, "remote"))
    half = schedule(db, committee, date(YEAR, 10, 6), start=(9, 0), end=(12, 30))
    attendances.append(_attend(db, half, claire, "present"))
    excused = schedule(db, committee, date(YEAR, 11, 3))
    _attend(db, excused, claire, "excused")
    later = schedule(db, committee, date(YEAR + 1, 1, 12))
    _attend(db, later, claire, "present")
    return committee, claire, user, attendances


def _set_rates(client, committee, **amounts):
    return post_form(client, f"/secretariat/committees/{committee.id}/fees", amounts)


def test_yearly_statement_against_a_hand_built_year(client, db, secretary, make_user):
    committee, claire, _user, _attendances = _year_of_claire(db, make_user)
    response = _set_rates(client, committee, in_person="150", remote="100,00", half_day="75")
    assert response.status_code == 303
    rates = {r.kind: r.amount for r in db.session.scalars(select(FeeRate))}
    assert rates == {
        "in_person": Decimal("150.00"),
        "remote": Decimal("100.00"),
        "half_day": Decimal("75.00"),
    }
    assert all(isinstance(amount, Decimal) for amount in rates.values())

    page = text_of(client.get(f"/secretariat/committees/{committee.id}/fees?year={YEAR}"))
    assert "625,00" in page

    csv = client.get(f"/secretariat/committees/{committee.id}/fees/{YEAR}.csv")
    assert csv.status_code == 200
    assert csv.mimetype == "text/csv"
    lines = csv.get_data().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Nom;Comité;Séance;Date;Présence;Type d'indemnité;Montant")
    body = lines[1:]
    assert len(body) == 6  # five sessions and the total
    assert [line.rsplit(";", 1)[1] for line in body] == [
        "150,00",
        "150,00",
        "150,00",
        "100,00",
        "75,00",
        "625,00",
    ]
    assert "2022-11-03" not in csv.get_data(as_text=True)  # excused: not paid

    pdf = client.get(
        f"/secretariat/committees/{committee.id}/fees/{YEAR}/people/{claire.person_id}.pdf"
    )
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


def test_bad_rates_are_refused_and_nothing_is_kept(client, db, secretary):
    committee = make_committee(db)
    for value in ("abc", "-5", "1e9", "NaN"):
        response = _set_rates(client, committee, in_person=value, remote="", half_day="")
        assert response.status_code == 422, value
        assert "Indiquez un montant" in errors_beside(response, "in_person")
    assert db.session.scalars(select(FeeRate)).all() == []


def test_a_certificate_code_is_checked_by_its_public_address(client, db, make_user):
    committee, _claire, _user, attendances = _year_of_claire(db, make_user)
    member = client.application.test_client()
    assert login(member, "claire@example.org", DEFAULT_PASSWORD).status_code == 302
    page = text_of(member.get("/my/certificates"))
    assert "625,00" not in page  # no rate set yet: no amount due
    certificate = member.get(f"/my/certificates/{attendances[0].id}.pdf")
    assert certificate.status_code == 200
    assert certificate.data.startswith(b"%PDF")

    from committees.meetings.certificates.services import certificate_of

    code = certificate_of(attendances[0]).code
    anonymous = client.application.test_client()
    verified = anonymous.get(f"/certificates/{code}")
    assert verified.status_code == 200
    text = text_of(verified)
    assert "Claire Martin" in text
    assert committee.name_fr in text
    assert "3 février 2022" in text
    assert "Présent·e" in text

    last = code[-1]
    altered = code[:-1] + ("A" if last != "A" else "B")
    for bad in (altered, f"{attendances[1].id}-{code.split('-')[1]}", "nonsense", "1-" + "A" * 12):
        refused = anonymous.get(f"/certificates/{bad}")
        assert refused.status_code == 404, bad
        assert "Attestation non reconnue" in text_of(refused)

    # A fact changed since printing (presence corrected): the old code no longer proves it.
    attendances[0].presence = "remote"
    db.session.commit()
    assert anonymous.get(f"/certificates/{code}").status_code == 404


def test_a_member_gets_only_their_own_certificates(client, db, make_user):
    committee, _claire, _user, attendances = _year_of_claire(db, make_user)
    other_user = make_user(Role.MEMBER, email="paul@example.org")
    paul = appoint(db, committee, "Paul", "Durand", user=other_user)
    own = _attend(db, attendances[0].meeting, paul, "present")
    member = client.application.test_client()
    assert login(member, "paul@example.org", DEFAULT_PASSWORD).status_code == 302
    assert member.get(f"/my/certificates/{own.id}.pdf").status_code == 200
    assert member.get(f"/my/certificates/{attendances[0].id}.pdf").status_code == 404
    assert member.get(f"/my/statements/{committee.id}/{YEAR}.pdf").status_code == 200
    assert "Claire" not in text_of(member.get("/my/certificates"))
    # The secretariat's pages stay closed to members.
    assert member.get(f"/secretariat/committees/{committee.id}/fees").status_code == 403
    assert (
        member.get(f"/secretariat/attendances/{attendances[0].id}/certificate.pdf").status_code
        == 403
    )


def test_the_member_statement_csv_and_my_data_link(client, db, secretary, make_user):
    committee, _claire, _user, _attendances = _year_of_claire(db, make_user)
    _set_rates(client, committee, in_person="150", remote="100", half_day="75")
    member = client.application.test_client()
    assert login(member, "claire@example.org", DEFAULT_PASSWORD).status_code == 302
    assert "/my/certificates" in member.get("/account/data").get_data(as_text=True)
    assert "625,00" in text_of(member.get("/my/certificates"))
    csv = member.get(f"/my/statements/{committee.id}/{YEAR}.csv").get_data().decode("utf-8-sig")
    assert csv.splitlines()[-1].endswith(";625,00")


def test_broadcast_link_during_the_session_and_recording_after(client, db, secretary):
    committee = make_committee(db)
    meeting = schedule(db, committee, date(2030, 5, 2))
    response = post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/edit",
        {
            "title": meeting.title,
            "day": "2030-05-02",
            "start_time": "14:00",
            "end_time": "17:00",
            "format": "on_site",
            "place": "Saint-Denis",
            "remote_link": "",
            "visibility": "public",
            "broadcast_link": "javascript:alert(1)",
            "recording_link": "",
        },
    )
    assert response.status_code == 422
    assert "https://" in errors_beside(response, "broadcast_link")
    meeting.broadcast_link = "https://live.example.org/cst"
    meeting.recording_link = "https://video.example.org/cst"
    now = utcnow()
    meeting.starts_at, meeting.ends_at = now - timedelta(hours=1), now + timedelta(hours=1)
    db.session.commit()
    public = client.application.test_client()
    during = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "https://live.example.org/cst" in during
    assert "https://video.example.org/cst" not in during
    meeting.starts_at, meeting.ends_at = now - timedelta(hours=3), now - timedelta(hours=1)
    db.session.commit()
    after = public.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "https://live.example.org/cst" not in after
    assert "https://video.example.org/cst" in after
