"""The list reads the screening pages use: only for those who may read the lists, and an entry of another list is
not found as a national one."""

from __future__ import annotations

import pytest

from excon.accounts.tests.factories import user_with_role
from excon.core.errors import NotFound
from excon.core.roles import Role
from excon.screening import selectors
from excon.screening.enums import SourceCode, VersionStatus
from excon.screening.models import ListVersion
from excon.screening.services import source_for

from .factories import list_entry

pytestmark = pytest.mark.django_db


def test_entries_and_failed_imports_are_for_list_readers_only() -> None:
    national = list_entry("Ivan Petrov", aliases=("I. Petrov",))
    removed = list_entry("Old Name", active=False)
    un = list_entry("Some Entity", source=SourceCode.UN)
    failure = ListVersion.objects.create(
        source=source_for(SourceCode.UN), sha256="0" * 64, status=VersionStatus.FAILED, failure_reason="bad file"
    )
    compliance = user_with_role(Role.COMPLIANCE_OFFICER)
    entry = selectors.entry_get(actor=compliance, entry_id=national.pk)
    assert [name.name for name in entry.names.all()] == ["Ivan Petrov", "I. Petrov"]
    assert selectors.entry_get(actor=compliance, entry_id=un.pk) == un
    assert selectors.national_entry_get(actor=compliance, entry_id=national.pk) == national
    with pytest.raises(NotFound):
        selectors.national_entry_get(actor=compliance, entry_id=un.pk)
    assert list(selectors.national_entry_list(actor=compliance)) == [national]
    assert set(selectors.national_entry_list(actor=compliance, include_removed=True)) == {national, removed}
    assert list(selectors.national_entry_list(actor=compliance, q="petrov")) == [national]
    assert selectors.failed_imports(actor=compliance) == [failure]
    assert selectors.known_entry_ids(actor=compliance, entry_ids=[national.pk, "nonsense"]) == {national.pk}
    for outsider in (user_with_role(Role.EXPORTER_ADMIN), user_with_role(Role.ANALYST)):
        with pytest.raises(NotFound):
            selectors.entry_get(actor=outsider, entry_id=national.pk)
        assert not selectors.national_entry_list(actor=outsider).exists()
        assert selectors.failed_imports(actor=outsider) == []
        assert selectors.known_entry_ids(actor=outsider, entry_ids=[national.pk]) == set()
