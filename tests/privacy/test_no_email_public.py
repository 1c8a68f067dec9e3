"""No e-mail address in any public page: a crawl of the public site as an anonymous visitor."""

from __future__ import annotations

import re
from collections import deque
from datetime import UTC, date, datetime
from html import unescape
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from committees.auth.models import Role
from committees.bodies.models import Committee, CommitteeKind, MandateRole, Person
from committees.bodies.persons.declarations import file_declaration
from committees.bodies.persons.services import create_person
from committees.bodies.services import MandateLine, add_mandate, create_committee
from committees.decisions.models import Decision, DecisionKind
from committees.decisions.services import (
    create_decision,
    publish_decision,
    record_creation,
    record_nomination,
)

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: The agency's own contact addresses (legal notice, privacy page) are public by design.
AGENCY_DOMAIN = "ansm.example"
#: Blueprints whose pages anyone may read.
PUBLIC_BLUEPRINTS = ("public", "public_committees", "public_decisions")
HREF = re.compile(r'href="([^"]+)"')
MAX_PAGES = 400
PUBLISHED = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)


def _build_public_record(db, make_user) -> list[Person]:
    """Two published committees, a draft one, decisions, members who all have a private e-mail."""
    make_user(Role.SECRETARIAT, email="secretariat@ansm-staff.example.org")
    member_account = make_user(Role.MEMBER, email="compte.membre@example.org")
    follow_up = create_committee(
        kind=CommitteeKind.TEMPORARY,
        name_fr="Suivi de l'expérimentation française de l'usage médical du cannabis",
        acronym="CST",
        start_date=date(2021, 6, 8),
        end_date=date(2039, 12, 31),
        mission_fr="Suivre l'expérimentation. Contact : ne pas écrire aux membres.",
        published_at=PUBLISHED,
    )
    mixed = create_committee(
        kind=CommitteeKind.PERMANENT,
        name_fr="Pharmacovigilance et addictovigilance",
        acronym="CSP",
        start_date=date(2022, 3, 1),
        published_at=PUBLISHED,
    )
    draft = create_committee(
        kind=CommitteeKind.OTHER, name_fr="Comité en préparation", start_date=date(2022, 1, 1)
    )
    persons = [
        create_person(
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            email=f"prenom{n}.nom{n}@hopital{n}.fr",
            affiliation=f"Hôpital {n}",
            qualification="Pharmacologie",
            user=member_account if n == 0 else None,
        )
        for n in range(6)
    ]
    creation = create_decision(
        number="2021-245",
        title="Création du CST de suivi",
        kind=DecisionKind.CREATION,
        signed_on=date(2021, 6, 8),
    )
    record_creation(creation, follow_up)
    publish_decision(creation, PUBLISHED)
    nomination = create_decision(
        number="2021-246",
        title="Nomination des membres",
        kind=DecisionKind.NOMINATION,
        signed_on=date(2021, 6, 9),
    )
    roles = [MandateRole.PRESIDENT, MandateRole.MEMBER, MandateRole.PATIENT_REPRESENTATIVE]
    record_nomination(
        nomination,
        follow_up,
        [MandateLine(p, role, date(2021, 6, 9)) for p, role in zip(persons, roles, strict=False)],
    )
    publish_decision(nomination, PUBLISHED)
    add_mandate(mixed, MandateLine(persons[3], MandateRole.INVITED_EXPERT, date(2022, 3, 1)))
    add_mandate(mixed, MandateLine(persons[4], MandateRole.MEMBER, date(2022, 3, 1)))
    add_mandate(draft, MandateLine(persons[5], MandateRole.MEMBER, date(2022, 1, 1)))
    for person in persons[:4]:
        file_declaration(person, date(2023, 1, 1), [], f"https://dpi.example/{person.last_name}")
    create_decision(
        number="2022-7",
        title="Décision en brouillon",
        kind=DecisionKind.OTHER,
        signed_on=date(2022, 2, 1),
    )
    db.session.commit()
    return persons


def _seeds(app, db) -> list[str]:
    """Every public page without parameters, plus every published committee and decision."""
    urls = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.rpartition(".")[0]
        if blueprint in PUBLIC_BLUEPRINTS and "GET" in rule.methods and not rule.arguments:
            urls.append(rule.rule)
    slugs = db.session.execute(
        select(Committee.slug).where(Committee.published_at.is_not(None))
    ).scalars()
    urls += [f"/committees/{slug}" for slug in slugs]
    if "public_decisions.public_detail" in app.view_functions or any(
        r.rule == "/decisions/<number>" for r in app.url_map.iter_rules()
    ):
        numbers = db.session.execute(
            select(Decision.number).where(Decision.published_at.is_not(None))
        ).scalars()
        urls += [f"/decisions/{number}" for number in numbers]
    return urls + [f"{url}?lang=en" for url in urls]


def _crawl(client, seeds: list[str]) -> dict[str, str]:
    """Visit the seeds and every internal link they lead to; the HTML of each page read."""
    pages: dict[str, str] = {}
    queue, seen = deque(seeds), set(seeds)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages[url] = html
        for href in HREF.findall(html):
            link = urljoin(url, unescape(href))
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or parts.path.startswith("/static/"):
                continue  # another site, or a stylesheet
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def test_no_email_address_on_any_public_page(app, client, db, make_user):
    persons = _build_public_record(db, make_user)
    private = {p.email for p in persons} | {"compte.membre@example.org"}

    pages = _crawl(client, _seeds(app, db))

    must_visit = {
        "/",
        "/committees",
        "/committees/suivi-de-l-experimentation-francaise-de-l-usage-medical-du-cannabis",
        "/committees/pharmacovigilance-et-addictovigilance",
    }
    if any(r.rule == "/decisions/<number>" for r in app.url_map.iter_rules()):
        must_visit |= {"/decisions", "/decisions/2021-245", "/decisions/2021-246"}
    assert must_visit <= pages.keys()
    # The crawl did see the members: names are public, addresses are not.
    committee_page = pages[
        "/committees/suivi-de-l-experimentation-francaise-de-l-usage-medical-du-cannabis"
    ]
    assert "Prénom0 Nom0" in committee_page

    offending = {}
    for url, html in pages.items():
        text = unescape(html)
        found = [a for a in EMAIL.findall(text) if a.lower().rsplit("@", 1)[1] != AGENCY_DOMAIN]
        found += [a for a in private if a.lower() in text.lower()]
        if found:
            offending[url] = sorted(set(found))
    assert offending == {}
