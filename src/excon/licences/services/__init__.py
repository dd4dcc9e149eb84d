"""Writes to licences, shipments and customs data. Topic modules: lifecycle (issue, transitions, expiry,
amendments, bulk actions), shipments (decrements, reversals, customs batches), customs (declarations and their
reconciliation), keys (signing keys)."""

from .customs import declarations_import, discrepancy_resolve
from .keys import signing_key_active, signing_key_rotate
from .lifecycle import (
    expire_due_licences,
    licence_amend,
    licence_issue,
    licence_transition,
    licences_bulk_action,
    refresh_status,
)
from .priorities import licences_suspend_for_priority
from .shipments import ShipmentLineInput, customs_batch_apply, shipment_record, shipment_reverse
from .types import licence_follow_ups, temporary_return_confirm, usage_return_submit

__all__ = [
    "ShipmentLineInput",
    "customs_batch_apply",
    "declarations_import",
    "discrepancy_resolve",
    "expire_due_licences",
    "licence_amend",
    "licence_follow_ups",
    "licence_issue",
    "licence_transition",
    "licences_bulk_action",
    "licences_suspend_for_priority",
    "refresh_status",
    "shipment_record",
    "shipment_reverse",
    "signing_key_active",
    "signing_key_rotate",
    "temporary_return_confirm",
    "usage_return_submit",
]
