"""Embargo and destination-group services: the role × action matrix, validation codes and audit entries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import user_with_role
from excon.audit.models import AuditEntry
from excon.audit.verification import verify_chain
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.roles import Role
from excon.refdata import services
from excon.refdata.models import ArmsEmbargo, Country, DestinationGroup
from excon.refdata.tests.factories import ArmsEmbargoFactory, CountryFactory, DestinationGroupFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
MAY_EDIT_EMBARGOES = {Role.SYSTEM_ADMIN, Role.SENIOR_OFFICER, Role.CASE_OFFICER}
MAY_EDIT_GROUPS = {Role.SYSTEM_ADMIN, Role.SENIOR_OFFICER}


@pytest.fixture
def countries() -> dict[str, Country]:
    return {
        iso2: CountryFactory(iso2=iso2, iso3=iso3, name=name)
        for iso2, iso3, name in [("NO", "NOR", "Norway"), ("FR", "FRA", "France"), ("KP", "PRK", "North Korea")]
    }


@pytest.fixture
def entries() -> Any:
    from excon.refdata.tests.factories import ControlListEntryFactory

    return [ControlListEntryFactory(code="ML1"), ControlListEntryFactory(code="ML2")]


def _last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def _create(actor: Any, **overrides: Any) -> ArmsEmbargo:
    fields = {
        "country": "KP",
        "imposed_by": "un",
        "start_date": datetime.date(2006, 10, 14),
        "legal_reference": "UNSCR 1718 (2006)",
    }
    fields.update(overrides)
    return services.embargo_create(actor=actor, **fields)


# The permission matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_embargo_permission_matrix(role: Role, countries: dict[str, Country]) -> None:
    actor = user_with_role(role)
    embargo = ArmsEmbargoFactory(country=countries["NO"])
    if role in MAY_EDIT_EMBARGOES:
        created = _create(actor)
        assert created.country.iso2 == "KP"
        services.embargo_update(actor=actor, embargo=embargo, reason="correction", notes="checked")
        services.embargo_end(actor=actor, embargo=embargo, reason="lifted by decree")
    else:
        with pytest.raises(PermissionDenied):
            _create(actor)
        with pytest.raises(PermissionDenied):
            services.embargo_update(actor=actor, embargo=embargo, reason="x", notes="checked")
        with pytest.raises(PermissionDenied):
            services.embargo_end(actor=actor, embargo=embargo, reason="x")
        assert ArmsEmbargo.objects.count() == 1
        assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_destination_group_permission_matrix(role: Role, countries: dict[str, Country]) -> None:
    actor = user_with_role(role)
    group = DestinationGroupFactory()
    if role in MAY_EDIT_GROUPS:
        created = services.destination_group_create(actor=actor, code="nordic", name="Nordic", countries=["NO"])
        assert list(created.countries.values_list("iso2", flat=True)) == ["NO"]
        services.destination_group_update(actor=actor, group=group, countries=["FR"])
    else:
        with pytest.raises(PermissionDenied):
            services.destination_group_create(actor=actor, code="nordic", name="Nordic")
        with pytest.raises(PermissionDenied):
            services.destination_group_update(actor=actor, group=group, name="Renamed")
        assert DestinationGroup.objects.count() == 1


# Embargo validation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"country": "ZZ"}, "embargo.unknown_country"),
        ({"country": ""}, "embargo.unknown_country"),
        ({"end_date": datetime.date(2000, 1, 1)}, "embargo.invalid_dates"),
        ({"scope": "partial"}, "embargo.entries_required"),
        ({"control_entries": ["ML1"]}, "embargo.entries_not_allowed"),
        ({"scope": "partial", "control_entries": ["ML99"]}, "embargo.unknown_control_entry"),
        ({"imposed_by": "nato"}, "embargo.invalid_imposed_by"),
        ({"scope": "most"}, "embargo.invalid_scope"),
        ({"applies_to": "some"}, "embargo.invalid_applies_to"),
        ({"legal_reference": "  "}, "embargo.legal_reference_required"),
        ({"start_date": None}, "embargo.date_required"),
        ({"start_date": "14/10/2006"}, "embargo.invalid_date"),
        ({"source_url": "not a url"}, "embargo.invalid_source_url"),
    ],
)
def test_embargo_validation_codes(overrides: dict[str, Any], code: str, countries: Any, entries: Any) -> None:
    actor = user_with_role(Role.CASE_OFFICER)
    with pytest.raises(ValidationError) as caught:
        _create(actor, **overrides)
    assert caught.value.code == code
    assert not ArmsEmbargo.objects.exists()


def test_embargo_create_partial_and_audit(countries: Any, entries: Any) -> None:
    actor = user_with_role(Role.SENIOR_OFFICER)
    embargo = _create(actor, scope="partial", control_entries=["ML1", "ml2"], reason="new resolution")
    assert sorted(embargo.control_entries.values_list("code", flat=True)) == ["ML1", "ML2"]
    entry = _last_audit()
    assert entry.verb == "embargo.created"
    assert entry.actor == actor
    assert entry.target_id == str(embargo.pk)
    assert entry.payload["control_entries"] == ["ML1", "ML2"]
    assert entry.payload["reason"] == "new resolution"
    assert verify_chain().ok


def test_embargo_update_records_changes_and_reason(countries: Any, entries: Any) -> None:
    actor = user_with_role(Role.CASE_OFFICER)
    embargo = _create(actor)
    with pytest.raises(ValidationError) as caught:
        services.embargo_update(actor=actor, embargo=embargo, reason="", notes="x")
    assert caught.value.code == "embargo.reason_required"
    with pytest.raises(ValidationError) as caught:
        services.embargo_update(actor=actor, embargo=embargo, reason="r", country="FR")
    assert caught.value.code == "embargo.field_not_editable"
    with pytest.raises(ValidationError) as caught:
        services.embargo_update(actor=actor, embargo=embargo, reason="r", end_date=datetime.date(2001, 1, 1))
    assert caught.value.code == "embargo.invalid_dates"
    services.embargo_update(
        actor=actor, embargo=embargo, reason="narrowed", scope="partial", control_entries=["ML1"], notes="SALW"
    )
    embargo.refresh_from_db()
    assert embargo.scope == "partial"
    entry = _last_audit()
    assert entry.verb == "embargo.updated"
    assert entry.payload["changes"]["scope"] == {"from": "full", "to": "partial"}
    assert entry.payload["added"] == ["ML1"]
    assert entry.payload["reason"] == "narrowed"
    count = AuditEntry.objects.count()
    services.embargo_update(actor=actor, embargo=embargo, reason="nothing", notes="SALW")
    assert AuditEntry.objects.count() == count  # no change, no entry


def test_embargo_end(countries: Any) -> None:
    actor = user_with_role(Role.CASE_OFFICER)
    embargo = _create(actor)
    with pytest.raises(ValidationError) as caught:
        services.embargo_end(actor=actor, embargo=embargo, reason=" ")
    assert caught.value.code == "embargo.reason_required"
    with pytest.raises(ValidationError) as caught:
        services.embargo_end(actor=actor, embargo=embargo, reason="r", end_date=datetime.date(1999, 1, 1))
    assert caught.value.code == "embargo.invalid_dates"
    services.embargo_end(actor=actor, embargo=embargo, reason="lifted by UNSCR 9999")
    embargo.refresh_from_db()
    assert embargo.end_date == timezone.localdate()
    assert _last_audit().verb == "embargo.ended"
    assert _last_audit().payload["reason"] == "lifted by UNSCR 9999"
    with pytest.raises(Conflict) as conflict:
        services.embargo_end(actor=actor, embargo=embargo, reason="again")
    assert conflict.value.code == "embargo.already_ended"


# Destination groups -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error", "code"),
    [
        ({"code": "Bad Code!", "name": "x"}, ValidationError, "destination_group.invalid_code"),
        ({"code": "", "name": "x"}, ValidationError, "destination_group.invalid_code"),
        ({"code": "ok", "name": " "}, ValidationError, "destination_group.name_required"),
        (
            {"code": "ok", "name": "x", "countries": ["NO", "XX", "ABC"]},
            ValidationError,
            "destination_group.unknown_country",
        ),
        ({"code": "existing", "name": "x"}, Conflict, "destination_group.duplicate_code"),
    ],
)
def test_destination_group_validation(fields: dict[str, Any], error: type, code: str, countries: Any) -> None:
    DestinationGroupFactory(code="existing")
    actor = user_with_role(Role.SYSTEM_ADMIN)
    with pytest.raises(error) as caught:
        services.destination_group_create(actor=actor, **fields)
    assert caught.value.code == code  # type: ignore[attr-defined]


def test_destination_group_update_audits_added_and_removed(countries: Any) -> None:
    actor = user_with_role(Role.SENIOR_OFFICER)
    group = services.destination_group_create(actor=actor, code="nordic", name="Nordic", countries=["no", "FR"])
    assert _last_audit().verb == "destination_group.created"
    assert _last_audit().payload["countries"] == ["FR", "NO"]
    services.destination_group_update(
        actor=actor, group=group, name="Nordic states", countries=["NO", "KP"], reason="fix"
    )
    entry = _last_audit()
    assert entry.verb == "destination_group.updated"
    assert entry.payload["added"] == ["KP"]
    assert entry.payload["removed"] == ["FR"]
    assert entry.payload["changes"]["name"] == {"from": "Nordic", "to": "Nordic states"}
    with pytest.raises(ValidationError) as caught:
        services.destination_group_update(actor=actor, group=group, countries=["QQ"])
    assert caught.value.code == "destination_group.unknown_country"
    count = AuditEntry.objects.count()
    services.destination_group_update(actor=actor, group=group, countries=["KP", "NO"])
    assert AuditEntry.objects.count() == count
