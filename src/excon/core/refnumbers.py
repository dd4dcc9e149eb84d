"""Human-readable, unique, gap-free reference numbers such as EXP-2026-000123."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import ReferenceSequence


@transaction.atomic
def next_reference(prefix: str, *, year: int | None = None, width: int = 6) -> str:
    year = year or timezone.now().year
    ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
    # The row lock serialises concurrent callers on PostgreSQL; SQLite serialises writers anyway.
    seq = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return f"{prefix}-{year}-{seq.last_value:0{width}d}"
