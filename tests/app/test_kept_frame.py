"""The frame of every page is drawn once per worker (``committees.layout``) and filled on
every request: each person sees their own name, token and page in it, never another's."""

from __future__ import annotations

import re

from committees.auth.models import Role
from tests.support.helpers import open_session, text_of


def _logout_token(html: str) -> str:
    form = re.search(r'<form[^>]*action="/logout".*?</form>', html, flags=re.S).group(0)
    return re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)


def _current_links(html: str) -> list[str]:
    return re.findall(r'<a class="main-nav__link" href="([^"]+)" aria-current="page">', html)


def test_each_person_sees_their_own_name_and_token(app, make_user):
    anne = make_user(Role.MEMBER, full_name="Anne <Martin>")
    bruno = make_user(Role.MEMBER, full_name="Bruno Petit")
    first, second = app.test_client(), app.test_client()
    open_session(first, anne)
    open_session(second, bruno)

    anne_page = first.get("/dashboard").get_data(as_text=True)
    bruno_page = second.get("/dashboard").get_data(as_text=True)

    assert "Anne &lt;Martin&gt;" in anne_page
    assert "<Martin>" not in anne_page
    assert "Bruno Petit" in text_of(second.get("/dashboard"))
    assert "Anne" not in bruno_page
    assert "Bruno" not in anne_page
    assert _logout_token(anne_page) != _logout_token(bruno_page)
    # Bruno's token is his session's: it signs him out.
    assert second.post("/logout", data={"csrf_token": _logout_token(bruno_page)}).status_code == 302
    assert second.get("/dashboard").status_code == 302
    assert first.get("/dashboard").status_code == 200


def test_the_menu_is_the_role_s_and_marks_the_current_page(client, make_user):
    member = make_user(Role.MEMBER)
    contributor = make_user(Role.CONTRIBUTOR)
    open_session(client, member)
    member_page = client.get("/dashboard").get_data(as_text=True)
    open_session(client, contributor)
    contributor_page = client.get("/dashboard").get_data(as_text=True)

    assert 'href="/my/meetings">Mes séances</a>' in member_page
    assert "/my/contributions" not in member_page
    assert 'href="/my/contributions">Mes contributions</a>' in contributor_page
    assert "/my/meetings" not in contributor_page
    assert _current_links(member_page) == ["/dashboard"]
    assert _current_links(client.get("/my/contributions").get_data(as_text=True)) == [
        "/my/contributions"
    ]
    assert _current_links(client.get("/en/calls").get_data(as_text=True)) == ["/en/calls"]


def test_the_language_switch_names_this_page(client, make_user):
    # A visitor's links, then a signed-in person's form: each names the page it is on.
    for path in ("/search?q=avis&page=2", "/legal"):
        html = client.get(path).get_data(as_text=True)
        wanted = path.replace("&", "&amp;")
        assert f'class="lang-switch__button" href="/en{wanted}"' in html
        assert f'<link rel="alternate" hreflang="fr" href="/fr{wanted}">' in html
    open_session(client, make_user(Role.SECRETARIAT))
    for path in ("/secretariat/meetings?committee=x&y=1", "/dashboard"):
        html = client.get(path).get_data(as_text=True)
        assert f'name="next" value="{path.replace("&", "&amp;")}"' in html
        assert (
            f'<link rel="alternate" hreflang="en" href="/en{path.replace("&", "&amp;")}">' in html
        )
