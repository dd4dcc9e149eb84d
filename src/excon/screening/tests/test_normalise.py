"""Normalisation: pure properties (hypothesis) and the spellings that matter."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from excon.screening.matching import Query, match
from excon.screening.normalise import analyse, normalise_identifier, normalise_name, transliterate

from .factories import record, small_index

NAMES = [
    "Vladimir Vladimirovich PUTIN",
    "Ayman al-Zawahiri",
    "Banco Nacional de Cuba",
    "ZALA AERO GROUP",
    "Ri Jong Chol",
    "Abdul Rahman Yasin",
    "Mariya Aleksandrovna Osetrova",
    "Saddam Hussein Al-Tikriti",
]
INDEX = small_index(*(record(name) for name in NAMES))


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_normalisation_is_idempotent(value: str) -> None:
    once = normalise_name(value)
    assert normalise_name(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.sampled_from(NAMES), st.randoms(use_true_random=False), st.sampled_from(["upper", "lower", "title", "swap"]))
@settings(max_examples=80, deadline=None)
def test_reordered_or_recased_listed_name_still_matches(name: str, rng: random.Random, case: str) -> None:
    tokens = name.replace(",", "").split()
    rng.shuffle(tokens)
    query = " ".join(tokens)
    query = getattr(query, case)() if case != "swap" else query.swapcase()
    hits = match(Query(name=query), index=INDEX)
    assert hits, query
    assert hits[0].entry_name == name, (query, hits)


def test_transliteration_and_diacritics() -> None:
    assert normalise_name("Мария Александровна Осетрова") == "mariya aleksandrovna osetrova"
    assert normalise_name("Müller-Lüdenscheidt, Jürgen") == "muller ludenscheidt jurgen"
    assert normalise_name("O'Brien") == "obrien"
    assert transliterate("习近平").split() == ["Xi", "Jin", "Ping"]
    assert normalise_name("حسين") == "hsyn"


def test_legal_forms_are_weak_tokens() -> None:
    for name, strong in [
        ("LLC ZALA AERO", ("zala", "aero")),
        ('ООО "Зала Аэро"', ("zala", "aero")),
        ("ТОВ Ромашка", ("romashka",)),
        ("Rosoboronexport JSC", ("rosoboronexport",)),
        ("Limited Liability Company Zala Aero", ("zala", "aero")),
        ("Siemens GmbH", ("siemens",)),
        ("Trading Company", ("trading", "company")),  # nothing but weak tokens: all kept
    ]:
        assert analyse(name).strong == strong, name
    assert analyse("PJSC Rostec").weak == ("pjsc",)


def test_identifiers_compare_without_separators() -> None:
    assert normalise_identifier("ab 12-345") == "AB12345"
