"""The supply rules the pages and the API used to decide for themselves: which quarter a caller may name, which
quarters a surplus read covers, and whose product's supply figures an actor may read."""

from __future__ import annotations

import pytest

from excon.accounts.tests.factories import OrganisationFactory, UserFactory
from excon.core.errors import NotFound, ValidationError
from excon.core.roles import Role
from excon.products.tests.factories import ProductFactory
from excon.supply import selectors
from excon.supply.arithmetic import Period

from .factories import authority_senior, ministry_user


def test_a_period_is_a_year_and_a_quarter_one_to_four() -> None:
    assert selectors.valid_period("2026", 3) == Period(2026, 3)
    for year, quarter, code in (
        (2026, 5, "supply.invalid_quarter"),
        (2026, 0, "supply.invalid_quarter"),
        (1999, 1, "supply.invalid_year"),
        ("soon", 1, "supply.invalid_period"),
        (2026, None, "supply.invalid_period"),
    ):
        with pytest.raises(ValidationError) as error:
            selectors.valid_period(year, quarter)
        assert error.value.code == code


def test_a_surplus_read_covers_the_quarter_named_or_the_next_four() -> None:
    assert selectors.surplus_periods(2027, 2) == [Period(2027, 2)]
    assert selectors.surplus_periods() == selectors.upcoming_periods(4)
    with pytest.raises(ValidationError) as error:
        selectors.surplus_periods(2027, None)
    assert error.value.code == "supply.invalid_period"
    with pytest.raises(ValidationError):
        selectors.surplus_periods(2027, 9)


@pytest.mark.django_db
def test_a_products_supply_is_read_by_its_manufacturer_and_the_supply_readers() -> None:
    manufacturer = OrganisationFactory()
    product = ProductFactory(manufacturer=manufacturer)
    staff = UserFactory(organisation=manufacturer, roles=[Role.EXPORTER_USER])
    for reader in (staff, authority_senior(), ministry_user()):
        assert selectors.supply_product_get(actor=reader, product_id=product.pk) == product
    competitor = UserFactory(organisation=OrganisationFactory(), roles=[Role.EXPORTER_USER])
    for actor, product_id in ((competitor, product.pk), (staff, "nonsense"), (staff, None)):
        with pytest.raises(NotFound) as error:
            selectors.supply_product_get(actor=actor, product_id=product_id)
        assert error.value.code == "supply.unknown_product"
