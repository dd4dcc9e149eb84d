"""The licence QR code carries ExCon's public address: EXCON_BASE_URL when it is set, else the address the page
was served at (`make run` on another port still writes codes that verify)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from excon.accounts.tests.factories import UserFactory
from excon.core.addresses import public_base_url
from excon.core.roles import Role
from excon.licences.document import verification_url
from excon.licences.models import Licence

from .factories import direct_licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence() -> Licence:
    return direct_licence()


def _officer(licence: Licence) -> Any:
    return UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])


@override_settings(EXCON_BASE_URL="")
def test_unset_the_qr_code_carries_the_address_served(licence: Licence) -> None:
    client = Client(HTTP_HOST="localhost:8123")
    client.force_login(_officer(licence))
    page = client.get(reverse("licences:detail", args=[licence.pk]))
    assert page.status_code == 200
    url = page.context["verification_url"]
    assert url.startswith(f"http://localhost:8123/verify/{licence.number}/?")
    # The address verifies: the public page at that path and query finds it authentic.
    parts = urlsplit(url)
    answer = Client(HTTP_HOST="localhost:8123").get(f"{parts.path}?{parts.query}")
    assert answer.context["result"].authentic
    # Outside a request, the last address served (e.g. a background task writing the PDF).
    assert public_base_url() == "http://localhost:8123"


@override_settings(EXCON_BASE_URL="https://excon.example.gov/")
def test_set_it_wins_over_the_request(licence: Licence) -> None:
    client = Client(HTTP_HOST="localhost:8123")
    client.force_login(_officer(licence))
    url = client.get(reverse("licences:detail", args=[licence.pk])).context["verification_url"]
    assert url.startswith("https://excon.example.gov/verify/")
    assert verification_url(licence).startswith("https://excon.example.gov/verify/")
