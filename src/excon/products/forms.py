"""Forms for the product registry's pages.

Forms only shape input (split comma-separated lists, parse one characteristic per line); every rule — who may,
what is valid, what is unique, which control entries and countries exist — lives in the services, and a
DomainError they raise is put back on the form with `add_domain_error`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from excon.core.errors import DomainError
from excon.core.forms import GovukForm
from excon.core.markings import ProtectiveMarking
from excon.core.pickers import PickerField, options_of
from excon.refdata.enums import AttCategory, UnrocaCategory

from . import importer, services
from .enums import (
    DevelopmentBasis,
    EligibilityOutcome,
    LifecycleStage,
    ProductCondition,
    ProductStatus,
)

# Where a service names a field the form calls differently.
CLASSIFY_FIELD_MAP = {"control_entries": "control_codes"}


def _blank_choice(choices: Iterable[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


def split_list(text: str) -> list[str]:
    """Comma-separated (or line-separated) names, trimmed, empty ones dropped."""
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


def parse_characteristics(text: str) -> list[services.CharacteristicInput]:
    """One characteristic per line as `name = value unit` (the unit is optional). Raises forms.ValidationError
    naming the line that is not in that shape; the values themselves are checked by the service."""
    items: list[services.CharacteristicInput] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = importer.CHARACTERISTIC.match(line)
        if match is None:
            raise forms.ValidationError(
                f"line {number}: {line.strip()!r} is not in the form name = value unit", code="characteristic"
            )
        items.append(services.CharacteristicInput(match["name"], match["value"], match["unit"] or ""))
    return items


def characteristics_text(product: Any) -> str:
    lines = []
    for item in product.characteristics.all():
        value = format(item.value_number.normalize(), "f") if item.value_number is not None else item.value_text
        lines.append(f"{item.name} = {value} {item.unit}".rstrip())
    return "\n".join(lines)


# Lists --------------------------------------------------------------------------------------------------------


class ProductFilterForm(GovukForm):
    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Designation, name or alias")
    status = forms.ChoiceField(
        label="Status", required=False, choices=_blank_choice(ProductStatus.choices, "Any status")
    )


class GovernmentProductFilterForm(ProductFilterForm):
    q = forms.CharField(
        label="Search", required=False, max_length=200, help_text="Designation, name, description or alias"
    )
    manufacturer = PickerField(label="Manufacturer", required=False, blank="Any manufacturer")
    control_entry = PickerField(
        label="Control entry", source="control_entry", required=False, blank="Any", help_text="ML6 includes ML6.a"
    )
    needs_review = forms.BooleanField(label="Flagged for review only", required=False)

    def __init__(self, *args: Any, manufacturers: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField, self.fields["manufacturer"]).set_options(
            options_of(manufacturers, label=lambda o: o.name, also=lambda o: (o.registration_number,))
        )


class ReviewQueueFilterForm(GovernmentProductFilterForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=_blank_choice(
            [
                (ProductStatus.SUBMITTED, ProductStatus.SUBMITTED.label),
                (ProductStatus.UNDER_REVIEW, ProductStatus.UNDER_REVIEW.label),
                (ProductStatus.RETURNED, ProductStatus.RETURNED.label),
                (ProductStatus.DECIDED, "Decided, flagged for review"),
            ],
            "Any status",
        ),
    )
    waiting_days = forms.IntegerField(label="Waiting at least (days)", required=False, min_value=0, max_value=3650)

    widths = {"waiting_days": "govuk-input--width-4"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        del self.fields["needs_review"]


# Registration -------------------------------------------------------------------------------------------------


# The service's refusals of one characteristic: the form has them all in one text field.
CHARACTERISTIC_CODES = frozenset(
    {
        "product.characteristic_name_required",
        "product.characteristic_value_required",
        "product.duplicate_characteristic",
        "product.invalid_unit",
        "product.invalid_characteristic_value",
    }
)


class ProductForm(GovukForm):
    designation = forms.CharField(label="Designation", max_length=100, help_text="The model designation, e.g. BTR-4E")
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    development_basis = forms.ChoiceField(label="How it was developed", choices=DevelopmentBasis.choices)
    development_reference = forms.CharField(
        label="Contract, licence or agreement reference",
        required=False,
        max_length=200,
        help_text="Required unless the product was developed on your own initiative.",
    )
    condition = forms.ChoiceField(label="Condition", choices=ProductCondition.choices)
    origin = forms.CharField(label="Origin", required=False, max_length=200, help_text="For second-hand goods.")
    hs_code = forms.CharField(label="HS code", required=False, max_length=12, help_text="4 or 6 digits, e.g. 871000")
    domestic_unit_price = forms.CharField(
        label="Domestic unit price", required=False, max_length=30, help_text="The state-order price, e.g. 1250000.00"
    )
    domestic_price_currency = forms.CharField(
        label="Currency", required=False, max_length=3, help_text="ISO 4217 code, e.g. UAH"
    )
    marking = forms.ChoiceField(label="Protective marking", choices=ProtectiveMarking.choices)
    aliases = forms.CharField(
        label="Aliases", required=False, max_length=2000, help_text="Other names, separated by commas."
    )
    former_designations = forms.CharField(
        label="Former designations", required=False, max_length=2000, help_text="Separated by commas."
    )
    characteristics = forms.CharField(
        label="Technical characteristics",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One per line as name = value unit, for example: calibre = 30 mm",
    )

    widths = {
        "designation": "govuk-input--width-20",
        "hs_code": "govuk-input--width-10",
        "domestic_unit_price": "govuk-input--width-10",
        "domestic_price_currency": "govuk-input--width-4",
    }

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # A renamed product keeps its old designation as a former one (the service does it).
            del self.fields["former_designations"]

    def add_domain_error(self, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
        if exc.code in CHARACTERISTIC_CODES:
            self.add_error("characteristics", exc.message)
            self._mark_errors()
        else:
            super().add_domain_error(exc, field_map)

    def clean_characteristics(self) -> list[services.CharacteristicInput]:
        return parse_characteristics(self.cleaned_data.get("characteristics", ""))

    def product_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.PRODUCT_FIELDS if name in self.cleaned_data}


class DocumentUploadForm(GovukForm):
    stage = forms.ChoiceField(label="Lifecycle stage", choices=LifecycleStage.choices)
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Uploading with the title of an existing document of this stage adds a new version of it.",
    )
    file = forms.FileField(label="File", help_text="PDF, an image, or an office document.")


class ImportForm(GovukForm):
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma-separated, with a header row.")
    partial = forms.BooleanField(label="Register the good rows even if some rows have errors", required=False)

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("the file is not UTF-8 text", code="encoding") from exc


# Workflow and review --------------------------------------------------------------------------------------------


class TransitionForm(GovukForm):
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class DocumentReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept"), ("return", "Return with comments")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you return the document.",
    )


class WaiverForm(GovukForm):
    stage = forms.ChoiceField(label="Lifecycle stage", choices=LifecycleStage.choices)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class ClassificationForm(GovukForm):
    control_codes = forms.CharField(
        label="Control-list entries",
        required=False,
        max_length=500,
        help_text="Codes separated by commas, for example ML6.a, ML13.d",
    )
    not_controlled = forms.BooleanField(label="Not controlled", required=False)
    att_category = forms.ChoiceField(
        label="Arms Trade Treaty category", required=False, choices=_blank_choice(AttCategory.choices, "None")
    )
    unroca_category = forms.ChoiceField(
        label="UN Register category", required=False, choices=_blank_choice(UnrocaCategory.choices, "None")
    )
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea(attrs={"rows": 4}))

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "control_codes": split_list(data["control_codes"]),
            "not_controlled": data["not_controlled"],
            "att_category": data["att_category"],
            "unroca_category": data["unroca_category"],
            "rationale": data["rationale"],
        }


class EligibilityForm(GovukForm):
    outcome = forms.ChoiceField(label="Outcome", choices=EligibilityOutcome.choices, widget=forms.RadioSelect)
    allowed_groups = forms.MultipleChoiceField(
        label="Destination groups it may go to", required=False, widget=forms.CheckboxSelectMultiple
    )
    allowed_countries = forms.CharField(
        label="Other countries it may go to",
        required=False,
        max_length=2000,
        help_text="ISO codes separated by commas, for example PL, EE",
    )
    excluded_countries = forms.CharField(
        label="Excluded countries",
        required=False,
        max_length=2000,
        help_text="ISO codes separated by commas; these win over the groups.",
    )
    conditions = forms.CharField(
        label="Conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the product is eligible with conditions.",
    )
    valid_until = forms.DateField(
        label="Valid until",
        required=False,
        help_text="Leave empty for no end date.",
    )

    def __init__(self, *args: Any, groups: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allowed_groups"].choices = [  # type: ignore[attr-defined]
            (group.code, f"{group.name} ({group.code})") for group in groups
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "allowed_group_codes": list(data["allowed_groups"]),
            "allowed_countries": split_list(data["allowed_countries"]),
            "excluded_countries": split_list(data["excluded_countries"]),
            "conditions": data["conditions"],
            "valid_until": data["valid_until"],
        }


class EligibilityCheckForm(GovukForm):
    country = PickerField(label="Destination country", source="country", blank="Choose a country")
