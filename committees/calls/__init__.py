"""Calls for expressions of interest and written contributions."""
