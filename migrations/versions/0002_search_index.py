"""search index: the engine-specific half of search_documents

SQLite: the FTS5 table search_fts (external content over search_documents, tokenizer
unicode61 with diacritics removed) and the triggers that keep it in step.
PostgreSQL: the unaccent extension, the committees_search text search configuration,
the search_vector column filled by a trigger, and its GIN index.

The search_documents table itself comes from the models (0001). After upgrading a
database that already holds data, fill the index once: ``flask search reindex``.

In production on PostgreSQL, creating the unaccent extension needs the database owner
(it is a trusted extension from PostgreSQL 13) or a superuser; where neither runs the
migrations, have an administrator run ``CREATE EXTENSION unaccent`` beforehand.

Revision ID: 0002_search_index
Revises: f3ae6ec0a082
Create Date: 2026-11-26

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002_search_index"
down_revision = "f3ae6ec0a082"
branch_labels = None
depends_on = None

# A frozen copy of committees/search/schema.py at the time of writing.
SQLITE_UPGRADE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    # Rows already there (none on a new database) enter the index.
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TABLE IF EXISTS search_fts",
)

POSTGRESQL_UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DO $$ BEGIN "
    "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'committees_search') THEN "
    "CREATE TEXT SEARCH CONFIGURATION committees_search (COPY = simple); "
    "ALTER TEXT SEARCH CONFIGURATION committees_search ALTER MAPPING FOR "
    "hword, hword_part, word, asciihword, asciiword, hword_asciipart WITH unaccent, simple; "
    "END IF; END $$",
    "ALTER TABLE search_documents ADD COLUMN search_vector tsvector",
    "CREATE INDEX ix_search_documents_vector ON search_documents USING gin (search_vector)",
    "CREATE OR REPLACE FUNCTION search_documents_vector() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.search_vector := setweight(to_tsvector('committees_search', coalesce(NEW.title, '')), 'A')"
    " || setweight(to_tsvector('committees_search', coalesce(NEW.body, '')), 'B'); "
    "RETURN NEW; END $$",
    "CREATE TRIGGER search_documents_vector BEFORE INSERT OR UPDATE ON search_documents "
    "FOR EACH ROW EXECUTE FUNCTION search_documents_vector()",
    # Rows already there get their vector.
    "UPDATE search_documents SET title = title",
)
POSTGRESQL_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS search_documents_vector ON search_documents",
    "DROP FUNCTION IF EXISTS search_documents_vector()",
    "DROP INDEX IF EXISTS ix_search_documents_vector",
    "ALTER TABLE search_documents DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS committees_search",
    # The unaccent extension stays: other schemas or tools may use it.
)


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UPGRADE)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWNGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DOWNGRADE)
