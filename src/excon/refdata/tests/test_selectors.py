"""HS code validation and the destination embargo status."""

from __future__ import annotations

import datetime

import pytest

from excon.core.errors import ValidationError
from excon.refdata.enums import EmbargoLevel, EmbargoScope, EmbargoTarget
from excon.refdata.models import ControlListEntry, Country
from excon.refdata.selectors import destination_embargo_status, validate_hs_code
from excon.refdata.tests.factories import ArmsEmbargoFactory, load

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("9301", "9301"),
        ("930190", "930190"),
        ("9301.90", "930190"),
        ("8710 00", "871000"),
        ("930699", "930699"),
        ("890610", "890610"),
    ],
)
def test_hs_validator_accepts_known_codes_and_subheadings_of_known_headings(code: str, expected: str) -> None:
    load()
    assert validate_hs_code(code) == expected


@pytest.mark.parametrize("code", ["", "93", "9", "93011", "9301901", "93a1", "abcd", None])
def test_hs_validator_rejects_malformed_codes(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_hs_code(code)
    assert caught.value.code == "hs_code.malformed"


@pytest.mark.parametrize("code", ["8471", "847130", "0101"])
def test_hs_validator_rejects_unknown_codes(code: str) -> None:
    load()
    with pytest.raises(ValidationError) as caught:
        validate_hs_code(code)
    assert caught.value.code == "hs_code.unknown"


def _entry(code: str) -> ControlListEntry:
    return ControlListEntry.objects.get(code=code)


def test_full_embargo_from_the_seed() -> None:
    load()
    status = destination_embargo_status("KP", ["ML10.c"], on=DAY)
    assert status.level == EmbargoLevel.FULL
    assert status.fully_embargoed
    assert status.embargoed
    assert {embargo.imposed_by for embargo in status.embargoes} == {"un", "eu"}
    assert not status.government_exempt
    assert any("1718" in reference for reference in status.legal_references)


def test_no_embargo() -> None:
    load()
    status = destination_embargo_status(Country.objects.get(iso2="NO"), [_entry("ML1")], on=DAY)
    assert status.level == EmbargoLevel.NONE
    assert not status.embargoed
    assert status.embargoes == ()


def test_partial_embargo_matches_by_category_and_tree() -> None:
    load()
    country = Country.objects.get(iso2="NO")
    embargo = ArmsEmbargoFactory(country=country, scope=EmbargoScope.PARTIAL)
    embargo.control_entries.set([_entry("ML1"), _entry("ML10.c")])
    # Below an embargoed entry: covered.
    status = destination_embargo_status(country, ["ML1.a", "ML6"], on=DAY)
    assert status.level == EmbargoLevel.PARTIAL
    assert status.partially_embargoed
    assert status.matched_entries == ("ML1.a",)
    assert status.embargoes == (embargo,)
    # Above an embargoed entry: may be covered, so it matches too.
    assert destination_embargo_status(country, ["ML10"], on=DAY).matched_entries == ("ML10",)
    # Other goods: not embargoed.
    assert destination_embargo_status(country, ["ML6.a", "ML10.a"], on=DAY).level == EmbargoLevel.NONE
    # Unknown goods: a partial embargo might apply.
    assert destination_embargo_status(country, None, on=DAY).level == EmbargoLevel.PARTIAL


def test_expired_and_future_embargoes_do_not_apply() -> None:
    load()
    country = Country.objects.get(iso2="NO")
    ArmsEmbargoFactory(country=country, start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2020, 1, 1))
    ArmsEmbargoFactory(country=country, start_date=datetime.date(2030, 1, 1))
    assert destination_embargo_status(country, [], on=DAY).level == EmbargoLevel.NONE
    assert destination_embargo_status(country, [], on=datetime.date(2015, 1, 1)).level == EmbargoLevel.FULL
    # The end date is the day it was lifted: from then on it no longer applies.
    assert destination_embargo_status(country, [], on=datetime.date(2020, 1, 1)).level == EmbargoLevel.NONE
    assert destination_embargo_status(country, [], on=datetime.date(2019, 12, 31)).level == EmbargoLevel.FULL
    assert destination_embargo_status(country, [], on=datetime.date(2030, 1, 1)).level == EmbargoLevel.FULL


def test_seeded_iran_history_and_snapback() -> None:
    load()
    assert destination_embargo_status("IR", on=datetime.date(2010, 1, 1)).fully_embargoed
    un_2024 = [
        e for e in destination_embargo_status("IR", on=datetime.date(2024, 1, 1)).embargoes if e.imposed_by == "un"
    ]
    assert un_2024 == []
    un_2025 = [
        e for e in destination_embargo_status("IR", on=datetime.date(2025, 10, 1)).embargoes if e.imposed_by == "un"
    ]
    assert len(un_2025) == 1
    assert "2231" in un_2025[0].legal_reference


def test_government_exempt_when_only_non_government_embargoes_apply() -> None:
    load()
    status = destination_embargo_status("LB", on=DAY)
    assert status.fully_embargoed
    assert status.government_exempt
    assert all(embargo.applies_to == EmbargoTarget.NON_GOVERNMENT for embargo in status.embargoes)


def test_unknown_country_and_entry_codes() -> None:
    load()
    with pytest.raises(ValidationError) as caught:
        destination_embargo_status("ZZ")
    assert caught.value.code == "country.unknown"
    ArmsEmbargoFactory(country=Country.objects.get(iso2="NO"), scope=EmbargoScope.PARTIAL).control_entries.set(
        [_entry("ML1")]
    )
    with pytest.raises(ValidationError) as caught:
        destination_embargo_status("NO", ["ML99"], on=DAY)
    assert caught.value.code == "control_entry.unknown"
