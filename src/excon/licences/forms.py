"""Forms for the licence pages.

Forms only shape input: dates, one serial number per line, one consignee per line as "name, ISO2", one field per
licence line. Every rule (who may, what the licence allows, overdrafts, validity, reasons) lives in the services,
and a DomainError they raise is put back on the form with `add_domain_error`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from excon.core.forms import GovukForm
from excon.core.pickers import PickerField

from .enums import BulkActionKind, DiscrepancyStatus, LicenceSource, LicenceStatus, ReconciliationOutcome
from .services import ShipmentLineInput

_NUMBER = {"class": "govuk-input govuk-input--width-10", "inputmode": "numeric"}


def _blank_choice(choices: Iterable[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Lists ----------------------------------------------------------------------------------------------------------


class LicenceFilterForm(GovukForm):
    q = forms.CharField(label="Search", required=False, max_length=100, help_text="Licence number or end user")
    status = forms.ChoiceField(
        label="Status", required=False, choices=_blank_choice(LicenceStatus.choices, "Any status")
    )
    destination = PickerField(label="Destination", source="country", required=False, blank="Any")
    holder = forms.CharField(label="Holder", required=False, max_length=100, help_text="Name or registration")
    control_entry = PickerField(label="Control entry", source="control_entry", required=False, blank="Any")
    source = forms.ChoiceField(
        label="Source", required=False, choices=_blank_choice(LicenceSource.choices, "Any source")
    )


class DiscrepancyFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=_blank_choice(DiscrepancyStatus.choices, "Any status")
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=_blank_choice(ReconciliationOutcome.choices, "Any outcome")
    )


class SerialTraceForm(GovukForm):
    serial = forms.CharField(label="Serial number", max_length=100)


# Licence actions ------------------------------------------------------------------------------------------------


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class IssueForm(GovukForm):
    valid_until = forms.DateField(
        label="Valid until",
        required=False,
        help_text="Leave empty for the standard validity.",
    )


class ShipmentForm(GovukForm):
    """The shipment's particulars, and for each licence line a quantity, a value and serial numbers."""

    shipped_on = forms.DateField(label="Date of export")
    declaration_number = forms.CharField(label="Customs declaration number", required=False, max_length=60)
    exit_point = forms.CharField(label="Exit point", required=False, max_length=120)
    transport = forms.CharField(label="Transport", required=False, max_length=120, help_text="e.g. road, truck plate")

    def __init__(self, *args: Any, lines: Iterable[Any] = (), **kwargs: Any) -> None:
        self.licence_lines = list(lines)
        super().__init__(*args, **kwargs)
        for line in self.licence_lines:
            number = line.line_number
            self.fields[f"quantity_{number}"] = forms.IntegerField(
                label=f"Line {number} quantity", required=False, widget=forms.NumberInput(attrs=_NUMBER)
            )
            self.fields[f"value_{number}"] = forms.DecimalField(
                label=f"Line {number} value ({line.currency})",
                required=False,
                decimal_places=2,
                max_digits=18,
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}),
            )
            self.fields[f"serials_{number}"] = forms.CharField(
                label=f"Line {number} serial numbers",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
                help_text="One per line",
            )

    def line_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "line": line,
                "quantity": self[f"quantity_{line.line_number}"],
                "value": self[f"value_{line.line_number}"],
                "serials": self[f"serials_{line.line_number}"],
            }
            for line in self.licence_lines
        ]

    def line_inputs(self) -> list[ShipmentLineInput]:
        """The lines the user filled in (a line with neither quantity nor value is not shipped)."""
        items = []
        for line in self.licence_lines:
            number = line.line_number
            quantity = self.cleaned_data.get(f"quantity_{number}")
            value = self.cleaned_data.get(f"value_{number}")
            serials = split_lines(self.cleaned_data.get(f"serials_{number}") or "")
            if quantity is None and value is None and not serials:
                continue
            items.append(ShipmentLineInput(number, quantity or 0, value if value is not None else 0, serials))
        return items


class AmendForm(GovukForm):
    valid_until = forms.DateField(label="Extend the validity to", required=False)
    end_user = forms.CharField(label="End user", required=False, max_length=300)
    consignees = forms.CharField(
        label="Consignees",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='One per line as "name, ISO country code", e.g. "Logistics Base 3, PL". Leave as it is to keep.',
    )
    reason = forms.CharField(label="Reason for the amendment", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, lines: Iterable[Any] = (), **kwargs: Any) -> None:
        self.licence_lines = [line for line in lines if line.quantity is not None]
        super().__init__(*args, **kwargs)
        for line in self.licence_lines:
            name = f"quantity_{line.line_number}"
            self.fields[name] = forms.IntegerField(
                label=f"Line {line.line_number}: reduce the quantity to",
                required=False,
                min_value=0,
                help_text=f"Now {line.quantity}, of which {line.shipped_quantity} shipped. {line.description}",
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
            )

    def clean_consignees(self) -> list[dict[str, str]]:
        consignees = []
        for number, line in enumerate(split_lines(self.cleaned_data.get("consignees") or ""), start=1):
            name, _, country = line.rpartition(",")
            if not name.strip() or not country.strip():
                raise forms.ValidationError(f'line {number}: write "name, ISO country code"')
            consignees.append({"name": name.strip(), "country": country.strip().upper()})
        return consignees

    def service_arguments(self, current_consignees: list[dict[str, str]]) -> dict[str, Any]:
        data = self.cleaned_data
        consignees = data["consignees"]
        unchanged = [(c.get("name"), c.get("country")) for c in current_consignees] == [
            (c["name"], c["country"]) for c in consignees
        ]
        return {
            "reason": data.get("reason") or "",
            "valid_until": data.get("valid_until"),
            "end_user": data.get("end_user") or None,
            "consignees": None if unchanged else consignees,
            "reduce_quantities": {
                line.line_number: data[f"quantity_{line.line_number}"]
                for line in self.licence_lines
                if data.get(f"quantity_{line.line_number}") is not None
                and data[f"quantity_{line.line_number}"] != line.quantity
            },
        }


def consignees_text(consignees: list[dict[str, str]]) -> str:
    return "\n".join(f"{item.get('name', '')}, {item.get('country', '')}" for item in consignees)


class BulkActionForm(GovukForm):
    kind = forms.ChoiceField(label="Action", choices=BulkActionKind.choices, widget=forms.RadioSelect)
    destination = PickerField(label="Destination", source="country", required=False, blank="Any")
    end_user = forms.CharField(label="End user", required=False, max_length=300, help_text="Exact name")
    product = forms.CharField(label="Product designation", required=False, max_length=100)
    control_entry = PickerField(label="Control entry", source="control_entry", required=False, blank="Any")
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    CRITERIA = ("destination", "end_user", "product", "control_entry")

    def criteria(self) -> dict[str, str]:
        return {key: self.cleaned_data[key].strip() for key in self.CRITERIA if (self.cleaned_data[key] or "").strip()}


# Customs --------------------------------------------------------------------------------------------------------


class DeclarationsImportForm(GovukForm):
    file = forms.FileField(label="CSV file of declarations")
    partial = forms.BooleanField(label="Import the good rows even if some rows have errors", required=False)

    def text(self) -> str:
        raw = self.cleaned_data["file"].read()
        try:
            return str(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("the file is not UTF-8 text") from exc


class ResolveForm(GovukForm):
    resolution = forms.CharField(label="How was it resolved?", required=False, widget=forms.Textarea(attrs={"rows": 4}))
