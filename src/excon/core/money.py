"""Money is a Decimal amount with an ISO 4217 currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import pycountry

from .errors import ValidationError

MONEY_MAX_DIGITS = 18
MONEY_DECIMAL_PLACES = 2


def validate_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(f"unknown currency code {code!r}", code="money.unknown_currency")
    return code


def format_money(amount: object, currency: str = "") -> str:
    """An amount as pages and documents show it: thousands separators, two decimals, then the currency
    ("540,000.00 EUR"); an empty amount is ""."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    text = f"{value:,.2f}"
    return f"{text} {currency}" if currency else text


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        try:
            value = Decimal(str(amount))
        except InvalidOperation as exc:
            raise ValidationError(f"{amount!r} is not an amount", code="money.invalid_amount") from exc
        if not value.is_finite():
            raise ValidationError(f"{amount!r} is not an amount", code="money.invalid_amount")
        quantum = Decimal(1).scaleb(-MONEY_DECIMAL_PLACES)
        return cls(value.quantize(quantum, rounding=ROUND_HALF_EVEN), validate_currency(currency))

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValidationError("cannot add amounts in different currencies", code="money.currency_mismatch")
        return Money(self.amount + other.amount, self.currency)

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)
