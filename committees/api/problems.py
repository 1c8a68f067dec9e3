"""Errors of the API as RFC 9457 problem details, through the application's error handler.

The ``detail`` texts are in English and never translated: the API's answers (and so their
ETags) do not depend on the client's language, and ``title`` is the English reason phrase
RFC 9457 asks for.
"""

from __future__ import annotations

from committees.errors import problem_response


class ApiProblem(Exception):  # noqa: N818 - named after RFC 9457's "problem"
    """A request the API refuses, with the status and the detail to answer with."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def bad_request(detail: str) -> ApiProblem:
    """A parameter or filter the client must correct (400)."""
    return ApiProblem(400, detail)


def not_found(detail: str) -> ApiProblem:
    """An object that does not exist or is not public (404): the two look the same."""
    return ApiProblem(404, detail)


def handle_problem(error: ApiProblem):
    """The ``application/problem+json`` answer for ``error``."""
    return problem_response(error.status, detail=error.detail)
