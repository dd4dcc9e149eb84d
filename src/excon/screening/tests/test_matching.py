"""The engine on a small in-memory index: transliteration, reordering, typos, evidence, explanations."""

from __future__ import annotations

from excon.screening.enums import EntryKind
from excon.screening.matching import Query, match

from .factories import record, small_index

PUTIN = record(
    "PUTIN, Vladimir Vladimirovich",
    aliases=("Владимир Владимирович Путин",),
    countries=("RU",),
    birth_dates=("1952-10-07",),
    identifiers=(("passport", "RU 1234567"),),
)
ZALA = record("LIMITED LIABILITY COMPANY ZALA AERO", kind=EntryKind.ORGANISATION, aliases=('ООО "ЗАЛА АЭРО"',))
KIM = record("KIM Jong Un", aliases=("김정은",), countries=("KP",))
SALEK = record("ABDULHAI SALEK", birth_dates=("1965",), countries=("AF",))
WEAK = record("Ahmed Shah", weak=("Abu Bakr",))
INDEX = small_index(PUTIN, ZALA, KIM, SALEK, WEAK, record("John Smith Holdings", kind=EntryKind.ORGANISATION))


def first(query: Query) -> str:
    hits = match(query, index=INDEX)
    return hits[0].entry_name if hits else ""


def test_transliterated_and_reordered_names_match() -> None:
    assert first(Query(name="Владимир Путин")) == PUTIN.primary_name
    assert first(Query(name="Vladimir Putin")) == PUTIN.primary_name
    assert first(Query(name="Putin Vladimir")) == PUTIN.primary_name
    assert first(Query(name="SALEK, ABDULHAI")) == SALEK.primary_name
    assert first(Query(name="Zala Aero OOO", kind=EntryKind.ORGANISATION)) == ZALA.primary_name
    assert first(Query(name="Kim Jong-un")) == KIM.primary_name


def test_typos_and_spacing() -> None:
    assert first(Query(name="Abdul Hai Salek")) == SALEK.primary_name
    assert first(Query(name="Vladimir Vladimirovitch Poutin")) == PUTIN.primary_name


def test_unrelated_names_do_not_match() -> None:
    assert first(Query(name="Olaf Scholz")) == ""
    assert first(Query(name="Vladimir Petrov")) == ""


def test_kind_filter() -> None:
    assert first(Query(name="Zala Aero", kind=EntryKind.PERSON)) == ""
    assert first(Query(name="Zala Aero", kind=EntryKind.ORGANISATION)) == ZALA.primary_name


def test_evidence_moves_the_score_and_is_explained() -> None:
    plain = match(Query(name="Abdulhai Salek"), index=INDEX)[0]
    agreeing = match(Query(name="Abdulhai Salek", country="AF", birth_date="1965-01-01"), index=INDEX)[0]
    assert agreeing.score >= plain.score
    factors = {a["factor"] for a in agreeing.explanation["adjustments"]}
    assert factors == {"birth_date", "country"}
    disagreeing = match(
        Query(name="Abdulhai Salek", country="FR", birth_date="1990-01-01"), index=INDEX, threshold=0.5
    )[0]
    assert disagreeing.score < plain.score
    assert {a["value"] < 0 for a in disagreeing.explanation["adjustments"]} == {True}


def test_identifier_agreement_finds_a_differently_named_entry() -> None:
    hits = match(Query(name="V. V. Putin", identifiers=("RU1234567",)), index=INDEX)
    assert hits
    assert hits[0].entry_name == PUTIN.primary_name
    assert any(a["factor"] == "identifier" for a in hits[0].explanation["adjustments"])


def test_hit_explains_itself() -> None:
    hit = match(Query(name="Vladimir Putin"), index=INDEX)[0]
    assert hit.source == "un"
    assert hit.source_id == PUTIN.source_id
    assert hit.matched_name
    assert 0 <= hit.score <= 1
    for part in ("name_similarity", "token_overlap", "token_sort_ratio", "alignment", "adjustments"):
        assert part in hit.explanation
    assert "name" in hit.summary()


def test_weak_alias_costs_a_little() -> None:
    hit = match(Query(name="Abu Bakr"), index=INDEX, threshold=0.5)[0]
    assert any(a["factor"] == "weak_alias" for a in hit.explanation["adjustments"])


def test_empty_query_gives_nothing() -> None:
    assert match(Query(name="  ,, "), index=INDEX) == []
