"""The one country resolver: codes, English names and aliases as licensing files and sanctions lists write them."""

from __future__ import annotations

import pytest

from excon.refdata.countries import country_code
from excon.refdata.selectors import country_resolve
from excon.refdata.tests.factories import CountryFactory


@pytest.mark.parametrize(
    ("name", "iso2"),
    [
        ("United States of America", "US"),
        ("USA", "US"),
        ("us", "US"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("North Korea", "KP"),
        ("Korea, North", "KP"),
        ("Russia", "RU"),
        ("Iran", "IR"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Syrian Arab Republic", "SY"),
        ("Vietnam", "VN"),
        ("UAE", "AE"),
        ("Czech Republic", "CZ"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Taiwan", "TW"),
        ("Burma", "MM"),
        ("Macedonia", "MK"),
        ("Turkey", "TR"),
        ("Swaziland", "SZ"),
        ("The Netherlands", "NL"),
        ("St Vincent (including the Grenadines)", "VC"),
        ("Hong Kong Special Administrative Region", "HK"),
        ("Crimea", "UA"),
        ("DEU", "DE"),
        ("de", "DE"),
        ("Kosovo", "XK"),
        ("XK", "XK"),
    ],
)
def test_codes_names_and_aliases_resolve(name: str, iso2: str) -> None:
    assert country_code(name) == iso2


@pytest.mark.parametrize(
    "name", ["Channel Islands", "Netherlands Antilles", "Yugoslavia", "USSR", "Atlantis", "", "XX"]
)
def test_names_that_are_not_one_country_do_not_resolve(name: str) -> None:
    assert country_code(name) is None


@pytest.mark.parametrize(("name", "iso2"), [("Yugoslavia", "RS"), ("Soviet Union", "RU"), ("Russia", "RU")])
def test_a_state_that_no_longer_exists_gives_its_successor_only_when_asked(name: str, iso2: str) -> None:
    assert country_code(name, successor=True) == iso2


@pytest.mark.django_db
def test_the_country_row_comes_from_the_table_so_a_code_added_later_resolves() -> None:
    germany = CountryFactory(iso2="DE", iso3="DEU", name="Germany")
    assert country_resolve("Federal Republic of Germany") == germany
    assert country_resolve("Kosovo") is None  # XK is a code, but not (yet) a country of the table
    kosovo = CountryFactory(iso2="XK", iso3="XKX", name="Kosovo")
    assert country_resolve("Kosovo") == kosovo
    assert country_resolve("xk") == kosovo
    assert country_resolve("Atlantis") is None
