"""Country names as the lists spell them ('Korea, North', 'Iran (Islamic Republic of)', 'Russia') → ISO alpha-2."""

from __future__ import annotations

import functools
import re

import pycountry

_ALIASES = {
    "russia": "RU",
    "russian federation": "RU",
    "iran": "IR",
    "iran islamic republic of": "IR",
    "syria": "SY",
    "syrian arab republic": "SY",
    "north korea": "KP",
    "korea north": "KP",
    "democratic peoples republic of korea": "KP",
    "korea democratic peoples republic of": "KP",
    "dprk": "KP",
    "south korea": "KR",
    "korea south": "KR",
    "republic of korea": "KR",
    "korea republic of": "KR",
    "burma": "MM",
    "myanmar": "MM",
    "venezuela": "VE",
    "bolivia": "BO",
    "laos": "LA",
    "vietnam": "VN",
    "viet nam": "VN",
    "tanzania": "TZ",
    "moldova": "MD",
    "congo democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo": "CG",
    "republic of the congo": "CG",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "turkey": "TR",
    "turkiye": "TR",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "united states": "US",
    "usa": "US",
    "united states of america": "US",
    "palestinian": "PS",
    "palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "kosovo": "XK",
    "macedonia": "MK",
    "czech republic": "CZ",
    "brunei": "BN",
    "taiwan": "TW",
    "crimea": "UA",
    "region crimea": "UA",
    "netherlands antilles": "AN",
    "yugoslavia": "RS",
    "serbia and montenegro": "RS",
    "soviet union": "RU",
    "ussr": "RU",
}


def _key(value: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", "", value.lower().replace(",", " ").replace("-", " ")).split())


@functools.lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 for a code or a name; '' when it cannot be told."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 2 and value.isalpha():
        return value.upper() if pycountry.countries.get(alpha_2=value.upper()) else ""
    if len(value) == 3 and value.isalpha():
        found = pycountry.countries.get(alpha_3=value.upper())
        if found:
            return str(found.alpha_2)
    key = _key(value)
    if key in _ALIASES:
        return _ALIASES[key]
    for country in pycountry.countries:
        names = {country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")}
        if key in {_key(name) for name in names if name}:
            return str(country.alpha_2)
    try:
        return str(pycountry.countries.search_fuzzy(value)[0].alpha_2)
    except LookupError:
        return ""
