"""apply_changes: the one "set what differs, return the audit diff" helper (no database needed)."""

from __future__ import annotations

from excon.core.models import ReferenceSequence
from excon.core.services import apply_changes


def test_only_differing_fields_are_set_and_reported() -> None:
    row = ReferenceSequence(prefix="LIC", year=2026, last_value=4)
    changes = apply_changes(row, {"prefix": "LIC", "year": 2027, "last_value": 5})
    assert changes == {"year": {"from": 2026, "to": 2027}, "last_value": {"from": 4, "to": 5}}
    assert (row.prefix, row.year, row.last_value) == ("LIC", 2027, 5)


def test_nothing_changed_is_an_empty_diff_and_leaves_the_object_alone() -> None:
    row = ReferenceSequence(prefix="EXP", year=2026, last_value=1)
    assert apply_changes(row, {"prefix": "EXP", "year": 2026}) == {}
    assert apply_changes(row, {}) == {}
    assert (row.prefix, row.year, row.last_value) == ("EXP", 2026, 1)


def test_related_objects_are_reported_by_their_text() -> None:
    old, new = ReferenceSequence(prefix="A", year=2026), ReferenceSequence(prefix="B", year=2026)
    holder = ReferenceSequence(prefix="X", year=2026)
    holder.previous = old  # type: ignore[attr-defined]
    changes = apply_changes(holder, {"previous": new})
    assert changes == {"previous": {"from": "A-2026: 0", "to": "B-2026: 0"}}
    assert holder.previous is new  # type: ignore[attr-defined]
