"""Forms for the regime's pages. They only shape input; the services hold every rule and their DomainErrors are
put back on the form with `add_domain_error`."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from excon.applications.enums import AdviceType, Vote
from excon.core.forms import GovukForm

from .enums import AuthorisationOutcome, EvidenceKind, PolicyTier, QuotaBasis, QuotaMode

DATE = forms.DateInput(attrs={"type": "date"})


def split_codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class AuthorisationForm(GovukForm):
    categories = forms.CharField(label="Control-list categories", help_text="separated by commas, e.g. ML6, ML4.a")
    destination_groups = forms.MultipleChoiceField(
        label="Destination groups", widget=forms.CheckboxSelectMultiple, choices=()
    )
    activity = forms.CharField(
        label="What your organisation produces or trades", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requested_until = forms.DateField(label="Validity asked for, until", required=False, widget=DATE)

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["destination_groups"])
        field.choices = [(group.code, f"{group.name} ({group.code})") for group in groups]

    def clean_categories(self) -> list[str]:
        return split_codes(self.cleaned_data["categories"])


class EvidenceForm(GovukForm):
    kind = forms.ChoiceField(label="Evidence", choices=EvidenceKind.choices)
    file = forms.FileField(label="Document (PDF or image)")
    description = forms.CharField(label="Description", required=False)


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AdviceForm(GovukForm):
    advice_type = forms.ChoiceField(label="Your department's advice", choices=AdviceType.choices)
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea(attrs={"rows": 4}))


class VoteForm(GovukForm):
    vote = forms.ChoiceField(label="Your vote", choices=Vote.choices)
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(label="Decision", choices=AuthorisationOutcome.choices)
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}))
    valid_until = forms.DateField(label="Valid until (a grant)", required=False, widget=DATE)
    conditions = forms.CharField(label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 3}))


TIER_OR_REMOVE = [("", "— remove the entry —"), *PolicyTier.choices]
RULE_CHOICES = [("", "— no change —"), ("allowed", "Allowed"), ("refused", "Refused"), ("remove", "Remove the rule")]


class PolicyChangeForm(GovukForm):
    """One change to the policy, published as a new version."""

    in_force_from = forms.DateField(label="In force from", widget=DATE)
    reason = forms.CharField(label="Reason for the change", widget=forms.Textarea(attrs={"rows": 3}))
    destination = forms.CharField(
        label="Destination", required=False, help_text='a country code ("PL") or a group ("group:nato")'
    )
    tier = forms.ChoiceField(label="Its tier", choices=TIER_OR_REMOVE, required=False)
    rule_tier = forms.ChoiceField(label="Category rule: tier", choices=[("", "—"), *PolicyTier.choices], required=False)
    rule_category = forms.CharField(label="Category rule: category", required=False, help_text="e.g. ML6")
    rule = forms.ChoiceField(label="Category rule: what may go", choices=RULE_CHOICES, required=False)
    default_tier = forms.ChoiceField(
        label="Default tier (destinations not named)",
        choices=[("", "— no change —"), *PolicyTier.choices],
        required=False,
    )
    requires_authorisation = forms.ChoiceField(
        label="Export authorisation required",
        choices=[("", "— no change —"), ("yes", "Yes"), ("no", "No")],
        required=False,
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {"in_force_from": data["in_force_from"], "reason": data["reason"]}
        if data.get("destination"):
            arguments["destinations"] = {data["destination"]: data.get("tier") or None}
        if data.get("rule_category") and data.get("rule"):
            allowed = {"allowed": True, "refused": False, "remove": None}[data["rule"]]
            arguments["category_rules"] = [
                {"tier": data.get("rule_tier"), "category": data["rule_category"], "allowed": allowed}
            ]
        if data.get("default_tier"):
            arguments["default_tier"] = data["default_tier"]
        if data.get("requires_authorisation"):
            arguments["requires_authorisation"] = data["requires_authorisation"] == "yes"
        return arguments


class QuotaForm(GovukForm):
    widths = {
        "year": "govuk-input--width-4",
        "cap_quantity": "govuk-input--width-10",
        "currency": "govuk-input--width-4",
    }

    year = forms.IntegerField(label="Year")
    destination = forms.CharField(label="Destination", help_text='a country code ("PL") or a group ("group:nato")')
    category = forms.CharField(label="Control-list category", help_text="e.g. ML6")
    cap_quantity = forms.IntegerField(label="Cap in quantity (items)", required=False)
    cap_value = forms.DecimalField(label="Cap in value", required=False, max_digits=18, decimal_places=2)
    currency = forms.CharField(label="Currency of the value cap", required=False, max_length=3)
    basis = forms.ChoiceField(label="What counts", choices=QuotaBasis.choices)
    mode = forms.ChoiceField(label="When an application would exceed it", choices=QuotaMode.choices)
    note = forms.CharField(label="Note", required=False)


class QuotaChangeForm(GovukForm):
    cap_quantity = forms.IntegerField(label="Cap in quantity (items)", required=False)
    cap_value = forms.DecimalField(label="Cap in value", required=False, max_digits=18, decimal_places=2)
    mode = forms.ChoiceField(label="When an application would exceed it", choices=QuotaMode.choices)
    active = forms.BooleanField(label="In force", required=False)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(GovukForm):
    widths = {"year": "govuk-input--width-4"}
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2200)
