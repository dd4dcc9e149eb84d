"""Suspending the licences a domestic priority affects: the licences' side of "domestic supply first". The
priority is supply's (licences reads supply); the suspension is a bulk action, which lists and audits each
licence, and supply records which bulk action answered the priority."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from excon.core.errors import PermissionDenied
from excon.supply import policies as supply_policies
from excon.supply import services as supply_services
from excon.supply.models import DomesticPriority

from ..enums import BulkActionKind
from ..models import BulkAction
from .lifecycle import licences_bulk_action

if TYPE_CHECKING:
    from excon.accounts.models import User


@transaction.atomic
def licences_suspend_for_priority(*, actor: User, priority: DomesticPriority) -> BulkAction:
    """Suspend every active licence for the priority's product or category, with the priority's reason."""
    if not supply_policies.can_suspend_for_priority(actor):
        raise PermissionDenied("only senior officers of the authority suspend licences")
    priority = supply_services.priority_lock_in_force(priority=priority)
    if priority.product is not None:
        criteria = {"product_id": str(priority.product.pk)}
    else:
        assert priority.control_entry is not None
        criteria = {"control_entry": priority.control_entry.code}
    bulk = licences_bulk_action(
        actor=actor, kind=BulkActionKind.SUSPEND, criteria=criteria, reason=f"Domestic priority: {priority.reason}"
    )
    numbers = sorted(bulk.licences.values_list("number", flat=True))
    supply_services.priority_record_suspension(actor=actor, priority=priority, suspension=bulk, licences=numbers)
    return bulk
