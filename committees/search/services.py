"""Search of the public site: ``search(q, locale, page)``, the same answers on SQLite (FTS5)
and PostgreSQL (tsvector), and ``reindex_all()``.

A query is never handed to an engine as typed: it is cut into plain terms (letters and
digits), so quotes, stars, parentheses, NEAR or a colon cannot reach the FTS syntax.
Every term must match; a word also matches as a prefix ("seance" finds "séances"); a
term with digits matches as a phrase ("2022-30" finds "n° 2022-30").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import text

from committees.extensions import db
from committees.search.documents import rebuild_all
from committees.search.registry import MARK_END, MARK_START, kind_labels, kinds
from committees.search.schema import PG_CONFIG

#: longest query accepted, in characters
MAX_QUERY_LENGTH = 200
#: terms beyond this number are ignored
MAX_TERMS = 12
#: results per page
PER_PAGE = 10

_TERM = re.compile(r"[^\W_]+(?:[-/.'’][^\W_]+)*")
_PART = re.compile(r"[^\W_]+")


class SearchError(ValueError):
    """The query cannot be searched; the message is for the person."""


@dataclass(frozen=True)
class SearchHit:
    """One result: what it is, its title, where it is, a highlighted extract."""

    kind: str
    kind_label: str
    title: str
    url: str
    snippet: Markup
    published_at: datetime | None


@dataclass
class SearchResults:
    """One page of results and the number of matches per kind (for the kind filter)."""

    query: str
    kind: str | None
    page: int
    per_page: int
    hits: list[SearchHit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.counts.get(self.kind, 0) if self.kind else sum(self.counts.values())

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge=2, left_current=2, right_current=4, right_edge=2):
        """Page numbers with None for the gaps, as Flask-SQLAlchemy's Pagination gives them
        (the shared pagination macro reads both)."""
        end = self.pages + 1
        left_end = min(1 + left_edge, end)
        yield from range(1, left_end)
        if left_end == end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, end)
        if mid_start > left_end:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end == end:
            return
        right_start = max(mid_end, end - right_edge)
        if right_start > mid_end:
            yield None
        yield from range(right_start, end)

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)


def terms_of(query: str) -> list[str]:
    """The plain terms of a query: words and numbers, inner hyphens and slashes kept
    ("2022-30", "17/02/2022"), every other character dropped.

    Raises SearchError when the query is longer than MAX_QUERY_LENGTH.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(
            _(
                "La recherche est trop longue : %(max)s caractères au plus.",
                max=MAX_QUERY_LENGTH,
            )
        )
    return _TERM.findall(query)[:MAX_TERMS]


def _is_word(term: str) -> bool:
    parts = _PART.findall(term)
    return len(parts) == 1 and not any(ch.isdigit() for ch in term)


def _fts5_query(terms: list[str]) -> str:
    # Every token is quoted: FTS5 reads it as a string, never as an operator.
    clauses = []
    for term in terms:
        parts = _PART.findall(term)
        if _is_word(term):
            clauses.append(f'"{parts[0]}"*')
        else:
            clauses.append('"' + " ".join(parts) + '"')
    return " AND ".join(clauses)


def _tsquery(terms: list[str], params: dict) -> str:
    # Terms travel as bound parameters; a word is only letters, so ':*' is the only syntax.
    clauses = []
    for n, term in enumerate(terms):
        if _is_word(term):
            params[f"t{n}"] = f"{term}:*"
            clauses.append(f"to_tsquery('{PG_CONFIG}', :t{n})")
        else:
            params[f"t{n}"] = term
            params[f"s{n}"] = " ".join(_PART.findall(term))
            phrase = f"phraseto_tsquery('{PG_CONFIG}', :{{}}{n})"
            clauses.append(f"({phrase.format('t')} || {phrase.format('s')})")
    return " && ".join(clauses)


def _highlight(snippet: str | None) -> Markup:
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S704


def _sqlite(terms, locale, kind, offset, limit) -> tuple[list, dict[str, int]]:
    params = {"q": _fts5_query(terms), "locale": locale, "kind": kind, "limit": limit}
    params.update(offset=offset, s=MARK_START, e=MARK_END)
    where = "search_fts MATCH :q AND d.locale = :locale"
    # CROSS JOIN keeps the full-text index as the outer loop: left to itself, SQLite
    # counts by walking every document of the locale and running MATCH once per row
    # (1.5 s instead of 20 ms for a word in 2,000 documents; linear in the data).
    source = (
        f"FROM search_fts CROSS JOIN search_documents d ON d.id = search_fts.rowid WHERE {where}"
    )
    counts = db.session.execute(text(f"SELECT d.kind, count(*) {source} GROUP BY d.kind"), params)
    rows = db.session.execute(
        text(
            "SELECT d.kind, d.title, d.url, d.published_at, "
            "snippet(search_fts, 1, :s, :e, '…', 24) AS snippet "
            f"{source} AND (:kind IS NULL OR d.kind = :kind) "
            "ORDER BY bm25(search_fts, 4.0, 1.0), d.published_at DESC, d.id "
            "LIMIT :limit OFFSET :offset"
        ),
        params,
    )
    return list(rows), dict(counts.all())


def _postgresql(terms, locale, kind, offset, limit) -> tuple[list, dict[str, int]]:
    params = {"locale": locale, "kind": kind, "limit": limit, "offset": offset}
    params["options"] = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15"
    query = _tsquery(terms, params)
    source = (
        f"FROM search_documents d, (SELECT {query} AS query) q "
        "WHERE d.search_vector @@ q.query AND d.locale = :locale"
    )
    counts = db.session.execute(text(f"SELECT d.kind, count(*) {source} GROUP BY d.kind"), params)
    rows = db.session.execute(
        text(
            "SELECT d.kind, d.title, d.url, d.published_at, "
            f"ts_headline('{PG_CONFIG}', d.body, q.query, :options) AS snippet "
            f"{source} AND (CAST(:kind AS varchar) IS NULL OR d.kind = :kind) "
            "ORDER BY ts_rank_cd(d.search_vector, q.query) DESC, d.published_at DESC NULLS LAST, "
            "d.id LIMIT :limit OFFSET :offset"
        ),
        params,
    )
    return list(rows), dict(counts.all())


def search(q: str, locale: str = "fr", page: int = 1, kind: str | None = None) -> SearchResults:
    """One page of the public objects matching ``q`` in ``locale``, best first.

    Accent- and case-insensitive on both engines; ``kind`` (one of ``registry.kinds()``)
    narrows the results. An empty query gives no results; a query longer than
    MAX_QUERY_LENGTH raises SearchError. Two queries whatever the number of matches.
    """
    page = max(1, page)
    kind = kind if kind in kinds() else None
    results = SearchResults(query=q.strip(), kind=kind, page=page, per_page=PER_PAGE)
    terms = terms_of(q)
    if not terms:
        return results
    engine = _postgresql if db.engine.dialect.name == "postgresql" else _sqlite
    offset = (page - 1) * PER_PAGE
    rows, results.counts = engine(terms, locale, kind, offset, PER_PAGE)
    labels = kind_labels()
    results.hits = [
        SearchHit(
            kind=row.kind,
            kind_label=str(labels[row.kind]),
            title=row.title,
            url=row.url,
            snippet=_highlight(row.snippet),
            published_at=_aware(row.published_at),
        )
        for row in rows
    ]
    return results


def _aware(value):
    # Raw SQL skips the UTCDateTime type: SQLite hands back text or naive values.
    from committees.common.models import UTCDateTime

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return UTCDateTime().process_result_value(value, db.engine.dialect)


def reindex_all() -> int:
    """Rebuild the whole index from the current data (the caller commits); returns the
    number of documents."""
    return rebuild_all(db.session)
