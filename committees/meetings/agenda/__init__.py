"""agenda."""
