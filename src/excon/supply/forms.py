"""Forms for the supply pages. They only shape input; the services hold every rule and their DomainErrors are put
back on the form with `add_domain_error`."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from excon.core.forms import GovukForm
from excon.core.markings import ProtectiveMarking
from excon.core.pickers import PickerField, options_of
from excon.products.pickers import product_options

from .enums import EquipmentCondition, RequirementKind, RequirementPriority, SurplusRuleMode

QUARTERS = [(1, "Q1 (January–March)"), (2, "Q2 (April–June)"), (3, "Q3 (July–September)"), (4, "Q4 (October–December)")]
# Where a service names a field the form calls differently.
FIELD_MAP = {
    "control_entry": "control_code",
    "trader": "trader_id",
    "prefix": "entry_prefix",
    "product_id": "product",
}


class DeclarationForm(GovukForm):
    widths = {"year": "govuk-input--width-4", "capacity": "govuk-input--width-10", "stock": "govuk-input--width-10"}

    product = PickerField(label="Product", blank="Choose a product")
    year = forms.IntegerField(label="Year")
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int)
    capacity = forms.IntegerField(label="Production capacity in the quarter (units)")
    stock = forms.IntegerField(label="Stock on hand at the start of the quarter (units)")

    def __init__(self, *args: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField, self.fields["product"]).set_options(product_options(products))


class CorrectionForm(GovukForm):
    widths = {"capacity": "govuk-input--width-10", "stock": "govuk-input--width-10"}

    capacity = forms.IntegerField(label="Production capacity (units)")
    stock = forms.IntegerField(label="Stock on hand (units)")
    reason = forms.CharField(label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3}))


class SubjectFields(GovukForm):
    product = PickerField(label="Product", required=False, blank="None", help_text="Either a product …")
    control_code = PickerField(
        label="Control-list category",
        source="control_entry",
        required=False,
        blank="None",
        help_text="… or a category (ML6 includes ML6.a, ML6.b …)",
    )

    def __init__(self, *args: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField, self.fields["product"]).set_options(product_options(products))


class RequirementForm(SubjectFields):
    widths = {"year": "govuk-input--width-4", "quantity": "govuk-input--width-10"}

    year = forms.IntegerField(label="Year")
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int)
    quantity = forms.IntegerField(label="Quantity (units)")
    kind = forms.ChoiceField(label="Kind", choices=RequirementKind.choices)
    priority = forms.TypedChoiceField(label="Priority", choices=RequirementPriority.choices, coerce=int, initial=3)
    reference = forms.CharField(label="State order or procurement reference")
    marking = forms.ChoiceField(label="Protective marking", choices=ProtectiveMarking.choices, initial="restricted")


class DomesticPriceForm(GovukForm):
    widths = {"year": "govuk-input--width-4", "unit_price": "govuk-input--width-10", "currency": "govuk-input--width-4"}

    product = PickerField(label="Product", blank="Choose a product")
    contract_reference = forms.CharField(label="Contract reference")
    year = forms.IntegerField(label="Year")
    unit_price = forms.CharField(label="Unit price")
    currency = forms.CharField(label="Currency (ISO 4217)")
    marking = forms.ChoiceField(label="Protective marking", choices=ProtectiveMarking.choices, initial="restricted")

    def __init__(self, *args: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField, self.fields["product"]).set_options(product_options(products))


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class PriorityForm(SubjectFields):
    start = forms.DateField(label="From")
    end = forms.DateField(label="Until")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class RuleForm(GovukForm):
    entry_prefix = PickerField(
        label="Control-list entry", source="control_entry", help_text="ML6 applies to ML6, ML6.a, ML6.b …"
    )
    mode = forms.ChoiceField(label="When an application exceeds the surplus", choices=SurplusRuleMode.choices)
    note = forms.CharField(label="Note", required=False)


class EquipmentForm(GovukForm):
    item = forms.CharField(label="Item")
    designation = forms.CharField(label="Designation")
    quantity = forms.IntegerField(label="Quantity")
    condition = forms.ChoiceField(label="Condition", choices=EquipmentCondition.choices)
    location = forms.CharField(label="Location")
    origin = forms.CharField(label="Origin", help_text="manufacturer, country and years of service")
    trader_id = PickerField(label="State trading exporter", blank="Choose the exporter")

    def __init__(self, *args: Any, traders: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField, self.fields["trader_id"]).set_options(
            options_of(traders, label=lambda t: t.name, also=lambda t: (t.registration_number,))
        )


class DashboardForm(GovukForm):
    widths = {"year": "govuk-input--width-4"}

    category = PickerField(label="Category", source="control_entry", initial="ML6")
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)


class AvailabilityForm(GovukForm):
    quantity_available = forms.IntegerField(label="Quantity still available for export")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
