"""Forms for the organisation, user and account pages.

Forms only shape input: every rule (who may, what is valid, what is unique) lives in the services, and a
DomainError they raise is put back on the form with `add_domain_error`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings

from excon.core.forms import GovukForm
from excon.core.markings import ProtectiveMarking
from excon.core.pickers import PickerField
from excon.core.roles import DepartmentKind, OrganisationKind, Role

from .models import OrganisationStatus


def _blank_choice(choices: Iterable[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


# Organisations ------------------------------------------------------------------------------------------------


class OrganisationFilterForm(GovukForm):
    q = forms.CharField(label="Name or registration number", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", required=False, choices=_blank_choice(OrganisationKind.choices, "Any kind"))
    status = forms.ChoiceField(
        label="Status", required=False, choices=_blank_choice(OrganisationStatus.choices, "Any status")
    )


class OrganisationCreateForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of organisation", choices=OrganisationKind.choices)
    department_kind = forms.ChoiceField(
        label="Department",
        required=False,
        choices=_blank_choice(DepartmentKind.choices, "Not a government department"),
        help_text="Only for government departments.",
    )
    name = forms.CharField(label="Name", max_length=200)
    registration_number = forms.CharField(
        label="Registration number", required=False, max_length=50, help_text="Required for exporters."
    )
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    country = PickerField(label="Country", source="country", required=False, blank="Choose a country")
    email = forms.CharField(label="E-mail address", required=False, max_length=254)
    phone = forms.CharField(label="Telephone", required=False, max_length=40)

    widths = {
        "registration_number": "govuk-input--width-20",
        "phone": "govuk-input--width-20",
    }


class OrganisationEditForm(OrganisationCreateForm):
    """The editable fields; the view removes those the actor may not change (the service decides)."""

    def __init__(self, *args: Any, editable: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = set(editable)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "name" in self.fields:
            self.fields["name"].required = True


class OrganisationStatusForm(GovukForm):
    status = forms.ChoiceField(choices=OrganisationStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


# Users ------------------------------------------------------------------------------------------------------


def role_choices(roles: Iterable[str]) -> list[tuple[str, str]]:
    """Roles in the order of the Role enum, with their labels."""
    wanted = set(roles)
    return [(value, label) for value, label in Role.choices if value in wanted]


class UserFilterForm(GovukForm):
    q = forms.CharField(label="Name, username or e-mail", required=False, max_length=200)


class UserDetailsForm(GovukForm):
    first_name = forms.CharField(label="First name", required=False, max_length=150)
    last_name = forms.CharField(label="Last name", required=False, max_length=150)
    email = forms.CharField(label="E-mail address", max_length=254)
    job_title = forms.CharField(label="Job title", required=False, max_length=120)


class UserCreateForm(UserDetailsForm):
    username = forms.CharField(
        label="Username", max_length=150, help_text="Letters, digits and @ . + - _ only. Stored in lower case."
    )
    password = forms.CharField(
        label="Initial password",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; tell the user to change it after signing in.",
    )
    roles = forms.MultipleChoiceField(label="Roles", choices=(), widget=forms.CheckboxSelectMultiple, required=False)

    field_order = ["username", "first_name", "last_name", "email", "job_title", "password", "roles"]

    def __init__(self, *args: Any, assignable_roles: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(assignable_roles)  # type: ignore[attr-defined]


class UserRolesForm(GovukForm):
    roles = forms.MultipleChoiceField(label="Roles", choices=(), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, assignable_roles: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(assignable_roles)  # type: ignore[attr-defined]


class ClearanceForm(GovukForm):
    clearance = forms.ChoiceField(label="Clearance", choices=ProtectiveMarking.choices)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


# My account ---------------------------------------------------------------------------------------------------


class PasswordChangeForm(GovukForm):
    current_password = forms.CharField(
        label="Current password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password and not like your name.",
    )
    new_password_again = forms.CharField(
        label="New password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password_again") != data.get("new_password"):
            self.add_error("new_password_again", "The two new passwords are not the same.")
        return data


class ApiTokenCreateForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=100, help_text="Name it after what will use it, for example “ERP export module”."
    )
    expires_in_days = forms.IntegerField(label="Lifetime in days", help_text="")

    widths = {"expires_in_days": "govuk-input--width-4"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["expires_in_days"]
        field.initial = settings.EXCON_API_TOKEN_DEFAULT_DAYS
        field.help_text = f"Between 1 and {settings.EXCON_API_TOKEN_MAX_DAYS} days."
