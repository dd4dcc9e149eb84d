"""Form plumbing shared by every app's pages: GOV.UK Frontend classes, and a service's DomainError shown on the
form (the page-side half of the one error mapping; excon.core.api is the API side)."""

from __future__ import annotations

from typing import Any

from django import forms

from .errors import DomainError

_INPUT_CLASSES = {
    "select": "govuk-select",
    "pickerselect": "govuk-select",  # excon.core.pickers
    "textarea": "govuk-textarea",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkbox": "govuk-checkboxes__input",
}
_ERROR_CLASSES = {
    "select": "govuk-select--error",
    "pickerselect": "govuk-select--error",
    "textarea": "govuk-textarea--error",
}


# The one format of every date (and date-and-time) field, shown and accepted: the HTML date input's own value
# format. A date rendered in the locale's format (dd/mm/yyyy) would be dropped by the browser's date input, and a
# reopened form would lose its date.
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_FORMAT)


def _date_widget(field: forms.Field) -> forms.Widget | None:
    attrs = {key: value for key, value in field.widget.attrs.items() if key != "type"}
    if isinstance(field, forms.DateTimeField):
        return DateTimeInput(attrs)
    if isinstance(field, forms.DateField):
        return DateInput(attrs)
    return None


class GovukForm(forms.Form):
    """Adds GOV.UK Frontend classes to every widget, and the error modifier to fields with errors; every date
    field gets the one date input (DATE_FORMAT), whatever widget the form declared."""

    widths: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            date_widget = _date_widget(field)
            if date_widget is not None and not field.widget.is_hidden:
                field.widget = date_widget
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
