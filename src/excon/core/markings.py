"""Protective markings and clearances. A user may see marked material up to their clearance."""

from __future__ import annotations

from django.db import models


class ProtectiveMarking(models.TextChoices):
    UNCLASSIFIED = "unclassified", "Unclassified"
    RESTRICTED = "restricted", "Restricted"
    CONFIDENTIAL = "confidential", "Confidential"
    SECRET = "secret", "Secret"


MARKING_ORDER = {
    ProtectiveMarking.UNCLASSIFIED: 0,
    ProtectiveMarking.RESTRICTED: 1,
    ProtectiveMarking.CONFIDENTIAL: 2,
    ProtectiveMarking.SECRET: 3,
}


def markings_up_to(clearance: str) -> list[str]:
    """The markings a holder of `clearance` may read, lowest first."""
    level = MARKING_ORDER[ProtectiveMarking(clearance)]
    return [marking.value for marking, rank in MARKING_ORDER.items() if rank <= level]


def cleared_for(clearance: str, marking: str) -> bool:
    return MARKING_ORDER[ProtectiveMarking(marking)] <= MARKING_ORDER[ProtectiveMarking(clearance)]
