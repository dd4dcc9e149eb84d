"""Destinations that ISO 3166-1 does not list but that export-control reporting needs.

ISO 3166-1 reserves the alpha-2 codes AA, QM–QZ, XA–XZ and ZZ as "user-assigned"; the European Union (Eurostat,
the COARM annual report, customs) and the United Kingdom's licensing statistics use `XK` for Kosovo, which is not in
ISO 3166-1 (pycountry therefore does not know it). Without it exports to Kosovo could be neither recorded nor
reported. Each entry names the source of its code and why it exists; the loader adds them beside pycountry's."""

from __future__ import annotations

USER_ASSIGNED_COUNTRIES: dict[str, dict[str, str]] = {
    "XK": {
        "iso3": "XKX",
        "numeric": "",  # ISO assigns no numeric code; none is invented here
        "name": "Kosovo",
        "official_name": "Kosovo",
        "source": "user-assigned code used by the European Commission (Eurostat, COARM) and the UK's licensing "
        "statistics; the name 'Kosovo' as in UN Security Council resolution 1244 (1999) usage",
        "reason": "a licensing destination that ISO 3166-1 does not list",
    },
}


def user_assigned_code(value: str) -> str | None:
    """The code of a user-assigned destination given its code (alpha-2 or alpha-3) or its name, or None."""
    key = (value or "").strip().casefold()
    for iso2, record in USER_ASSIGNED_COUNTRIES.items():
        if key in (iso2.casefold(), record["iso3"].casefold(), record["name"].casefold()):
            return iso2
    return None
