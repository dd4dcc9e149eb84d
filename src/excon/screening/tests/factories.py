"""Test helpers: list entries written straight to the database, small in-memory indexes, excerpts of the real
files in ../shared (built at test time; no list data is kept in the repository)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from excon.screening.enums import EntryKind, NameQuality, SourceCode
from excon.screening.index import IndexRecord, ScreeningIndex
from excon.screening.models import EntryIdentifier, EntryName, ListEntry
from excon.screening.normalise import normalise_identifier, normalise_name
from excon.screening.services import source_for

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_counter = itertools.count(1)


def list_entry(
    name: str,
    *,
    source: str = SourceCode.NATIONAL,
    kind: str = EntryKind.PERSON,
    aliases: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    birth_dates: tuple[str, ...] = (),
    identifiers: tuple[tuple[str, str], ...] = (),
    **fields: Any,
) -> ListEntry:
    number = next(_counter)
    entry = ListEntry.objects.create(
        source=source_for(source),
        external_id=fields.pop("external_id", f"T-{number}"),
        kind=kind,
        primary_name=name,
        countries=list(countries),
        birth_dates=list(birth_dates),
        content_hash=fields.pop("content_hash", f"hash-{number}"),
        **fields,
    )
    EntryName.objects.create(entry=entry, name=name, normalised=normalise_name(name), is_primary=True)
    for alias in aliases:
        EntryName.objects.create(entry=entry, name=alias, normalised=normalise_name(alias))
    for kind_, value in identifiers:
        EntryIdentifier.objects.create(entry=entry, type=kind_, value=value, normalised=normalise_identifier(value))
    return entry


def record(
    name: str,
    *,
    kind: str = EntryKind.PERSON,
    aliases: tuple[str, ...] = (),
    weak: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    birth_dates: tuple[str, ...] = (),
    identifiers: tuple[tuple[str, str], ...] = (),
    source: str = "un",
) -> IndexRecord:
    number = next(_counter)
    return IndexRecord(
        key=f"key-{number}",
        source=source,
        source_id=f"ID-{number}",
        kind=kind,
        primary_name=name,
        names=tuple((a, NameQuality.STRONG) for a in aliases) + tuple((w, NameQuality.WEAK) for w in weak),
        countries=countries,
        birth_dates=birth_dates,
        identifiers=identifiers,
        content_hash=f"h{number}",
    )


def small_index(*records: IndexRecord) -> ScreeningIndex:
    return ScreeningIndex.build(records)


def excerpt_lines(source: Path, target: Path, *, count: int, encoding: str = "latin-1") -> Path:
    """The first `count` lines of a real file, written beside the test."""
    with open(source, encoding=encoding, newline="") as handle:
        lines = list(itertools.islice(handle, count))
    target.write_text("".join(lines), encoding=encoding, newline="")
    return target


def un_excerpt(source: Path, target: Path, *, individuals: int = 5, entities: int = 3) -> Path:
    """A valid UN consolidated XML holding the first few individuals and entities of the real file."""
    import re

    text = source.read_text(encoding="utf-8")
    head = text[: text.index("<INDIVIDUALS>")]
    people = re.findall(r"<INDIVIDUAL>.*?</INDIVIDUAL>", text, flags=re.S)[:individuals]
    groups = re.findall(r"<ENTITY>.*?</ENTITY>", text, flags=re.S)[:entities]
    body = (
        head
        + "<INDIVIDUALS>\n"
        + "\n".join(people)
        + "\n</INDIVIDUALS>\n<ENTITIES>\n"
        + "\n".join(groups)
        + "\n</ENTITIES>\n</CONSOLIDATED_LIST>\n"
    )
    target.write_text(body, encoding="utf-8")
    return target
