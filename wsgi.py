"""WSGI entry point for gunicorn: ``gunicorn wsgi:app`` (profile from APP_ENV)."""

from committees import create_app

app = create_app()
