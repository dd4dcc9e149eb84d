"""The page helpers every app's views use: the one form page, the one POST button and the API's one actor."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from ninja import NinjaAPI
from ninja.testing import TestClient

from excon.accounts.tests.factories import UserFactory
from excon.core.api import actor_of as api_actor
from excon.core.api import install_error_handlers
from excon.core.errors import Conflict, NotFound, ValidationError
from excon.core.forms import GovukForm
from excon.core.pages import form_page, post_action, posted


class NameForm(GovukForm):
    name = forms.CharField(max_length=20)
    note = forms.CharField(required=False)


def _request(method: str = "get", data: dict[str, str] | None = None) -> HttpRequest:
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _flashed(request: HttpRequest) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(request)]


def _shown(form: Any) -> HttpResponse:
    """A stand-in page: the form's errors as text, so a test can read what the user would see."""
    return HttpResponse(f"errors={dict(form.errors)}", status=200)


class Recorder:
    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.error = error

    def __call__(self, data: dict[str, Any]) -> str:
        self.calls.append(data)
        if self.error is not None:
            raise self.error
        return f"saved {data['name']}"


def test_a_get_shows_the_form_unbound_and_calls_nothing() -> None:
    request = _request()
    save = Recorder()
    form = NameForm(posted(request))
    response = form_page(request, form, save, template=_shown, then="/done/")
    assert response.status_code == 200
    assert not form.is_bound
    assert save.calls == []


def test_a_valid_post_calls_the_service_flashes_and_redirects_with_its_result() -> None:
    request = _request("post", {"name": "Ada"})
    save = Recorder()
    response = form_page(
        request,
        NameForm(posted(request)),
        save,
        template=_shown,
        message=lambda result: f"{result}.",
        then=lambda result: f"/done/{result.split()[-1]}/",
    )
    assert response.status_code == 302
    assert response["Location"] == "/done/Ada/"
    assert save.calls == [{"name": "Ada", "note": ""}]
    assert _flashed(request) == [("success", "saved Ada.")]


def test_an_invalid_post_shows_the_field_errors_and_never_calls_the_service() -> None:
    request = _request("post", {"name": ""})
    save = Recorder()
    response = form_page(request, NameForm(posted(request)), save, template=_shown, then="/done/")
    assert response.status_code == 200
    assert "name" in response.content.decode()
    assert save.calls == []
    assert _flashed(request) == []


def test_a_domain_error_naming_a_field_lands_on_that_field() -> None:
    request = _request("post", {"name": "Ada"})
    refusal = ValidationError("that name is taken", code="x.taken", details={"field": "label"})
    form = NameForm(posted(request))
    response = form_page(
        request, form, Recorder(refusal), template=_shown, then="/done/", message="never", field_map={"label": "name"}
    )
    assert response.status_code == 200
    assert form.errors == {"name": ["that name is taken"]}
    assert "govuk-input--error" in form.fields["name"].widget.attrs["class"]
    assert _flashed(request) == []


def test_a_domain_error_without_a_field_is_a_form_level_error() -> None:
    request = _request("post", {"name": "Ada"})
    form = NameForm(posted(request))
    form_page(request, form, Recorder(Conflict("it changed meanwhile")), template=_shown, then="/done/")
    assert form.non_field_errors() == ["it changed meanwhile"]


def test_then_may_be_a_response_of_its_own() -> None:
    request = _request("post", {"name": "Ada"})
    response = form_page(
        request,
        NameForm(posted(request)),
        Recorder(),
        template=_shown,
        then=lambda result: HttpResponse(f"shown once: {result}", status=201),
    )
    assert response.status_code == 201
    assert response.content == b"shown once: saved Ada"
    assert _flashed(request) == []  # no message given, none flashed


def test_post_action_flashes_success_or_the_refusal_and_goes_back() -> None:
    request = _request("post")
    response = post_action(request, lambda: "done", message="It is done.", then="/list/")
    assert response["Location"] == "/list/"
    assert _flashed(request) == [("success", "It is done.")]

    request = _request("post")

    def refuse() -> None:
        raise Conflict("not now")

    response = post_action(request, refuse, message="never", then=lambda result: f"/new/{result}/", back="/case/")
    assert response["Location"] == "/case/"
    assert _flashed(request) == [("error", "not now")]


def test_post_action_needs_back_when_the_target_depends_on_the_result() -> None:
    def refuse() -> None:
        raise NotFound("thing")

    with pytest.raises(TypeError):
        post_action(_request("post"), refuse, then=lambda result: f"/new/{result}/")


# The API's actor -------------------------------------------------------------------------------------------------


def _api_without_auth() -> TestClient:
    """A router mounted with no authentication: the actor helper itself must refuse an anonymous caller."""
    api = NinjaAPI(urls_namespace="actor-helper-tests")
    install_error_handlers(api)

    @api.get("/whoami", auth=None)
    def whoami(request: HttpRequest) -> dict[str, str]:
        return {"username": api_actor(request).username}

    return TestClient(api)


@pytest.mark.django_db
def test_the_api_actor_is_the_authenticated_user_and_never_a_bare_session_user() -> None:
    client = _api_without_auth()
    # No authentication ran: request.user alone (here a real, active user) is not an API actor.
    refused = client.get("/whoami", user=UserFactory())
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_required"
    assert client.get("/whoami", user=AnonymousUser()).status_code == 401


@pytest.mark.django_db
def test_the_api_actor_is_whom_authentication_accepted() -> None:
    user = UserFactory()
    request = HttpRequest()
    request.auth = user  # type: ignore[attr-defined]
    assert api_actor(request) == user
