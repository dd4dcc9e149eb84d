"""The review queue's filtering, once in the page, now one selector: status, list, score range and part of the
screened name, open hits first; and nothing for those who may not see hits."""

from __future__ import annotations

from typing import Any

import pytest

from excon.accounts.tests.factories import user_with_role
from excon.core.roles import Role
from excon.screening import selectors
from excon.screening.enums import HitStatus, SourceCode
from excon.screening.models import ScreeningHit

from .factories import list_entry

pytestmark = pytest.mark.django_db


def _hit(name: str, score: float, source: str = SourceCode.NATIONAL, **fields: Any) -> ScreeningHit:
    entry = list_entry(name.upper(), source=source)
    return ScreeningHit.objects.create(
        target_type="search",
        target_id=name,
        screened_name=name,
        party_fingerprint=name,
        entry=entry,
        entry_hash=entry.content_hash,
        score=score,
        **fields,
    )


def test_the_queue_filters_and_puts_open_hits_first() -> None:
    compliance = user_with_role(Role.COMPLIANCE_OFFICER)
    dismissed = _hit("Zala Aero", 0.97, status=HitStatus.DISMISSED)
    low = _hit("Zala Trading", 0.81)
    high = _hit("Orlan Systems", 0.93, source=SourceCode.OFAC)
    assert list(selectors.hit_queue(actor=compliance)) == [high, low, dismissed]
    assert list(selectors.hit_queue(actor=compliance, status=HitStatus.OPEN)) == [high, low]
    assert list(selectors.hit_queue(actor=compliance, source=SourceCode.OFAC)) == [high]
    assert list(selectors.hit_queue(actor=compliance, score_min=0.9)) == [high, dismissed]
    assert list(selectors.hit_queue(actor=compliance, score_min=0.8, score_max=0.9)) == [low]
    assert list(selectors.hit_queue(actor=compliance, name="  zala ")) == [low, dismissed]
    assert not selectors.hit_queue(actor=user_with_role(Role.EXPORTER_ADMIN)).exists()
