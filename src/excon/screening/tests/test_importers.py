"""Importers on small excerpts of the real files (built at test time) and on fixtures in the official shapes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from excon.screening.enums import EntryKind, NameQuality
from excon.screening.importers import ImportRefused, ParseResult, parser_for

from .factories import FIXTURES, excerpt_lines, un_excerpt


def parse(source: str, *paths: Path) -> tuple[list, ParseResult]:  # type: ignore[type-arg]
    result = ParseResult()
    return list(parser_for(source, list(paths))(list(paths), result)), result


def test_un_consolidated_xml(shared_data: Path, tmp_path: Path) -> None:
    path = un_excerpt(shared_data / "screening/watchman/test_testdata_UN_consolidated.xml", tmp_path / "un.xml")
    entries, result = parse("un", path)
    assert result.published_on == dt.date(2026, 2, 27)
    assert [e.kind for e in entries].count(EntryKind.PERSON) == 5
    assert [e.kind for e in entries].count(EntryKind.ORGANISATION) == 3
    badege = entries[0]
    assert badege.primary_name == "ERIC BADEGE"
    assert badege.source_id == "CDi.001"
    assert badege.programme == "DRC"
    assert badege.birth_dates == ["1971"]
    assert "CD" in badege.countries
    assert "RW" in badege.countries
    assert all(e.content_hash() == e.content_hash() for e in entries)


def test_un_whole_file_parses(shared_data: Path) -> None:
    entries, _ = parse("un", shared_data / "screening/watchman/test_testdata_UN_consolidated.xml")
    assert len(entries) == 1003
    assert sum(len(e.names) + 1 for e in entries) > 2500
    assert any(q == NameQuality.WEAK for e in entries for _, q in e.names)


def test_ofac_csv_trio(shared_data: Path, tmp_path: Path) -> None:
    base = shared_data / "screening"
    sdn = excerpt_lines(base / "ofac_sdn_2024-05-03.csv", tmp_path / "sdn.csv", count=400)
    alt = excerpt_lines(base / "watchman/internal_tfidf_testdata_alt.csv", tmp_path / "alt.csv", count=600)
    add = excerpt_lines(base / "watchman/internal_tfidf_testdata_add.csv", tmp_path / "add.csv", count=600)
    entries, _ = parse("ofac", sdn, alt, add)
    assert len(entries) == 400
    cuba = next(e for e in entries if e.source_id == "306")
    assert cuba.primary_name == "BANCO NACIONAL DE CUBA"
    assert cuba.kind == EntryKind.ORGANISATION
    assert ("NATIONAL BANK OF CUBA", NameQuality.STRONG) in cuba.names
    assert "CH" in cuba.countries
    people = [e for e in entries if e.kind == EntryKind.PERSON]
    assert any(e.birth_dates for e in people)
    assert any(e.identifiers for e in people)


def test_ofac_sdn_xml() -> None:
    entries, result = parse("ofac", FIXTURES / "ofac_sdn_sample.xml")
    assert result.published_on == dt.date(2024, 5, 3)
    by_id = {e.source_id: e for e in entries}
    zawahiri = by_id["7157"]
    assert zawahiri.primary_name == "Ayman AL-ZAWAHIRI"
    assert zawahiri.kind == EntryKind.PERSON
    assert zawahiri.birth_dates == ["1951-06-19"]
    assert zawahiri.countries == ["EG"]
    assert ("ABU FATIMA", NameQuality.WEAK) in zawahiri.names
    assert zawahiri.identifiers[0][:2] == ("passport", "1084010")
    assert by_id["9702"].kind == EntryKind.VESSEL
    assert by_id["9702"].identifiers[0][:2] == ("imo", "9187629")


def test_eu_fsf_xml() -> None:
    entries, result = parse("eu", FIXTURES / "eu_fsf_sample.xml")
    assert result.published_on == dt.date(2024, 5, 2)
    zala, saddam = entries
    assert zala.kind == EntryKind.ORGANISATION
    assert zala.countries == ["RU"]
    assert zala.programme == "UKR"
    assert saddam.birth_dates == ["1937-04-28"]
    assert ("Abu Ali", NameQuality.WEAK) in saddam.names
    assert saddam.listed_on == dt.date(2003, 7, 8)


def test_uk_conlist_csv() -> None:
    entries, result = parse("uk", FIXTURES / "uk_conlist_sample.csv")
    assert result.published_on == dt.date(2024, 5, 2)
    person, company = entries
    assert person.primary_name == "Maria Aleksandrovna OSETROVA"
    assert person.birth_dates == ["1988-01-07"]
    assert ("Mariya Aleksandrovna ZAKHAROVA", NameQuality.STRONG) in person.names
    assert company.kind == EntryKind.ORGANISATION
    assert ("ZALA AERO", NameQuality.STRONG) in company.names


def test_opensanctions_ftm(shared_data: Path) -> None:
    entries, _ = parse("opensanctions", shared_data / "screening/yente/tests_fixtures_dataset_zala_entities.ftm.json")
    kinds = {e.kind for e in entries}
    assert EntryKind.PERSON in kinds
    assert EntryKind.ORGANISATION in kinds
    osetrova = next(e for e in entries if e.primary_name == "Maria Aleksandrovna Osetrova")
    assert osetrova.birth_dates == ["1988-01-07"]
    assert osetrova.countries == ["RU"]
    assert any(name.startswith("Мария") for name, _ in osetrova.names)


@pytest.mark.parametrize(
    ("source", "content", "reason"),
    [
        ("un", b'<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1', "malformed or truncated"),
        (
            "un",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>',
            "unsafe XML",
        ),
        ("eu", b"<other/>", "not an EU FSF export"),
        (
            "ofac",
            b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n173,"ANGLO',
            "malformed",
        ),
        (
            "opensanctions",
            b'{"id": "x", "schema": "Person", "properties": {"name": ["A B"]}}\n{"id": "y", "sche',
            "line 2",
        ),
        ("uk", b"a,b\n1,2\n", "not an OFSI ConList"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(tmp_path: Path, source: str, content: bytes, reason: str) -> None:
    path = tmp_path / ("list.xml" if source in ("un", "eu") else "list.csv")
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as caught:
        parse(source, path)
    assert reason in caught.value.message
