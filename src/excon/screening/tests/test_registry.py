"""Screening's registries: a party source another app registers is screened again on every run, and the hit
describer registered for its target type is what the hit page shows; both can be unregistered."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from django.urls import reverse

from excon.accounts.tests.factories import user_with_role
from excon.core.roles import Role
from excon.screening.index import forget_index
from excon.screening.models import ScreeningHit
from excon.screening.registry import (
    Case,
    HitTarget,
    register_hit_describer,
    register_party_source,
    unregister_hit_describer,
    unregister_party_source,
)
from excon.screening.rescreening import parties_to_rescreen, rescreen_open_cases
from excon.screening.services import Party

from .factories import list_entry

pytestmark = pytest.mark.django_db

TARGET = "monitoring.checkvisit"
VISIT = uuid4()


def visit_parties() -> Iterator[tuple[Party, Case]]:
    case = Case(label="check visit CV-1", link="/monitoring/visits/1/")
    yield Party(f"{TARGET}:{VISIT}", "Zala Aero Group", "organisation", "RU"), case


def describe_visit(key: UUID) -> HitTarget | None:
    return (
        HitTarget(kind="Organisation", role="Inspected end user", belongs_to="Check visit CV-1")
        if key == VISIT
        else None
    )


@pytest.fixture
def registered() -> Iterator[None]:
    forget_index()
    register_party_source("test-monitoring", visit_parties)
    register_hit_describer(TARGET, describe_visit)
    yield
    unregister_party_source("test-monitoring")
    unregister_hit_describer(TARGET)
    forget_index()


def test_a_registered_party_source_is_screened_again_and_its_describer_shows_the_hit(client, registered) -> None:  # type: ignore[no-untyped-def]
    list_entry("ZALA AERO GROUP LLC", kind="organisation", countries=("RU",))
    run = rescreen_open_cases()
    assert run.result.new_hits == 1
    hit = ScreeningHit.objects.get(target_type=TARGET)
    assert hit.target_id == str(VISIT)
    client.force_login(user_with_role(Role.COMPLIANCE_OFFICER))
    page = client.get(reverse("screening:hit", args=[hit.pk])).content.decode()
    assert "Check visit CV-1" in page
    assert "Inspected end user" in page


def test_an_unregistered_source_is_no_longer_screened() -> None:
    register_party_source("test-monitoring", visit_parties)
    assert f"{TARGET}:{VISIT}" in parties_to_rescreen().cases
    unregister_party_source("test-monitoring")
    assert f"{TARGET}:{VISIT}" not in parties_to_rescreen().cases
