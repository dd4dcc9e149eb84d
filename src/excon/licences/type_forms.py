"""Forms of the licence types' pages: the open licence's shipment with its destination, the holder's return, the
confirmed return of temporarily exported goods. They only shape input (the rules are in services/types.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from excon.core.forms import GovukForm

from .forms import ShipmentForm


class OpenShipmentForm(ShipmentForm):
    """An open licence's shipment goes to one of its destinations."""

    destination = forms.ChoiceField(label="Destination of this shipment")
    field_order = ["shipped_on", "destination"]

    def __init__(self, *args: Any, destinations: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = list(destinations)  # type: ignore[attr-defined]


class UsageReturnForm(GovukForm):
    note = forms.CharField(
        label="Note to the authority",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The return lists the period's shipments as recorded; with none, it is a nil return.",
    )


class GoodsBackForm(GovukForm):
    returned_on = forms.DateField(label="Back on", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Note", required=False, max_length=500)
