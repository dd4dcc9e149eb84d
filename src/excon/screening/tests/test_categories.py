"""The engine on the categories of names it must hold on (issue 11), one small case each, on names of the public
UN and OFAC lists. The measured figures per category are in docs/benchmarks.md (bench/screening_quality.py)."""

from __future__ import annotations

import pytest

from excon.screening.enums import EntryKind
from excon.screening.matching import DEFAULT_THRESHOLD, Query, match
from excon.screening.normalise import analyse, normalise_name, spellings, split_annotations

from .factories import record, small_index

ORG, VESSEL = EntryKind.ORGANISATION, EntryKind.VESSEL
ZAWAHIRI = record("Ayman Muhammad Rabi al-Zawahiri", birth_dates=("1951-06-19",), countries=("EG",))
ROSOBORON = record("Rosoboronexport", kind=ORG, countries=("RU",))
KOMID = record("Korea Mining Development Trading Corporation", kind=ORG, countries=("KP",))
MELLI = record("Bank Melli Iran", kind=ORG, countries=("IR",))
WISE = record("Wise Honest", kind=VESSEL, aliases=("Song Hwa",))
HAIZHOU = record("Hai Zhou 3", kind=VESSEL)
WANG = record("Wang Lin", countries=("CN",))
KIM = record("Kim Jong Un", countries=("KP",))
FINCANTIERI = record("Fincantieri Societa per Azioni", kind=ORG)
SEPAHAN = record("Sepahan Naft", kind=ORG)
ABDULLAH = record("Muhammad Abdullah Hassan", countries=("SA",))
INDEX = small_index(ZAWAHIRI, ROSOBORON, KOMID, MELLI, WISE, HAIZHOU, WANG, KIM, FINCANTIERI, SEPAHAN, ABDULLAH)


def best(query: Query) -> tuple[str, float, dict]:  # type: ignore[type-arg]
    hits = match(query, index=INDEX, threshold=0.3)
    return (hits[0].entry_name, hits[0].score, hits[0].explanation) if hits else ("", 0.0, {})


def hit(query: Query) -> str:
    hits = match(query, index=INDEX)
    return hits[0].entry_name if hits else ""


def test_a_person_known_by_given_and_family_name() -> None:
    name, score, explanation = best(Query(name="Ayman al-Zawahiri", birth_date="1951-06-19"))
    assert name == ZAWAHIRI.primary_name
    assert score >= DEFAULT_THRESHOLD
    assert explanation["short_form"] is True
    # Dropping the family name is not a short form: the given names alone do not reach the threshold.
    assert hit(Query(name="Ayman Muhammad")) == ""


@pytest.mark.parametrize(
    ("written", "main", "aliases"),
    [
        ("M/T WISE HONEST (ex-SONG HWA) V.023 Panama flag", "WISE HONEST", ("SONG HWA",)),
        ("MV Wise Honest fka Song Hwa", "Wise Honest", ("Song Hwa",)),
        ("OCEAN GLORY Voy. 045W", "OCEAN GLORY", ()),
        ("Acme Trading LLC - Dubai Branch, c/o Gulf Agency", "Acme Trading LLC", ()),
        ("Acme Trading LLC, 12 Sheikh Zayed Road, Dubai", "Acme Trading LLC", ()),
        (
            "KOREA MINING DEVELOPMENT TRADING CORPORATION (KOMID)",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            ("KOMID",),
        ),
        ("Zala Aero Group (Russia)", "Zala Aero Group", ()),
        ("Rosoboronexport, JSC", "Rosoboronexport, JSC", ()),
        ("PUTIN, Vladimir Vladimirovich", "PUTIN, Vladimir Vladimirovich", ()),
    ],
)
def test_annotations_are_split_into_main_name_and_aliases(written: str, main: str, aliases: tuple[str, ...]) -> None:
    assert split_annotations(written, vessel=True) == (main, aliases)


def test_annotated_names_match() -> None:
    assert hit(Query(name="M/T Song Hwa (ex-Wise Honest) V.12", kind=VESSEL)) == WISE.primary_name
    assert hit(Query(name="Korea Mining Development Trading Corp., Pyongyang Branch")) == KOMID.primary_name


def test_abbreviations_legal_forms_and_glued_words() -> None:
    assert analyse("Mfg. Intl. Bros.").strong == ("manufacturing", "international", "brothers")
    assert analyse("Sp. z o.o. Bumar").strong == ("bumar",)
    assert analyse("Siemens Gesellschaft mit beschränkter Haftung").strong == ("siemens",)
    assert hit(Query(name="Fincantieri S.p.A.")) == FINCANTIERI.primary_name
    assert hit(Query(name="Korea Mining Dev. Trdg. Corp.")) == KOMID.primary_name


def test_the_score_shown_is_the_score_used_and_names_its_measure() -> None:
    name, score, explanation = best(Query(name="Rosoboron Export"))
    assert name == ROSOBORON.primary_name
    assert explanation["measure"] == "compact_ratio"
    assert explanation["compact_ratio"] == 1.0
    assert score == explanation["name_similarity"] == 0.98  # 1.00 without spaces × 0.98, nothing else mixed in


def test_native_scripts_against_romanised_names() -> None:
    assert spellings("김정은")[1:3] == ("kim jong un", "kim chong un")
    assert normalise_name(spellings("မြန်မာ")[-1]) == "myanmar"
    assert hit(Query(name="김정은")) == KIM.primary_name
    name, _, explanation = best(Query(name="محمد عبدالله حسن"))
    assert name == ABDULLAH.primary_name
    assert explanation["measure"] == "consonant_skeleton"


def test_typos_in_short_names() -> None:
    assert hit(Query(name="Sepahann Naft")) == SEPAHAN.primary_name
    assert hit(Query(name="Sepahan Nft")) == SEPAHAN.primary_name


@pytest.mark.parametrize(
    "query",
    [
        Query(name="Bank Mellat Iran"),  # a sibling bank: one meaningful word differs
        Query(name="Ayman Muhammad Rabi al-Masri"),  # another family name
        Query(name="Wang Lan"),  # one changed letter in a romanised Chinese syllable
        Query(name="Hai Zhou No. 13", kind=VESSEL),  # another vessel of the series
        Query(name="海州十三号", kind=VESSEL),  # the same in CJK numerals
    ],
)
def test_false_alerts_to_avoid(query: Query) -> None:
    assert hit(query) == ""


def test_numbered_vessels_match_their_own_number_in_any_writing() -> None:
    assert hit(Query(name="HAI ZHOU No. 3", kind=VESSEL)) == HAIZHOU.primary_name
    assert hit(Query(name="海州三号", kind=VESSEL)) == HAIZHOU.primary_name
    _, _, explanation = best(Query(name="Hai Zhou 13", kind=VESSEL))
    assert [rule["rule"] for rule in explanation["name_rules"]] == ["numbers_differ"]
