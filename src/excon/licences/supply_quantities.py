"""The licensed and shipped quantities the supply app counts against the exportable surplus, registered into
supply (excon.supply.providers) by LicencesConfig.ready(): supply sits below licences and never imports it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, Sum

from excon.supply.arithmetic import LicensedFigure, Period
from excon.supply.providers import LicensedQuantities

from .enums import LicenceStatus
from .models import LicenceLine, ShipmentLine


def licensed_lines(product_ids: list[Any], period: Period) -> dict[Any, list[LicensedFigure]]:
    """Lines of active licences for the products whose validity overlaps the period."""
    rows = (
        LicenceLine.objects.filter(
            product_id__in=product_ids,
            quantity__isnull=False,
            licence__status=LicenceStatus.ACTIVE,
            licence__valid_from__lte=period.end,
        )
        .filter(Q(licence__valid_until__isnull=True) | Q(licence__valid_until__gte=period.start))
        .values_list(
            "pk",
            "product_id",
            "licence__number",
            "quantity",
            "shipped_quantity",
            "licence__valid_from",
            "licence__valid_until",
        )
    )
    lines: dict[Any, list[LicensedFigure]] = defaultdict(list)
    for pk, product_id, number, quantity, shipped, valid_from, valid_until in rows:
        lines[product_id].append(LicensedFigure(str(pk), number, quantity or 0, shipped, valid_from, valid_until))
    return lines


def shipped_quantities(product_ids: list[Any], period: Period) -> dict[Any, int]:
    """The quantity shipped per product in the period."""
    rows = (
        ShipmentLine.objects.filter(
            licence_line__product_id__in=product_ids,
            shipment__shipped_on__gte=period.start,
            shipment__shipped_on__lte=period.end,
        )
        .values("licence_line__product_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["licence_line__product_id"]: row["total"] or 0 for row in rows}


PROVIDER = LicensedQuantities(lines=licensed_lines, shipped=shipped_quantities)
