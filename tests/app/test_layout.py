"""The frame of every page: language, skip link, landmarks, navigation, footer, macros, dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length

from committees.auth.models import Role, User
from tests.support.helpers import open_session, text_of

FOCUSABLE = re.compile(r"<(a|button|select|textarea|input(?![^>]*type=\"hidden\"))\b[^>]*>")


def footer_of(html: str) -> str:
    match = re.search(r"<footer\b.*?</footer>", html, flags=re.S)
    assert match, "no footer"
    return match.group(0)


def nav_of(html: str) -> str:
    match = re.search(r'<nav class="main-nav".*?</nav>', html, flags=re.S)
    assert match, "no main navigation"
    return match.group(0)


def test_page_is_french_with_skip_link_first_and_landmarks(client):
    html = client.get("/").get_data(as_text=True)

    assert '<html lang="fr">' in html
    body = html[html.index("<body") :]
    first_focusable = FOCUSABLE.search(body).group(0)
    assert 'href="#contenu"' in first_focusable
    assert "Aller au contenu" in html
    assert re.search(r'<header role="banner"', html)
    assert re.search(r'<nav [^>]*aria-label="Menu principal"', html)
    assert re.search(r'<main id="contenu"', html)
    assert re.search(r"<footer\b", html)
    assert html.count("<h1") == 1


def test_header_shows_the_state_block_and_the_agency(client, app):
    text = text_of(client.get("/"))

    assert "République française" in text
    assert app.config["AGENCY_SHORT_NAME"] in text
    assert app.config["AGENCY_NAME"] in text


@pytest.mark.parametrize(
    ("label", "heading"),
    [
        ("Mentions légales", "Mentions légales"),
        ("Accessibilité : non conforme", "Déclaration d'accessibilité"),
        ("Données personnelles", "Données personnelles"),
    ],
)
def test_footer_links_lead_to_their_pages(client, label, heading):
    footer = footer_of(client.get("/").get_data(as_text=True))
    match = re.search(r'<a href="([^"]+)">' + re.escape(label) + "</a>", footer)
    assert match, f"no footer link {label!r}"

    page = client.get(match.group(1))

    assert page.status_code == 200
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page.get_data(as_text=True), flags=re.S).group(1)
    assert unescape(h1).strip() == heading


def test_informational_pages_say_what_they_must(client):
    legal = text_of(client.get("/legal"))
    for section in ("Éditeur", "Directeur de la publication", "Hébergeur", "fictive"):
        assert section in legal
    accessibility = text_of(client.get("/accessibility"))
    assert "non conforme" in accessibility
    assert "RGAA" in accessibility
    assert "4.1" in accessibility
    assert "Défenseur des droits" in accessibility
    privacy = text_of(client.get("/privacy"))
    for words in ("RGPD", "déclarations publiques d'intérêts", "Durées de conservation", "délégué"):
        assert words in privacy


def test_breadcrumb_marks_the_current_page(client):
    html = client.get("/privacy").get_data(as_text=True)

    assert re.search(r'<nav class="breadcrumb" aria-label="[^"]+">', html)
    assert '<span aria-current="page">Données personnelles</span>' in html


def test_anonymous_visitor_is_offered_sign_in_and_registration(client):
    nav = nav_of(client.get("/").get_data(as_text=True))

    assert '<a class="main-nav__link" href="/" aria-current="page">Accueil</a>' in nav
    assert 'href="/login"' in nav
    assert "Se connecter" in nav
    assert 'href="/register"' in nav
    assert "Créer un compte contributeur" in nav
    assert "/dashboard" not in nav
    assert "Se déconnecter" not in client.get("/").get_data(as_text=True)


def test_home_page_welcomes_and_calls_to_action(client):
    response = client.get("/")
    text = text_of(response)

    assert "Comités scientifiques temporaires" in text
    assert "déclaration publique d'intérêts" in text
    assert "comptes rendus" in text
    html = response.get_data(as_text=True)
    assert re.search(r'<a class="button" href="/login">Se connecter</a>', html)
    assert re.search(r'href="/register">Créer un compte contributeur</a>', html)


@pytest.mark.parametrize(
    ("role", "outbox", "accounts"),
    [
        (Role.MEMBER, False, False),
        (Role.CONTRIBUTOR, False, False),
        (Role.SECRETARIAT, True, False),
        (Role.ADMIN, True, True),
    ],
)
def test_signed_in_navigation_follows_permissions(client, make_user, role, outbox, accounts):
    user = make_user(role, full_name="Claire Dupont")
    open_session(client, user)

    html = client.get("/").get_data(as_text=True)
    nav = nav_of(html)

    assert 'href="/dashboard">Tableau de bord</a>' in nav
    assert ('href="/outbox">Messages envoyés</a>' in nav) is outbox
    assert ('href="/admin/users">Comptes</a>' in nav) is accounts
    assert "/login" not in nav
    assert "/register" not in nav
    assert "Claire Dupont" in text_of(client.get("/"))
    assert 'href="/account/password">Mot de passe</a>' in html
    logout = re.search(r'<form[^>]*action="/logout".*?</form>', html, flags=re.S).group(0)
    assert 'method="post"' in logout
    assert 'name="csrf_token"' in logout
    assert "Se déconnecter" in logout
    assert 'href="/dashboard">Accéder à mon tableau de bord</a>' in html


@pytest.mark.parametrize(
    ("category", "role"),
    [("success", "status"), ("info", "status"), ("warning", "alert"), ("error", "alert")],
)
def test_flash_messages_are_announced(client, category, role):
    with client.session_transaction() as session:
        session["_flashes"] = [(category, "Votre demande a été prise en compte.")]

    html = client.get("/").get_data(as_text=True)

    assert re.search(
        rf'<div class="alert alert--{category}" role="{role}">\s*<p>'
        r"Votre demande a été prise en compte.</p>",
        html,
    )
    assert "Votre demande a été prise en compte." not in client.get("/").get_data(as_text=True)


def test_stylesheet_is_served_and_linked(client):
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="stylesheet" href="([^"]+)">', html).group(1)

    response = client.get(href)

    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert "#000091" in css
    assert "#e1000f" in css
    assert "prefers-reduced-motion" in css
    assert ":focus-visible" in css


# --- macros --------------------------------------------------------------------------------


class ContactForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Nom", validators=[DataRequired(message="Indiquez votre nom.")])
    email = StringField(
        "Adresse électronique",
        validators=[Length(min=50, message="Adresse trop courte.")],
    )
    consent = BooleanField("J'accepte")
    kind = RadioField(
        "Vous êtes",
        choices=[SelectChoice("patient", "Patient"), SelectChoice("pro", "Professionnel")],
    )


def render(source: str, **context) -> str:
    return render_template_string('{% from "_macros.html" import ' + source, **context)


def test_form_field_ties_label_help_and_errors_and_keeps_input(app):
    with app.test_request_context(method="POST", data={"name": "", "email": "a@b.fr"}):
        form = ContactForm()
        assert not form.validate()
        html = render(
            "form_field, form_errors %}{{ form_errors(form) }}"
            '{{ form_field(form.name, help="Nom et prénom") }}'
            '{{ form_field(form.email, autocomplete="email", inputmode="email") }}'
            "{{ form_field(form.consent) }}{{ form_field(form.kind) }}",
            form=form,
        )

    required_mark = '<span class="required" aria-hidden="true">*</span>'
    assert f'<label for="name">Nom</label> {required_mark}' in html
    assert 'aria-describedby="name-help name-errors"' in html
    assert 'id="name-help"' in html
    assert 'id="name-errors"' in html
    assert "Indiquez votre nom." in html
    assert 'aria-invalid="true"' in html
    assert 'value="a@b.fr"' in html
    assert 'autocomplete="email"' in html
    assert 'inputmode="email"' in html
    assert "None" not in html
    assert '<a href="#name">Nom : Indiquez votre nom.</a>' in html
    assert '<a href="#email">Adresse électronique : Adresse trop courte.</a>' in html
    assert "<legend>Vous êtes</legend>" in html
    assert html.count('type="radio"') == 2


def test_form_field_without_help_or_error_has_no_describedby(app):
    with app.test_request_context():
        html = render("form_field %}{{ form_field(form.email) }}", form=ContactForm())

    assert "aria-describedby" not in html
    assert "aria-invalid" not in html
    assert 'class="field "' in html or 'class="field' in html


def test_badge_tones(app):
    html = render('badge %}{{ badge("Publié", "success") }}{{ badge("Brouillon", "bogus") }}')

    assert '<span class="badge badge--success">Publié</span>' in html
    assert '<span class="badge badge--neutral">Brouillon</span>' in html


def test_pagination_links_keep_filters_and_mark_current_page(app, db, make_user):
    for _ in range(5):
        make_user(Role.MEMBER)
    with app.test_request_context("/"):
        page = db.paginate(select(User).order_by(User.id), page=2, per_page=2, error_out=False)
        html = render('pagination %}{{ pagination(page, "public.home", q="dupont") }}', page=page)

    assert re.search(r'<nav class="pagination" aria-label="Pagination">', html)
    links = re.findall(r'href="([^"]+)"', html)
    assert all("q=dupont" in link for link in links)
    assert any("page=1" in link for link in links)
    assert any("page=3" in link for link in links)
    assert re.search(r'aria-current="page" href="[^"]*page=2[^"]*"', html)
    assert "Page précédente" in html
    assert "Page suivante" in html
    assert "3 à 4 sur 5" in html


def test_pagination_is_silent_on_a_single_page(app, db, make_user):
    make_user(Role.MEMBER)
    with app.test_request_context("/"):
        page = db.paginate(select(User), page=1, per_page=20, error_out=False)
        html = render('pagination %}{{ pagination(page, "public.home") }}', page=page)

    assert html.strip() == ""


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "17 févr. 2022, 14:00"), ("en", "Feb 17, 2022, 2:00\u202fPM")],
)
def test_paris_datetime_shows_winter_time_in_the_page_language(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        html = render_template_string(
            "{{ when|paris_datetime }}", when=datetime(2022, 2, 17, 13, 0, tzinfo=UTC)
        )

    assert html == expected


def test_paris_datetime_follows_summer_time(app):
    with app.test_request_context("/?lang=fr"):
        html = render_template_string(
            "{{ when|paris_datetime('short') }}", when=datetime(2022, 5, 4, 8, 0, tzinfo=UTC)
        )

    assert html.endswith("10:00")


def test_paris_date_uses_the_day_seen_in_france(app):
    late_evening_utc = datetime(2021, 6, 7, 22, 30, tzinfo=UTC)  # already 8 June in Paris
    with app.test_request_context("/?lang=fr"):
        html = render_template_string(
            "{{ a|paris_date }} / {{ b|paris_date }} / [{{ none|paris_date }}]",
            a=late_evening_utc,
            b=date(2022, 4, 20),
            none=None,
        )

    assert html == "8 juin 2021 / 20 avril 2022 / []"


# --- in a real browser -----------------------------------------------------------------------


@pytest.mark.browser
def test_keyboard_reaches_the_skip_link_first_and_sees_it(page):
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#contenu"
    box = page.locator(".skiplink").first.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


@pytest.mark.browser
def test_small_screen_has_no_horizontal_scrolling(page):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/privacy", "/no-such-page"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_url_or_none_tolerates_endpoints_not_built_yet(app):
    with app.test_request_context("/"):
        html = render_template_string(
            "{{ url_or_none('public.legal') }}|{{ url_or_none('calls.index') or 'absent' }}"
        )

    assert html == "/legal|absent"
