"""conduct."""
