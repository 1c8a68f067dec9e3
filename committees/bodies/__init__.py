"""Committees, the persons who sit in them, their mandates and declarations of interests."""
