"""The README's phone screenshots: the demo in Debian's Chromium at 390 CSS px.

    /work/main/.venv/bin/python scripts/screenshots.py      (or .venv/bin/python ...)

Serves the application on a throw-away SQLite database filled with the demo data, then saves
docs/screenshot-mobile-session.png (a public session page) and
docs/screenshot-mobile-dashboard.png (the secretariat's dashboard), one phone screen each.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from committees import create_app  # noqa: E402
from committees.demo import DEMO_ACCOUNTS, seed_all  # noqa: E402
from committees.extensions import db  # noqa: E402
from committees.meetings.models import Meeting  # noqa: E402

WIDTH = 390
CHROMIUM = "/usr/bin/chromium"


def _app(folder: Path):
    app = create_app(
        {
            "PROFILE": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite3'}",
            "UPLOAD_FOLDER": str(folder / "uploads"),
        }
    )
    with app.app_context():
        db.create_all()
        seed_all()
        # The richest public session: the one with the most agenda items.
        meetings = db.session.scalars(select(Meeting).where(Meeting.is_public.is_(True))).all()
        session_id = max(meetings, key=lambda m: len(m.items)).id
    return app, session_id


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app, session_id = _app(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        account = next(a for a in DEMO_ACCOUNTS if a[2].value == "secretariat")
        email, password = account[0], account[3]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(
                base_url=base, locale="fr-FR", viewport={"width": WIDTH, "height": 844}
            )
            page.goto(f"/meetings/{session_id}")
            page.screenshot(path=ROOT / "docs/screenshot-mobile-session.png")
            page.goto("/login")
            page.locator("#email").fill(email)
            page.locator("#password").fill(password)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/dashboard")
            page.screenshot(path=ROOT / "docs/screenshot-mobile-dashboard.png")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
