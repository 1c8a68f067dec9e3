"""Schemathesis against /api/v1/openapi.json, on the demo data, inside the test suite.

Every operation of the document gets generated requests, valid and invalid ones; every
answer must not be a server error, and must conform to the document: a documented status,
the documented content type, the documented headers and a body that validates against
the response schema. Derandomized, so that a run is reproducible.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as CHECKS_REGISTRY
from schemathesis.checks import load_all_checks

from committees.api.openapi import document
from committees.demo.bodies import CSP_MIXTE, CULTURE, SUIVI
from tests.support.api import add_private_things, demo_call, meeting_of, seed_demo

# Every check schemathesis has (``--checks all``): conformance of statuses, types, schemas
# and headers, negative data rejected, positive data accepted, unsupported methods refused...
load_all_checks()
CHECKS = CHECKS_REGISTRY.get_all()

#: every path of the document (built in Python, so known before any application exists)
PATHS = sorted(document()["paths"])


@pytest.fixture
def api_schema(app, db):
    """The document as the application serves it, loaded through a WSGI entry point that
    gives each request its own application context, as a real server does; on the demo
    data and one of each thing the public must not see."""
    seed_demo()
    add_private_things()
    # The generated requests come quickly: the rate limit is not what is tested here.
    previous = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "1000000 per minute"

    def wsgi(environ, start_response):
        with app.app_context():
            return app(environ, start_response)

    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi)
    finally:
        app.config["API_RATE_LIMIT"] = previous


def existing_objects(path: str) -> list[dict[str, object]]:
    """Path parameters naming published objects of the demo data, for ``path``."""
    if "{year}" in path:  # the demo publishes every committee's 2022 report
        return [{"slug": slug, "year": 2022} for slug in (SUIVI, CULTURE, CSP_MIXTE)]
    if "{slug}" in path:
        return [{"slug": slug} for slug in (SUIVI, CULTURE, CSP_MIXTE)]
    if "{meeting_id}" in path:
        sessions = [meeting_of(SUIVI, "2022-03"), meeting_of(SUIVI, "2022-04")]
        sessions.append(meeting_of(CULTURE, "2022-05"))
        return [{"meeting_id": m.id} for m in sessions]
    if "{number}" in path:
        return [{"number": number} for number in ("2021-245", "2022-30", "2022-41")]
    if "{call_id}" in path:
        return [{"call_id": demo_call().id}]
    return []


# schemathesis.pytest.from_fixture("api_schema") would be the shorter way, but its lazy
# tests read a pytest attribute that pytest 9 no longer has; Hypothesis is driven directly.
@pytest.mark.parametrize("path", PATHS)
def test_every_answer_conforms_to_the_document(api_schema, path):
    operation = api_schema[path]["GET"]
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    # Generated ids and slugs almost never name a real object: the real ones are drawn too,
    # so that every detail answer is checked, not only its 404.
    strategies += [
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known)
        for known in existing_objects(path)
    ]
    cases = st.one_of(strategies)

    @given(case=cases)
    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_conform(case):
        case.call_and_validate(checks=CHECKS)

    answers_conform()
