"""Every kind of page, for every kind of visitor, on a phone and on a desktop (issue 11).

One Chromium, one tab per role, axe-core injected into every document: a page fails on any
WCAG 2.1 A/AA violation axe finds, or when the page itself scrolls sideways at 320 CSS px
(RGAA 10.11; only a data table may scroll, inside its own region).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from committees.demo import DEMO_ACCOUNTS, seed_all
from tests.support.helpers import JS
from tests.support.route_matrix import path_values

pytestmark = pytest.mark.browser

AXE = JS / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (320, 1280)

# The pages, per role; "{name}" takes a demo object from path_values(). "?lang=en" pages
# are the English interface (the parameter overrides the person's saved language).
PAGES = {
    "anonymous": (
        "/",
        "/?lang=en",
        "/committees",
        "/committees?lang=en",
        "/committees/{slug}",
        "/committees/{slug}?lang=en",
        "/meetings",
        "/meetings?when=past",
        "/meetings/{meeting_id}",
        "/meetings/{meeting_id}?lang=en",
        "/meetings/{meeting_id}/minutes",
        "/decisions",
        "/decisions/{number}",
        "/decisions/{number}?lang=en",
        "/calls",
        "/calls?lang=en",
        "/calls/{call_id}",
        "/calls/{call_id}?lang=en",
        "/committees/{slug}/reports/2022",
        "/committees/{slug}/reports/2022?lang=en",
        "/search?q=cannabis",
        "/search?q=cannabis&lang=en",
        "/plan-du-site",
        "/accessibility",
        "/accessibility?lang=en",
        "/legal",
        "/privacy",
        "/login",
        "/login?lang=en",
        "/register",
        "/register?lang=en",
        "/password/forgot",
        "/no-such-page",
        "/certificates/{code}",
        "/certificates/{code}?lang=en",
        "/certificates/1-AAAAAAAAAAAA",
        "/procedures",
        "/procedures/{procedure_id}",
        "/procedures/{procedure_id}?lang=en",
    ),
    "member": (
        "/dashboard",
        "/dashboard?lang=en",
        "/my/meetings",
        "/my/meetings/{meeting_id}",
        "/my/meetings/{meeting_id}?lang=en",
        "/my/meetings/{meeting_id}/minutes",
        "/my/procedures/{procedure_id}",
        "/my/procedures/{procedure_id}?lang=en",
        "/my/declarations",
        "/my/declarations?lang=en",
        "/my/declarations/new",
        "/account/password",
        "/account/data",
        "/my/certificates",
        "/my/certificates?lang=en",
    ),
    "contributor": (
        "/my/contributions",
        "/my/contributions/{contribution_id}",
        "/my/contributions/{contribution_id}/receipt",
        "/my/contributions?lang=en",
        "/calls/{call_id}/contribute",
    ),
    "secretariat": (
        "/dashboard",
        "/dashboard?lang=en",
        "/secretariat/committees",
        "/secretariat/committees/{committee_id}",
        "/secretariat/committees/{committee_id}?lang=en",
        "/secretariat/meetings",
        "/secretariat/meetings/{meeting_id}",
        "/secretariat/meetings/{meeting_id}/agenda",
        "/secretariat/meetings/{meeting_id}/agenda?lang=en",
        "/secretariat/meetings/{meeting_id}/conflicts",
        "/secretariat/meetings/{meeting_id}/items/{item_id}/hearings",
        "/secretariat/meetings/series",
        "/secretariat/meetings/{meeting_id}/attendance",
        "/secretariat/meetings/{meeting_id}/convocations",
        "/secretariat/meetings/{meeting_id}/minutes",
        "/secretariat/meetings/{meeting_id}/items/{item_id}",
        "/secretariat/meetings/{meeting_id}/documents/{document_id}/replace",
        "/secretariat/meetings/new",
        "/secretariat/committees/{committee_id}/mandates/new",
        "/secretariat/persons",
        "/secretariat/persons/{person_id}",
        "/secretariat/persons/new",
        "/secretariat/committees/{committee_id}/import",
        "/secretariat/decisions",
        "/secretariat/decisions/{decision_id}",
        "/secretariat/decisions/{decision_id}/nomination",
        "/secretariat/decisions/new",
        "/secretariat/calls",
        "/secretariat/calls/new",
        "/secretariat/calls/{call_id}",
        "/secretariat/calls/{call_id}/contributions",
        "/secretariat/calls/{call_id}/contributions/{contribution_id}",
        "/outbox/",
        "/outbox/{message_id}",
        "/secretariat/committees/{committee_id}/reports",
        "/secretariat/committees/{committee_id}/reports/2022",
        "/secretariat/calls/{call_id}/synthesis",
        "/secretariat/meetings/{meeting_id}/actions",
        "/secretariat/procedures",
        "/secretariat/procedures/{procedure_id}",
        "/secretariat/committees/{committee_id}/procedures/new",
        "/secretariat/meetings/{meeting_id}/actions?lang=en",
        "/secretariat/committees/{committee_id}/fees?year=2022",
        "/secretariat/committees/{committee_id}/fees?year=2022&lang=en",
    ),
    "admin": (
        "/admin/users",
        "/admin/users?lang=en",
        "/admin/users/new",
        "/admin/users/{user_id}",
        "/admin/abonnes",
        "/admin/users/{user_id}/data",
    ),
}


ACCOUNTS = {role.value: (email, password) for email, _name, role, password in DEMO_ACCOUNTS}

# What axe and the page say about themselves: violations and the sideways overflow.
CHECK = """async (tags) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const result = await axe.run(document, options);
  const where = (v) => v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
  const root = document.documentElement;
  const wide = root.scrollWidth > root.clientWidth;
  return {
    violations: result.violations.map((v) => `${v.id}: ${where(v)}`),
    overflow: wide ? `${root.scrollWidth} > ${root.clientWidth}` : null,
    culprits: wide
      ? [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1
                         && !e.closest(".table-wrapper"))
          .slice(-3).map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))
      : [],
  };
}"""


def _sign_in(tab, role: str) -> None:
    email, password = ACCOUNTS[role]
    tab.goto("/login")
    tab.locator("#email").fill(email)
    tab.locator("#password").fill(password)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url("**/dashboard")


def _problems(tab, url: str | None, submit: str | None = None) -> list[str]:
    """What is wrong with ``url`` (or, with ``submit``, the page that submitting the current
    page's form with that button shows: a form in error) at each width."""
    problems = []
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 800})
        if width == WIDTHS[0]:
            if submit:
                tab.locator(submit).click()
                tab.wait_for_load_state()
                url = f"{tab.url} (form in error)"
            else:
                tab.goto(url)
        seen = tab.evaluate(CHECK, TAGS)
        problems += [f"{url} @{width}px axe {v}" for v in seen["violations"]]
        if seen["overflow"]:
            wide = f"{seen['overflow']} {seen['culprits']}"
            problems.append(f"{url} @{width}px scrolls sideways {wide}")
    return problems


def _forms_in_error(tab) -> list[str]:
    # Forms sent empty: the error summary and the fields in error, on a phone too.
    problems = []
    for url in ("/register", "/login?lang=en"):
        tab.goto(url)
        problems += _problems(tab, None, submit="main form[method=post] button[type=submit]")
    return problems


def _open_menu(tab, role: str) -> list[str]:
    # The open menu of a phone, with the person's own links.
    tab.set_viewport_size({"width": 320, "height": 800})
    tab.goto("/dashboard")
    tab.get_by_role("button", name="Menu").click()
    seen = tab.evaluate(CHECK, TAGS)
    problems = [f"{role} open menu: axe {v}" for v in seen["violations"]]
    if seen["overflow"]:
        problems.append(f"{role} open menu scrolls sideways {seen['overflow']} {seen['culprits']}")
    return problems


def _visit(context, role: str, values: dict) -> list[str]:
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    if role != "anonymous":
        _sign_in(tab, role)
    problems = []
    for template in PAGES[role]:
        problems += _problems(tab, template.format(**values))
    problems += _forms_in_error(tab) if role == "anonymous" else _open_menu(tab, role)
    return problems


def test_every_page_passes_axe_and_fits_a_phone(browser, live_server, db):
    seed_all()
    values = path_values()
    axe = AXE.read_text(encoding="utf-8")
    assert len({url.split("?")[0] for urls in PAGES.values() for url in urls}) >= 40
    problems = []
    for role in PAGES:
        context = browser.new_context(base_url=live_server, locale="fr-FR")
        context.add_init_script(axe)  # an init script is not subject to the page's CSP
        problems += _visit(context, role, values)
        context.close()
    assert not problems, "\n".join(problems)


def test_narrow_header_folds_behind_a_menu_button(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    button = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(page.locator("#header-search-q")).to_be_hidden()

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Les comités")).to_be_visible()
    page.locator("#header-search-q").fill("cannabis")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=cannabis"))

    page.get_by_role("button", name="Menu").click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_hidden()
    expect(page.get_by_role("button", name="Menu")).to_be_focused()


def test_without_javascript_the_header_shows_everything(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-FR", java_script_enabled=False)
    tab = context.new_page()
    tab.set_viewport_size({"width": 320, "height": 800})
    tab.goto("/")
    expect(tab.get_by_role("button", name="Menu")).to_be_hidden()
    expect(tab.get_by_role("navigation", name="Menu principal")).to_be_visible()
    expect(tab.locator("#header-search-q")).to_be_visible()
    context.close()


def test_wide_header_has_no_menu_button_and_a_search_field(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/committees")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu).to_be_visible()
    current = menu.get_by_role("link", name="Les comités")
    expect(current).to_have_attribute("aria-current", "page")
