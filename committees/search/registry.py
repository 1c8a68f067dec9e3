"""The kinds of documents the search index holds, each registered by the domain that owns
its objects (from the domain's ``init_app``), and the helpers they build their rows with.

Search imports no domain: a domain says which model its documents come from, which models'
changes touch them, which other kinds carry them, and how an object becomes rows, built
from the domain's own visibility rules (never re-derived here). Only public fields enter
the index: never a remote link, a draft, a closed agenda item, a contribution or a contact
person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from typing import Any

from sqlalchemy.orm import Session

from committees.common.markdown import render_markdown

#: the languages a document is written for
LOCALES = ("fr", "en")

#: characters the snippets use as highlight markers; removed from the indexed text
MARK_START = "\ue000"
MARK_END = "\ue001"

_TAGS = re.compile(r"<[^>]+>")

#: (kind, object id): one object whose documents may need rebuilding
Key = tuple[str, int]
#: one row of the ``search_documents`` table, as ``document_row`` builds it
Row = dict[str, Any]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document (a committee, a decision, a session...), as its domain declares it.

    ``model`` is the class whose rows become documents, loaded with the loader ``options``
    (a function, called when the documents are built) and turned into rows by ``rows``,
    which skips what is not public. ``sources`` maps each model whose changes touch these
    documents to the id of the object they touch (a session's agenda item touches its
    session). ``carried_by`` maps another kind to the ids of this kind's objects that
    depend on it (a committee's publication decides its sessions'): that kind must be
    registered first.
    """

    name: str
    label: Any
    model: type
    rows: Callable[[Sequence[Any]], list[Row]]
    options: Callable[[], Sequence[Any]] = tuple
    sources: Mapping[type, Callable[[Any], int | None]] = field(default_factory=dict)
    carried_by: Mapping[str, Callable[[Session, set[int]], Iterable[int]]] = field(
        default_factory=dict
    )


# By name, in registration order: the order in which results are grouped and the index is
# rebuilt (the domains register in the order of ``committees.DOMAINS``).
_kinds: dict[str, DocumentKind] = {}


def register_kind(kind: DocumentKind) -> None:
    """Add a kind of document to the index (registering the same name again replaces it in
    place: ``create_app`` runs more than once in a process)."""
    unknown = set(kind.carried_by) - set(_kinds) - {kind.name}
    if unknown:
        raise ValueError(f"{kind.name}: register {sorted(unknown)} before it")
    _kinds[kind.name] = kind


def kinds() -> tuple[str, ...]:
    """The names of the registered kinds, in the order their results are grouped."""
    return tuple(_kinds)


def kind(name: str) -> DocumentKind:
    """The registered kind of this name (KeyError if none)."""
    return _kinds[name]


def kind_labels() -> dict[str, Any]:
    """The label of each kind, for the results and the kind filter."""
    return {name: entry.label for name, entry in _kinds.items()}


def key_of(obj: Any) -> Key | None:
    """The document an ORM object's change touches, if any."""
    for entry in _kinds.values():
        for model, object_id in entry.sources.items():
            if isinstance(obj, model):
                return (entry.name, object_id(obj))
    return None


def plain_text(markdown: str | None) -> str:
    """The words of a Markdown text, without its markup."""
    html = str(render_markdown(markdown or ""))
    text = unescape(_TAGS.sub(" ", html))
    return " ".join(text.replace(MARK_START, "").replace(MARK_END, "").split())


def document_row(
    kind: str,
    object_id: int,
    locale: str,
    title: str,
    body: str,
    url: str,
    published: datetime | None,
) -> Row:
    """One row of the index: the title on one line (500 characters at most)."""
    return {
        "kind": kind,
        "object_id": object_id,
        "locale": locale,
        "title": " ".join(title.split())[:500],
        "body": body,
        "url": url,
        "published_at": published,
    }


def same_in_both(
    kind: str,
    object_id: int,
    title: str,
    body: str,
    url: str,
    published: datetime | None,
) -> list[Row]:
    """The same row in every language, for objects written in French only (decisions,
    sessions, minutes, calls)."""
    return [document_row(kind, object_id, loc, title, body, url, published) for loc in LOCALES]
