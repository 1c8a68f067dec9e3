"""Published opinions of written procedures as the API's JSON objects (exactly what
``openapi/procedure_schemas.py`` declares). Nothing of an open or unpublished procedure,
no comment and no e-mail is ever read here."""

from __future__ import annotations

from typing import Any

from committees.api.serializers import instant
from committees.common.urls import public_url
from committees.procedures.models import WrittenProcedure
from committees.procedures.services import named_votes


def procedure(value: WrittenProcedure) -> dict[str, Any]:
    """A published opinion rendered by written procedure, as listed."""
    return {
        "id": value.id,
        "url": public_url("api.procedure", procedure_id=value.id),
        "title": value.title,
        "committee": value.committee.slug,
        "openedAt": instant(value.opened_at),
        "deadline": instant(value.deadline),
        "publishedAt": instant(value.published_at),
        "quorumReached": bool(value.quorum_reached),
        "adopted": value.adopted,
        "website": public_url("public_procedures.detail", procedure_id=value.id),
        "pdf": public_url("public_procedures.pdf", procedure_id=value.id),
    }


def procedure_detail(value: WrittenProcedure) -> dict[str, Any]:
    """A published opinion with the question, the counts, the named votes and documents."""
    return {
        **procedure(value),
        "question": value.question,
        "opinion": value.opinion,
        "votingMembers": value.eligible,
        "quorum": value.required,
        "votesFor": value.votes_for,
        "votesAgainst": value.votes_against,
        "abstentions": value.abstentions,
        "votes": [
            {"name": name, "choice": None if reason else choice, "recused": bool(reason)}
            for name, choice, reason in named_votes(value)
        ],
        "documents": [
            {
                "name": d.title,
                "accessUrl": public_url(
                    "public_procedures.document", procedure_id=value.id, document_id=d.id
                ),
                "mimeType": d.content_type,
                "size": d.size,
            }
            for d in value.documents
        ],
    }
