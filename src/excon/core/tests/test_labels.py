"""Plain words on pages: codes read as the labels their app registered, amounts with separators and currency."""

from __future__ import annotations

from django.template import Context, Template

from excon.core.labels import humanise, label, labels, register_labels
from excon.core.money import Money, format_money
from excon.core.roles import DepartmentKind


def test_codes_read_as_their_registered_labels() -> None:
    assert label("armed_forces", "PartyKind") == "Armed forces"
    assert labels(["defence", "foreign_affairs"], "DepartmentKind") == ", ".join(
        [DepartmentKind.DEFENCE.label, DepartmentKind.FOREIGN_AFFAIRS.label]
    )
    assert label("eligible_with_conditions") == "Eligible with conditions"
    assert label("") == ""


def test_a_code_nobody_labelled_still_reads_as_words() -> None:
    assert humanise("application.no_capacity_declared") == "No capacity declared"
    assert label("widget.frobbed_twice") == "Frobbed twice"


def test_the_first_label_of_a_code_stays_and_a_kind_has_its_own() -> None:
    register_labels({"test_code_x": "First"})
    register_labels({"test_code_x": "Second"})
    register_labels({"test_code_x": "Of its kind"}, kind="TestKind")
    assert label("test_code_x") == "First"
    assert label("test_code_x", "TestKind") == "Of its kind"


def test_amounts_have_thousands_separators_and_their_currency() -> None:
    assert format_money("540000", "EUR") == "540,000.00 EUR"
    assert format_money(None, "EUR") == ""
    assert format_money("1234.5") == "1,234.50"
    assert str(Money.of("540000", "eur")) == "540,000.00 EUR"


def test_the_filters_work_in_every_template_without_load() -> None:
    rendered = Template('{{ value|money:"EUR" }} · {{ kind|label:"PartyKind" }} · {{ kinds|labels:"DepartmentKind" }}')
    text = rendered.render(Context({"value": "540000.00", "kind": "armed_forces", "kinds": ["defence"]}))
    assert text == f"540,000.00 EUR · Armed forces · {DepartmentKind.DEFENCE.label}"
