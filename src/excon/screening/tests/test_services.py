"""List imports (idempotence, deltas, refusal), the national list, re-screening and hit review with dismissal memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from excon.accounts.tests.factories import user_with_role
from excon.audit.models import AuditEntry
from excon.core.errors import PermissionDenied, ValidationError
from excon.core.roles import Role
from excon.screening import services
from excon.screening.enums import EntryKind, HitStatus, VersionStatus
from excon.screening.importers import ImportRefused
from excon.screening.index import current_index, forget_index
from excon.screening.matching import Query, match
from excon.screening.models import HitDismissal, ListEntry, ListVersion, ScreeningHit
from excon.screening.services import NationalEntryInput, Party

from .factories import FIXTURES, excerpt_lines, list_entry, un_excerpt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():  # type: ignore[no-untyped-def]
    forget_index()
    yield
    forget_index()


def test_reimport_is_idempotent_and_a_newer_file_records_the_delta(shared_data: Path, tmp_path: Path) -> None:
    un = shared_data / "screening/watchman/test_testdata_UN_consolidated.xml"
    first = services.list_import(actor=None, source="un", paths=[un_excerpt(un, tmp_path / "a.xml", individuals=6)])
    assert not first.unchanged
    assert first.version.total == 9
    assert first.version.added == 9
    again = services.list_import(actor=None, source="un", paths=[tmp_path / "a.xml"])
    assert again.unchanged
    assert again.version.pk == first.version.pk
    assert ListVersion.objects.count() == 1
    newer = un_excerpt(un, tmp_path / "b.xml", individuals=8)
    text = newer.read_text().replace("ERIC", "ERICK", 1)
    newer.write_text(text)
    second = services.list_import(actor=None, source="un", paths=[newer])
    version = second.version
    assert (version.added, version.changed, version.removed, version.total) == (2, 1, 0, 11)
    first.version.refresh_from_db()
    assert first.version.status == VersionStatus.SUPERSEDED
    assert AuditEntry.objects.filter(verb="screening.list_imported").count() == 2


def test_malformed_file_is_refused_and_the_version_in_force_is_untouched(shared_data: Path, tmp_path: Path) -> None:
    un = shared_data / "screening/watchman/test_testdata_UN_consolidated.xml"
    good = services.list_import(actor=None, source="un", paths=[un_excerpt(un, tmp_path / "a.xml")]).version
    entries_before = set(ListEntry.objects.values_list("pk", "content_hash", "active"))
    truncated = tmp_path / "t.xml"
    full = un_excerpt(un, tmp_path / "full.xml", individuals=10).read_bytes()
    truncated.write_bytes(full[: len(full) // 2])
    with pytest.raises(ImportRefused, match="truncated"):
        services.list_import(actor=None, source="un", paths=[truncated])
    good.refresh_from_db()
    assert good.status == VersionStatus.IN_FORCE
    assert set(ListEntry.objects.values_list("pk", "content_hash", "active")) == entries_before
    assert ListVersion.objects.filter(status=VersionStatus.FAILED).count() == 1


def test_lists_command_refuses_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<export><sanctionEntity")
    with pytest.raises(CommandError, match=r"import refused: .*version in force is unchanged"):
        call_command("lists", "import", "--source", "eu", str(bad))


def test_lists_command_imports_and_reports_status(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("lists", "import", "--source", "eu", str(FIXTURES / "eu_fsf_sample.xml"))
    call_command("lists", "import", "--source", "eu", str(FIXTURES / "eu_fsf_sample.xml"))
    call_command("lists", "status")
    out = capsys.readouterr().out
    assert "2 entries, 2 added" in out
    assert "unchanged" in out
    assert "published 2024-05-02" in out


def test_ofac_2021_to_2024_delta(shared_data: Path, tmp_path: Path) -> None:
    """A 1,500-line excerpt of each real publication: the delta counts agree with a direct comparison."""
    import csv

    base = shared_data / "screening"
    old = excerpt_lines(base / "ofac_sdn_2021-08-18.csv", tmp_path / "old.csv", count=1500)
    new = excerpt_lines(base / "ofac_sdn_2024-05-03.csv", tmp_path / "new.csv", count=1500)
    services.list_import(actor=None, source="ofac", paths=[old])
    version = services.list_import(actor=None, source="ofac", paths=[new]).version

    def rows(path: Path) -> dict[str, list[str]]:
        with open(path, encoding="latin-1", newline="") as handle:
            return {row[0]: row for row in csv.reader(handle) if row}

    before, after = rows(old), rows(new)
    assert version.added == len(after.keys() - before.keys())
    assert version.removed == len(before.keys() - after.keys())
    assert 0 < version.changed <= len(after.keys() & before.keys())
    assert ListEntry.objects.filter(active=True).count() == len(after)


def test_national_list_is_kept_by_compliance_and_senior_officers() -> None:
    officer = user_with_role(Role.COMPLIANCE_OFFICER)
    data = NationalEntryInput(name="Mykola Denied", kind=EntryKind.PERSON, countries=("UA",), programme="denial")
    entry = services.national_entry_create(actor=officer, data=data)
    assert match(Query(name="Denied Mykola"))[0].source_id == entry.external_id
    senior = user_with_role(Role.SENIOR_OFFICER)
    services.national_entry_update(
        actor=senior, entry_id=entry.pk, data=NationalEntryInput(name="Mykola Denyed", kind=EntryKind.PERSON)
    )
    assert match(Query(name="Mykola Denyed"))[0].entry_name == "Mykola Denyed"
    with pytest.raises(ValidationError):
        services.national_entry_remove(actor=officer, entry_id=entry.pk, reason=" ")
    services.national_entry_remove(actor=officer, entry_id=entry.pk, reason="notification withdrawn")
    assert match(Query(name="Mykola Denyed")) == []
    verbs = list(AuditEntry.objects.filter(verb__startswith="screening.national").values_list("verb", flat=True))
    assert len(verbs) == 3
    for role in Role:
        if role not in (Role.COMPLIANCE_OFFICER, Role.SENIOR_OFFICER):
            with pytest.raises(PermissionDenied):
                services.national_entry_create(actor=user_with_role(role), data=data)


def test_dismissal_is_remembered_until_the_party_or_the_entry_changes() -> None:
    entry = list_entry("Ivan Petrovich Sidorov", countries=("RU",), birth_dates=("1970-01-01",))
    party = Party(reference="applications.party:1", name="Ivan Sidorov", kind="person", country="RU")
    result = services.rescreen_parties([party])
    assert result.new_hits == 1
    hit = ScreeningHit.objects.get()
    assert hit.explanation["matched_name"]
    assert hit.explanation["adjustments"]
    assert services.rescreen_parties([party]).already_open == 1
    officer = user_with_role(Role.COMPLIANCE_OFFICER)
    with pytest.raises(ValidationError):
        services.hit_dismiss(actor=officer, hit_id=hit.pk, reason="")
    services.hit_dismiss(actor=officer, hit_id=hit.pk, reason="different person: passport checked")
    assert HitDismissal.objects.count() == 1
    again = services.rescreen_parties([party])
    assert (again.new_hits, again.suppressed) == (0, 1)
    # The party's details change: screened afresh.
    moved = Party(reference="applications.party:1", name="Ivan Sidorov", kind="person", country="KZ")
    assert services.rescreen_parties([moved]).new_hits == 1
    # The entry's content changes: the dismissal no longer holds.
    ListEntry.objects.filter(pk=entry.pk).update(content_hash="changed")
    forget_index()
    assert services.rescreen_parties([party]).new_hits == 1
    assert AuditEntry.objects.filter(verb="screening.hit_dismissed").count() == 1


def test_confirm_and_review_rules() -> None:
    list_entry("Zala Aero Group", kind=EntryKind.ORGANISATION)
    services.rescreen_parties([Party(reference="licences.party:9", name="ZALA AERO GROUP LLC", kind="organisation")])
    hit = ScreeningHit.objects.get()
    officer = user_with_role(Role.COMPLIANCE_OFFICER)
    services.hit_confirm(actor=officer, hit_id=hit.pk, reason="same company")
    hit.refresh_from_db()
    assert hit.status == HitStatus.CONFIRMED
    assert hit.reviewer == officer
    from excon.core.errors import Conflict

    with pytest.raises(Conflict):
        services.hit_dismiss(actor=officer, hit_id=hit.pk, reason="oops")


@pytest.mark.parametrize("role", list(Role))
def test_hit_review_permission_matrix(role: Role) -> None:
    list_entry("Zala Aero Group", kind=EntryKind.ORGANISATION)
    services.rescreen_parties([Party(reference="x:1", name="Zala Aero Group", kind="organisation")])
    hit = ScreeningHit.objects.get()
    actor = user_with_role(role)
    if role == Role.COMPLIANCE_OFFICER:
        services.hit_dismiss(actor=actor, hit_id=hit.pk, reason="not the same")
    else:
        with pytest.raises(PermissionDenied):
            services.hit_dismiss(actor=actor, hit_id=hit.pk, reason="not the same")
        with pytest.raises(PermissionDenied):
            services.hit_confirm(actor=actor, hit_id=hit.pk)


def test_index_is_cached_and_rebuilt_when_the_lists_change() -> None:
    list_entry("Someone Listed")
    first = current_index()
    assert current_index() is first
    services.national_entry_create(
        actor=user_with_role(Role.COMPLIANCE_OFFICER), data=NationalEntryInput(name="Another Person")
    )
    assert current_index() is not first
