"""Public pages: the home page and the informational pages linked from the footer."""

from __future__ import annotations

from flask import Blueprint, render_template

from committees.bodies.public_pages import published_committees_by_kind
from committees.public.accessibility import accessibility_statement
from committees.public.home import home_blocks
from committees.publication import public_page

bp = Blueprint("public", __name__)


@bp.get("/")
@public_page
def home():
    """What is new (sessions, open calls, decisions, minutes), what the committees are,
    and where members and stakeholders start."""
    return render_template("public/home.html", blocks=home_blocks())


@bp.get("/legal")
@public_page
def legal():
    """Mentions légales: publisher, publication director, host."""
    return render_template("public/legal.html")


@bp.get("/accessibility")
@public_page
def accessibility():
    """Déclaration d'accessibilité (RGAA 4.1), in the legal form, from config.py."""
    return render_template("public/accessibility.html", statement=accessibility_statement())


@bp.get("/plan-du-site")
@public_page
def site_map():
    """Plan du site (RGAA 12.1): every public section, each committee, and the person's areas."""
    return render_template("public/site_map.html", committees=published_committees_by_kind())


@bp.get("/privacy")
@public_page
def privacy():
    """Données personnelles: what is processed, why, for how long, and the person's rights."""
    return render_template("public/privacy.html")
