"""The options of the country and control-list pickers (`excon.core.pickers`): every country of the table found
by its name, ISO codes, official name and the other names the country resolver knows (former names such as
Swaziland or Zaire, short forms such as UK), and every active control-list entry found by its code and title.
The option's value is what the services take: the ISO alpha-2 code, the control-list code."""

from __future__ import annotations

import functools

from excon.core.pickers import PickerOption

from .countries import ALIASES
from .models import ControlListEntry, Country


@functools.cache
def _other_names() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for alias, code in ALIASES.items():
        if code:
            names.setdefault(code, []).append(alias)
    return {code: tuple(aliases) for code, aliases in names.items()}


def country_options() -> list[PickerOption]:
    others = _other_names()
    return [
        PickerOption(
            iso2,
            name,
            (iso2, iso3, *([official] if official and official != name else []), *others.get(iso2, ())),
        )
        for iso2, iso3, name, official in Country.objects.order_by("name").values_list(
            "iso2", "iso3", "name", "official_name"
        )
    ]


def control_entry_options() -> list[PickerOption]:
    return [
        PickerOption(code, f"{code} {title}", (code,))
        for code, title in ControlListEntry.objects.filter(active=True)
        .order_by("sort_order", "code")
        .values_list("code", "title")
    ]
