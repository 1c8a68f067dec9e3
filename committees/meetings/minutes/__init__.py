"""minutes."""
