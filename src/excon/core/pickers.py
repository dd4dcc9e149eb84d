"""Pickers: a `<select>` of everything a field may name (countries, control-list entries, products, parties,
organisations), each option carrying the other words it may be found by (codes, former names, aliases).

The page works without JavaScript (a plain select); `static/excon/js/pickers.js` enhances every
`select[data-picker]` with GOV.UK's accessible-autocomplete, searching the label and those words. The option's
value is what the service takes (an ISO code, a control-list code, a primary key), so no form asks a person to
type a code or a UUID.

Reference lists every app's forms use are a registry: refdata registers "country" and "control_entry" in its
`ready()` (`register_picker_source`), and `PickerField(source="country")` reads them, so apps that may not import
refdata (accounts) still get the countries. Options scoped by the actor (a user's products, a case's parties) are
set by the page with `set_options`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms

_SOURCES: dict[str, Callable[[], Iterable[PickerOption]]] = {}


def register_picker_source(name: str, options: Callable[[], Iterable[PickerOption]]) -> None:
    _SOURCES[name] = options


@dataclass(frozen=True)
class PickerOption:
    value: str
    label: str
    also: tuple[str, ...] = field(default=())  # other words it is found by: codes, former names, aliases


class PickerSelect(forms.Select):
    """A select whose options carry `data-also`: the other names the autocomplete also searches, "|"-separated."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"data-picker": "", **(attrs or {})})
        self.also: dict[str, str] = {}

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        also = self.also.get(str(value))
        if also:
            option["attrs"]["data-also"] = also
        return option


class PickerField(forms.ChoiceField):
    """A choice field over PickerOptions: from a registered `source` (read afresh for every form instance), or set
    by the page (`set_options`), e.g. from a selector scoped by the actor; `blank` labels the empty choice."""

    widget = PickerSelect

    def __init__(self, *, source: str = "", blank: str = "Choose", **kwargs: Any) -> None:
        self.source = source
        self.blank = blank
        super().__init__(choices=(), **kwargs)
        self.set_options(())

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        copied = super().__deepcopy__(memo)
        if self.source:
            copied.set_options(_SOURCES[self.source]() if self.source in _SOURCES else ())
        return copied

    def set_options(self, options: Iterable[PickerOption]) -> None:
        listed: Sequence[PickerOption] = list(options)
        self.choices = [("", self.blank), *((option.value, option.label) for option in listed)]
        assert isinstance(self.widget, PickerSelect)
        self.widget.also = {option.value: "|".join(option.also) for option in listed if option.also}


def options_of(
    objects: Iterable[Any],
    *,
    label: Callable[[Any], str] = str,
    also: Callable[[Any], Iterable[str]] = lambda _: (),
) -> list[PickerOption]:
    """Picker options for model rows (organisations, parties, users): the row's id as the value."""
    return [PickerOption(str(row.pk), label(row), tuple(word for word in also(row) if word)) for row in objects]
