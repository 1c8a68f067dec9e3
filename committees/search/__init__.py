"""Full-text search of the public site: one service in front of SQLite FTS5 and PostgreSQL."""
