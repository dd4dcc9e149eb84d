"""The audit log's filter form: it only shapes input; the selector applies the filters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from excon.core.forms import GovukForm

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(GovukForm):
    date_from = forms.DateField(label="From", required=False, widget=_DATE)
    date_to = forms.DateField(label="To", required=False, widget=_DATE)
    user = forms.CharField(label="User", required=False, max_length=150, help_text="User name or name")
    organisation = forms.ChoiceField(label="Organisation", required=False)
    case = forms.CharField(label="Case or licence", required=False, max_length=40, help_text="e.g. EXP-2026-000001")
    verb = forms.ChoiceField(label="What", required=False)
    target_type = forms.ChoiceField(label="About", required=False)

    def __init__(
        self,
        *args: Any,
        verbs: Iterable[tuple[str, str]] = (),
        target_types: Iterable[str] = (),
        organisations: Iterable[tuple[Any, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["verb"]).choices = [("", "Anything"), *verbs]
        cast(forms.ChoiceField, self.fields["target_type"]).choices = [
            ("", "Any kind of object"),
            *((value, value) for value in target_types),
        ]
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            ("", "Any organisation"),
            *((str(key), name) for key, name in organisations),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters as the selector takes them (an invalid field is left out, never guessed)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or ("" if name not in ("date_from", "date_to") else None) for name in self.fields}
