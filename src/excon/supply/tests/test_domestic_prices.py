"""The ministry's domestic procurement prices: recorded by the ministry only, validated, audited, read up to the
reader's clearance, never by exporters; the API and the pages call the same service and selector."""

from __future__ import annotations

from decimal import Decimal

import pytest

from excon.accounts.tests.factories import AuthorityFactory, UserFactory
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.markings import ProtectiveMarking
from excon.core.roles import Role
from excon.products.enums import ProductStatus
from excon.products.tests.factories import ProductFactory
from excon.supply import selectors, services
from excon.supply.models import DomesticPrice
from excon.supply.tests.factories import ministry_user

pytestmark = pytest.mark.django_db


def record(actor, product, **overrides):  # type: ignore[no-untyped-def]
    values = {"contract_reference": "SC-2025-01", "year": 2025, "unit_price": "1200000.00", "currency": "EUR"}
    values.update(overrides)
    return services.domestic_price_record(actor=actor, product_id=product.pk, **values)


def test_ministry_records_a_price_and_it_is_audited() -> None:
    ministry, product = ministry_user(), ProductFactory()
    price = record(ministry, product, marking=ProtectiveMarking.CONFIDENTIAL)
    assert (price.unit_price, price.currency, price.year) == (Decimal("1200000.00"), "EUR", 2025)
    entry = AuditEntry.objects.get(verb="supply.domestic_price_recorded")
    assert entry.payload["unit_price"] == "1200000.00"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"unit_price": "0"}, "supply.invalid_price"),
        ({"unit_price": "abc"}, "supply.invalid_price"),
        ({"unit_price": "1.005"}, "supply.invalid_price"),
        ({"currency": "XYZ"}, "money.unknown_currency"),
        ({"year": 1800}, "supply.invalid_year"),
        ({"contract_reference": "  "}, "supply.contract_reference_required"),
        ({"marking": "top"}, "supply.invalid_marking"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(overrides: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        record(ministry_user(), ProductFactory(), **overrides)
    assert caught.value.code == code
    assert not DomesticPrice.objects.exists()


def test_duplicate_and_above_clearance_are_refused() -> None:
    ministry, product = ministry_user(clearance=ProtectiveMarking.RESTRICTED), ProductFactory()
    record(ministry, product)
    with pytest.raises(Conflict):
        record(ministry, product)
    with pytest.raises(ValidationError) as caught:
        record(ministry, product, contract_reference="SC-2", marking=ProtectiveMarking.SECRET)
    assert caught.value.code == "supply.marking_above_clearance"


def test_only_the_ministry_records_prices() -> None:
    analyst = UserFactory(organisation=AuthorityFactory(), roles=[Role.ANALYST])
    with pytest.raises(PermissionDenied):
        record(analyst, ProductFactory())


def test_prices_are_read_up_to_clearance_and_never_by_exporters() -> None:
    ministry, product = ministry_user(), ProductFactory()
    record(ministry, product, contract_reference="A", marking=ProtectiveMarking.RESTRICTED)
    record(ministry, product, contract_reference="B", marking=ProtectiveMarking.SECRET)
    analyst = UserFactory(
        organisation=AuthorityFactory(), roles=[Role.ANALYST], clearance=ProtectiveMarking.CONFIDENTIAL
    )
    assert [p.contract_reference for p in selectors.domestic_price_list(actor=analyst)] == ["A"]
    assert selectors.domestic_price_list(actor=ministry).count() == 2
    exporter = UserFactory(organisation=product.manufacturer, roles=[Role.EXPORTER_ADMIN])
    with pytest.raises(PermissionDenied):
        selectors.domestic_price_list(actor=exporter)


def test_api_and_pages(client) -> None:  # type: ignore[no-untyped-def]
    # The page's product picker offers the products the ministry may read: submitted ones, not drafts.
    ministry, product = ministry_user(), ProductFactory(status=ProductStatus.DECIDED)
    client.force_login(ministry)
    response = client.post(
        "/api/v1/supply/domestic-prices",
        {
            "product_id": str(product.pk),
            "contract_reference": "SC-9",
            "year": 2024,
            "unit_price": "10.50",
            "currency": "usd",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["currency"] == "USD"
    bad = client.post(
        "/api/v1/supply/domestic-prices",
        {
            "product_id": str(product.pk),
            "contract_reference": "SC-9",
            "year": 2024,
            "unit_price": "-1",
            "currency": "USD",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "supply.invalid_price"
    assert [row["contract_reference"] for row in client.get("/api/v1/supply/domestic-prices").json()] == ["SC-9"]
    page = client.post(
        "/supply/prices/new/",
        {
            "product": str(product.pk),
            "contract_reference": "SC-10",
            "year": "2024",
            "unit_price": "11",
            "currency": "USD",
            "marking": "restricted",
        },
    )
    assert page.status_code == 302
    assert "SC-10" in client.get("/supply/prices/").content.decode()
    exporter = UserFactory(organisation=product.manufacturer, roles=[Role.EXPORTER_ADMIN])
    client.force_login(exporter)
    assert client.get("/supply/prices/").status_code == 404
    assert client.get("/api/v1/supply/domestic-prices").status_code == 403
