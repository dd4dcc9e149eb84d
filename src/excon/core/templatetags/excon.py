"""Template filters every page may use without `{% load %}` (a builtin, see settings.TEMPLATES):
`{{ code|label }}` / `{{ code|label:"department" }}`, `{{ codes|labels }}` and `{{ amount|money:currency }}`."""

from __future__ import annotations

from typing import Any

from django import template

from excon.core import labels as _labels
from excon.core.money import format_money

register = template.Library()


@register.filter
def label(code: Any, kind: str = "") -> str:
    return _labels.label(code, kind)


@register.filter
def labels(codes: Any, kind: str = "") -> str:
    return _labels.labels(codes, kind)


@register.filter
def money(amount: Any, currency: Any = "") -> str:
    return format_money(amount, str(currency or ""))
