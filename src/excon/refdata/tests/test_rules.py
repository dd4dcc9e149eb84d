"""The reference-data index's figures, once counted in the page, now one selector scoped like the others."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from excon.accounts.tests.factories import user_with_role
from excon.core.roles import Role
from excon.refdata import selectors
from excon.refdata.models import ControlListEntry, DestinationGroup, HsCode
from excon.refdata.tests.factories import load

pytestmark = pytest.mark.django_db


def test_the_index_counts_what_a_reader_may_browse() -> None:
    load()
    today = timezone.localdate()
    reader = user_with_role(Role.EXPORTER_USER)
    counts = selectors.reference_counts(actor=reader, today=today)
    assert counts == {
        "entry_count": ControlListEntry.objects.filter(active=True).count(),
        "embargo_count": selectors.embargo_list(actor=reader, active_on=today).count(),
        "group_count": DestinationGroup.objects.count(),
        "hs_count": HsCode.objects.count(),
    }
    assert counts["entry_count"] > 0
    assert counts["hs_count"] > 0
    assert set(selectors.reference_counts(actor=AnonymousUser(), today=today).values()) == {0}  # type: ignore[arg-type]
