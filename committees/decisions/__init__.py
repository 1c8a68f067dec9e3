"""Decisions of the director general: numbered, signed, published, and what they create."""
