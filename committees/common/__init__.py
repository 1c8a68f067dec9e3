"""Pieces every domain shares: column types, time helpers, mixins, safe redirects."""
