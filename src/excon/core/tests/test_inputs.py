"""Inputs that cannot go wrong: pickers (a select of known values, each with the other names it is found by),
one date format shown and accepted, upload refusals in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from excon.core.files import kinds_in_words
from excon.core.forms import GovukForm
from excon.core.pickers import PickerField, PickerOption, options_of
from excon.products.tests.factories import country


class _CountryForm(GovukForm):
    country = PickerField(label="Country", source="country", blank="Choose a country")
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(label="At", required=False)


@pytest.mark.django_db
def test_a_country_picker_offers_the_known_countries_with_their_other_names() -> None:
    country("EE", "Estonia")
    country("SZ", "Eswatini")
    form = _CountryForm()
    html = str(form["country"])
    assert "data-picker" in html
    assert '<option value="EE">Estonia</option>' in html.replace(' data-also="EE|EEX"', "")
    assert "swaziland" in html  # a former name the country resolver knows
    assert 'class="govuk-select"' in html


@pytest.mark.django_db
def test_a_picker_takes_only_one_of_its_values() -> None:
    country("EE", "Estonia")
    assert _CountryForm({"country": "EE", "day": "2026-10-14"}).is_valid()
    typed = _CountryForm({"country": "Es", "day": "2026-10-14"})
    assert not typed.is_valid()
    assert "valid choice" in typed.errors["country"][0]


@pytest.mark.django_db
def test_new_rows_reach_the_next_form_without_a_restart() -> None:
    assert "Latvia" not in str(_CountryForm()["country"])
    country("LV", "Latvia")
    assert "Latvia" in str(_CountryForm()["country"])


def test_options_set_by_the_page_replace_the_blank_list() -> None:
    class _Form(GovukForm):
        product = PickerField(label="Product", required=False, blank="None")

    form = _Form()
    field = form.fields["product"]
    assert isinstance(field, PickerField)
    field.set_options([PickerOption("1", "BTR-4E – Carrier", ("BTR-4",))])
    html = str(form["product"])
    assert '<option value="" selected>None</option>' in html
    assert 'data-also="BTR-4"' in html
    assert _Form().fields["product"].choices == [("", "None")]  # another form instance is untouched


def test_options_of_rows_use_their_ids() -> None:
    class _Row:
        def __init__(self, pk: int, name: str) -> None:
            self.pk, self.name = pk, name

    options = options_of([_Row(7, "Arsenal")], label=lambda row: row.name, also=lambda row: ("", "ARS"))
    assert options == [PickerOption("7", "Arsenal", ("ARS",))]


@pytest.mark.django_db
def test_every_date_field_shows_and_accepts_the_same_format() -> None:
    form = _CountryForm(initial={"day": dt.date(2026, 10, 1), "at": dt.datetime(2026, 11, 20, 10, 0)})
    assert 'type="date"' in str(form["day"])
    assert 'value="2026-10-01"' in str(form["day"])
    assert 'type="datetime-local"' in str(form["at"])
    assert 'value="2026-11-20T10:00"' in str(form["at"])
    country("EE", "Estonia")
    posted = _CountryForm({"country": "EE", "day": "2026-10-01", "at": "2026-11-20T10:00"})
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["day"] == dt.date(2026, 10, 1)


def test_accepted_kinds_of_file_in_words() -> None:
    assert kinds_in_words(["application/zip", "application/pdf", "image/png"]) == "PDF, PNG image or ZIP archive"
    assert kinds_in_words(["application/pdf"]) == "PDF"
    assert kinds_in_words([]) == "none"
