"""The session pack (issue 22): one PDF per session and member, read back with pypdf —
cover, agenda, table of contents, the documents in agenda order with bookmarks; a recused
member's pack without that item's papers; replacing a document keeps the former version
and sends each member one message listing what changed; big sessions are queued for
``flask packs build``; the pack is the member's own (403/404 otherwise)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from committees.auth.models import Role
from committees.common import filestore
from committees.mail.models import OutboxMessage
from committees.meetings.agenda.services import add_document
from committees.meetings.conduct.convocations import convene
from committees.meetings.conduct.services import decide_recusal
from committees.meetings.models import AgendaDocumentVersion, PackBuild, RecusalStatus
from tests.support.convocations import build_session, sign_in_secretariat
from tests.support.documents import pdf_structure
from tests.support.helpers import DEFAULT_PASSWORD, login, post_form, text_of
from tests.support.pack import make_odt, make_pdf

PENDING = "en préparation"


@pytest.fixture
def pack_session(db, app, make_user):
    """A session with 2 + 3 + 1 pages of PDF on its three items and an ODT on item 2;
    Anne and Bruno have member accounts, each signed in on a client."""
    s = build_session(db, members=3)
    info, opinion, closed = s.items
    with filestore.staged_files():
        s.note = add_document(info, title="Note d'étape", data=make_pdf(2), filename="n.pdf")
        s.report = add_document(
            opinion, title="Rapport Phytopharma", data=make_pdf(3), filename="r.pdf"
        )
        s.annex = add_document(opinion, title="Annexe tableur", data=make_odt(), filename="a.odt")
        s.case = add_document(
            closed, title="Dossier individuel", data=make_pdf(1), filename="d.pdf"
        )
    db.session.commit()
    s.clients = {}
    for mandate in s.members[:2]:
        user = make_user(Role.MEMBER, email=mandate.person.email)
        mandate.person.user_id = user.id
        client = app.test_client()
        login(client, user.email, DEFAULT_PASSWORD)
        s.clients[mandate.person.first_name] = client
    db.session.commit()
    return s


def outline_titles(reader: PdfReader) -> list[tuple[str, int, int]]:
    """(title, depth, page index) of every bookmark, in order."""
    found = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                found.append((entry.title, depth, reader.get_destination_page_number(entry)))

    walk(reader.outline, 0)
    return found


def get_pack(s, name: str) -> PdfReader:
    response = s.clients[name].get(f"/my/meetings/{s.meeting.id}/pack")
    assert response.status_code == 200, text_of(response)
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def test_a_members_pack_holds_cover_agenda_toc_and_documents_with_bookmarks(pack_session):
    s = pack_session
    reader = get_pack(s, "Bruno")
    documents_pages = 2 + 3 + 1
    front = len(reader.pages) - documents_pages
    assert front >= 3  # cover, agenda, table of contents

    cover = reader.pages[0].extract_text()
    assert "Dossier de séance" in cover
    assert "Bruno Bernard" in cover
    assert s.committee.name_fr in cover
    assert "ANSM, salle 1" in cover
    front_text = "\n".join(reader.pages[i].extract_text() for i in range(front))
    assert "Avis (avec vote), public, rapporteur : Dr Colin" in front_text
    assert "Discussion, huis clos" in front_text
    assert "Sommaire" in front_text
    assert "Annexe tableur (disponible en ligne)" in front_text
    assert f"Page 1 / {len(reader.pages)}" in cover

    bookmarks = outline_titles(reader)
    titles = [title for title, _depth, _page in bookmarks]
    assert titles[:3] == ["Couverture", "Ordre du jour", "Sommaire"]
    pages = {title: page for title, _depth, page in bookmarks}
    for item in s.items:
        assert f"{item.position}. {item.title}" in titles
    # documents in agenda order, each bookmark on its first page, after the front matter
    assert pages["Note d'étape"] == front
    assert pages["Rapport Phytopharma"] == front + 2
    assert pages["Dossier individuel"] == front + 5
    assert "Annexe tableur (disponible en ligne)" in titles
    # each document page is stamped with its number in the pack
    total = len(reader.pages)
    assert f"{front + 3} / {total}" in reader.pages[front + 2].extract_text()
    assert f"{total} / {total}" in reader.pages[-1].extract_text()
    # the table of contents cites the same (1-based) page numbers
    assert f"Rapport Phytopharma {front + 3}" in front_text
    depth = {title: d for title, d, _p in bookmarks}
    assert depth["Rapport Phytopharma"] == depth[f"2. {s.items[1].title}"] + 1


def test_the_front_matter_stays_tagged_in_the_pack(pack_session):
    s = pack_session
    response = s.clients["Bruno"].get(f"/my/meetings/{s.meeting.id}/pack")
    pdf = pdf_structure(response.data)
    assert pdf.has_struct_tree
    assert pdf.tagged
    assert pdf.lang == "fr"
    assert {"H1", "H2", "Table", "TH"} <= pdf.tags
    assert pdf.figures_alt == ["Drapeau de la République française"]
    assert pdf.title.startswith("Dossier de séance – ")
    assert pdf.bookmarks[0] == "Couverture"


def test_a_recused_members_pack_leaves_out_that_items_papers(db, pack_session):
    s = pack_session
    anne = s.members[0]
    before = get_pack(s, "Anne")
    assert "Rapport Phytopharma" in [t for t, _d, _p in outline_titles(before)]

    decide_recusal(s.items[1], anne, RecusalStatus.CONFIRMED, "Consultante de Phytopharma")
    db.session.commit()
    after = get_pack(s, "Anne")  # the recusal changed the key: rebuilt
    titles = [t for t, _d, _p in outline_titles(after)]
    assert "Rapport Phytopharma" not in titles
    assert "Annexe tableur (disponible en ligne)" not in titles
    assert len(after.pages) == len(before.pages) - 3
    front = "\n".join(p.extract_text() for p in after.pages[:3])
    assert "Vous êtes déporté(e) sur ce point" in front
    # Bruno, not recused, still gets them
    assert "Rapport Phytopharma" in [t for t, _d, _p in outline_titles(get_pack(s, "Bruno"))]


def replace(client, s, document, data: bytes, filename="r2.pdf", title=""):
    url = f"/secretariat/meetings/{s.meeting.id}/documents/{document.id}/replace"
    return post_form(
        client,
        url,
        {"file": (io.BytesIO(data), filename), "title": title},
        content_type="multipart/form-data",
    )


def change_messages(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "meeting_pack_changes")
        )
    )


def test_replacing_documents_keeps_versions_and_sends_one_message_per_member(
    app, db, client, make_user, pack_session
):
    s = pack_session
    convene(s.meeting)
    db.session.commit()
    convocation = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "meeting_convocation")
    ).first()
    assert f"/my/meetings/{s.meeting.id}/pack" in convocation.body_text
    sign_in_secretariat(client, make_user)

    response = replace(client, s, s.report, make_pdf(4))
    assert response.status_code == 302
    response = replace(client, s, s.note, make_pdf(1), title="Note d'étape révisée")
    assert response.status_code == 302
    page = text_of(
        client.get(f"/secretariat/meetings/{s.meeting.id}/documents/{s.report.id}/replace")
    )
    assert "Version 1 — Rapport Phytopharma" in page
    former = db.session.scalars(select(AgendaDocumentVersion)).all()
    assert sorted(v.version for v in former) == [1, 1]
    download = client.get(
        f"/secretariat/meetings/{s.meeting.id}/documents/{s.report.id}/versions/1"
    )
    assert download.status_code == 200
    assert len(PdfReader(io.BytesIO(download.data)).pages) == 3

    result = app.test_cli_runner().invoke(args=["packs", "build"])
    assert result.exit_code == 0, result.output
    messages = change_messages(db)
    recipients = [m.recipient for m in messages]
    convened = [m.person.email for m in [*s.members, s.expert] if m.person.email]
    assert sorted(recipients) == sorted(convened)  # one message each
    body = messages[0].body_text
    assert "nouvelle version (2) : Rapport Phytopharma" in body
    assert "nouvelle version (2) : Note d'étape révisée" in body
    assert f"/my/meetings/{s.meeting.id}/pack" in body
    built = db.session.scalars(select(PackBuild)).all()
    assert built
    assert all(b.status == "ready" for b in built)

    app.test_cli_runner().invoke(args=["packs", "build"])
    assert len(change_messages(db)) == len(messages)  # nothing new: nothing sent

    # the members' packs hold the new versions
    reader = get_pack(s, "Bruno")
    assert len(reader.pages) - (1 + 4 + 1) >= 3
    assert "Note d'étape révisée" in [t for t, _d, _p in outline_titles(reader)]


def test_a_refused_replacement_changes_nothing(db, client, make_user, pack_session):
    s = pack_session
    sign_in_secretariat(client, make_user)
    response = replace(client, s, s.report, b"not a document", filename="x.exe")
    assert response.status_code == 422
    assert "n'est pas un document accepté" in text_of(response)
    same = replace(client, s, s.report, filestore.read_bytes(s.report.sha256))
    assert same.status_code == 422
    assert "identique à la version en vigueur" in text_of(same)
    db.session.expire_all()
    assert s.report.version == 1
    assert db.session.scalars(select(AgendaDocumentVersion)).all() == []


def test_a_large_session_is_queued_then_built_by_the_command(app, db, pack_session, monkeypatch):
    s = pack_session
    monkeypatch.setitem(app.config, "PACK_SYNC_MAX_BYTES", 0)
    client = s.clients["Bruno"]
    response = client.get(f"/my/meetings/{s.meeting.id}/pack")
    assert response.status_code == 202
    assert PENDING in text_of(response)
    page = text_of(client.get(f"/my/meetings/{s.meeting.id}"))
    assert "Dossier de séance (PDF)" in page
    assert PENDING in page

    result = app.test_cli_runner().invoke(args=["packs", "build"])
    assert "Packs built: 1" in result.output
    assert PENDING not in text_of(client.get(f"/my/meetings/{s.meeting.id}"))
    assert get_pack(s, "Bruno").pages


def test_the_pack_is_the_members_own(app, db, client, make_user, pack_session):
    s = pack_session
    url = f"/my/meetings/{s.meeting.id}/pack"
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    contributor = make_user(Role.CONTRIBUTOR)
    login(client, contributor.email, DEFAULT_PASSWORD)
    assert client.get(url).status_code == 403
    other = build_session(db, members=1, slug="autre-comite")
    outsider = make_user(Role.MEMBER, email=other.members[0].person.email)
    other.members[0].person.user_id = outsider.id
    db.session.commit()
    stranger = app.test_client()
    login(stranger, outsider.email, DEFAULT_PASSWORD)
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/my/meetings/{s.meeting.id + 999}/pack").status_code == 404


def test_the_demo_cst_2022_session_has_a_pack(app, db):
    from committees.common.timeutils import paris_today
    from committees.demo import seed_all

    seed_all(today=paris_today())
    seed_all(today=paris_today())  # again: nothing doubled
    # the demo member's pack is built; the others' are queued by the replaced document
    row = db.session.scalars(select(PackBuild).where(PackBuild.status == "ready")).one()
    queued = db.session.scalars(select(PackBuild).where(PackBuild.status == "pending")).all()
    assert {q.meeting_id for q in queued} == {row.meeting_id}
    versions = db.session.scalars(select(AgendaDocumentVersion)).all()
    assert [v.title for v in versions] == ["Rapport du rapporteur"]
    client = app.test_client()
    login(client, "membre@demo.ansm.example", "demo-membre-2022")
    reader = PdfReader(io.BytesIO(client.get(f"/my/meetings/{row.meeting_id}/pack").data))
    titles = [t for t, _d, _p in outline_titles(reader)]
    assert "Rapport du rapporteur" in titles
    assert "Point d'étape de l'expérimentation" in titles
    page = text_of(client.get(f"/my/meetings/{row.meeting_id}"))
    assert "Dossier de séance (PDF)" in page
