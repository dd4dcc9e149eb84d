"""Structured logs: JSON lines carrying the request id (into tasks too), and nothing personal or secret."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace
from typing import Any

import pytest
import structlog
from django.test import Client

from excon.accounts.tests.factories import UserFactory
from excon.celery import REQUEST_ID_HEADER, _bind_request_id, _carry_request_id
from excon.core.logs import bind_request_id, structured_formatter


@pytest.mark.django_db
def test_a_request_gets_an_id_in_the_response_and_the_log() -> None:
    client = Client()
    with _capture() as stream:
        response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    request_lines = [line for line in _parse(stream) if line["event"] == "request"]
    assert request_lines[-1]["request_id"] == request_id
    assert request_lines[-1]["status"] == 200
    assert request_lines[-1]["path"] == "/healthz"
    assert request_lines[-1]["level"] == "info"


@pytest.mark.django_db
def test_a_well_formed_id_from_the_proxy_is_kept_and_a_malformed_one_replaced() -> None:
    client = Client()
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-abc-12345")["X-Request-ID"] == "proxy-abc-12345"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert replaced != "<script>alert(1)</script>"
    assert len(replaced) == 32


@pytest.mark.django_db
def test_no_personal_data_or_secret_reaches_the_log() -> None:
    user = UserFactory(username="jane.doe", email="jane.doe@example.org")
    user.set_password("correct horse battery staple")
    user.save()
    client = Client()
    with _capture() as stream:
        client.post(
            "/accounts/login/?next=/&email=jane.doe@example.org",
            {"username": "jane.doe", "password": "correct horse battery staple"},
            HTTP_AUTHORIZATION="Bearer excon_secret_token_value_123456",
        )
        logger = structlog.get_logger("excon.test")
        logger.warning(
            "writing carelessly",
            email="jane.doe@example.org",
            password="correct horse battery staple",
            details={"api_token": "excon_secret_token_value_123456", "phone": "+44 20 7946 0000"},
        )
        logging.getLogger("excon.test").error(
            "stdlib line about jane.doe@example.org using Bearer excon_secret_token_value_123456 to "
            "postgres://excon:hunter2-db-password@db/excon"
        )
    text = stream.getvalue()
    for secret in (
        "jane.doe",
        "example.org",
        "correct horse",
        "excon_secret_token_value_123456",
        "7946",
        "hunter2-db-password",
    ):
        assert secret not in text, f"{secret!r} reached the log"
    lines = _parse(stream)
    careless = next(line for line in lines if line["event"] == "writing carelessly")
    assert careless["email"] == careless["password"] == "[redacted]"
    assert careless["details"] == {"api_token": "[redacted]", "phone": "[redacted]"}
    assert any(line["event"] == "request" and line["path"] == "/accounts/login/" for line in lines)


def test_the_request_id_travels_in_the_task_message_and_is_bound_in_the_worker() -> None:
    request_id = bind_request_id("web-request-0001")
    headers: dict[str, Any] = {}
    _carry_request_id(headers=headers)
    assert headers[REQUEST_ID_HEADER] == request_id

    structlog.contextvars.clear_contextvars()  # the worker is another process: nothing bound yet
    task = SimpleNamespace(name="excon.licences.expire_due_licences", request=SimpleNamespace(**headers))
    _bind_request_id(task=task, task_id="task-77")
    bound = structlog.contextvars.get_contextvars()
    structlog.contextvars.clear_contextvars()
    assert bound == {"request_id": "web-request-0001", "task_id": "task-77", "task": task.name}


class _capture:
    """Attach the production JSON formatter to the root logger for the duration of a block."""

    def __enter__(self) -> io.StringIO:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(structured_formatter(json=True))
        logging.getLogger().addHandler(self.handler)
        return self.stream

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self.handler)


def _parse(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
