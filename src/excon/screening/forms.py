"""Forms of the screening pages. They only parse what was typed: every rule (a reason to dismiss, a known country,
a threshold in range, who may act) is the services' to check, and their refusals are shown on these forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from excon.core.forms import GovukForm
from excon.core.pickers import PickerField

from .enums import EntryKind, HitStatus, IdentifierType, SourceCode
from .matching import DEFAULT_THRESHOLD
from .services import NationalEntryInput

_ANY = [("", "Any")]


class HitFilterForm(GovukForm):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "All (open first)"), *HitStatus.choices])
    source = forms.ChoiceField(label="List", required=False, choices=[*_ANY, *SourceCode.choices])
    q = forms.CharField(label="Party name", required=False, max_length=200)
    score_min = forms.FloatField(label="Score from", required=False, min_value=0.0, max_value=1.0)
    score_max = forms.FloatField(label="Score to", required=False, min_value=0.0, max_value=1.0)
    widths = {"score_min": "govuk-input--width-4", "score_max": "govuk-input--width-4", "q": "govuk-input--width-20"}


class ReviewForm(GovukForm):
    """Confirm or dismiss a hit. Whether a reason is required is the service's rule (it is, to dismiss)."""

    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this is, or is not, the listed party: what you compared (birth date, nationality, "
        "identifiers, address, the case documents).",
    )


class SearchForm(GovukForm):
    name = forms.CharField(label="Name", required=False, max_length=500)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[*_ANY, *EntryKind.choices])
    country = PickerField(label="Country", source="country", required=False, blank="Any country")
    birth_date = forms.CharField(
        label="Birth date", required=False, max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    threshold = forms.FloatField(
        label="Threshold",
        required=False,
        help_text=f"The lowest score shown, between 0 and 1 (the screening default is {DEFAULT_THRESHOLD}).",
    )
    widths = {
        "name": "govuk-input--width-30",
        "birth_date": "govuk-input--width-10",
        "threshold": "govuk-input--width-4",
    }


class BasisChoice:
    AUTHORITY = "authority"
    PARTNER = "partner"


_NOTIFICATION = re.compile(r"^Denial notification from (?P<state>[A-Z]{2})(?:, ref\. (?P<ref>.*))?$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\n]", text or "") if item.strip()]


class NationalEntryForm(GovukForm):
    """A national denial: the authority's own, or a denial notified by a partner state (Wassenaar, EU
    Common Position 2008/944/CFSP art. 4). The notifying state and its reference are kept in the programme."""

    name = forms.CharField(label="Name", required=False, max_length=500)
    kind = forms.ChoiceField(label="Kind", choices=EntryKind.choices, initial=EntryKind.ORGANISATION)
    basis = forms.ChoiceField(
        label="Basis",
        widget=forms.RadioSelect,
        choices=[
            (BasisChoice.AUTHORITY, "A denial by the authority"),
            (BasisChoice.PARTNER, "A denial notification from a partner state"),
        ],
        initial=BasisChoice.AUTHORITY,
    )
    notifying_state = forms.CharField(
        label="Notifying state", required=False, max_length=2, help_text="ISO code, for example DE."
    )
    notification_reference = forms.CharField(label="Notification reference", required=False, max_length=200)
    programme = forms.CharField(
        label="Programme or ground", required=False, max_length=300, help_text="For a denial by the authority."
    )
    aliases = forms.CharField(
        label="Other names", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One per line."
    )
    countries = forms.CharField(
        label="Countries", required=False, max_length=300, help_text="Nationality or address, ISO codes: RU, BY"
    )
    birth_dates = forms.CharField(
        label="Birth dates",
        required=False,
        max_length=200,
        help_text="For a person: YYYY or YYYY-MM-DD, commas between.",
    )
    identifiers = forms.CharField(
        label="Identifiers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line as type: value, for example 'passport: AB123456'. Types: "
        + ", ".join(IdentifierType.values),
    )
    listed_on = forms.DateField(label="Listed on", required=False, help_text="YYYY-MM-DD; today when empty.")
    remarks = forms.CharField(label="Remarks", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    widths = {
        "notifying_state": "govuk-input--width-2",
        "countries": "govuk-input--width-20",
        "birth_dates": "govuk-input--width-20",
        "listed_on": "govuk-input--width-10",
    }

    def clean_notifying_state(self) -> str:
        return (self.cleaned_data.get("notifying_state") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("basis") == BasisChoice.PARTNER and not data.get("notifying_state"):
            self.add_error("notifying_state", "Enter the state that notified the denial")
        for line in _lines(data.get("identifiers") or ""):
            if ":" not in line:
                self.add_error("identifiers", f"Write '{line}' as type: value")
                break
        return data

    def to_input(self) -> NationalEntryInput:
        data = self.cleaned_data
        if data.get("basis") == BasisChoice.PARTNER:
            programme = f"Denial notification from {data['notifying_state']}"
            if (data.get("notification_reference") or "").strip():
                programme += f", ref. {data['notification_reference'].strip()}"
        else:
            programme = (data.get("programme") or "").strip() or "Denial by the authority"
        identifiers = []
        for line in _lines(data.get("identifiers") or ""):
            kind, _, value = line.partition(":")
            identifiers.append((kind.strip().lower(), value.strip()))
        return NationalEntryInput(
            name=data.get("name") or "",
            kind=data.get("kind") or EntryKind.UNKNOWN,
            aliases=tuple(_lines(data.get("aliases") or "")),
            countries=tuple(_items(data.get("countries") or "")),
            birth_dates=tuple(_items(data.get("birth_dates") or "")),
            identifiers=tuple(identifiers),
            programme=programme,
            remarks=data.get("remarks") or "",
            listed_on=data.get("listed_on"),
        )

    @classmethod
    def initial_for(cls, entry: Any) -> dict[str, Any]:
        """The form's fields from a stored entry (names and identifiers prefetched)."""
        notification = _NOTIFICATION.match(entry.programme or "")
        return {
            "name": entry.primary_name,
            "kind": entry.kind,
            "basis": BasisChoice.PARTNER if notification else BasisChoice.AUTHORITY,
            "notifying_state": notification.group("state") if notification else "",
            "notification_reference": (notification.group("ref") or "") if notification else "",
            "programme": "" if notification else entry.programme,
            "aliases": "\n".join(name.name for name in entry.names.all() if not name.is_primary),
            "countries": ", ".join(entry.countries or []),
            "birth_dates": ", ".join(entry.birth_dates or []),
            "identifiers": "\n".join(f"{i.type}: {i.value}" for i in entry.identifiers.all()),
            "listed_on": entry.listed_on,
            "remarks": entry.remarks,
        }


class RemoveForm(GovukForm):
    reason = forms.CharField(
        label="Reason for removal", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
