"""The route × role matrix: what every route answers to every role, written once.

Each endpoint of the URL map has one row: the status a GET answers to anonymous,
contributor A, contributor B, member X, member Y, secretariat and admin (in that order,
see ``tests/support/route_matrix.py`` for who they are and which demo objects the path
names), or ``POST_ONLY`` for a route that changes state and refuses GET. A route added
without a row fails ``test_every_route_has_a_row``; a permission loosened or tightened fails
``test_every_role_gets_what_the_matrix_says``.

Object-level rows: contributor B gets 404 on A's contribution and attachments, member Y
404 on member X's session, file and declarations; 302 = sent to sign in (anonymous) or
back to the object's page (minutes or a contribution that can no longer be edited).
"""

from __future__ import annotations

import re

import pytest

from tests.support.route_matrix import ROLES, clients_by_role, path_values

POST_ONLY = "POST_ONLY"

MATRIX: dict[str, tuple[int, ...] | str] = {
    "admin.create_user": (302, 403, 403, 403, 403, 403, 200),
    "admin.edit_user": (302, 403, 403, 403, 403, 403, 200),
    "admin.resend_user_invitation": POST_ONLY,
    "admin.users": (302, 403, 403, 403, 403, 403, 200),
    "agenda.delete_document": POST_ONLY,
    "agenda.delete_hearing": POST_ONLY,
    "agenda.delete_item": (302, 403, 403, 403, 403, 200, 200),
    "agenda.edit_hearing": (302, 403, 403, 403, 403, 404, 404),
    "agenda.edit_item": (302, 403, 403, 403, 403, 200, 200),
    "agenda.hearings": (302, 403, 403, 403, 403, 200, 200),
    "agenda.hearing_outcome": POST_ONLY,
    "agenda.index": (302, 403, 403, 403, 403, 200, 200),
    "agenda.item": (302, 403, 403, 403, 403, 200, 200),
    "agenda.move_item": POST_ONLY,
    "agenda.new_hearing": (302, 403, 403, 403, 403, 200, 200),
    "agenda.new_item": (302, 403, 403, 403, 403, 200, 200),
    "agenda.publish": POST_ONLY,
    # the demo's held session has documents (its session pack: committees/demo/pack.py)
    "agenda.secretariat_document": (302, 403, 403, 403, 403, 200, 200),
    "agenda.unpublish": POST_ONLY,
    "agenda.upload_document": POST_ONLY,
    "api.call": (200, 200, 200, 200, 200, 200, 200),
    "api.calls": (200, 200, 200, 200, 200, 200, 200),
    "api.committee": (200, 200, 200, 200, 200, 200, 200),
    "api.committee_follow_up": (200, 200, 200, 200, 200, 200, 200),
    "api.committee_members": (200, 200, 200, 200, 200, 200, 200),
    "api.committee_report": (200, 200, 200, 200, 200, 200, 200),
    "api.committee_reports": (200, 200, 200, 200, 200, 200, 200),
    "api.committees": (200, 200, 200, 200, 200, 200, 200),
    "api.decision": (200, 200, 200, 200, 200, 200, 200),
    "api.decisions": (200, 200, 200, 200, 200, 200, 200),
    "api.meeting": (200, 200, 200, 200, 200, 200, 200),
    "api.meetings": (200, 200, 200, 200, 200, 200, 200),
    "api.openapi": (200, 200, 200, 200, 200, 200, 200),
    "auth.change_password": (302, 200, 200, 200, 200, 200, 200),
    "auth.confirm_email": (400, 400, 400, 400, 400, 400, 400),
    "auth.forgot_password": (200, 200, 200, 200, 200, 200, 200),
    "auth.forgot_password_done": (200, 200, 200, 200, 200, 200, 200),
    "auth.login": (200, 302, 302, 302, 302, 302, 302),
    "auth.logout": POST_ONLY,
    "auth.register": (200, 200, 200, 200, 200, 200, 200),
    "auth.register_done": (200, 200, 200, 200, 200, 200, 200),
    "auth.resend_confirmation": (200, 200, 200, 200, 200, 200, 200),
    "auth.reset_password": (400, 400, 400, 400, 400, 400, 400),
    "auth.unlock_login": (400, 400, 400, 400, 400, 400, 400),
    "bodies.committee": (302, 403, 403, 403, 403, 200, 200),
    "bodies.committees": (302, 403, 403, 403, 403, 200, 200),
    "bodies.create_committee_view": (302, 403, 403, 403, 403, 200, 200),
    "bodies.create_mandate": (302, 403, 403, 403, 403, 200, 200),
    "bodies.edit_committee": (302, 403, 403, 403, 403, 200, 200),
    "bodies.edit_mandate": (302, 403, 403, 403, 403, 200, 200),
    "bodies.end_mandate_view": (302, 403, 403, 403, 403, 200, 200),
    "calendars.committee": (200, 200, 200, 200, 200, 200, 200),
    "calendars.meeting": (200, 200, 200, 200, 200, 200, 200),
    "calendars.personal": (404, 404, 404, 404, 404, 404, 404),
    "call_synthesis.edit": (302, 403, 403, 403, 403, 200, 200),
    "call_synthesis.unpublish": POST_ONLY,
    "calls_admin.attachment": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.contribution": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.contributions": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.create": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.detail": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.edit": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.export_csv": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.export_zip": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.index": (302, 403, 403, 403, 403, 200, 200),
    "calls_admin.publish": POST_ONLY,
    "calls_admin.publish_one": POST_ONLY,
    "calls_admin.review": POST_ONLY,
    "calls_admin.select_hearing": POST_ONLY,
    "calls_admin.template": (302, 403, 403, 403, 403, 404, 404),
    "calls_admin.unpublish_one": POST_ONLY,
    "calls_closing.close": (302, 403, 403, 403, 403, 200, 200),
    "certificates.verify_code": (200, 200, 200, 200, 200, 200, 200),
    "contributions.attachment": (302, 200, 404, 403, 403, 403, 404),
    "contributions.contribute": (302, 200, 200, 403, 403, 403, 200),
    "contributions.detail": (302, 200, 404, 403, 403, 403, 404),
    "contributions.edit": (302, 302, 404, 403, 403, 403, 404),
    "contributions.index": (302, 200, 200, 403, 403, 403, 200),
    "contributions.receipt": (302, 200, 404, 403, 403, 403, 404),
    "contributions.restore": POST_ONLY,
    "contributions.withdraw": (302, 302, 404, 403, 403, 403, 404),
    "dashboard.index": (302, 200, 200, 200, 200, 200, 200),
    "decisions.concerns": (302, 403, 403, 403, 403, 200, 200),
    "decisions.create": (302, 403, 403, 403, 403, 200, 200),
    "decisions.creation": (302, 403, 403, 403, 403, 200, 200),
    "decisions.detail": (302, 403, 403, 403, 403, 200, 200),
    "decisions.edit": (302, 403, 403, 403, 403, 200, 200),
    "decisions.end_of_mandates": (302, 403, 403, 403, 403, 200, 200),
    "decisions.extension": (302, 403, 403, 403, 403, 200, 200),
    "decisions.index": (302, 403, 403, 403, 403, 200, 200),
    "decisions.nomination": (302, 403, 403, 403, 403, 200, 200),
    "decisions.pdf": (302, 403, 403, 403, 403, 404, 404),
    "decisions.publish": POST_ONLY,
    "decisions.unpublish": POST_ONLY,
    "feeds.publications": (200, 200, 200, 200, 200, 200, 200),
    "fees.certificate": (302, 403, 403, 403, 403, 200, 200),
    "fees.export_csv": (302, 403, 403, 403, 403, 200, 200),
    "fees.index": (302, 403, 403, 403, 403, 200, 200),
    "fees.save_rates": POST_ONLY,
    "fees.statement": (302, 403, 403, 403, 403, 200, 200),
    "follow_up.close": POST_ONLY,
    "follow_up.create": POST_ONLY,
    "follow_up.manage": (302, 403, 403, 403, 403, 200, 200),
    "follows.admin_list": (302, 403, 403, 403, 403, 403, 200),
    "follows.confirm": (404, 404, 404, 404, 404, 404, 404),
    "follows.follow": POST_ONLY,
    "follows.unfollow": POST_ONLY,
    "follows.unsubscribe": POST_ONLY,
    "follows.unsubscribe_page": (404, 404, 404, 404, 404, 404, 404),
    "health.healthz": (200, 200, 200, 200, 200, 200, 200),
    "health.readyz": (200, 200, 200, 200, 200, 200, 200),
    "i18n.switch_language": POST_ONLY,
    "mail.detail": (302, 403, 403, 403, 403, 200, 200),
    "mail.index": (302, 403, 403, 403, 403, 200, 200),
    "mail.retry": POST_ONLY,
    "meeting_conduct.attendance": (302, 403, 403, 403, 403, 200, 200),
    "meeting_conduct.conflicts": (302, 403, 403, 403, 403, 200, 200),
    "meeting_conduct.convocations": (302, 403, 403, 403, 403, 200, 200),
    "meeting_conduct.decide": POST_ONLY,
    "meeting_conduct.vote": (302, 403, 403, 403, 403, 404, 404),
    "meetings.cancel": (302, 403, 403, 403, 403, 200, 200),
    "meetings.detail": (302, 403, 403, 403, 403, 200, 200),
    "meetings.edit": (302, 403, 403, 403, 403, 200, 200),
    "meetings.held": POST_ONLY,
    "meetings.index": (302, 403, 403, 403, 403, 200, 200),
    "meetings.new": (302, 403, 403, 403, 403, 200, 200),
    "meetings.postpone": (302, 403, 403, 403, 403, 200, 200),
    "meetings.series": (302, 403, 403, 403, 403, 200, 200),
    "member_agenda.member_document": (302, 403, 403, 200, 404, 403, 404),
    "member_pack.pack": (302, 403, 403, 200, 404, 403, 404),
    "member_calendar.member_meeting_file": (302, 403, 403, 200, 404, 403, 404),
    "member_calendar.regenerate_link": POST_ONLY,
    "member_conduct.member_answer": POST_ONLY,
    "member_import.confirm": POST_ONLY,
    "member_import.preview": POST_ONLY,
    "member_import.upload": (302, 403, 403, 403, 403, 200, 200),
    "member_meetings.detail": (302, 403, 403, 200, 404, 403, 404),
    "member_meetings.index": (302, 403, 403, 200, 200, 403, 200),
    "member_minutes.comment": POST_ONLY,
    "member_minutes.member_view": (302, 403, 403, 200, 200, 403, 200),
    "minutes.adopt_view": POST_ONLY,
    "minutes.edit": (302, 403, 403, 403, 403, 302, 302),
    "minutes.manage": (302, 403, 403, 403, 403, 200, 200),
    "minutes.process_comment_view": POST_ONLY,
    "minutes.publish_view": POST_ONLY,
    "minutes.revision": (404, 404, 404, 404, 404, 404, 404),
    "minutes.send": POST_ONLY,
    "minutes.start": POST_ONLY,
    "my_certificates.certificate": (302, 403, 403, 200, 404, 403, 404),
    "my_certificates.index": (302, 403, 403, 200, 200, 403, 200),
    "my_certificates.statement": (302, 403, 403, 200, 404, 403, 404),
    "my_certificates.statement_csv": (302, 403, 403, 200, 404, 403, 404),
    "my_declarations.index": (302, 403, 403, 200, 200, 403, 200),
    "my_declarations.new": (302, 403, 403, 200, 404, 403, 404),
    "pack.former_version": (302, 403, 403, 403, 403, 200, 200),
    "pack.replace": (302, 403, 403, 403, 403, 200, 200),
    "persons.create": (302, 403, 403, 403, 403, 200, 200),
    "persons.detail": (302, 403, 403, 403, 403, 200, 200),
    "persons.edit": (302, 403, 403, 403, 403, 200, 200),
    "persons.index": (302, 403, 403, 403, 403, 200, 200),
    "persons.invite": POST_ONLY,
    "persons.new_declaration": (302, 403, 403, 403, 403, 200, 200),
    "privacy.data_person": (302, 403, 403, 403, 403, 403, 200),
    "privacy.data_user": (302, 403, 403, 403, 403, 403, 200),
    "privacy.erase_person": POST_ONLY,
    "privacy.erase_user": POST_ONLY,
    "privacy.export_my_data": POST_ONLY,
    "privacy.export_person": POST_ONLY,
    "privacy.export_user": POST_ONLY,
    "privacy.my_data": (302, 200, 200, 200, 200, 200, 200),
    "public.accessibility": (200, 200, 200, 200, 200, 200, 200),
    "public.home": (200, 200, 200, 200, 200, 200, 200),
    "public.legal": (200, 200, 200, 200, 200, 200, 200),
    "public.privacy": (200, 200, 200, 200, 200, 200, 200),
    "public.site_map": (200, 200, 200, 200, 200, 200, 200),
    "public_agenda.public_document": (404, 404, 404, 404, 404, 404, 404),
    "public_calls.contribution_attachment": (200, 200, 200, 200, 200, 200, 200),
    "public_calls.detail": (200, 200, 200, 200, 200, 200, 200),
    "public_calls.index": (200, 200, 200, 200, 200, 200, 200),
    "public_calls.synthesis_pdf": (200, 200, 200, 200, 200, 200, 200),
    "public_calls.template": (404, 404, 404, 404, 404, 404, 404),
    "public_committees.detail": (200, 200, 200, 200, 200, 200, 200),
    "public_committees.index": (200, 200, 200, 200, 200, 200, 200),
    "public_conduct.answer": (404, 404, 404, 404, 404, 404, 404),
    "public_decisions.public_detail": (200, 200, 200, 200, 200, 200, 200),
    "public_decisions.public_index": (200, 200, 200, 200, 200, 200, 200),
    "public_decisions.public_pdf": (404, 404, 404, 404, 404, 404, 404),
    "public_meetings.detail": (200, 200, 200, 200, 200, 200, 200),
    "public_meetings.index": (200, 200, 200, 200, 200, 200, 200),
    "public_minutes.public_pdf": (200, 200, 200, 200, 200, 200, 200),
    "public_minutes.public_view": (200, 200, 200, 200, 200, 200, 200),
    "public_reports.public_csv": (200, 200, 200, 200, 200, 200, 200),
    "public_reports.public_pdf": (200, 200, 200, 200, 200, 200, 200),
    "public_reports.public_view": (200, 200, 200, 200, 200, 200, 200),
    "reminders.preferences": (302, 200, 200, 200, 200, 200, 200),
    "reports.edit": (302, 403, 403, 403, 403, 200, 200),
    "reports.index": (302, 403, 403, 403, 403, 200, 200),
    "reports.publish": POST_ONLY,
    "reports.unpublish": POST_ONLY,
    "search.index_page": (200, 200, 200, 200, 200, 200, 200),
    # written procedures (consultations écrites)
    "api.procedure": (200, 200, 200, 200, 200, 200, 200),
    "api.procedures": (200, 200, 200, 200, 200, 200, 200),
    "member_procedures.answer": POST_ONLY,
    "member_procedures.detail": (302, 403, 403, 200, 404, 403, 404),
    "member_procedures.document": (302, 403, 403, 404, 404, 403, 404),
    "public_procedures.detail": (200, 200, 200, 200, 200, 200, 200),
    "public_procedures.document": (404, 404, 404, 404, 404, 404, 404),
    "public_procedures.index": (200, 200, 200, 200, 200, 200, 200),
    "public_procedures.pdf": (200, 200, 200, 200, 200, 200, 200),
    "secretariat_procedures.close": POST_ONLY,
    "secretariat_procedures.detail": (302, 403, 403, 403, 403, 200, 200),
    "secretariat_procedures.index": (302, 403, 403, 403, 403, 200, 200),
    "secretariat_procedures.open_procedure": (302, 403, 403, 403, 403, 200, 200),
    "secretariat_procedures.publish": POST_ONLY,
    "secretariat_procedures.recusal": POST_ONLY,
}

_ARGUMENT = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _rules(app) -> dict:
    rules = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            rules.setdefault(rule.endpoint, rule)
    return rules


def test_every_route_has_a_row(app):
    missing = sorted(set(_rules(app)) - set(MATRIX))
    assert not missing, "routes without a row in MATRIX: " + ", ".join(missing)
    gone = sorted(set(MATRIX) - set(_rules(app)))
    assert not gone, "rows for routes that no longer exist: " + ", ".join(gone)


@pytest.fixture
def clients(app, db):
    return clients_by_role(app)


def test_every_role_gets_what_the_matrix_says(app, clients):
    values = path_values()
    wrong = []
    for endpoint, rule in sorted(_rules(app).items()):
        expected = MATRIX[endpoint]
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if expected == POST_ONLY:
            assert "GET" not in methods, f"{endpoint} answers GET: give it a row of statuses"
            continue
        url = _ARGUMENT.sub(lambda m: values[m.group(1)], rule.rule)
        got = tuple(clients[role].get(url).status_code for role in ROLES)
        if got != expected:
            wrong.append(f"{endpoint} {url}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)
