"""Builders for supply tests: ministry users, declarations and requirements straight through the services."""

from __future__ import annotations

from typing import Any

from excon.accounts.models import User
from excon.accounts.tests.factories import AuthorityFactory, DepartmentFactory, UserFactory
from excon.core.markings import ProtectiveMarking
from excon.core.roles import DepartmentKind, Role
from excon.products.models import Product
from excon.supply import services
from excon.supply.arithmetic import Period
from excon.supply.models import CapacityDeclaration, DomesticRequirement
from excon.supply.selectors import current_period


def ministry_user(clearance: str = ProtectiveMarking.SECRET, role: str = Role.TECHNICAL_EXPERT) -> User:
    return UserFactory(
        organisation=DepartmentFactory(department_kind=DepartmentKind.DEFENCE), roles=[role], clearance=clearance
    )


def authority_senior(clearance: str = ProtectiveMarking.SECRET) -> User:
    return UserFactory(organisation=AuthorityFactory(), roles=[Role.SENIOR_OFFICER], clearance=clearance)


def declare(
    actor: User, product: Product, capacity: int, stock: int = 0, period: Period | None = None
) -> CapacityDeclaration:
    period = period or current_period()
    return services.capacity_declare(
        actor=actor, product_id=product.pk, year=period.year, quarter=period.quarter, capacity=capacity, stock=stock
    )


def requirement(
    actor: User,
    quantity: int,
    *,
    product: Product | None = None,
    category: str = "",
    period: Period | None = None,
    **kwargs: Any,
) -> DomesticRequirement:
    period = period or current_period()
    fields: dict[str, Any] = {"kind": "state_order", "reference": f"SO-{quantity}", "priority": 1, **kwargs}
    return services.requirement_record(
        actor=actor,
        product_id=product.pk if product else None,
        control_code=category or None,
        year=period.year,
        quarter=period.quarter,
        quantity=quantity,
        **fields,
    )
