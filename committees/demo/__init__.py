"""``flask seed-demo``: demonstration data from the public record (idempotent)."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import Flask
from flask.cli import with_appcontext

from committees.auth.models import Role
from committees.auth.services import create_user, find_user_by_email
from committees.common.timeutils import paris_today
from committees.extensions import db

#: The demo accounts; their passwords are printed by the command and the README.
DEMO_ACCOUNTS = (
    ("admin@demo.ansm.example", "Administratrice Démo", Role.ADMIN, "demo-admin-2022"),
    (
        "secretariat@demo.ansm.example",
        "Secrétariat Démo",
        Role.SECRETARIAT,
        "demo-secretariat-2022",
    ),
    ("membre@demo.ansm.example", "Dr Claire Martin", Role.MEMBER, "demo-membre-2022"),
    ("contributeur@demo.ansm.example", "Jean Dupont", Role.CONTRIBUTOR, "demo-contributeur-2022"),
)


def seed_accounts() -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet; return (role, e-mail, password)."""
    logins = []
    for email, name, role, password in DEMO_ACCOUNTS:
        if find_user_by_email(email) is None:
            create_user(email, name, password, role)
        logins.append((role.value, email, password))
    return logins


def seed_all(today: date | None = None) -> list[tuple[str, str, str]]:
    """Every demo dataset, in dependency order; safe to run again."""
    from committees.demo.bodies import seed_bodies
    from committees.demo.calls import seed_calls, seed_synthesis
    from committees.demo.follow_up import seed_follow_up
    from committees.demo.follows import seed_follower
    from committees.demo.held_session import seed_conduct, seed_minutes
    from committees.demo.meetings import seed_meetings
    from committees.demo.pack import seed_pack
    from committees.demo.procedures import seed_procedures
    from committees.demo.reports import seed_reports
    from committees.demo.timestamps import settle_timestamps

    today = today or paris_today()
    member_email = DEMO_ACCOUNTS[2][0]
    logins = seed_accounts()
    seed_bodies(today, member_email=member_email)
    held = seed_meetings(today)
    seed_calls(today)
    seed_synthesis()
    if held is not None:
        seed_conduct(held)
        seed_minutes(held, member_email)
        seed_follow_up(held, member_email)
        seed_procedures(held)
        seed_pack(held, member_email)
        seed_follower(held.committee_id, held.starts_at - timedelta(days=30))
    seed_reports()
    settle_timestamps()
    db.session.commit()
    return logins


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demonstration data (running it twice changes nothing)."""
    logins = seed_all()
    click.echo("Demo data ready. Demo logins:")
    for role, email, password in logins:
        click.echo(f"  {role:<12} {email:<34} {password}")


def init_app(app: Flask) -> None:
    """Register this domain with the application: the ``flask seed-demo`` command."""
    app.cli.add_command(seed_demo)
