"""Form plumbing shared by every app's pages: GOV.UK Frontend classes, and a service's DomainError shown on the
form (the page-side half of the one error mapping; excon.core.api is the API side)."""

from __future__ import annotations

from typing import Any

from django import forms

from .errors import DomainError

_INPUT_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkbox": "govuk-checkboxes__input",
}
_ERROR_CLASSES = {"select": "govuk-select--error", "textarea": "govuk-textarea--error"}


class GovukForm(forms.Form):
    """Adds GOV.UK Frontend classes to every widget, and the error modifier to fields with errors."""

    widths: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget_type = self[name].widget_type
            css = _INPUT_CLASSES.get(widget_type, "govuk-input")
            if name in self.widths:
                css += f" {self.widths[name]}"
            field.widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_errors()

    def _mark_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget_type = self[name].widget_type
                extra = _ERROR_CLASSES.get(widget_type, "govuk-input--error")
                widget = self.fields[name].widget
                if extra not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {extra}".strip()

    def add_domain_error(self, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
        """Show a service's refusal on the form: on the field it names when the form has that field."""
        field = exc.details.get("field") if isinstance(exc.details, dict) else None
        if field and field_map:
            field = field_map.get(field, field)
        if field in self.fields:
            self.add_error(field, exc.message)
        else:
            self.add_error(None, exc.message)
        self._mark_errors()
