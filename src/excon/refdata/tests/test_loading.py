"""The loader: idempotent, fast, counts per kind, one audit entry, authority's edits kept, clean errors."""

from __future__ import annotations

import shutil
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from excon.audit.models import AuditEntry
from excon.refdata.enums import AttCategory, Regime, UnrocaCategory
from excon.refdata.loading import DATA_DIR, RefdataFileError, load_refdata
from excon.refdata.models import ArmsEmbargo, ControlListEntry, Country, DestinationGroup, HsCode

pytestmark = pytest.mark.django_db


def test_first_load_creates_everything_quickly_and_audits_once() -> None:
    started = time.perf_counter()
    report = load_refdata()
    elapsed = time.perf_counter() - started
    assert elapsed < 3, elapsed
    counts = report.as_dict()
    assert counts["countries"]["created"] == Country.objects.count() >= 249
    assert counts["control_entries"]["created"] == ControlListEntry.objects.count() > 150
    assert counts["hs_codes"]["created"] == HsCode.objects.count() == 98
    assert counts["destination_groups"]["created"] == 3
    assert counts["embargoes"]["created"] == ArmsEmbargo.objects.count() > 30
    entries = AuditEntry.objects.filter(verb="refdata.loaded")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor is None
    assert entry.actor_repr == "system:load-refdata"
    assert entry.payload["counts"]["hs_codes"]["created"] == 98


def test_second_load_changes_nothing() -> None:
    load_refdata()
    before = {
        model: set(model.objects.values_list("pk", "updated_at")) for model in (Country, ControlListEntry, HsCode)
    }
    audit_before = AuditEntry.objects.count()
    report = load_refdata()
    assert not report.changed
    for kind, counts in report.as_dict().items():
        assert counts["created"] == 0, kind
        assert counts["updated"] == 0, kind
        assert counts["unchanged"] > 0, kind
    for model, rows in before.items():
        assert set(model.objects.values_list("pk", "updated_at")) == rows
    assert AuditEntry.objects.count() == audit_before


def test_reload_restores_shipped_rows_but_keeps_the_authoritys_seeds() -> None:
    load_refdata()
    ControlListEntry.objects.filter(code="ML1").update(title="tampered")
    embargo = ArmsEmbargo.objects.get(seed_key="eu-cn-1989")
    embargo.notes = "edited by the authority"
    embargo.save()
    nato = DestinationGroup.objects.get(code="nato")
    nato.countries.remove(Country.objects.get(iso2="TR"))
    ArmsEmbargo.objects.filter(seed_key="un-ly-2011").delete()
    report = load_refdata().as_dict()
    assert report["control_entries"]["updated"] == 1
    assert ControlListEntry.objects.get(code="ML1").title == "Small arms"
    assert ArmsEmbargo.objects.get(seed_key="eu-cn-1989").notes == "edited by the authority"
    assert not nato.countries.filter(iso2="TR").exists()
    # A seed that is missing altogether is created again.
    assert report["embargoes"]["created"] == 1
    assert ArmsEmbargo.objects.filter(seed_key="un-ly-2011").exists()


def test_the_command_reports_counts(capsys: pytest.CaptureFixture[str]) -> None:
    out = StringIO()
    call_command("load_refdata", stdout=out)
    assert "countries:" in out.getvalue()
    assert "reference data loaded" in out.getvalue()
    out = StringIO()
    call_command("load_refdata", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert "0 created, 0 updated" in out.getvalue()


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("hs_codes.csv", "code,description,parent_code,level\n93x,Arms,,2\n", "is not a 2, 4 or 6-digit"),
        ("hs_codes.csv", "code,description\n93,Arms\n", "missing columns"),
        ("arms_embargoes.json", "{not json", "not valid JSON"),
        ("arms_embargoes.json", '{"embargoes": [{"seed_key": "x", "country": "ZZ", "legal_reference": "r"}]}', "ZZ"),
        (
            "control_list_national.csv",
            "code,parent_code,title,description,att_categories,unroca_categories\nPL1,,T,,zz,\n",
            "unknown categories",
        ),
    ],
)
def test_a_malformed_file_gives_a_command_error(tmp_path: Path, filename: str, content: str, message: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / filename).write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_refdata", data_dir=data, stdout=StringIO())
    with pytest.raises(RefdataFileError):
        load_refdata(data)
    # Nothing half-loaded: the load is one transaction.
    assert not Country.objects.exists()


def test_a_missing_file_gives_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="file not found"):
        call_command("load_refdata", data_dir=tmp_path, stdout=StringIO())


# The shape of the shipped data --------------------------------------------------------------------------------


def test_ml_tree_shape() -> None:
    load_refdata()
    top = ControlListEntry.objects.filter(regime=Regime.EU_MILITARY, parent__isnull=True)
    assert sorted(top.values_list("code", flat=True), key=lambda code: int(code[2:])) == [
        f"ML{number}" for number in range(1, 23)
    ]
    ml1 = ControlListEntry.objects.get(code="ML1")
    assert list(ml1.children.order_by("code").values_list("code", flat=True)) == ["ML1.a", "ML1.b", "ML1.c", "ML1.d"]
    assert "rifles" in ControlListEntry.objects.get(code="ML1.a").title.lower()
    assert "unmanned" in ControlListEntry.objects.get(code="ML10.c").title.lower()
    assert ControlListEntry.objects.get(code="ML22.b").parent.code == "ML22"  # type: ignore[union-attr]
    subs = ControlListEntry.objects.filter(regime=Regime.EU_MILITARY, parent__isnull=False)
    assert subs.count() > 80
    # Children sort after their parent and before the next category.
    ordered = list(ControlListEntry.objects.filter(regime=Regime.EU_MILITARY).values_list("code", flat=True))
    assert ordered.index("ML1.d") < ordered.index("ML2") < ordered.index("ML2.a")


def test_att_and_un_register_mappings() -> None:
    load_refdata()

    def cats(code: str) -> tuple[list[str], list[str]]:
        entry = ControlListEntry.objects.get(code=code)
        return entry.att_categories, entry.unroca_categories

    assert cats("ML6") == ([AttCategory.BATTLE_TANKS, AttCategory.ARMOURED_COMBAT_VEHICLES], ["I", "II"])
    assert cats("ML10") == ([AttCategory.COMBAT_AIRCRAFT, AttCategory.ATTACK_HELICOPTERS], ["IV", "V"])
    assert cats("ML10.c") == ([AttCategory.COMBAT_AIRCRAFT], [UnrocaCategory.IV])
    assert cats("ML9") == ([AttCategory.WARSHIPS], ["VI"])
    assert cats("ML4")[1] == ["VII"]
    assert AttCategory.MISSILES in cats("ML4")[0]
    assert cats("ML1") == ([AttCategory.SALW], [UnrocaCategory.SALW])
    assert AttCategory.LARGE_CALIBRE_ARTILLERY in cats("ML2")[0]
    assert cats("ML3")[0] == [AttCategory.AMMUNITION]
    assert ControlListEntry.objects.get(code="ML6").att_category == "a"
    assert ControlListEntry.objects.get(code="ML21").att_category == ""


def test_dual_use_and_national_entries() -> None:
    load_refdata()
    top = ControlListEntry.objects.filter(regime=Regime.DUAL_USE, parent__isnull=True)
    assert sorted(top.values_list("code", flat=True)) == [str(number) for number in range(10)]
    group = ControlListEntry.objects.get(code="5A")
    assert group.parent.code == "5"  # type: ignore[union-attr]
    assert "Telecommunications" in group.title
    assert ControlListEntry.objects.filter(regime=Regime.DUAL_USE, parent__code="9").count() == 5
    national = ControlListEntry.objects.get(code="PL5001")
    assert national.regime == Regime.NATIONAL
    assert "para-military" in national.title


def test_destination_groups_seeded_with_2025_membership() -> None:
    load_refdata()
    counts = {group.code: group.countries.count() for group in DestinationGroup.objects.all()}
    assert counts == {"eu": 27, "nato": 32, "wassenaar": 42}
    assert DestinationGroup.objects.get(code="nato").countries.filter(iso2__in=["FI", "SE"]).count() == 2
    assert not DestinationGroup.objects.get(code="eu").countries.filter(iso2="GB").exists()
