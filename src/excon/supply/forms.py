"""Forms for the supply pages. They only shape input; the services hold every rule and their DomainErrors are put
back on the form with `add_domain_error`."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from excon.core.forms import GovukForm
from excon.core.markings import ProtectiveMarking

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

    product = forms.ChoiceField(label="Product")
    year = forms.IntegerField(label="Year")
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int)
    capacity = forms.IntegerField(label="Production capacity in the quarter (units)")
    stock = forms.IntegerField(label="Stock on hand at the start of the quarter (units)")

    def __init__(self, *args: Any, products: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product_field = cast(forms.ChoiceField, self.fields["product"])
        product_field.choices = [("", "Choose a product")] + [
            (str(product.pk), f"{product.designation} – {product.name}") for product in products
        ]


class CorrectionForm(GovukForm):
    widths = {"capacity": "govuk-input--width-10", "stock": "govuk-input--width-10"}

    capacity = forms.IntegerField(label="Production capacity (units)")
    stock = forms.IntegerField(label="Stock on hand (units)")
    reason = forms.CharField(label="Reason for the correction", widget=forms.Textarea(attrs={"rows": 3}))


class SubjectFields(GovukForm):
    product = forms.CharField(label="Product id", required=False, help_text="either a product …")
    control_code = forms.CharField(label="Control-list category", required=False, help_text="… or a category, e.g. ML6")


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

    product = forms.CharField(label="Product id")
    contract_reference = forms.CharField(label="Contract reference")
    year = forms.IntegerField(label="Year")
    unit_price = forms.CharField(label="Unit price")
    currency = forms.CharField(label="Currency (ISO 4217)")
    marking = forms.ChoiceField(label="Protective marking", choices=ProtectiveMarking.choices, initial="restricted")


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class PriorityForm(SubjectFields):
    start = forms.DateField(label="From (YYYY-MM-DD)")
    end = forms.DateField(label="Until (YYYY-MM-DD)")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class RuleForm(GovukForm):
    entry_prefix = forms.CharField(label="Control-entry prefix", help_text="e.g. ML6 (applies to ML6, ML6.a, ML6.b …)")
    mode = forms.ChoiceField(label="When an application exceeds the surplus", choices=SurplusRuleMode.choices)
    note = forms.CharField(label="Note", required=False)


class EquipmentForm(GovukForm):
    item = forms.CharField(label="Item")
    designation = forms.CharField(label="Designation")
    quantity = forms.IntegerField(label="Quantity")
    condition = forms.ChoiceField(label="Condition", choices=EquipmentCondition.choices)
    location = forms.CharField(label="Location")
    origin = forms.CharField(label="Origin", help_text="manufacturer, country and years of service")
    trader_id = forms.ChoiceField(label="State trading exporter")

    def __init__(self, *args: Any, traders: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trader_field = cast(forms.ChoiceField, self.fields["trader_id"])
        trader_field.choices = [("", "Choose the exporter")] + [(str(t.pk), t.name) for t in traders]


class DashboardForm(GovukForm):
    widths = {"category": "govuk-input--width-5", "year": "govuk-input--width-4"}

    category = forms.CharField(label="Category", initial="ML6")
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)


class AvailabilityForm(GovukForm):
    quantity_available = forms.IntegerField(label="Quantity still available for export")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
