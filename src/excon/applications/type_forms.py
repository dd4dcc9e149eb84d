"""Forms of the licence types: the type chosen when a draft starts, the open licence's uncapped goods line, each
type's particulars, and the authority's rules per type. They only shape input; the rules are in
licence_types.py and services/types.py."""

from __future__ import annotations

from typing import Any

from django import forms

from excon.core.forms import GovukForm
from excon.core.pickers import PickerField

from .enums import ApplicationType, TemporaryPurpose, TransferKind
from .forms import ApplicationForm, GoodsLineForm

TYPE_HINTS = {
    ApplicationType.STANDARD_INDIVIDUAL: "One destination, named parties and set quantities.",
    ApplicationType.OPEN: "Several destinations and consignees, optional caps; shipments reported in periodic returns.",
    ApplicationType.TEMPORARY: "Goods that leave for an exhibition, a trial or a repair and come back by a date.",
    ApplicationType.BROKERING: "Arranging a transfer between two other countries; nothing leaves from this state.",
    ApplicationType.TECHNOLOGY_TRANSFER: "Technical data or production rights, with the receiving side's undertakings.",
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class NewApplicationForm(ApplicationForm):
    """Starting a draft: its licence type first (fixed afterwards), then the particulars every type has."""

    application_type = forms.ChoiceField(
        label="Type of licence",
        choices=[
            (value, f"{label} — {TYPE_HINTS[ApplicationType(value)]}") for value, label in ApplicationType.choices
        ],
        initial=ApplicationType.STANDARD_INDIVIDUAL,
        required=False,
        widget=forms.RadioSelect,
    )
    field_order = ["application_type"]

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["application_type"] = fields["application_type"] or ApplicationType.STANDARD_INDIVIDUAL
        return fields


class OpenGoodsLineForm(GoodsLineForm):
    uncapped = forms.BooleanField(
        label="No cap: the quantity and value are an estimate, not a limit",
        required=False,
        help_text="An open licence's goods line may be without a cap; shipments then never exhaust it.",
    )


class OpenTermsForm(GovukForm):
    further_destinations = forms.CharField(
        label="Further destinations",
        required=False,
        help_text="ISO codes of the countries beside the destination, separated by commas, for example DE, FR.",
    )
    requested_valid_until = forms.DateField(
        label="Valid until (asked for)",
        required=False,
        widget=_date_input(),
        help_text="Empty: the longest validity the authority allows.",
    )


class TemporaryTermsForm(GovukForm):
    temporary_purpose = forms.ChoiceField(
        label="Purpose", choices=[("", "Choose"), *TemporaryPurpose.choices], required=False
    )
    return_date = forms.DateField(label="Back by", required=False, widget=_date_input())


class BrokeringTermsForm(GovukForm):
    broker_name = forms.CharField(label="Broker", max_length=300, required=False)
    broker_country = PickerField(label="Broker's country", source="country", required=False, blank="None")
    source_country = PickerField(
        label="Source country",
        source="country",
        required=False,
        blank="Choose a country",
        help_text="Where the goods leave from: never this state.",
    )


class TechnologyTermsForm(GovukForm):
    transfer_kind = forms.ChoiceField(
        label="What is transferred", choices=[("", "Choose"), *TransferKind.choices], required=False
    )
    transferred = forms.CharField(
        label="The technical data or production rights",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Attach the receiving side's undertakings as documents of kind “Receiving side's undertaking”.",
    )
    innovation_reference = forms.CharField(
        label="Innovations registry reference",
        max_length=100,
        required=False,
        help_text="If what is transferred is a registered innovation.",
    )


TERMS_FORMS: dict[str, type[GovukForm]] = {
    ApplicationType.OPEN: OpenTermsForm,
    ApplicationType.TEMPORARY: TemporaryTermsForm,
    ApplicationType.BROKERING: BrokeringTermsForm,
    ApplicationType.TECHNOLOGY_TRANSFER: TechnologyTermsForm,
}


def terms_initial(terms: Any) -> dict[str, Any]:
    """The current particulars as the form shows them."""
    if terms is None:
        return {}
    return {
        "further_destinations": ", ".join(terms.further_destinations.order_by("iso2").values_list("iso2", flat=True)),
        "requested_valid_until": terms.requested_valid_until,
        "temporary_purpose": terms.temporary_purpose,
        "return_date": terms.return_date,
        "broker_name": terms.broker_name,
        "broker_country": terms.broker_country.iso2 if terms.broker_country else "",
        "source_country": terms.source_country.iso2 if terms.source_country else "",
        "transfer_kind": terms.transfer_kind,
        "transferred": terms.transferred,
        "innovation_reference": terms.innovation_reference,
    }


class TypeRulesForm(GovukForm):
    max_validity_days = forms.IntegerField(label="Longest validity (days)", min_value=1)
    return_period_months = forms.IntegerField(
        label="Returns: one for every so many months",
        required=False,
        min_value=1,
        help_text="Open licences only.",
    )
    return_due_days = forms.IntegerField(label="A return is due this many days after its period", min_value=1)
    reminder_days = forms.IntegerField(label="Remind the holder this many days before", min_value=0)
