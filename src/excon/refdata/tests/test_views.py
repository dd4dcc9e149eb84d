"""The reference-data pages: reading for every signed-in user, forms for permitted roles, errors on the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from excon.accounts.tests.factories import user_with_role
from excon.core.navigation import home_sections_for, navigation_for
from excon.core.roles import Role
from excon.refdata.models import ArmsEmbargo, DestinationGroup
from excon.refdata.tests.factories import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def refdata() -> None:
    load()


def signed_in(role: Role) -> Client:
    client = Client()
    client.force_login(user_with_role(role))
    return client


def test_pages_need_a_sign_in(client: Client) -> None:
    response = client.get("/refdata/embargoes/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/refdata/", "Reference data"),
        ("/refdata/control-list/", "ML22"),
        ("/refdata/control-list/?q=caseless", "ML1.c"),
        ("/refdata/control-list/?regime=dual_use", "Telecommunications"),
        ("/refdata/control-list/ML6/", "Battle tanks"),
        ("/refdata/hs-codes/?q=warships", "890610"),
        ("/refdata/embargoes/", "UNSCR 1718"),
        ("/refdata/embargoes/?show=all&country=CI", "UNSCR 1572"),
        ("/refdata/destination-groups/", "Wassenaar"),
        ("/refdata/destination-groups/nato/", "Türkiye"),
    ],
)
def test_read_pages(refdata: None, path: str, text: str) -> None:
    response = signed_in(Role.EXPORTER_USER).get(path)
    assert response.status_code == 200, path
    assert text in response.content.decode()


def test_missing_objects_are_404(refdata: None) -> None:
    client = signed_in(Role.CASE_OFFICER)
    assert client.get("/refdata/control-list/ML99/").status_code == 404
    assert client.get("/refdata/embargoes/not-a-uuid/").status_code == 404
    assert client.get("/refdata/destination-groups/nope/").status_code == 404


@pytest.mark.parametrize("role", [Role.EXPORTER_USER, Role.ANALYST, Role.AUDITOR])
def test_forms_are_forbidden_to_other_roles(refdata: None, role: Role) -> None:
    client = signed_in(role)
    embargo = ArmsEmbargo.objects.get(seed_key="eu-cn-1989")
    for path in (
        "/refdata/embargoes/new/",
        f"/refdata/embargoes/{embargo.pk}/edit/",
        f"/refdata/embargoes/{embargo.pk}/end/",
        "/refdata/destination-groups/new/",
        "/refdata/destination-groups/eu/edit/",
    ):
        assert client.get(path).status_code == 403, path
    page = client.get(f"/refdata/embargoes/{embargo.pk}/").content.decode()
    assert "/edit/" not in page


def test_create_embargo_through_the_form(refdata: None) -> None:
    client = signed_in(Role.CASE_OFFICER)
    assert client.get("/refdata/embargoes/new/").status_code == 200
    data: dict[str, Any] = {
        "country": "NO",
        "imposed_by": "national",
        "scope": "partial",
        "applies_to": "all",
        "control_entries": "ML1, ML3",
        "start_date": "2025-01-01",
        "legal_reference": "Decree 7/2025",
    }
    # A service refusal comes back on the form, not as a 500.
    response = client.post("/refdata/embargoes/new/", {**data, "end_date": "2024-01-01"})
    assert response.status_code == 200
    assert "the end date is before the start date" in response.content.decode()
    response = client.post("/refdata/embargoes/new/", {**data, "control_entries": "ML99"})
    assert "ML99" in response.content.decode()
    response = client.post("/refdata/embargoes/new/", data)
    assert response.status_code == 302
    embargo = ArmsEmbargo.objects.get(legal_reference="Decree 7/2025")
    assert sorted(embargo.control_entries.values_list("code", flat=True)) == ["ML1", "ML3"]
    detail = client.get(response["Location"]).content.decode()
    assert "History" in detail
    assert "embargo.created" in detail


def test_edit_and_end_embargo_through_the_forms(refdata: None) -> None:
    client = signed_in(Role.SENIOR_OFFICER)
    embargo = ArmsEmbargo.objects.get(seed_key="eu-cn-1989")
    form = client.get(f"/refdata/embargoes/{embargo.pk}/edit/").content.decode()
    assert "Madrid" in form
    base = {
        "imposed_by": "eu",
        "scope": "full",
        "applies_to": "all",
        "control_entries": "",
        "start_date": "1989-06-27",
        "legal_reference": embargo.legal_reference,
        "notes": "checked",
    }
    response = client.post(f"/refdata/embargoes/{embargo.pk}/edit/", base)
    assert response.status_code == 200  # the reason is required when changing
    response = client.post(f"/refdata/embargoes/{embargo.pk}/edit/", {**base, "reason": "reviewed"})
    assert response.status_code == 302
    embargo.refresh_from_db()
    assert embargo.notes == "checked"
    response = client.post(f"/refdata/embargoes/{embargo.pk}/end/", {"end_date": "1980-01-01", "reason": "x"})
    assert response.status_code == 200
    assert "before the start date" in response.content.decode()
    response = client.post(f"/refdata/embargoes/{embargo.pk}/end/", {"end_date": "2025-01-01", "reason": "lifted"})
    assert response.status_code == 302
    embargo.refresh_from_db()
    assert embargo.end_date is not None
    history = client.get(f"/refdata/embargoes/{embargo.pk}/").content.decode()
    assert "embargo.ended" in history
    assert "embargo.updated" in history


def test_destination_group_forms(refdata: None) -> None:
    client = signed_in(Role.SYSTEM_ADMIN)
    response = client.post(
        "/refdata/destination-groups/new/", {"code": "nordic", "name": "Nordic", "countries": "NO, SE; dk"}
    )
    assert response.status_code == 302
    assert sorted(DestinationGroup.objects.get(code="nordic").countries.values_list("iso2", flat=True)) == [
        "DK",
        "NO",
        "SE",
    ]
    response = client.post("/refdata/destination-groups/nordic/edit/", {"name": "Nordic", "countries": "NO, XX"})
    assert response.status_code == 200
    assert "XX" in response.content.decode()
    response = client.post("/refdata/destination-groups/nordic/edit/", {"name": "Nordic", "countries": "NO FI IS"})
    assert response.status_code == 302
    page = client.get("/refdata/destination-groups/nordic/").content.decode()
    assert "Iceland" in page
    assert "destination_group.updated" in page


def test_navigation_and_home_section() -> None:
    officer = user_with_role(Role.CASE_OFFICER)
    exporter = user_with_role(Role.EXPORTER_USER)
    admin = user_with_role(Role.SYSTEM_ADMIN)
    assert "Reference data" in [item["label"] for item in navigation_for(officer, "/")]
    assert "Reference data" not in [item["label"] for item in navigation_for(exporter, "/")]
    titles = [section["title"] for section in home_sections_for(admin)]
    assert "Reference data: embargoes, destination groups" in titles
    assert "Reference data: embargoes, destination groups" not in [s["title"] for s in home_sections_for(officer)]
