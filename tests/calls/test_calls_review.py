"""Review of contributions: list and filters, eligible / off-topic, hearings, publication."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from committees.auth.models import Role
from committees.calls.administration.review import publish_contribution, unpublish_contribution
from committees.calls.models import Contribution
from committees.calls.rules import CallError
from committees.calls.submission.services import withdraw_contribution
from committees.calls.visibility import publicly_visible_contributions
from committees.meetings.models import AgendaItem, Hearing, ItemKind
from tests.support.calls import (
    DURING,
    IN_2022,
    THEMES,
    contribute,
    make_call,
    make_committee,
    make_meeting,
    pdf_bytes,
)
from tests.support.helpers import count_rows, csrf_token_from, errors_beside, text_of


def _url(call, contribution=None, action=None) -> str:
    url = f"/secretariat/calls/{call.id}/contributions"
    if contribution is not None:
        url += f"/{contribution.id}"
    return f"{url}/{action}" if action else url


def _post(client, call, contribution, action, data=None):
    token = csrf_token_from(client.get(_url(call, contribution)).get_data(as_text=True))
    return client.post(_url(call, contribution, action), data={"csrf_token": token, **(data or {})})


def _setup(make_user, *, meeting=True, hearing_item=True):
    committee = make_committee()
    session = make_meeting(committee, hearing_item=hearing_item) if meeting else None
    call = make_call(committee, session, reference="AMI-2022", **IN_2022)
    author = make_user(Role.CONTRIBUTOR, email="marie@chanvre.example")
    return call, author


# --- reading --------------------------------------------------------------------------


def test_the_secretariat_reads_everything_including_the_contact_and_files(
    client, db, make_user, secretariat
):
    call, author = _setup(make_user)
    content = pdf_bytes("étude")
    contribution = contribute(call, author, files=[("Étude de faisabilité.pdf", content)])

    page = text_of(client.get(_url(call, contribution)))

    assert "AMI-2022-0001" in page
    assert "Chanvre de Touraine" in page
    assert "Marie Lefèvre, Gérante" in page
    assert "marie@chanvre.example" in page
    assert "732829320" in page
    assert "Étude de faisabilité.pdf" in page
    attachment = contribution.attachments[0]
    download = client.get(_url(call, contribution, f"attachments/{attachment.id}"))
    assert download.status_code == 200
    assert download.data == content


def test_list_filters_and_bounded_queries(client, db, make_user, secretariat, count_queries):
    call, author = _setup(make_user)
    contribute(call, author, organisation="Chanvre de Touraine", kind="farmer")
    contribute(
        call,
        author,
        organisation="Laboratoires Phytopharma",
        kind="pharmaceutical_establishment",
        wants_hearing=False,
        themes=THEMES[1:],
        files=[("a.pdf", pdf_bytes("a")), ("b.pdf", pdf_bytes("b"))],
    )
    for n in range(6):
        contribute(
            call, author, organisation=f"Coopérative {n}", files=[("c.pdf", pdf_bytes(str(n)))]
        )

    with count_queries() as queries:
        everything = client.get(_url(call))
    assert everything.status_code == 200
    assert "8 contributions trouvées" in text_of(everything)
    # user, call, count, page, attachments, themes of the form...: not one per row
    assert len(queries) <= 8

    by_kind = text_of(client.get(_url(call), query_string={"kind": "pharmaceutical_establishment"}))
    assert "1 contribution trouvée" in by_kind
    assert "Phytopharma" in by_kind
    by_theme = text_of(client.get(_url(call), query_string={"theme": THEMES[1]}))
    assert "1 contribution trouvée" in by_theme
    assert "Phytopharma" in by_theme
    no_hearing = text_of(client.get(_url(call), query_string={"hearing": "no"}))
    assert "1 contribution trouvée" in no_hearing
    search = text_of(client.get(_url(call), query_string={"q": "coopérative"}))
    assert "6 contributions trouvées" in search


def _row_of(html: str, receipt: str) -> list[str]:
    row = html.split(f">{receipt}</a>")[1].split("</tr>")[0]
    return [" ".join(cell.split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_the_list_counts_current_files_and_pages_through_every_contribution(
    client, db, make_user, secretariat
):
    call, author = _setup(make_user)
    first = contribute(call, author, files=[("a.pdf", pdf_bytes("a")), ("b.pdf", pdf_bytes("b"))])
    first.attachments[0].current = False  # replaced by an edit: an earlier version's file
    for n in range(25):
        contribute(call, author, organisation=f"Coopérative {n}")
    db.session.commit()

    page_one = client.get(_url(call)).get_data(as_text=True)
    page_two = client.get(_url(call), query_string={"page": 2}).get_data(as_text=True)

    assert "26 contributions trouvées" in page_one
    # organisation, type, submitted, themes, files, hearing wished, status
    assert _row_of(page_one, "AMI-2022-0001")[4] == "1"
    assert _row_of(page_one, "AMI-2022-0002")[4] == "0"
    assert "AMI-2022-0025" in page_one
    assert "AMI-2022-0026" not in page_one
    assert "AMI-2022-0026" in page_two
    assert "AMI-2022-0001" not in page_two

    assert "page 2 sur 2" in re.search(r"<title>(.*?)</title>", page_two, re.S).group(1)


def test_the_kept_list_shows_a_change_at_the_next_request(client, db, make_user, secretariat):
    # The filters and the list are kept per query string under the publication revision.
    call, author = _setup(make_user)
    contribution = contribute(call, author, organisation="Chanvre de Touraine")
    db.session.commit()
    assert _row_of(client.get(_url(call)).get_data(as_text=True), contribution.receipt)[0] == (
        "Chanvre de Touraine"
    )

    contribution.organisation = "Chanvre du Berry"
    db.session.commit()
    withdraw_contribution(contribute(call, author, organisation="Retirée"), now=DURING)
    db.session.commit()

    html = client.get(_url(call)).get_data(as_text=True)
    assert _row_of(html, contribution.receipt)[0] == "Chanvre du Berry"
    assert "2 contributions trouvées" in html
    withdrawn = client.get(_url(call), query_string={"status": "withdrawn"})
    assert "1 contribution trouvée" in withdrawn.get_data(as_text=True)


# --- eligible / off-topic -------------------------------------------------------------


def test_off_topic_needs_a_reason(client, db, make_user, secretariat):
    call, author = _setup(make_user)
    contribution = contribute(call, author)

    refused = _post(client, call, contribution, "review", {"decision": "off_topic", "reason": " "})

    assert refused.status_code == 422
    assert "pourquoi" in errors_beside(refused, "reason")
    db.session.refresh(contribution)
    assert contribution.status == "submitted"

    done = _post(
        client,
        call,
        contribution,
        "review",
        {"decision": "off_topic", "reason": "Porte sur le cannabis « bien-être », hors du champ."},
    )
    assert done.status_code == 302
    db.session.refresh(contribution)
    assert contribution.status == "off_topic"
    assert contribution.review_note == "Porte sur le cannabis « bien-être », hors du champ."
    page = text_of(client.get(_url(call, contribution)))
    assert "Hors sujet" in page
    assert "bien-être" in page


def test_mark_eligible(client, db, make_user, secretariat):
    call, author = _setup(make_user)
    contribution = contribute(call, author)

    response = _post(client, call, contribution, "review", {"decision": "eligible"})

    assert response.status_code == 302
    db.session.refresh(contribution)
    assert contribution.status == "eligible"


def test_a_withdrawn_contribution_cannot_be_reviewed(client, db, make_user, secretariat):
    call, author = _setup(make_user)
    contribution = contribute(call, author)
    withdraw_contribution(contribution, now=DURING)
    db.session.commit()

    response = _post(client, call, contribution, "review", {"decision": "eligible"})

    assert response.status_code == 422
    assert "retirée par son auteur" in text_of(response)
    db.session.refresh(contribution)
    assert contribution.status == "withdrawn"


def test_review_actions_need_the_secretariat(client, db, make_user, signed_in):
    call, author = _setup(make_user)
    contribution = contribute(call, author)
    signed_in(Role.CONTRIBUTOR)

    assert client.get(_url(call, contribution)).status_code == 403
    assert client.get(_url(call)).status_code == 403
    assert client.get(f"/secretariat/calls/{call.id}/export.csv").status_code == 403
    response = client.post(_url(call, contribution, "select"))
    assert response.status_code in (400, 403)
    assert count_rows(db, Hearing) == 0


# --- hearings -------------------------------------------------------------------------


def test_selecting_adds_the_hearing_to_the_sessions_hearing_item(
    client, db, make_user, secretariat
):
    call, author = _setup(make_user)
    contribution = contribute(call, author, kind="raw_material_producer")

    response = _post(client, call, contribution, "select")

    assert response.status_code == 302
    db.session.refresh(contribution)
    hearing = contribution.hearing
    assert contribution.status == "selected"
    assert hearing.organisation == "Chanvre de Touraine"
    assert hearing.organisation_kind == "economic_operator"
    assert hearing.mode == "videoconference"
    assert hearing.status == "invited"
    assert hearing.item.kind == ItemKind.HEARING
    assert hearing.item.title == "Auditions des opérateurs"  # the existing item
    assert hearing.item.meeting_id == call.meeting_id
    # the contact person is not copied onto the (public) agenda
    assert "Lefèvre" not in hearing.representatives
    # declared interests are matched against the item's organisations
    assert [o.name for o in hearing.item.organisations] == ["Chanvre de Touraine"]
    assert "Retenue pour une audition" in text_of(client.get(_url(call, contribution)))

    again = _post(client, call, contribution, "select")
    assert again.status_code == 302
    assert count_rows(db, Hearing) == 1


def test_selecting_creates_a_hearing_item_when_the_agenda_has_none(
    client, db, make_user, secretariat
):
    call, author = _setup(make_user, hearing_item=False)
    contribution = contribute(call, author)

    assert _post(client, call, contribution, "select").status_code == 302

    items = db.session.execute(
        select(AgendaItem).where(AgendaItem.meeting_id == call.meeting_id)
    ).scalars()
    hearing_items = [i for i in items if i.kind == ItemKind.HEARING]
    assert len(hearing_items) == 1
    assert hearing_items[0].position == 2
    assert "AMI-2022" in hearing_items[0].title
    assert len(hearing_items[0].hearings) == 1


def test_selecting_without_a_session_says_so(client, db, make_user, secretariat):
    call, author = _setup(make_user, meeting=False)
    contribution = contribute(call, author)

    response = _post(client, call, contribution, "select")

    assert response.status_code == 422
    assert "rattaché à aucune séance" in text_of(response)
    db.session.refresh(contribution)
    assert contribution.status == "submitted"
    assert count_rows(db, Hearing) == 0


# --- publication ----------------------------------------------------------------------


def test_publishing_is_refused_without_consent(client, db, make_user, secretariat):
    call, author = _setup(make_user)
    contribution = contribute(call, author, consent=False)

    response = _post(client, call, contribution, "publish")

    assert response.status_code == 422
    assert "n'ont pas consenti" in text_of(response)
    db.session.refresh(contribution)
    assert contribution.published_at is None


def test_publishing_with_consent_then_unpublishing(client, db, make_user, secretariat):
    call, author = _setup(make_user)
    contribution = contribute(call, author)

    assert _post(client, call, contribution, "publish").status_code == 302
    db.session.refresh(contribution)
    assert contribution.published_at is not None

    assert _post(client, call, contribution, "unpublish").status_code == 302
    db.session.refresh(contribution)
    assert contribution.published_at is None


def test_publishing_is_refused_when_the_call_does_not_allow_it(db, make_user):
    committee = make_committee()
    call = make_call(committee, contributions_publishable=False, **IN_2022)
    contribution = contribute(call, make_user(Role.CONTRIBUTOR))

    with pytest.raises(CallError, match="ne prévoit pas la publication"):
        publish_contribution(contribution)


def test_the_public_sees_only_consented_published_contributions_without_personal_data(
    db, make_user
):
    call, author = _setup(make_user)
    published = contribute(
        call, author, organisation="Publiée SA", files=[("note.pdf", pdf_bytes("note"))]
    )
    contribute(call, author, organisation="Non publiée SA")
    refused = contribute(call, author, organisation="Sans accord SA", consent=False)
    withdrawn = contribute(call, author, organisation="Retirée SA")
    publish_contribution(published)
    publish_contribution(withdrawn)
    # consent withdrawn by force at the database level: the query must still refuse it
    refused.published_at = published.published_at
    db.session.commit()
    withdraw_contribution(withdrawn, now=DURING)
    db.session.commit()

    visible = publicly_visible_contributions(call)

    assert [c.organisation for c in visible] == ["Publiée SA"]
    shown = visible[0]
    assert shown.receipt == "AMI-2022-0001"
    assert [a.filename for a in shown.attachments] == ["note.pdf"]
    fields = set(vars(shown))
    assert not fields & {"contact_name", "contact_function", "contributor", "contributor_id"}
    assert "Marie Lefèvre" not in repr(shown)
    assert "marie@chanvre.example" not in repr(shown)

    unpublish_contribution(published)
    db.session.commit()
    assert publicly_visible_contributions(call) == []


def test_a_draft_call_shows_nothing_publicly(db, make_user):
    committee = make_committee()
    call = make_call(committee, **IN_2022)
    contribution = contribute(call, make_user(Role.CONTRIBUTOR))
    publish_contribution(contribution)
    call.status = "draft"
    db.session.commit()

    assert publicly_visible_contributions(call) == []
    assert db.session.execute(select(Contribution)).scalar_one().published_at is not None


def test_earlier_versions_and_removed_files_are_shown(client, db, make_user, secretariat):
    from committees.calls.submission.services import ContributionData, edit_contribution

    call, author = _setup(make_user)
    contribution = contribute(call, author, files=[("v1.pdf", pdf_bytes("v1"))])
    first_file = contribution.attachments[0].id
    edit_contribution(
        contribution,
        ContributionData(
            organisation="Chanvre de Touraine SAS",
            organisation_kind="farmer",
            contact_name="Marie Lefèvre",
            text="Texte révisé.",
            themes=THEMES[:1],
            consent_publication=True,
        ),
        remove=[first_file],
        now=DURING,
    )

    page = text_of(client.get(_url(call, contribution)))

    assert "Chanvre de Touraine SAS" in page
    assert "Version 1, remplacée le" in page
    assert "Notre exploitation cultive du chanvre depuis 1998." in page  # the first text
    assert "Pièces retirées lors d'une modification" in page
    assert "v1.pdf" in page
