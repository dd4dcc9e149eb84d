"""Forms for the licence-application pages.

Forms only shape input (choices, dates, comma-separated lists); every rule — who may, what is complete, which
country or product exists, what a refusal must cite — lives in the services, and a DomainError they raise is put
back on the form with `add_domain_error`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from excon.core.forms import GovukForm
from excon.core.pickers import PickerField, options_of
from excon.core.roles import DepartmentKind
from excon.products.pickers import product_options

from .enums import (
    EU_CRITERIA,
    AdviceType,
    ApplicationStatus,
    DecisionOutcome,
    DocumentKind,
    PartyKind,
    PartyRole,
    RiskLevel,
    Vote,
)

CRITERIA_CHOICES = [(str(number), f"{number}. {name}") for number, name in EU_CRITERIA.items()]
QUEUE_FLAG_CHOICES = [
    ("", "Any"),
    ("overdue", "Overdue advice"),
    ("conflicting", "Conflicting advice"),
    ("hits", "Open screening hits"),
    ("unassigned", "Unassigned"),
    ("mine", "Assigned to me"),
]
# Where a service names a field the form calls differently.
GOODS_FIELD_MAP = {"product_id": "product"}
DOCUMENT_FIELD_MAP = {"party_id": "party"}
ADVICE_FIELD_MAP = {"goods_line_number": "goods_line", "party_id": "party"}


def _choices(field: forms.Field) -> forms.ChoiceField:
    """The field as a choice field, to set its choices at run time."""
    return cast(forms.ChoiceField, field)


def _blank(choices: Iterable[tuple[Any, Any]], label: str = "Choose") -> list[tuple[Any, Any]]:
    return [("", label), *choices]


def criteria_list(values: Iterable[str]) -> list[int]:
    return [int(value) for value in values]


class ApplicationForm(GovukForm):
    destination = PickerField(
        label="Destination country",
        source="country",
        blank="Choose a country",
        help_text="Type the country's name or code.",
    )
    end_use_statement = forms.CharField(label="End-use statement", widget=forms.Textarea(attrs={"rows": 4}))
    contract_reference = forms.CharField(label="Contract reference", max_length=100, required=False)
    contract_value = forms.CharField(label="Contract value", max_length=30, required=False)
    contract_currency = forms.CharField(label="Currency", max_length=3, required=False, help_text="For example EUR.")
    widths = {"contract_currency": "govuk-input--width-4"}

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class GoodsLineForm(GovukForm):
    product = PickerField(label="Registered product", required=False, blank="None (second-hand item)")
    description = forms.CharField(
        label="Or describe a second-hand item",
        max_length=300,
        required=False,
        help_text="Only if it is not registered.",
    )
    origin = forms.CharField(label="Origin of the second-hand item", max_length=200, required=False)
    control_code = PickerField(
        label="Control-list entry of the second-hand item", source="control_entry", required=False, blank="None"
    )
    quantity = forms.CharField(label="Quantity", max_length=10)
    unit_value = forms.CharField(label="Unit value", max_length=30)
    currency = forms.CharField(label="Currency", max_length=3)
    widths = {"quantity": "govuk-input--width-5", "currency": "govuk-input--width-4"}

    def __init__(self, *args: Any, products: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField, self.fields["product"]).set_options(product_options(products))


class PartyForm(GovukForm):
    role = forms.ChoiceField(label="Role", choices=_blank(PartyRole.choices))
    name = forms.CharField(label="Name", max_length=300)
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    country = PickerField(label="Country", source="country", blank="Choose a country")
    kind = forms.ChoiceField(label="Kind", choices=_blank(PartyKind.choices))


class DocumentForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=_blank([(k, v) for k, v in DocumentKind.choices if k != DocumentKind.INFORMATION_ANSWER]),
    )
    file = forms.FileField(label="File")
    party = PickerField(label="About the party", required=False, blank="None")
    description = forms.CharField(label="Description", max_length=200, required=False)

    def __init__(self, *args: Any, parties: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PickerField, self.fields["party"]).set_options(options_of(parties, also=lambda p: (p.name,)))


class EndUserCertificateForm(GovukForm):
    number = forms.CharField(label="Certificate number", max_length=100)
    issue_date = forms.DateField(label="Issue date")
    issuing_authority = forms.CharField(label="Issuing authority", max_length=300)
    signatory = forms.CharField(label="Signatory", max_length=200)
    file = forms.FileField(label="Scanned certificate", required=False)


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(GovukForm):
    answer = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 4}))


class QuestionForm(GovukForm):
    question = forms.CharField(label="What do you need from the exporter?", widget=forms.Textarea(attrs={"rows": 4}))


class GroundsForm(GovukForm):
    grounds = forms.CharField(label="Grounds of appeal", widget=forms.Textarea(attrs={"rows": 5}))


class ResolutionForm(GovukForm):
    resolution = forms.CharField(label="How is the conflict resolved?", widget=forms.Textarea(attrs={"rows": 3}))


class ReferralForm(GovukForm):
    department = forms.ChoiceField(label="Department")
    reason = forms.CharField(
        label="Why must this department advise?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    due_working_days = forms.IntegerField(
        label="Working days to advise", min_value=1, max_value=60, initial=10, widget=forms.NumberInput
    )
    requires_countersignature = forms.BooleanField(
        label="The advice must be countersigned by the department's senior officer", required=False
    )

    def __init__(self, *args: Any, departments: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["department"]).choices = _blank([(str(d.pk), d.name) for d in departments])


class CaseNoteForm(GovukForm):
    text = forms.CharField(
        label="Internal note",
        help_text="Seen by the authority only, never by the exporter",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )


class AssignForm(GovukForm):
    officer = forms.ChoiceField(label="Case officer")

    def __init__(self, *args: Any, officers: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["officer"]).choices = _blank([(str(u.pk), str(u)) for u in officers])


class QueueFilterForm(GovukForm):
    search = forms.CharField(label="Search", required=False, help_text="Reference, exporter or party")
    status = forms.ChoiceField(label="Status", required=False, choices=_blank(ApplicationStatus.choices, "Any"))
    destination = PickerField(label="Destination", source="country", required=False, blank="Any")
    control_entry = PickerField(label="Control entry", source="control_entry", required=False, blank="Any")
    min_value = forms.DecimalField(label="Minimum value", required=False, min_value=0)
    flag = forms.ChoiceField(label="Flag", required=False, choices=QUEUE_FLAG_CHOICES)


class SavedFilterForm(GovukForm):
    name = forms.CharField(label="Save these filters as", max_length=100)


class AdviceForm(GovukForm):
    advice_type = forms.ChoiceField(label="Advice", choices=AdviceType.choices, widget=forms.RadioSelect)
    provisos = forms.CharField(label="Provisos", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    refusal_criteria = forms.MultipleChoiceField(
        label="Refusal criteria (EU Common Position 2008/944/CFSP)",
        required=False,
        choices=CRITERIA_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="A refusal cites the criteria it rests on.",
    )
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea(attrs={"rows": 5}))
    goods_line = forms.ChoiceField(label="Only for goods line", required=False)
    party = PickerField(label="Only for party", required=False, blank="The whole case")

    def __init__(self, *args: Any, lines: Iterable[Any] = (), parties: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["goods_line"]).choices = _blank(
            [(str(line.line_number), f"Line {line.line_number}") for line in lines], "The whole case"
        )
        cast(PickerField, self.fields["party"]).set_options(options_of(parties, also=lambda p: (p.name,)))


class MeetingForm(GovukForm):
    scheduled_for = forms.DateTimeField(
        label="Date and time",
    )
    quorum_minimum = forms.IntegerField(label="Quorum: members present at least", initial=3, min_value=0)
    quorum_departments = forms.MultipleChoiceField(
        label="Departments that must be present",
        required=False,
        choices=DepartmentKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    widths = {"quorum_minimum": "govuk-input--width-3"}


class MembersForm(GovukForm):
    members = forms.MultipleChoiceField(
        label="Members of this meeting", required=False, widget=forms.CheckboxSelectMultiple
    )
    present = forms.MultipleChoiceField(label="Present", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, candidates: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(user.pk), f"{user} – {user.organisation.name}") for user in candidates]
        _choices(self.fields["members"]).choices = choices
        _choices(self.fields["present"]).choices = choices


class AgendaForm(GovukForm):
    application = forms.ChoiceField(label="Case ready for the commission")

    def __init__(self, *args: Any, cases: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["application"]).choices = _blank(
            [
                (str(case.pk), f"{case.reference} – {case.destination.name if case.destination else ''}")
                for case in cases
            ]
        )


class VoteForm(GovukForm):
    vote = forms.ChoiceField(label="Your vote", choices=Vote.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(label="Decision", choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    conditions = forms.CharField(label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    refusal_criteria = forms.MultipleChoiceField(
        label="Refusal criteria", required=False, choices=CRITERIA_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    approved_lines = forms.MultipleChoiceField(
        label="Approved goods lines (partial approval)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, lines: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["approved_lines"]).choices = [
            (str(line.line_number), f"Line {line.line_number}: {line_label(line)}") for line in lines
        ]


class AppealDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision on the appeal",
        choices=[("uphold", "Uphold the refusal"), ("overturn", "Overturn the refusal (approve)")],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}))
    conditions = forms.CharField(
        label="Conditions (when overturning)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RoutingRuleForm(GovukForm):
    name = forms.CharField(label="Name", max_length=120)
    active = forms.BooleanField(label="Active", required=False, initial=True)
    priority = forms.IntegerField(label="Priority", initial=100)
    departments = forms.CharField(
        label="Departments that must advise", help_text="Comma-separated: " + ", ".join(DepartmentKind.values)
    )
    control_entry_prefixes = forms.CharField(
        label="Control-entry prefixes", required=False, help_text="Comma-separated, e.g. ML4, ML10"
    )
    destinations = forms.CharField(label="Destinations", required=False, help_text="ISO codes, comma-separated")
    destination_groups = forms.CharField(label="Destination groups", required=False, help_text="Group codes")
    min_total_value = forms.CharField(label="Minimum total value", required=False)
    party_kinds = forms.CharField(
        label="Party kinds", required=False, help_text="Comma-separated: " + ", ".join(PartyKind.values)
    )
    check_outcomes = forms.CharField(
        label="Check outcomes", required=False, help_text="check:outcome, e.g. screening:warning"
    )
    due_working_days = forms.IntegerField(label="Advice due in (working days)", initial=10)
    requires_countersignature = forms.BooleanField(label="Advice needs countersignature", required=False)
    widths = {"priority": "govuk-input--width-4", "due_working_days": "govuk-input--width-4"}

    LIST_FIELDS = (
        "departments",
        "control_entry_prefixes",
        "destinations",
        "destination_groups",
        "party_kinds",
        "check_outcomes",
    )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in self.LIST_FIELDS:
            data[name] = split_list(data.get(name) or "")
        return data

    @classmethod
    def initial_for(cls, rule: Any) -> dict[str, Any]:
        initial = {name: getattr(rule, name) for name in cls.base_fields}
        for name in cls.LIST_FIELDS:
            initial[name] = ", ".join(getattr(rule, name) or [])
        initial["min_total_value"] = "" if rule.min_total_value is None else format(rule.min_total_value, "f")
        return initial


def split_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace("\n", ",").split(",") if part.strip()]


LEVEL_CHOICES = [(str(value), label) for value, label in RiskLevel.choices]


class RiskProfileForm(GovukForm):
    country = PickerField(label="Country", source="country", blank="Choose a country")
    att_article_6_prohibition = forms.BooleanField(label="ATT art. 6 prohibits transfers", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="Source", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, name in EU_CRITERIA.items():
            self.fields[f"criterion_{number}"] = forms.ChoiceField(
                label=f"Criterion {number}: {name}", choices=LEVEL_CHOICES, initial="0"
            )
            self.fields[f"criterion_{number}"].widget.attrs["class"] = "govuk-select"

    def criterion_fields(self) -> list[Any]:
        return [self[f"criterion_{number}"] for number in EU_CRITERIA]

    def levels(self) -> dict[str, str]:
        return {str(number): self.cleaned_data[f"criterion_{number}"] for number in EU_CRITERIA}


def line_label(line: Any) -> str:
    goods = line.product.designation if line.product_id and line.product else line.description
    return f"{line.quantity} × {goods}"
