"""The building blocks of the document: references, strict objects and the scalar types
every schema and parameter reuses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from committees.api import params

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


def ref(name: str) -> dict[str, str]:
    """A reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or null."""
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def enum_of(values: Iterable[Any]) -> dict[str, Any]:
    """A string among ``values`` (enum members are written by their value)."""
    return {"type": "string", "enum": [v.value if hasattr(v, "value") else v for v in values]}


def object_schema(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly ``properties``, all of them always present."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def list_of(name: str) -> dict[str, Any]:
    """One page of a listing of the component schema ``name``."""
    return object_schema(
        "One page of a listing (OParl 1.1 envelope).",
        {
            "data": {"type": "array", "items": ref(name)},
            "pagination": ref("Pagination"),
            "links": ref("PageLinks"),
        },
    )


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
DAY = {"type": "string", "format": "date"}
#: a day the API accepts as a filter: the years 1900 to 2999 (params.FIRST_DAY .. LAST_DAY)
DAY_FILTER = {**DAY, "pattern": "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"}
INSTANT = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
#: a number of things: contributions, sessions, votes
COUNT = {"type": "integer", "minimum": 0}
SLUG = {"type": "string", "pattern": f"^{params.SLUG.pattern}$", "maxLength": 120}
#: free text a filter accepts (params.text): no control characters
FREE_TEXT = {"type": "string", "maxLength": 200, "pattern": r"^[^\x00-\x1f\x7f]*$"}
#: a year a path or a filter may name
YEAR = {"type": "integer", "minimum": 1900, "maximum": 2999}
