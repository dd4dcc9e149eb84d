"""`excon import-customs`: the thin command over declarations_import. Columns, bad rows with row/column/reason,
all-or-nothing unless --partial, idempotency on the declaration number, who may import, and the audit entry."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from excon.accounts.tests.factories import user_with_role
from excon.audit.models import AuditEntry
from excon.core.errors import PermissionDenied
from excon.core.roles import Role
from excon.licences import services
from excon.licences.models import CustomsDeclaration, Licence
from excon.licences.services.customs import COLUMNS
from excon.products.tests.factories import country

from .factories import direct_licence

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def row(number: str, licence: Licence, **overrides: str) -> str:
    values = {
        "declaration_number": number,
        "date": timezone.localdate().isoformat(),
        "exporter_registration_number": licence.holder.registration_number,
        "hs_code": "871000",
        "goods_description": "APC",
        "quantity": "1",
        "value": "100.00",
        "currency": "EUR",
        "destination_country": "PL",
        "licence_number": licence.number,
    }
    values.update(overrides)
    return ",".join(values[column] for column in COLUMNS)


@pytest.fixture
def licence() -> Licence:
    country("DE")
    return direct_licence(destination="PL", quantity=10, value="1000.00")


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "declarations.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def command(path: Path, *args: str) -> dict[str, object]:
    out = io.StringIO()
    call_command("import_customs", str(path), "--json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_command_imports_and_reconciles(licence: Licence, tmp_path: Path) -> None:
    summary = command(write(tmp_path, row("D-1", licence), row("D-2", licence, destination_country="DE")))
    assert summary["imported"] == 2
    assert summary["rejected"] == 0
    assert summary["unchanged"] == 0
    assert summary["outcomes"] == {"matched": 1, "destination_mismatch": 1}
    entry = AuditEntry.objects.get(verb="customs.declarations_imported")
    assert entry.actor is None
    assert entry.actor_repr == "system:import-customs"
    assert entry.payload["imported"] == 2


def test_human_summary(licence: Licence, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_customs", str(write(tmp_path, row("D-1", licence))), stdout=out)
    assert "1 declarations imported (matched 1)" in out.getvalue()


def test_idempotent_on_the_declaration_number(licence: Licence, tmp_path: Path) -> None:
    path = write(tmp_path, row("D-1", licence), row("D-2", licence))
    command(path)
    again = command(path)
    assert (again["imported"], again["unchanged"]) == (0, 2)
    assert CustomsDeclaration.objects.count() == 2
    # A repeated number within one file is taken once.
    summary = command(write(tmp_path, row("D-3", licence), row("D-3", licence, value="1.00")))
    assert (summary["imported"], summary["unchanged"]) == (1, 1)


BAD = [
    ({"date": "24/11/2026"}, "date", "import.bad_date"),
    ({"quantity": "-1"}, "quantity", "import.bad_quantity"),
    ({"quantity": "two"}, "quantity", "import.bad_quantity"),
    ({"value": "lots"}, "value", "import.bad_value"),
    ({"value": "-5"}, "value", "import.bad_value"),
    ({"currency": "XXQ"}, "currency", "money.unknown_currency"),
    ({"destination_country": "Poland"}, "destination_country", "country.unknown"),
    ({"hs_code": "87"}, "hs_code", "hs_code.malformed"),
    ({"declaration_number": ""}, "declaration_number", "import.required"),
    ({"exporter_registration_number": ""}, "exporter_registration_number", "import.required"),
]


@pytest.mark.parametrize(("overrides", "column", "code"), BAD)
def test_bad_row_reported_and_nothing_written(
    licence: Licence, tmp_path: Path, overrides: dict[str, str], column: str, code: str
) -> None:
    path = write(tmp_path, row("D-1", licence), row("D-2", licence, **overrides))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_customs", str(path), "--json", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue())
    assert [(e["row"], e["column"], e["code"]) for e in summary["errors"]] == [(3, column, code)]
    assert summary["imported"] == 0
    assert summary["rejected"] == 1
    assert not CustomsDeclaration.objects.exists()
    assert not AuditEntry.objects.filter(verb="customs.declarations_imported").exists()


def test_partial_imports_the_good_rows(licence: Licence, tmp_path: Path) -> None:
    path = write(tmp_path, row("D-1", licence), row("D-2", licence, date="tomorrow"), row("D-3", licence))
    summary = command(path, "--partial")
    assert (summary["imported"], summary["rejected"]) == (2, 1)
    assert set(CustomsDeclaration.objects.values_list("declaration_number", flat=True)) == {"D-1", "D-3"}


def test_missing_column_is_reported(licence: Licence, tmp_path: Path) -> None:
    header = HEADER.replace("hs_code,", "")
    path = write(tmp_path, header=header)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_customs", str(path), "--json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["errors"][0]["code"] == "import.missing_column"


def test_optional_columns_may_be_empty(licence: Licence, tmp_path: Path) -> None:
    summary = command(write(tmp_path, row("D-1", licence, goods_description="", quantity="", licence_number="")))
    assert summary["outcomes"] == {"no_licence": 1}


def test_command_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_customs", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="no user"):
        call_command("import_customs", str(write(tmp_path)), "--as-user", "ghost")


@pytest.mark.parametrize("role", [Role.CUSTOMS_OFFICER, Role.COMPLIANCE_OFFICER])
def test_customs_and_compliance_officers_may_import(licence: Licence, role: str) -> None:
    actor = user_with_role(role)
    report = services.declarations_import(actor=actor, text=HEADER + "\n" + row("D-1", licence) + "\n")
    assert report.imported == 1
    assert CustomsDeclaration.objects.get().imported_by == actor


@pytest.mark.parametrize("role", [Role.EXPORTER_ADMIN, Role.CASE_OFFICER, Role.AUDITOR, Role.ANALYST])
def test_others_may_not_import(licence: Licence, role: str, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        services.declarations_import(actor=user_with_role(role), text=HEADER + "\n" + row("D-1", licence) + "\n")
    user = user_with_role(role)
    with pytest.raises(CommandError):
        call_command("import_customs", str(write(tmp_path, row("D-1", licence))), "--as-user", user.username)
    assert not CustomsDeclaration.objects.exists()
