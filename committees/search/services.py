"""Search of the public site: ``search(q, locale, page)``, the same answers on SQLite (FTS5)
and PostgreSQL (tsvector), and ``reindex_all()``.

A query is never handed to an engine as typed: it is cut into plain terms (letters and
digits), so quotes, stars, parentheses, NEAR or a colon cannot reach the FTS syntax.
Every term must match; a word also matches as a prefix ("seance" finds "séances"); a
term with digits matches as a phrase ("2022-30" finds "n° 2022-30").

A page costs what it shows, not what matches (issue 21): matches are counted up to
SEARCH_COUNT_CAP (« plus de 1 000 résultats » beyond, pages stopping there), ranked in SQL
with only the page's rows kept, and only those rows quoted. Ranking still scores every
match: neither FTS5's bm25 nor ts_rank_cd has an index that yields the best rows first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import format_decimal
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
    """One page of results, and the matches counted up to ``cap``: per kind (for the kind
    filter) among the first ``cap + 1`` matches, and for the chosen kind on its own."""

    query: str
    kind: str | None
    page: int
    per_page: int
    hits: list[SearchHit] = field(default_factory=list)
    #: matches per kind among the first ``cap + 1``: every match when ``counted_all``
    counts: dict[str, int] = field(default_factory=dict)
    #: matches counted at most (the SEARCH_COUNT_CAP setting)
    cap: int = 1000
    #: matches of ``kind`` alone, counted up to ``cap + 1``
    kind_count: int = 0

    @property
    def counted_all(self) -> bool:
        """Whether ``counts`` hold every match, so that each kind's number is exact."""
        return sum(self.counts.values()) <= self.cap

    @property
    def total(self) -> int:
        """The matches of the page's choice, exact up to ``cap``; ``cap + 1`` means more."""
        return self.kind_count if self.kind else sum(self.counts.values())

    @property
    def more_than_cap(self) -> bool:
        return self.total > self.cap

    @property
    def cap_label(self) -> str:
        """The cap as the page's language writes numbers (« 1 000 », "1,000")."""
        return format_decimal(self.cap)

    @property
    def total_label(self) -> str:
        """The total in words: « 23 », or « plus de 1 000 » beyond the cap."""
        return self._more_than_cap() if self.more_than_cap else str(self.total)

    def facet_label(self, kind: str | None) -> str | None:
        """The number beside a kind in the kind filter (None: all kinds): exact up to the
        cap, « plus de 1 000 » beyond, None when unknown (a kind other than the chosen one,
        when the matches were not all counted)."""
        if kind is None:
            return str(sum(self.counts.values())) if self.counted_all else self._more_than_cap()
        if self.counted_all:
            return str(self.counts.get(kind, 0))
        if kind == self.kind:
            return self.total_label
        return None

    def facet_kinds(self, order: tuple[str, ...]) -> list[str]:
        """The kinds the kind filter offers, in ``order``: those with matches when every
        match was counted; otherwise every kind (the first matches read may all be of one
        kind), without a number but for the chosen one."""
        if not self.counted_all:
            return list(order)
        return [k for k in order if self.counts.get(k)]

    def _more_than_cap(self) -> str:
        return _("plus de %(num)s", num=self.cap_label)

    @property
    def pager(self) -> _Pager:
        """These results as the shared pagination macro reads them."""
        return _Pager(self)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(min(self.total, self.cap) / self.per_page))

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
        return min(self.page * self.per_page, self.total, self.cap)


class _Pager:
    """Search results for the shared pagination macro, whose summary (« 1 à 10 sur N »)
    prints ``total``: here « plus de 1 000 » beyond the cap."""

    def __init__(self, results: SearchResults) -> None:
        self._results = results

    def __getattr__(self, name: str):
        return getattr(self._results, name)

    @property
    def total(self) -> str:
        return self._results.total_label


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


def _count_sql(source: str, kind_filter: str, kind: str | None) -> str:
    # LIMIT before counting: a word found in every document costs cap + 1 rows, not all
    # of them. Per kind among those first matches; the chosen kind on its own (its count
    # and pages must hold even when other kinds fill the first matches).
    # Only constant fragments are pasted here: the terms and the kind are bound parameters.
    first = f"SELECT d.kind AS kind {source} LIMIT :scan"
    sql = f"SELECT 'all' AS part, kind, count(*) AS n FROM ({first}) f GROUP BY kind"  # noqa: S608
    if kind:
        chosen = f"SELECT 1 {source} AND {kind_filter} LIMIT :scan"
        sql += f" UNION ALL SELECT 'kind', NULL, count(*) FROM ({chosen}) k"  # noqa: S608
    return sql


def _sqlite(terms, locale, kind, offset, limit, scan) -> tuple[list, list]:
    params = {"q": _fts5_query(terms), "locale": locale, "kind": kind, "limit": limit}
    params.update(offset=offset, scan=scan, s=MARK_START, e=MARK_END)
    where = "search_fts MATCH :q AND d.locale = :locale"
    # CROSS JOIN keeps the full-text index as the outer loop: left to itself, SQLite
    # counts by walking every document of the locale and running MATCH once per row
    # (1.5 s instead of 20 ms for a word in 2,000 documents; linear in the data).
    source = (
        f"FROM search_fts CROSS JOIN search_documents d ON d.id = search_fts.rowid WHERE {where}"
    )
    counts = db.session.execute(text(_count_sql(source, "d.kind = :kind", kind)), params)
    # Every match is ranked (bm25, in SQL) but only the page's rows are kept, by LIMIT and
    # OFFSET; the snippets are then made for those rows alone (made in the ranking query,
    # they were made for every row that went through the sort's top-N: twice the cost of
    # a deep page). One more pass over the full-text index finds the kept rows again:
    # cheaper than a MATCH per row (the unary + keeps rowid out of the index's hands).
    ranked = (
        "SELECT d.id AS id, bm25(search_fts, 4.0, 1.0) AS score, d.published_at AS at "
        f"{source} AND (:kind IS NULL OR d.kind = :kind) "
        "ORDER BY bm25(search_fts, 4.0, 1.0), d.published_at DESC, d.id "
        "LIMIT :limit OFFSET :offset"
    )
    rows = db.session.execute(
        text(
            f"WITH top AS MATERIALIZED ({ranked}) "  # noqa: S608 - constant pieces
            "SELECT d.kind, d.title, d.url, d.published_at, "
            "snippet(search_fts, 1, :s, :e, '…', 24) AS snippet "
            "FROM search_fts CROSS JOIN top ON top.id = search_fts.rowid "
            "CROSS JOIN search_documents d ON d.id = top.id "
            "WHERE search_fts MATCH :q AND +search_fts.rowid IN (SELECT id FROM top) "
            "ORDER BY top.score, top.at DESC, top.id"
        ),
        params,
    )
    return list(rows), counts.all()


def _postgresql(terms, locale, kind, offset, limit, scan) -> tuple[list, list]:
    params = {"locale": locale, "kind": kind, "limit": limit, "offset": offset, "scan": scan}
    params["options"] = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15"
    query = _tsquery(terms, params)
    source = (
        f"FROM search_documents d, (SELECT {query} AS query) q "
        "WHERE d.search_vector @@ q.query AND d.locale = :locale"
    )
    counts = db.session.execute(
        text(_count_sql(source, "d.kind = CAST(:kind AS varchar)", kind)), params
    )
    # Every match is ranked (in SQL), only the page's rows kept; the outer query quotes
    # those alone (above a LIMIT with OFFSET, ts_headline ran for every row skipped too).
    ranked = (
        "SELECT d.id AS id, ts_rank_cd(d.search_vector, q.query) AS score, "
        f"d.published_at AS at {source} "
        "AND (CAST(:kind AS varchar) IS NULL OR d.kind = :kind) "
        "ORDER BY score DESC, at DESC NULLS LAST, d.id LIMIT :limit OFFSET :offset"
    )
    rows = db.session.execute(
        text(
            "SELECT d.kind, d.title, d.url, d.published_at, "  # noqa: S608 - constant pieces
            f"ts_headline('{PG_CONFIG}', d.body, q.query, :options) AS snippet "
            f"FROM ({ranked}) top JOIN search_documents d ON d.id = top.id, "
            f"(SELECT {query} AS query) q "
            "ORDER BY top.score DESC, top.at DESC NULLS LAST, top.id"
        ),
        params,
    )
    return list(rows), counts.all()


def search(
    q: str, locale: str = "fr", page: int = 1, kind: str | None = None, cap: int | None = None
) -> SearchResults:
    """One page of the public objects matching ``q`` in ``locale``, best first.

    Accent- and case-insensitive on both engines; ``kind`` (one of ``registry.kinds()``)
    narrows the results. An empty query gives no results; a query longer than
    MAX_QUERY_LENGTH raises SearchError. Matches are counted up to ``cap`` (default: the
    SEARCH_COUNT_CAP setting), and pages go no further than the cap: beyond it, the page
    says « plus de 1 000 résultats ». Two queries whatever the number of matches.
    """
    cap = max(1, cap if cap is not None else current_app.config["SEARCH_COUNT_CAP"])
    page = min(max(1, page), math.ceil(cap / PER_PAGE))
    kind = kind if kind in kinds() else None
    results = SearchResults(query=q.strip(), kind=kind, page=page, per_page=PER_PAGE, cap=cap)
    terms = terms_of(q)
    if not terms:
        return results
    engine = _postgresql if db.engine.dialect.name == "postgresql" else _sqlite
    offset = (page - 1) * PER_PAGE
    # The last page stops at the cap, as the pages do (« 11 à 15 sur plus de 15 »).
    limit = min(PER_PAGE, cap - offset)
    rows, counts = engine(terms, locale, kind, offset, limit, cap + 1)
    for part, name, number in counts:
        if part == "all":
            results.counts[name] = number
        else:
            results.kind_count = number
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
