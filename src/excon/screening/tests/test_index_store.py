"""The screening index is shared between processes: the first to build a generation writes it, the others load it
instead of analysing every name again; a file not sealed by this installation, or of another generation, is never
used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from excon.screening import index as index_module
from excon.screening.index import ScreeningIndex, current_generation, current_index, forget_index, load_shared
from excon.screening.matching import Query, match
from excon.screening.tests.factories import list_entry


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.EXCON_SCREENING_INDEX_DIR = tmp_path / "index"
    forget_index()
    yield tmp_path / "index"
    forget_index()


def another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a fresh web or worker process starts with: no index in memory, and the shared files trusted."""
    monkeypatch.setattr(index_module, "_cached", None)
    monkeypatch.setattr(index_module, "_trust_shared", True)


@pytest.mark.django_db
def test_a_second_process_loads_the_index_the_first_built(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    list_entry("Viktor Anatolyevich Bout", aliases=("Victor But",), countries=("RU",))
    list_entry("Al-Qaida in the Islamic Maghreb", kind="organisation")
    built = current_index()
    files = list(store.glob("*.index"))
    assert len(files) == 1
    expected = [(hit.entry_key, round(hit.score, 6)) for hit in match(Query(name="Victor Bout"), index=built)]
    assert expected

    another_process(monkeypatch)

    def no_build(*args: Any, **kwargs: Any) -> ScreeningIndex:
        raise AssertionError("the index was built again instead of loaded")

    monkeypatch.setattr(ScreeningIndex, "build", classmethod(no_build))
    loaded = current_index()
    assert loaded is not built
    assert loaded.generation == built.generation == current_generation()
    assert [(hit.entry_key, round(hit.score, 6)) for hit in match(Query(name="Victor Bout"), index=loaded)] == expected


@pytest.mark.django_db
def test_an_altered_or_foreign_file_is_rebuilt_not_trusted(
    store: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    list_entry("Viktor Anatolyevich Bout")
    current_index()
    generation = current_generation()
    [path] = store.glob("*.index")
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    assert load_shared(generation) is None

    another_process(monkeypatch)
    rebuilt = current_index()
    assert rebuilt.name_count == 1
    assert load_shared(generation) is not None, "the rebuilt index replaced the altered file"

    settings.SECRET_KEY = "another installation's key"
    assert load_shared(generation) is None


@pytest.mark.django_db
def test_the_process_that_changed_the_lists_builds_from_the_database(store: Path) -> None:
    """An entry written without a new list version keeps the generation; the writer's forget_index() still
    makes it rebuild (and replace the shared file) instead of loading the file of that generation."""
    list_entry("Viktor Anatolyevich Bout")
    before = current_index()
    list_entry("Aerocaribbean Airlines", kind="organisation", source="ofac")
    assert current_generation() == before.generation
    forget_index()
    assert current_index().name_count == before.name_count + 1
    assert load_shared(before.generation).name_count == before.name_count + 1


@pytest.mark.django_db
def test_a_new_generation_gets_its_own_file_and_old_ones_are_pruned(store: Path) -> None:
    for number in range(index_module.STORE_KEEP + 2):
        list_entry(f"Listed Person Number {number}")
        current_index()
    assert len(list(store.glob("*.index"))) == index_module.STORE_KEEP
    assert current_index().name_count == index_module.STORE_KEEP + 2


def test_an_unwritable_folder_costs_a_build_not_the_screening(settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    settings.EXCON_SCREENING_INDEX_DIR = blocker / "index"
    assert index_module.save_shared(ScreeningIndex.build([], generation="g")) is None
