"""Schemathesis over every operation of the OpenAPI document, as an exporter administrator, a case officer and
anonymously, with schema-valid and schema-violating requests: no answer may be a 5xx, and every answer must have a
documented status, content type and shape.

Bounded in time: two generated cases per operation and mode for each signed-in role, one for the anonymous caller
(who is refused before any validation), derandomised (the same cases every run), no shrinking.
`EXCON_SCHEMATHESIS_EXAMPLES` raises the count for a deeper run by hand."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from excon.accounts import services as account_services
from excon.accounts.tests.factories import user_with_role
from excon.api import api
from excon.core.roles import Role

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("EXCON_SCHEMATHESIS_EXAMPLES", "2"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler inside the test's transaction: like Django's test client, it must not close the
    connection at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers(role: Role | None) -> dict[str, str]:
    if role is None:
        return {}
    _, token = account_services.api_token_create(actor=user_with_role(role), name="schemathesis")
    return {"Authorization": f"Bearer {token}"}


def _fuzz(
    operation: Any, mode: schemathesis.GenerationMode, app: WSGIHandler, headers: dict[str, str], examples: int
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS)

    call()


@pytest.mark.parametrize("role", [Role.EXPORTER_ADMIN, Role.CASE_OFFICER, None], ids=["exporter", "officer", "anon"])
def test_every_operation_answers_within_its_schema(role: Role | None, wsgi_app: WSGIHandler) -> None:
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    headers = _headers(role)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 80
    modes = [schemathesis.GenerationMode.POSITIVE]
    if role is not None:
        modes.append(schemathesis.GenerationMode.NEGATIVE)
    examples = EXAMPLES if role is not None else max(1, EXAMPLES // 2)
    failures = []
    for operation in operations:
        for mode in modes:
            try:
                _fuzz(operation, mode, wsgi_app, headers, examples)
            except Unsatisfiable:
                # Negative mode on an operation that has nothing a client could send wrong (a public list
                # without parameters): hypothesis can build no invalid request, which is not a failure.
                if mode is not schemathesis.GenerationMode.NEGATIVE:
                    raise
            except Exception as failure:  # every operation runs; all failures are reported together
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)
