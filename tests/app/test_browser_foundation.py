"""Browser journey through Debian's Chromium: the demo secretariat signs in and out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from committees.demo import DEMO_ACCOUNTS, seed_accounts

pytestmark = pytest.mark.browser


def test_demo_secretariat_signs_in_sees_dashboard_and_signs_out(page, db):
    seed_accounts()
    db.session.commit()
    email, name, _role, password = next(a for a in DEMO_ACCOUNTS if a[2].value == "secretariat")

    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    expect(page.get_by_role("main")).to_contain_text(name)
    expect(page.get_by_role("main")).to_contain_text("Secrétariat")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard"))
