"""WSGI entry point for gunicorn: ``gunicorn wsgi:app`` (profile from APP_ENV)."""

import gc

from committees import create_app

app = create_app()
# What start-up built (some 200,000 objects: models, routes, catalogs) lives as long as the
# worker: frozen, the collector's full passes no longer walk it (107 ms each, 2.6 ms then).
gc.freeze()
