"""Bulk product registration from CSV: all rows validated first; nothing written with errors unless partial."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from excon.accounts.tests.factories import OrganisationFactory
from excon.audit.models import AuditEntry
from excon.products.importer import import_products
from excon.products.models import Product
from excon.refdata.models import HsCode

pytestmark = pytest.mark.django_db

HEADER = (
    "designation,name,development_basis,development_reference,hs_code,domestic_unit_price,"
    "domestic_price_currency,marking,aliases,characteristics\n"
)
GOOD_1 = (
    "BTR-4E,Armoured personnel carrier,own_initiative,,871000,1250000,UAH,restricted,Bucephalus|BTR-4,"
    '"calibre=30 mm|mass=24.5 t|crew=3"\n'
)
GOOD_2 = "KrAZ-6322,Military truck,state_order,SO-2019/77,,,,,,\n"
BAD_HS = "SKIF,Anti-tank missile system,own_initiative,,12,,,,,\n"
BAD_MANY = "Oplot,,joint_development,,871000,-1,UAH,top,,calibre\n"


@pytest.fixture
def manufacturer():  # type: ignore[no-untyped-def]
    HsCode.objects.create(code="8710", description="Tanks and armoured fighting vehicles", level=4)
    HsCode.objects.create(
        code="871000", description="Tanks and armoured fighting vehicles", level=6, parent_code="8710"
    )
    return OrganisationFactory(registration_number="EXP-0001")


def test_all_good_rows_are_registered(manufacturer) -> None:  # type: ignore[no-untyped-def]
    result = import_products(HEADER + GOOD_1 + GOOD_2, manufacturer=manufacturer)
    assert result.errors == []
    assert result.created == ["BTR-4E", "KrAZ-6322"]
    product = Product.objects.get(designation="BTR-4E")
    assert product.marking == "restricted"
    assert [str(c) for c in product.characteristics.all()] == ["calibre: 30 mm", "mass: 24.5 t", "crew: 3"]
    assert sorted(product.aliases.values_list("name", flat=True)) == ["BTR-4", "Bucephalus"]
    entry = AuditEntry.objects.filter(verb="product.created").first()
    assert entry.actor_repr == "system:import-products"


def test_every_bad_row_and_column_is_reported_and_nothing_written(manufacturer) -> None:  # type: ignore[no-untyped-def]
    result = import_products(HEADER + GOOD_1 + BAD_HS + BAD_MANY, manufacturer=manufacturer)
    found = {(error.row, error.column, error.code) for error in result.errors}
    assert (3, "hs_code", "hs_code.malformed") in found
    assert (4, "name", "import.required") in found
    assert (4, "domestic_unit_price", "product.invalid_price") in found
    assert (4, "marking", "product.invalid_marking") in found
    assert (4, "characteristics", "import.bad_characteristic") in found
    assert result.rejected_rows == 2
    assert not Product.objects.exists()
    assert not AuditEntry.objects.exists()


def test_partial_writes_only_the_good_rows(manufacturer) -> None:  # type: ignore[no-untyped-def]
    result = import_products(HEADER + GOOD_1 + BAD_HS + GOOD_2, manufacturer=manufacturer, partial=True)
    assert result.created == ["BTR-4E", "KrAZ-6322"]
    assert result.rejected_rows == 1
    assert Product.objects.count() == 2


def test_duplicates_in_file_and_in_registry(manufacturer) -> None:  # type: ignore[no-untyped-def]
    import_products(HEADER + GOOD_2, manufacturer=manufacturer)
    result = import_products(HEADER + GOOD_1 + GOOD_1.replace("BTR-4E", "btr-4e") + GOOD_2, manufacturer=manufacturer)
    codes = [(error.row, error.code) for error in result.errors]
    assert codes == [(3, "import.duplicate_in_file"), (4, "product.duplicate_designation")]


def test_header_problems(manufacturer) -> None:  # type: ignore[no-untyped-def]
    result = import_products("designation,colour\nX,red\n", manufacturer=manufacturer)
    assert {(e.column, e.code) for e in result.errors} == {
        ("colour", "import.unknown_column"),
        ("name", "import.missing_column"),
        ("development_basis", "import.missing_column"),
    }
    assert import_products("", manufacturer=manufacturer).errors[0].code == "import.empty"
    ragged = import_products(
        "designation,name,development_basis\nA,B,own_initiative,extra\n", manufacturer=manufacturer
    )
    assert ragged.errors[0].code == "import.extra_cells"


def test_command_exit_status_and_json(manufacturer, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD_1 + BAD_HS, encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_products", str(bad), "--exporter", "exp-0001")
    assert "line 3, column hs_code" in capsys.readouterr().err
    assert not Product.objects.exists()
    call_command("import_products", str(bad), "--exporter", "EXP-0001", "--partial", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert (summary["rows"], summary["created"], summary["rejected"]) == (2, 1, 1)
    with pytest.raises(CommandError, match="no exporter"):
        call_command("import_products", str(bad), "--exporter", "NOPE")
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_products", str(tmp_path / "missing.csv"), "--exporter", "EXP-0001")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "Caf\xe9,x,own_initiative,,,,,,,\n").encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_products", str(latin), "--exporter", "EXP-0001")
