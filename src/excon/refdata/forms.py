"""Forms for the reference-data pages. They only shape input: the services hold every rule, and a DomainError
they raise is shown on the form with `add_domain_error`."""

from __future__ import annotations

from typing import Any

from django import forms

from excon.core.forms import GovukForm
from excon.core.pickers import PickerField

from .enums import EmbargoAuthority, EmbargoScope, EmbargoTarget
from .models import ArmsEmbargo, DestinationGroup


def split_codes(value: str) -> list[str]:
    """'ML1, ml2.a;  ML3' → ['ML1', 'ml2.a', 'ML3']: commas, semicolons, spaces and new lines separate."""
    for separator in (";", "\n", "\r", "\t", " "):
        value = value.replace(separator, ",")
    return [part.strip() for part in value.split(",") if part.strip()]


class EmbargoForm(GovukForm):
    country = PickerField(label="Country", source="country", blank="Choose a country")
    imposed_by = forms.ChoiceField(label="Imposed by", choices=EmbargoAuthority.choices)
    scope = forms.ChoiceField(label="Scope", choices=EmbargoScope.choices, initial=EmbargoScope.FULL)
    applies_to = forms.ChoiceField(label="Applies to", choices=EmbargoTarget.choices, initial=EmbargoTarget.ALL)
    control_entries = forms.CharField(
        label="Control-list entries",
        required=False,
        help_text="For a partial embargo only: codes separated by commas, for example ML1, ML2.a, ML3",
    )
    start_date = forms.DateField(label="Start date")
    end_date = forms.DateField(
        label="End date", required=False, help_text="The day it was lifted; leave empty while in force"
    )
    legal_reference = forms.CharField(
        label="Legal reference",
        max_length=300,
        help_text="For example UNSCR 1718 (2006) or Council Decision 2014/512/CFSP",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source_url = forms.CharField(label="Source (web address)", required=False, max_length=500)
    reason = forms.CharField(label="Reason for the change", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    widths = {"control_entries": "govuk-!-width-two-thirds", "legal_reference": "govuk-!-width-two-thirds"}

    def __init__(self, *args: Any, embargo: ArmsEmbargo | None = None, **kwargs: Any) -> None:
        if embargo is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "country": embargo.country.iso2,
                "imposed_by": embargo.imposed_by,
                "scope": embargo.scope,
                "applies_to": embargo.applies_to,
                "control_entries": ", ".join(entry.code for entry in embargo.control_entries.all()),
                "start_date": embargo.start_date,
                "end_date": embargo.end_date,
                "legal_reference": embargo.legal_reference,
                "notes": embargo.notes,
                "source_url": embargo.source_url,
            }
        super().__init__(*args, **kwargs)
        self.editing = embargo is not None
        country_field = self.fields["country"]
        if self.editing:
            # The country of a recorded embargo does not change: end it and record a new one instead.
            country_field.disabled = True
            self.fields["reason"].required = True
            self.fields["reason"].label = "Reason for the change"
        else:
            self.fields["reason"].label = "Reason or remarks (optional)"

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["control_entries"] = split_codes(data.get("control_entries") or "")
        data.pop("reason", None)
        if self.editing:
            data.pop("country", None)
        return data


class EmbargoEndForm(GovukForm):
    end_date = forms.DateField(label="Lifted on", help_text="From this day the embargo no longer applies")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class DestinationGroupForm(GovukForm):
    code = forms.CharField(
        label="Code", max_length=40, help_text="Lower-case letters, digits and hyphens; it cannot change later"
    )
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    countries = forms.CharField(
        label="Countries",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="ISO 3166-1 alpha-2 codes separated by commas, for example FR, DE, IT",
    )
    reason = forms.CharField(label="Reason for the change (optional)", required=False)

    widths = {"code": "govuk-!-width-one-third"}

    def __init__(self, *args: Any, group: DestinationGroup | None = None, **kwargs: Any) -> None:
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": group.code,
                "name": group.name,
                "description": group.description,
                "countries": ", ".join(sorted(country.iso2 for country in group.countries.all())),
            }
        super().__init__(*args, **kwargs)
        self.editing = group is not None
        if self.editing:
            self.fields["code"].disabled = True
        else:
            del self.fields["reason"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["countries"] = [code.upper() for code in split_codes(data.get("countries") or "")]
        if self.editing:
            data.pop("code", None)
        return data
