"""Pure rules about control-list codes."""

from __future__ import annotations


def entry_under(code: str, category: str) -> bool:
    """Is control entry `code` within `category`? ML1 covers ML1 and ML1.a but not ML10; a dual-use group such as
    5A covers 5A002. Case and surrounding space are ignored; an empty category covers nothing."""
    code, category = code.strip().upper(), category.strip().upper()
    if not category:
        return False
    return (
        code == category
        or code.startswith(category + ".")
        or (not category[-1].isdigit() and code.startswith(category))
    )
