"""What supply needs to know of licences, through a provider the licences app registers (licences sits above
supply and reads it; supply never imports licences). The licences app registers in LicencesConfig.ready():

    from excon.supply.providers import LicensedQuantities, register_licensed_quantities

    register_licensed_quantities(LicensedQuantities(lines=licensed_lines, shipped=shipped_quantities))

Until one is registered nothing is licensed or shipped: the surplus is capacity, stock and requirements alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .arithmetic import LicensedFigure, Period

# product ids, the period → the lines of active licences for those products valid in the period, per product
LinesProvider = Callable[[list[Any], Period], dict[Any, list[LicensedFigure]]]
# product ids, the period → the quantity shipped in the period, per product
ShippedProvider = Callable[[list[Any], Period], dict[Any, int]]


@dataclass(frozen=True)
class LicensedQuantities:
    lines: LinesProvider
    shipped: ShippedProvider


def _nothing_licensed(product_ids: list[Any], period: Period) -> dict[Any, list[LicensedFigure]]:
    return {}


def _nothing_shipped(product_ids: list[Any], period: Period) -> dict[Any, int]:
    return {}


NOTHING_LICENSED = LicensedQuantities(lines=_nothing_licensed, shipped=_nothing_shipped)
_registered: list[LicensedQuantities] = [NOTHING_LICENSED]


def register_licensed_quantities(provider: LicensedQuantities) -> None:
    """The one source of licensed and shipped quantities (registering again replaces it)."""
    _registered[0] = provider


def licensed_quantities() -> LicensedQuantities:
    return _registered[0]
