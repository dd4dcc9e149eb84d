"""Labelled screening sets, one per category of issue 11, built at run time from the real public lists in
../shared/data/screening (UN SC consolidated XML 2026-02-27 and OFAC SDN 2024-05-03 with alt/add, parsed by the
production importers) and from public name-variant knowledge (romanisation conventions, business abbreviations,
legal forms). Nothing here is shipped: the EU transcription and the yente persons they are mixed with are CC BY-NC.

Each case is a query and the list entry it concerns: a *positive* must hit that entry, a *negative* must not (a
sibling company, another surname, another vessel number …). Every case belongs to the tuning part or the HOLD-OUT
part by a hash of the entry's key (a quarter held out), so the rules were tuned on three quarters of the entries
and the hold-out figures are for entries the engine was never looked at against.

Sources per category (what the variation is and where it comes from):
- person_short_form: listed persons with three or more name tokens (UN, OFAC individuals) queried by given name +
  family name only (the OFAC "FAMILY, Given Middle" order gives which is which; UN FIRST_NAME … in order), with the
  listed date of birth and nationality as secondary evidence where listed.
- vessel_annotations: OFAC vessels written as in shipping papers: `M/T`, `MV` prefixes, an OFAC alias as `(ex-…)`,
  voyage numbers, flags, IMO numbers.
- company_annotations: UN/OFAC entities with a branch or representative-office suffix, a `c/o` clause naming
  another listed entity, an appended street address or port.
- abbreviations: UN/OFAC entities with their common words abbreviated as in business registers (Intl., Mfg.,
  Ind., Co., Ltd., Corp., Bros., Elec., Chem., Mach. …), legal forms swapped between languages (LLC / OOO / ООО /
  Limited Liability Company, JSC / AO, GmbH), and a long word split in two or two words glued.
- native_script: UN entries whose NAME_ORIGINAL_SCRIPT (Arabic, Cyrillic, CJK …) is the query, against an index
  from which that original-script name was removed, so only the romanised names can be found.
- short_name_typos: two-word entity names with one letter doubled or one dropped.
- siblings (negative): an entity name with one meaningful word replaced by another listed entity's word.
- other_surname (negative): a listed person's family name replaced by a surname of a synthetic person.
- chinese_letter (negative): a name of a person or entity listed with CN/KP/TW/HK/MO whose tokens are romanised
  syllables, one vowel of one syllable changed (Zhou → Zhao).
- numbered (negative): a listed vessel or entity whose name carries a number, queried with another number, in
  digits or in CJK numerals; numbered_same (positive): the same number in CJK numerals or as `No. n`.
- other_place (negative): an entity whose name is mostly common words (`Al Noor General Trading`) and whose
  listed countries are known, queried with its name and a country not among them: a same-named company elsewhere."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from excon.screening.index import IndexRecord
from excon.screening.matching import Query

HOLDOUT_SHARE = 4  # one entry in four is held out


@dataclass(frozen=True)
class Case:
    category: str
    query: Query
    entry_key: str
    positive: bool
    holdout: bool


def held_out(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % HOLDOUT_SHARE == 0


LATIN = re.compile(r"^[A-Za-z0-9 ,.'\-&/()]+$")
ABBREVIATIONS = {
    "international": "Intl.",
    "manufacturing": "Mfg.",
    "industries": "Ind.",
    "industrial": "Ind.",
    "company": "Co.",
    "limited": "Ltd.",
    "corporation": "Corp.",
    "brothers": "Bros.",
    "electric": "Elec.",
    "electronics": "Elec.",
    "chemical": "Chem.",
    "chemicals": "Chem.",
    "machinery": "Mach.",
    "engineering": "Eng.",
    "technology": "Tech.",
    "services": "Svcs.",
    "trading": "Trdg.",
    "shipping": "Shpg.",
    "development": "Dev.",
    "national": "Natl.",
    "association": "Assn.",
    "commercial": "Com.",
    "group": "Grp.",
    "general": "Gen.",
}
LEGAL_SWAPS = [
    ("limited liability company", "OOO"),
    ("llc", "ООО"),
    ("ooo", "Limited Liability Company"),
    ("joint stock company", "AO"),
    ("jsc", "Joint-Stock Company"),
    ("gmbh", "Gesellschaft mit beschränkter Haftung"),
    ("co ltd", "Company Limited"),
    ("s a", "Sociedad Anónima"),
]
COMMON_WORDS = {
    "trading",
    "general",
    "company",
    "co",
    "international",
    "group",
    "industries",
    "industrial",
    "services",
    "shipping",
    "marine",
    "petroleum",
    "oil",
    "gas",
    "energy",
    "bank",
    "investment",
    "holding",
    "development",
    "engineering",
    "technology",
    "construction",
    "commercial",
    "import",
    "export",
    "al",
    "el",
    "new",
    "star",
    "global",
    "national",
    "of",
    "the",
    "and",
    "ltd",
    "llc",
    "limited",
    "corporation",
    "corp",
    "inc",
    "sa",
}
CHINA_AREA = {"CN", "KP", "TW", "HK", "MO"}
OTHER_COUNTRIES = ["DE", "BR", "CA", "JP", "ZA", "AR", "NO", "AU", "MX", "IN"]
CJK_DIGITS = "〇一二三四五六七八九"


def cjk_numeral(number: int) -> str:
    if number < 10:
        return CJK_DIGITS[number]
    tens, units = divmod(number, 10)
    if number < 100:
        return ("" if tens == 1 else CJK_DIGITS[tens]) + "十" + (CJK_DIGITS[units] if units else "")
    return "".join(CJK_DIGITS[int(d)] for d in str(number))


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", name) if t]


def _given_family(name: str) -> tuple[str, str] | None:
    if "," in name:
        family, _, given = name.partition(",")
        given_tokens = _tokens(given)
        family_tokens = _tokens(family)
        if not given_tokens or not family_tokens:
            return None
        return given_tokens[0], " ".join(family_tokens)
    tokens = _tokens(name)
    return (tokens[0], tokens[-1]) if len(tokens) >= 2 else None


def build_cases(records: list[IndexRecord], surnames: list[str], seed: int = 11) -> list[Case]:
    """Every category's cases from the UN and OFAC records (others only populate the index)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    cases: list[Case] = []
    listed = [r for r in records if r.source in ("un", "ofac")]
    organisations = [r for r in listed if r.kind == "organisation" and LATIN.match(r.primary_name)]
    persons = [r for r in listed if r.kind == "person" and LATIN.match(r.primary_name)]
    vessels = [r for r in listed if r.kind == "vessel" and LATIN.match(r.primary_name)]
    org_words = sorted({t.lower() for r in organisations for t in _tokens(r.primary_name) if len(t) >= 5})

    def add(category: str, record: IndexRecord, query: Query, positive: bool) -> None:
        cases.append(Case(category, query, record.key, positive, held_out(record.key)))

    # Persons known by a shorter form --------------------------------------------------------------------------
    for record in persons:
        tokens = _tokens(record.primary_name)
        parts = _given_family(record.primary_name)
        if len(tokens) < 3 or parts is None or len(" ".join(parts).split()) >= len(tokens):
            continue
        given, family = parts
        add(
            "person_short_form",
            record,
            Query(
                name=f"{given.title()} {family.title()}",
                kind="person",
                country=record.countries[0] if record.countries else "",
                birth_date=record.birth_dates[0] if record.birth_dates else "",
            ),
            True,
        )

    # Vessels in shipping papers ---------------------------------------------------------------------------------
    flags = ["Panama", "Togo", "Comoros", "Cameroon", "Sierra Leone", "Palau"]
    for number, record in enumerate(vessels):
        name = record.primary_name.title()
        aliases = [a for a, _ in record.names if a != record.primary_name and LATIN.match(a)]
        forms = [
            f"M/T {name} V.{number % 90 + 10:03d}",
            f"MV {name} ({'ex-' + aliases[0].title() if aliases else 'IMO ' + str(9000000 + number)})",
            f"{name} Voy. {number % 40 + 1}W, {rng.choice(flags)} flag",
            f"M/V {name}, flag: {rng.choice(flags)}",
        ]
        add("vessel_annotations", record, Query(name=forms[number % len(forms)], kind="vessel"), True)
        if aliases:  # the former name as the main name, the listed one in the annotation
            add("vessel_annotations", record, Query(name=f"{aliases[0].title()} (ex-{name})", kind="vessel"), True)

    # Companies with branches, c/o clauses, addresses ------------------------------------------------------------
    cities = ["Dubai", "Hong Kong", "Istanbul", "Moscow", "Tehran", "Singapore", "Minsk", "Shanghai"]
    for number, record in enumerate(organisations):
        name = record.primary_name
        other = organisations[(number * 7 + 3) % len(organisations)].primary_name
        city = cities[number % len(cities)]
        forms = [
            f"{name} - {city} Branch",
            f"{name}, c/o {other}",
            f"{name}, {number % 200 + 1} Sheikh Zayed Road, Floor {number % 30 + 1}, {city}",
            f"{name} (Representative Office in {city})",
            f"{name}, Port of {city}",
        ]
        add("company_annotations", record, Query(name=forms[number % len(forms)], kind="organisation"), True)

    # Abbreviations, legal forms, glued and split words ----------------------------------------------------------
    for number, record in enumerate(organisations):
        name = record.primary_name
        lowered = name.lower()
        changed = name
        for word, short in ABBREVIATIONS.items():
            changed = re.sub(rf"\b{word}\b", short, changed, flags=re.I)
        if changed != name:
            add("abbreviations", record, Query(name=changed, kind="organisation"), True)
            continue
        swapped = None
        for long_form, other_form in LEGAL_SWAPS:
            if re.search(rf"\b{long_form}\b", re.sub(r"[.,]", " ", lowered)):
                swapped = re.sub(rf"\b{long_form}\b", other_form, re.sub(r"[.,]", " ", lowered), flags=re.I)
                break
        if swapped:
            add("abbreviations", record, Query(name=swapped, kind="organisation"), True)
            continue
        tokens = _tokens(name)
        longest = max(tokens, key=len)
        if len(longest) >= 10 and number % 2 == 0:
            cut = len(longest) // 2
            split = name.replace(longest, f"{longest[:cut]} {longest[cut:]}", 1)
            add("abbreviations", record, Query(name=split, kind="organisation"), True)
        elif len(tokens) >= 3 and all(len(t) >= 4 for t in tokens[:2]):
            glued = name.replace(f"{tokens[0]} {tokens[1]}", tokens[0] + tokens[1].lower(), 1)
            if glued != name:
                add("abbreviations", record, Query(name=glued, kind="organisation"), True)

    # Native scripts: the original-script name against the romanised ones ---------------------------------------
    for record in listed:
        natives = [n for n, _ in record.names if not LATIN.match(n) and re.search(r"[^\x00-\u024f]", n)]
        if natives:
            add("native_script", record, Query(name=natives[0], kind=record.kind), True)

    # Typos in short names ----------------------------------------------------------------------------------------
    for number, record in enumerate(organisations):
        tokens = _tokens(record.primary_name)
        if len(tokens) != 2 or min(len(t) for t in tokens) < 4:
            continue
        which = number % 2
        word = tokens[which]
        at = 1 + number % (len(word) - 2)
        typo = word[:at] + word[at] + word[at:] if number % 4 < 2 else word[:at] + word[at + 1 :]
        query = " ".join(typo if i == which else t for i, t in enumerate(tokens))
        add("short_name_typos", record, Query(name=query, kind="organisation"), True)

    # False alerts to avoid -----------------------------------------------------------------------------------------
    for number, record in enumerate(organisations):
        tokens = _tokens(record.primary_name)
        meaningful = [i for i, t in enumerate(tokens) if len(t) >= 4 and t.lower() not in COMMON_WORDS]
        if len(tokens) >= 2 and meaningful:
            at = meaningful[number % len(meaningful)]
            replacement = org_words[(number * 31) % len(org_words)].upper()
            if replacement.lower() != tokens[at].lower():
                sibling = " ".join(replacement if i == at else t for i, t in enumerate(tokens))
                add("siblings", record, Query(name=sibling, kind="organisation"), False)
    for number, record in enumerate(persons):
        parts = _given_family(record.primary_name)
        if parts is None:
            continue
        given, family = parts
        surname = surnames[number % len(surnames)]
        if surname[:1].lower() == family[:1].lower():
            surname = surnames[(number + 1) % len(surnames)]
        rest = (
            record.primary_name.split(",", 1)[1]
            if "," in record.primary_name
            else " ".join(_tokens(record.primary_name)[:-1])
        )
        add("other_surname", record, Query(name=f"{rest.strip()} {surname}", kind="person"), False)
    vowel_swap = {"a": "e", "e": "a", "i": "u", "u": "i", "o": "a"}
    for record in listed:
        if not (set(record.countries) & CHINA_AREA) or not LATIN.match(record.primary_name):
            continue
        tokens = _tokens(record.primary_name)
        if len(tokens) < 2 or any(len(t) > 6 for t in tokens):
            continue
        syllable = max(range(len(tokens)), key=lambda i: len(tokens[i]))
        word = tokens[syllable]
        vowel = next((i for i, c in enumerate(word) if c.lower() in vowel_swap), None)
        if vowel is None:
            continue
        changed = word[:vowel] + vowel_swap[word[vowel].lower()] + word[vowel + 1 :]
        query = " ".join(changed if i == syllable else t for i, t in enumerate(tokens))
        add("chinese_letter", record, Query(name=query, kind=record.kind), False)
    for number, record in enumerate(r for r in listed if r.kind in ("vessel", "organisation")):
        found = re.search(r"\b(\d{1,2})\b", record.primary_name)
        if not found or not LATIN.match(record.primary_name):
            continue
        value = int(found.group(1))
        other = value + 10 if number % 2 else value + 1
        stem = (record.primary_name[: found.start()] + record.primary_name[found.end() :]).replace("NO.", "")
        stem = " ".join(stem.split())
        digits = f"{stem} No. {other}"
        cjk = f"{stem} {cjk_numeral(other)}号"
        add("numbered", record, Query(name=digits if number % 2 else cjk, kind=record.kind), False)
        add("numbered_same", record, Query(name=f"{stem} {cjk_numeral(value)}号", kind=record.kind), True)
    for number, record in enumerate(organisations):
        if not record.countries:
            continue
        common = [t for t in _tokens(record.primary_name) if t.lower() in COMMON_WORDS]
        if len(common) < 2 or len(common) == len(_tokens(record.primary_name)):
            continue
        country = next(c for c in OTHER_COUNTRIES[number % 5 :] + OTHER_COUNTRIES if c not in record.countries)
        add("other_place", record, Query(name=record.primary_name, kind="organisation", country=country), False)
    return cases


def index_records_for(records: Iterable[IndexRecord], cases: list[Case]) -> list[IndexRecord]:
    """The index the cases run against: native-script cases need their original-script name taken out."""
    native = {case.entry_key: case.query.name for case in cases if case.category == "native_script"}
    out = []
    for record in records:
        if record.key in native:
            record = replace(record, names=tuple((n, q) for n, q in record.names if n != native[record.key]))
        out.append(record)
    return out
