"""The engine-specific half of the search index, outside the models' metadata.

SQLite: an FTS5 table ``search_fts`` over ``search_documents`` (external content, kept in
step by triggers), tokenised with ``unicode61 remove_diacritics 2`` so that "seance"
finds "séance" and case does not matter.

PostgreSQL: a ``search_vector`` tsvector column on ``search_documents``, filled by a
trigger with the ``committees_search`` configuration (the ``simple`` parser, then the
``unaccent`` dictionary, then ``simple`` for lower case), and its GIN index.

Migration 0002 creates the same objects for real databases (its SQL is a frozen copy of
what is below); the listeners here create them when ``db.create_all()`` builds a
database, as the test suite does (``register_listeners``, from the search domain's
``init_app``). ``include_object`` keeps Alembic's comparison away
from them.
"""

from __future__ import annotations

from sqlalchemy import event, text

from committees.search.models import SearchDocument

#: the text search configuration of the PostgreSQL half
PG_CONFIG = "committees_search"

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
SQLITE_DROP = ("DROP TABLE IF EXISTS search_fts",)

POSTGRESQL_CREATE = (
    # unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DO $$ BEGIN "  # noqa: S608 - a constant name, no input
    f"IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{PG_CONFIG}') THEN "
    f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple); "
    f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR "
    "hword, hword_part, word, asciihword, asciiword, hword_asciipart WITH unaccent, simple; "
    "END IF; END $$",
    "ALTER TABLE search_documents ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_vector "
    "ON search_documents USING gin (search_vector)",
    "CREATE OR REPLACE FUNCTION search_documents_vector() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"NEW.search_vector := setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.title, '')), 'A')"
    f" || setweight(to_tsvector('{PG_CONFIG}', coalesce(NEW.body, '')), 'B'); "
    "RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS search_documents_vector ON search_documents",
    "CREATE TRIGGER search_documents_vector BEFORE INSERT OR UPDATE ON search_documents "
    "FOR EACH ROW EXECUTE FUNCTION search_documents_vector()",
)

#: names Alembic's comparison must leave alone (they are not in the models)
_FOREIGN_TABLE_PREFIX = "search_fts"
_FOREIGN_COLUMNS = {("search_documents", "search_vector")}
_FOREIGN_INDEXES = {"ix_search_documents_vector"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic ``include_object`` hook: skip the engine-specific search objects.

    Pass it to ``context.configure`` (migrations/env.py) and to the migrations test, so
    that comparing the models with a migrated database ignores them.
    """
    if type_ == "table" and name and name.startswith(_FOREIGN_TABLE_PREFIX):
        return False
    if type_ == "column" and (obj.table.name, name) in _FOREIGN_COLUMNS:
        return False
    return not (type_ == "index" and name in _FOREIGN_INDEXES)


def _run(connection, statements) -> None:
    for statement in statements:
        connection.execute(text(statement))


def _create_engine_part(_table, connection, **_kw) -> None:
    if connection.dialect.name == "sqlite":
        _run(connection, SQLITE_CREATE)
    elif connection.dialect.name == "postgresql":
        _run(connection, POSTGRESQL_CREATE)


def _drop_engine_part(_table, connection, **_kw) -> None:
    # PostgreSQL's column, index and trigger go with the table.
    if connection.dialect.name == "sqlite":
        _run(connection, SQLITE_DROP)


def register_listeners() -> None:
    """Create and drop the engine-specific objects with the table, when ``create_all`` and
    ``drop_all`` build or remove a database (once, however many applications)."""
    table = SearchDocument.__table__
    for name, listener in (
        ("after_create", _create_engine_part),
        ("before_drop", _drop_engine_part),
    ):
        if not event.contains(table, name, listener):
            event.listen(table, name, listener)
