"""Country names from other systems → ISO 3166-1 alpha-2 codes, built on pycountry (never a hand-written list of
countries), for imports whose files name destinations in English.

Resolution order, first hit wins:
1. an alpha-2 or alpha-3 code ("DE", "USA");
2. the user-assigned destinations of the reference data (`XK` Kosovo, see excon.refdata.countries), then the
   explicit alias table below (names pycountry does not know, or knows under another name, and names that
   must *not* resolve because they are not one country: "Channel Islands", "Netherlands Antilles");
3. an exact match, ignoring case, accents, punctuation and a leading "the", on pycountry's name, official name
   and common name, including "Name, Qualifier" written as "Qualifier Name" ("Korea, Republic of");
4. `pycountry.countries.search_fuzzy`, accepted only when the best candidate's own name contains the query
   (the fuzzy search also matches subdivision names: "Kosovo" would otherwise resolve to Serbia, which is a
   political statement, not a lookup).

Unknown names give None; the caller reports them. Results are cached per process."""

from __future__ import annotations

import functools
import re
import unicodedata

import pycountry

from excon.refdata.countries import user_assigned_code

# Names seen in real licensing data (the UK's among them) that steps 1, 3 and 4 miss or would get wrong.
# None means "known, and deliberately not one ISO 3166-1 country".
ALIASES: dict[str, str | None] = {
    "usa": "US",
    "us": "US",
    "u s a": "US",
    "united states": "US",
    "america": "US",
    "uae": "AE",
    "emirates": "AE",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "south korea": "KR",
    "korea south": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "korea north": "KP",
    "dprk": "KP",
    "russia": "RU",
    "russian federation": "RU",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "taiwan": "TW",
    "burma": "MM",
    "myanmar burma": "MM",
    "macedonia": "MK",
    "fyrom": "MK",
    "former yugoslav republic of macedonia": "MK",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "timor leste": "TL",
    "brunei": "BN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "republic of moldova": "MD",
    "republic of congo": "CG",
    "congo republic": "CG",
    "congo brazzaville": "CG",
    "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD",
    "drc": "CD",
    "congo kinshasa": "CD",
    "zaire": "CD",
    "republic of guinea": "GN",
    "guinea conakry": "GN",
    "palestine": "PS",
    "vatican": "VA",
    "holy see": "VA",
    "micronesia": "FM",
    "hong kong": "HK",
    "hong kong special administrative region": "HK",
    "macao": "MO",
    "macau": "MO",
    "st helena": "SH",
    "saint helena": "SH",
    "st lucia": "LC",
    "st kitts and nevis": "KN",
    "st vincent": "VC",
    "st vincent including the grenadines": "VC",
    "st vincent and the grenadines": "VC",
    "st pierre and miquelon": "PM",
    "surinam": "SR",
    "svalbard": "SJ",
    "svalbard archipelago": "SJ",
    "svelbard archipelago": "SJ",  # sic, as in the UK data
    "mayotte grand terre and pamanzi": "YT",
    "sarawak": "MY",  # a state of Malaysia, listed separately in the UK data
    "falkland islands": "FK",
    "aland islands": "AX",
    "curacao": "CW",
    "reunion": "RE",
    # The user-assigned code the EU and the UK use (excon.refdata.countries); never Serbia by fuzzy search.
    "kosovo": "XK",
    "republic of kosovo": "XK",
    # Not one ISO 3166-1 country: reported, never guessed.
    "channel islands": None,
    "netherlands antilles": None,
    "british antarctic territory": None,
    "french overseas territory": None,
    "continental shelf": None,
    "yugoslavia": None,
    "serbia and montenegro": None,
    "czechoslovakia": None,
    "ussr": None,
    "soviet union": None,
}

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(name: str) -> str:
    """Lower case, accents and punctuation removed, "the " and "St." folded: "Côte d'Ivoire" → "cote d ivoire"."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " and ")
    text = _NON_WORD.sub(" ", text).strip()
    text = re.sub(r"^the ", "", text)
    text = re.sub(r"\bsaint\b", "st", text)
    return text


@functools.cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for record in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(record, attribute, None)
            if not value:
                continue
            for form in _forms(value):
                index.setdefault(form, record.alpha_2)
    return index


def _forms(value: str) -> list[str]:
    forms = [normalise(value)]
    if "," in value:  # "Korea, Republic of" → "republic of korea"; "Bolivia, Plurinational State of" → "bolivia"
        head, _, tail = value.partition(",")
        forms += [normalise(f"{tail} {head}"), normalise(head)]
    return [form for form in forms if form]


def _fuzzy(name: str, key: str) -> str | None:
    try:
        candidates = pycountry.countries.search_fuzzy(name)
    except LookupError:
        return None
    if not candidates:
        return None
    best = candidates[0]
    own_names = " | ".join(
        normalise(getattr(best, attribute, "") or "") for attribute in ("name", "official_name", "common_name")
    )
    return str(best.alpha_2) if key and key in own_names else None


@functools.cache
def resolve_country(value: str) -> str | None:
    """The ISO alpha-2 code for a code or an English country name, or None when it does not name one country."""
    raw = (value or "").strip()
    if not raw:
        return None
    assigned = user_assigned_code(raw)
    if assigned is not None:
        return assigned
    if len(raw) == 2 and raw.isalpha():
        record = pycountry.countries.get(alpha_2=raw.upper())
        return str(record.alpha_2) if record else None
    if len(raw) == 3 and raw.isalpha() and raw.isupper():
        record = pycountry.countries.get(alpha_3=raw)
        if record:
            return str(record.alpha_2)
    key = normalise(raw)
    if key in ALIASES:
        return ALIASES[key]
    found = _name_index().get(key)
    if found:
        return found
    return _fuzzy(raw, key)
