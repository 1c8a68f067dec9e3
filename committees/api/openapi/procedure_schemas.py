"""The components of published written procedures (``api/procedure_serializers.py``)."""

from __future__ import annotations

from typing import Any

from committees.api.openapi.primitives import (
    BOOLEAN,
    COUNT,
    INSTANT,
    INTEGER,
    SLUG,
    STRING,
    URL,
    enum_of,
    list_of,
    object_schema,
    ref,
)
from committees.procedures.models import Choice

PROCEDURE = {
    "id": INTEGER,
    "url": URL,
    "title": STRING,
    "committee": SLUG,
    "openedAt": INSTANT,
    "deadline": INSTANT,
    "publishedAt": INSTANT,
    "quorumReached": BOOLEAN,
    "adopted": BOOLEAN,
    "website": URL,
    "pdf": URL,
}

PROCEDURE_DETAIL = {
    **PROCEDURE,
    "question": STRING,
    "opinion": STRING,
    "votingMembers": {**COUNT, "description": "Voting members consulted, not recused."},
    "quorum": {**COUNT, "description": "Answers the quorum required."},
    "votesFor": COUNT,
    "votesAgainst": COUNT,
    "abstentions": COUNT,
    "votes": {"type": "array", "items": ref("NamedVote")},
    "documents": {"type": "array", "items": ref("AuxiliaryFile")},
}


def procedure_schemas() -> dict[str, Any]:
    """The schemas of written procedures, by name."""
    return {
        "WrittenProcedure": object_schema(
            "An opinion rendered by written procedure (consultation écrite), published.",
            PROCEDURE,
        ),
        "WrittenProcedureDetail": object_schema(
            "A published written procedure with its question, result and named votes.",
            PROCEDURE_DETAIL,
        ),
        "WrittenProcedureList": list_of("WrittenProcedure"),
        "NamedVote": object_schema(
            "A consulted member's vote; none when recused or without an answer.",
            {
                "name": STRING,
                "choice": {"type": ["string", "null"], "enum": [*enum_of(Choice)["enum"], None]},
                "recused": BOOLEAN,
            },
        ),
    }
