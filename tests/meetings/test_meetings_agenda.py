"""The agenda of a session: items in order, publication, documents and who may download them."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from committees.auth.models import Role
from committees.bodies.models import CommitteeKind, MandateRole
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.meetings.agenda import services as agenda
from committees.meetings.models import AgendaDocument, AgendaItem, ItemKind, Meeting
from committees.meetings.scheduling.services import cancel_meeting
from tests.support.helpers import DEFAULT_PASSWORD, csrf_token_from, login, post_form, text_of

# --- files recognised by their content ------------------------------------------------


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def _opendocument(mimetype: str) -> bytes:
    return _zip([("mimetype", mimetype.encode()), ("content.xml", b"<office:document/>")])


def _ooxml(main_part: str, part_name: str) -> bytes:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part_name}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main_part}"/></Types>'
    )
    return _zip([("[Content_Types].xml", types.encode()), (part_name, b"<xml/>")])


PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SAMPLES = {
    "pdf": (PDF_BYTES, agenda.PDF),
    "odt": (_opendocument(agenda.ODT), agenda.ODT),
    "ods": (_opendocument(agenda.ODS), agenda.ODS),
    "docx": (_ooxml("wordprocessingml.document.main+xml", "word/document.xml"), agenda.DOCX),
    "xlsx": (_ooxml("spreadsheetml.sheet.main+xml", "xl/workbook.xml"), agenda.XLSX),
}


# --- the situation --------------------------------------------------------------------


def _member_of(db, make_user, committee, email, start=date(2022, 2, 17), end=None):
    user = make_user(Role.MEMBER, email=email)
    person = create_person(first_name="Claire", last_name=email.split("@")[0], email=email)
    person.user = user
    add_mandate(committee, MandateLine(person, MandateRole.MEMBER, start, end))
    db.session.commit()
    return user


def _items(db, meeting) -> list[tuple[int, str]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(AgendaItem.position, AgendaItem.title)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
    )
    return [tuple(row) for row in rows]


def _add(db, meeting, *titles, kind=ItemKind.DISCUSSION, **fields) -> list[AgendaItem]:
    items = [agenda.add_item(meeting, title=t, kind=kind.value, **fields) for t in titles]
    db.session.commit()
    return items


def _item_form(**overrides) -> dict:
    return {
        "title": "Point d'étape de l'expérimentation",
        "kind": "information",
        "rapporteur": "Pr Claire Martin",
        "duration_minutes": "30",
        "description": "Présentation **des données**.",
        "organisations": "",
        **overrides,
    }


def _stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _document_count(db) -> int:
    return db.session.execute(select(func.count()).select_from(AgendaDocument)).scalar_one()


# --- items ----------------------------------------------------------------------------


def test_items_are_added_in_order_with_their_organisations(client, db, secretary, meeting):
    url = f"/secretariat/meetings/{meeting.id}/agenda/items/new"
    first = post_form(client, url, _item_form(title="Ouverture"))
    assert first.status_code == 302
    second = post_form(
        client,
        url,
        _item_form(
            title="Auditions des opérateurs",
            kind="hearing",
            closed="y",
            organisations="Phytopharma\n\n  Coopérative  Chanvre  Bio \nphytopharma\n",
        ),
        follow_redirects=True,
    )
    assert "Le point n°2 a été ajouté." in text_of(second)

    assert _items(db, meeting) == [(1, "Ouverture"), (2, "Auditions des opérateurs")]
    hearing_item = db.session.execute(
        select(AgendaItem).where(AgendaItem.position == 2)
    ).scalar_one()
    assert [o.name for o in hearing_item.organisations] == [
        "Phytopharma",
        "Coopérative Chanvre Bio",
    ]
    assert hearing_item.is_public is False
    assert hearing_item.duration_minutes == 30

    page = text_of(client.get(f"/secretariat/meetings/{meeting.id}/agenda"))
    assert "2 points" in page
    assert "Organismes concernés : Phytopharma, Coopérative Chanvre Bio" in page
    assert "Huis clos" in page
    assert "Non publié" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Indiquez l'intitulé du point."),
        ({"duration_minutes": "0"}, "La durée est un nombre de minutes entre 1 et 1440."),
        ({"duration_minutes": "une heure"}, "entier"),
        ({"kind": "banquet"}, "Nature du point"),
    ],
)
def test_bad_item_is_refused_and_nothing_saved(client, db, secretary, meeting, overrides, message):
    url = f"/secretariat/meetings/{meeting.id}/agenda/items/new"
    response = post_form(client, url, _item_form(**overrides))
    assert response.status_code == 422
    text = text_of(response)
    assert message in text
    assert 'value="Pr Claire Martin"' in response.get_data(as_text=True)  # typed text kept
    assert _items(db, meeting) == []


def test_moving_items_keeps_positions_without_gaps(client, db, secretary, meeting):
    first, second, third = _add(db, meeting, "Un", "Deux", "Trois")
    page = client.get(f"/secretariat/meetings/{meeting.id}/agenda")
    token = csrf_token_from(page.get_data(as_text=True))

    def move(item, direction):
        return client.post(
            f"/secretariat/meetings/{meeting.id}/items/{item.id}/move",
            data={"csrf_token": token, "direction": direction},
        )

    assert move(third, "up").status_code == 302
    assert _items(db, meeting) == [(1, "Un"), (2, "Trois"), (3, "Deux")]
    move(first, "down")
    assert _items(db, meeting) == [(1, "Trois"), (2, "Un"), (3, "Deux")]
    # Past either end, nothing moves.
    move(third, "up")
    move(second, "down")
    assert _items(db, meeting) == [(1, "Trois"), (2, "Un"), (3, "Deux")]
    assert move(first, "sideways").status_code == 400


def test_move_item_service_repairs_gaps(db, meeting):
    items = _add(db, meeting, "A", "B", "C")
    items[0].position, items[1].position, items[2].position = 3, 7, 12  # gaps, by accident
    db.session.flush()
    agenda.move_item(items[2], -1)
    db.session.commit()
    assert _items(db, meeting) == [(1, "A"), (2, "C"), (3, "B")]


def test_delete_renumbers_the_rest(client, db, secretary, meeting):
    _first, second, _third = _add(db, meeting, "Un", "Deux", "Trois")
    url = f"/secretariat/meetings/{meeting.id}/items/{second.id}/delete"
    response = post_form(client, url, {}, follow_redirects=True)
    assert "Le point « Deux » a été supprimé." in text_of(response)
    assert _items(db, meeting) == [(1, "Un"), (2, "Trois")]


def test_deleting_from_a_published_agenda_needs_confirmation(client, db, secretary, meeting):
    (item,) = _add(db, meeting, "Un")
    agenda.publish_agenda(meeting)
    db.session.commit()
    url = f"/secretariat/meetings/{meeting.id}/items/{item.id}/delete"
    assert "la suppression modifiera l'ordre du jour public" in text_of(client.get(url))

    refused = post_form(client, url, {})
    assert refused.status_code == 422
    assert "cochez la case de confirmation" in text_of(refused)
    assert _items(db, meeting) == [(1, "Un")]

    assert post_form(client, url, {"confirm": "y"}).status_code == 302
    assert _items(db, meeting) == []


def test_edit_an_item_replaces_its_organisations(client, db, secretary, meeting):
    (item,) = _add(db, meeting, "Un", organisations=["Phytopharma", "Chanvre Bio"])
    url = f"/secretariat/meetings/{meeting.id}/items/{item.id}/edit"
    form = client.get(url)
    assert "Phytopharma\nChanvre Bio" in form.get_data(as_text=True)
    response = post_form(
        client, url, _item_form(title="Un, revu", organisations="Chanvre Bio\nAgroCanna")
    )
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(AgendaItem, item.id)
    assert item.title == "Un, revu"
    assert [o.name for o in item.organisations] == ["Chanvre Bio", "AgroCanna"]


def test_publication_of_the_agenda(client, db, secretary, meeting):
    url = f"/secretariat/meetings/{meeting.id}/agenda"
    empty = post_form(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    assert "Ajoutez au moins un point avant de publier" in text_of(empty)

    _add(db, meeting, "Un")
    published = post_form(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    text = text_of(published)
    assert "L'ordre du jour est publié." in text
    assert "Publié le 4 mai 2022" not in text  # the day of publication, not of the session
    assert "Publié le" in text
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).agenda_published_at is not None

    withdrawn = post_form(client, f"{url}/unpublish", {}, form_url=url, follow_redirects=True)
    assert "L'ordre du jour n'est plus publié." in text_of(withdrawn)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).agenda_published_at is None


def test_a_cancelled_session_agenda_is_read_only(client, db, secretary, meeting):
    (item,) = _add(db, meeting, "Un")
    cancel_meeting(meeting, "Crise sanitaire")
    db.session.commit()

    page = text_of(client.get(f"/secretariat/meetings/{meeting.id}/agenda"))
    assert "son ordre du jour est en lecture seule" in page
    assert "Ajouter un point" not in page

    token = csrf_token_from(
        client.get(f"/secretariat/meetings/{meeting.id}/items/{item.id}/edit").get_data(
            as_text=True
        )
    )
    refused = client.post(
        f"/secretariat/meetings/{meeting.id}/agenda/items/new",
        data={"csrf_token": token, **_item_form(title="Ajout tardif")},
    )
    assert refused.status_code == 422
    assert "ne peut plus être modifié" in text_of(refused)
    assert _items(db, meeting) == [(1, "Un")]
    with pytest.raises(agenda.MeetingError):
        agenda.publish_agenda(meeting)


def test_agenda_page_costs_the_same_whatever_its_length(
    client, db, secretary, meeting, count_queries
):
    url = f"/secretariat/meetings/{meeting.id}/agenda"
    _add(db, meeting, "Un", organisations=["Phytopharma"])
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _add(db, meeting, *[f"Point {n}" for n in range(12)], organisations=["A", "B"])
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_agenda_screens_are_for_the_secretariat(client, db, make_user, meeting):
    url = f"/secretariat/meetings/{meeting.id}/agenda"
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    member = make_user(Role.MEMBER, email="membre@example.org")
    login(client, member.email, DEFAULT_PASSWORD)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}/items/new").status_code == 403


# --- documents ------------------------------------------------------------------------


def _upload(client, meeting, item, data: bytes, filename: str, follow_redirects=False, **fields):
    return post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/items/{item.id}/documents",
        {
            "title": "Rapport d'étape",
            "visibility": "members",
            "file": (io.BytesIO(data), filename),
            **fields,
        },
        form_url=f"/secretariat/meetings/{meeting.id}/items/{item.id}",
        content_type="multipart/form-data",
        follow_redirects=follow_redirects,
    )


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_accepted_documents_are_recognised_by_their_content(
    client, db, app, secretary, meeting, kind
):
    (item,) = _add(db, meeting, "Un")
    data, content_type = SAMPLES[kind]
    # A misleading name: only the content counts.
    response = _upload(client, meeting, item, data, "annexe.bin", follow_redirects=True)
    assert "Le document « Rapport d'étape » a été ajouté." in text_of(response)
    document = db.session.execute(select(AgendaDocument)).scalar_one()
    assert document.content_type == content_type
    assert document.size == len(data)
    assert document.filename == "annexe.bin"
    assert len(_stored_files(app)) == 1


@pytest.mark.parametrize(
    "data",
    [
        b"Ceci n'est pas un PDF, seulement du texte.\n",
        _zip([("notes.txt", b"hello")]),  # a zip, but no office document
        _zip([("mimetype", b"application/epub+zip"), ("content.opf", b"")]),
        b"PK\x03\x04 broken archive",
    ],
    ids=["text", "plain-zip", "epub", "broken-zip"],
)
def test_a_file_that_is_not_an_accepted_document_is_refused(
    client, db, app, secretary, meeting, data
):
    (item,) = _add(db, meeting, "Un")
    response = _upload(client, meeting, item, data, "rapport.pdf")
    assert response.status_code == 422
    text = text_of(response)
    assert "Ce fichier n'est pas un document accepté : PDF, ODT, DOCX, ODS ou XLSX." in text
    assert 'value="Rapport d&#39;étape"' in response.get_data(as_text=True)
    assert _document_count(db) == 0
    assert _stored_files(app) == []


def test_size_limit(client, db, app, secretary, meeting, monkeypatch):
    monkeypatch.setitem(app.config, "AGENDA_DOCUMENT_MAX_BYTES", 2048)
    (item,) = _add(db, meeting, "Un")
    large = PDF_BYTES + b"0" * 4096
    response = _upload(client, meeting, item, large, "gros.pdf")
    assert response.status_code == 422
    assert "Le fichier dépasse la taille maximale de" in text_of(response)
    assert _document_count(db) == 0
    assert _stored_files(app) == []
    assert _upload(client, meeting, item, PDF_BYTES, "petit.pdf").status_code == 302


def test_default_size_limit_is_twenty_megabytes(app):
    assert (
        "AGENDA_DOCUMENT_MAX_BYTES" not in app.config
        or app.config["AGENDA_DOCUMENT_MAX_BYTES"] == 20 * 1024 * 1024
    )
    assert agenda.document_max_bytes() == 20 * 1024 * 1024


def test_document_without_title_or_file_is_refused(client, db, app, secretary, meeting):
    (item,) = _add(db, meeting, "Un")
    response = _upload(client, meeting, item, PDF_BYTES, "a.pdf", title="")
    assert response.status_code == 422
    assert "Indiquez le titre du document." in text_of(response)
    no_file = post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/items/{item.id}/documents",
        {"title": "Sans fichier", "visibility": "members"},
        form_url=f"/secretariat/meetings/{meeting.id}/items/{item.id}",
    )
    assert no_file.status_code == 422
    assert "Choisissez un fichier." in text_of(no_file)
    assert _document_count(db) == 0
    assert _stored_files(app) == []


# --- who may download -----------------------------------------------------------------


@pytest.fixture
def documents(db, meeting):
    """A public item with a public and a members-only document, a closed item with a
    'public' document; stored through the service, as an upload would."""
    public_item, closed_item = _add(db, meeting, "Ouvert", "Fermé")
    closed_item.is_public = False
    with agenda.filestore.staged_files():
        public = agenda.add_document(
            public_item,
            title="Note publique",
            data=PDF_BYTES,
            filename="Note publique – été.pdf",
            members_only=False,
        )
        private = agenda.add_document(
            public_item,
            title="Dossier de travail",
            data=SAMPLES["docx"][0],
            filename="dossier.docx",
            members_only=True,
        )
        closed = agenda.add_document(
            closed_item,
            title="Annexe huis clos",
            data=SAMPLES["odt"][0],
            filename="annexe.odt",
            members_only=False,
        )
    db.session.commit()
    return {"public": public, "private": private, "closed": closed}


def _get(client, prefix, meeting, document):
    return client.get(f"{prefix}/meetings/{meeting.id}/documents/{document.id}")


def test_public_sees_public_documents_once_the_agenda_is_published(client, db, meeting, documents):
    public, private, closed = documents["public"], documents["private"], documents["closed"]
    assert _get(client, "", meeting, public).status_code == 404  # agenda not yet published

    agenda.publish_agenda(meeting)
    db.session.commit()
    response = _get(client, "", meeting, public)
    assert response.status_code == 200
    assert response.data == PDF_BYTES
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Note%20publique%20%E2%80%93%20%C3%A9t%C3%A9.pdf" in disposition

    assert _get(client, "", meeting, private).status_code == 404  # members only
    assert _get(client, "", meeting, closed).status_code == 404  # closed item
    # Another session's id in the address does not reach the document.
    assert client.get(f"/meetings/{meeting.id + 1}/documents/{public.id}").status_code == 404


def test_public_never_sees_documents_of_a_closed_session_or_unpublished_committee(
    client, db, meeting, documents
):
    agenda.publish_agenda(meeting)
    meeting.is_public = False
    db.session.commit()
    assert _get(client, "", meeting, documents["public"]).status_code == 404
    meeting.is_public = True
    meeting.committee.published_at = None
    db.session.commit()
    assert _get(client, "", meeting, documents["public"]).status_code == 404


def test_members_of_the_committee_see_every_document(
    client, db, make_user, published_committee, meeting, documents
):
    member = _member_of(db, make_user, published_committee, "claire@example.org")
    login(client, member.email, DEFAULT_PASSWORD)
    for document in documents.values():  # before publication, closed item included
        response = _get(client, "/my", meeting, document)
        assert response.status_code == 200, document.title
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "private" in response.headers["Cache-Control"]
    assert _get(client, "/my", meeting, documents["private"]).data == SAMPLES["docx"][0]


def test_member_of_another_committee_gets_404(client, db, make_user, meeting, documents):
    other = create_committee(
        kind=CommitteeKind.PERMANENT, name_fr="Pharmacovigilance", start_date=date(2022, 3, 1)
    )
    db.session.commit()
    stranger = _member_of(db, make_user, other, "autre@example.org", date(2022, 3, 1))
    login(client, stranger.email, DEFAULT_PASSWORD)
    assert _get(client, "/my", meeting, documents["private"]).status_code == 404
    assert _get(client, "/my", meeting, documents["public"]).status_code == 404


def test_member_whose_mandate_does_not_cover_the_day_gets_404(
    client, db, make_user, published_committee, meeting, documents
):
    former = _member_of(
        db, make_user, published_committee, "ancien@example.org", date(2021, 8, 2), date(2022, 5, 3)
    )
    login(client, former.email, DEFAULT_PASSWORD)
    assert _get(client, "/my", meeting, documents["private"]).status_code == 404


def test_member_account_without_a_person_gets_404(client, db, make_user, meeting, documents):
    lone = make_user(Role.MEMBER, email="seul@example.org")
    login(client, lone.email, DEFAULT_PASSWORD)
    assert _get(client, "/my", meeting, documents["private"]).status_code == 404


def test_document_doors_are_guarded(client, db, make_user, published_committee, meeting, documents):
    private = documents["private"]
    anonymous = _get(client, "/my", meeting, private)
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    assert _get(client, "/secretariat", meeting, private).status_code == 302

    member = _member_of(db, make_user, published_committee, "claire@example.org")
    login(client, member.email, DEFAULT_PASSWORD)
    assert _get(client, "/secretariat", meeting, private).status_code == 403

    secretary = make_user(Role.SECRETARIAT, email="secretariat@example.org")
    other = client.application.test_client()
    login(other, secretary.email, DEFAULT_PASSWORD)
    response = _get(other, "/secretariat", meeting, private)
    assert response.status_code == 200
    assert response.data == SAMPLES["docx"][0]
    assert _get(other, "/my", meeting, private).status_code == 403  # not a member area account


def test_the_original_name_is_never_a_path(client, db, app, secretary, meeting):
    (item,) = _add(db, meeting, "Un")
    response = _upload(client, meeting, item, PDF_BYTES, "..\\..\\etc/passwd.pdf")
    assert response.status_code == 302
    document = db.session.execute(select(AgendaDocument)).scalar_one()
    assert document.filename == "passwd.pdf"
    (stored,) = _stored_files(app)
    assert stored.name == document.sha256
    download = _get(client, "/secretariat", meeting, document)
    assert "passwd.pdf" in download.headers["Content-Disposition"]


def test_removing_a_document(client, db, secretary, meeting, documents):
    document = documents["private"]
    item_url = f"/secretariat/meetings/{meeting.id}/items/{document.item_id}"
    assert "Dossier de travail" in text_of(client.get(item_url))
    response = post_form(
        client,
        f"/secretariat/meetings/{meeting.id}/documents/{document.id}/delete",
        {},
        form_url=item_url,
        follow_redirects=True,
    )
    assert "Le document « Dossier de travail » a été retiré." in text_of(response)
    assert _document_count(db) == 2


def test_visible_documents_applies_the_same_rule(db, meeting, documents):
    from flask_login import AnonymousUserMixin

    public_item = documents["public"].item
    anonymous = AnonymousUserMixin()
    assert agenda.visible_documents(public_item, anonymous, agenda.Audience.PUBLIC) == []
    agenda.publish_agenda(meeting)
    assert agenda.visible_documents(public_item, anonymous, agenda.Audience.PUBLIC) == [
        documents["public"]
    ]
