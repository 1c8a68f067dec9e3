"""persons."""
