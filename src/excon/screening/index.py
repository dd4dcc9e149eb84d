"""The candidate index: blocking so that a query never scans the whole list.

Every name of every active entry is analysed once (normalise.analyse) and posted under its strong tokens and their
phonetic (metaphone) keys. A query looks up its own keys, adds up inverse-document-frequency weights per name with
numpy (a posting list holds each name once, so `scores[posting] += weight` is exact), and keeps the best few hundred
names whose share of the query's weight passes a floor. Only those are scored with rapidfuzz (matching.py).

The index is built once per set of list versions and kept in memory per process (`current_index`); it is rebuilt
when a version in force changes or the national list is edited."""

from __future__ import annotations

import itertools
import math
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .enums import EntryKind, NameQuality
from .normalise import analyse, normalise_identifier, phonetic_key, spellings, split_annotations

KIND_CODES = {kind: code for code, kind in enumerate(EntryKind.values)}
UNKNOWN_KIND = KIND_CODES[EntryKind.UNKNOWN]
PHONETIC_PREFIX = "~"
MAX_CANDIDATES = 300
MIN_SHARE = 0.25  # a candidate name must carry at least this share of the query's key weight
RARE_IDF = 8.0  # idf at which a token counts as fully rare (about 1 name in 3,000)


@dataclass(frozen=True, slots=True)
class IndexRecord:
    """What the index needs to know of one list entry (built from the database or, in benchmarks, directly)."""

    key: str
    source: str
    source_id: str
    kind: str
    primary_name: str
    names: tuple[tuple[str, str], ...] = ()  # (name, quality), the primary name included or not
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (type, value)
    programme: str = ""
    content_hash: str = ""


@dataclass(slots=True)
class IndexedEntry:
    key: str
    source: str
    source_id: str
    kind: str
    primary_name: str
    countries: frozenset[str]
    birth_dates: tuple[str, ...]
    identifiers: frozenset[tuple[str, str]]
    programme: str
    content_hash: str


@dataclass
class ScreeningIndex:
    generation: str = ""
    entries: list[IndexedEntry] = field(default_factory=list)
    name_entry: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    name_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))
    name_weak: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    name_text: list[str] = field(default_factory=list)
    name_strong: list[tuple[str, ...]] = field(default_factory=list)
    name_joined: list[str] = field(default_factory=list)  # " ".join(name_strong[i]), for the C++ pre-ranking
    postings: dict[str, np.ndarray] = field(default_factory=dict)
    identifier_entries: dict[str, list[int]] = field(default_factory=dict)
    _scratch: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    _slot: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # dedupe without a sort
    _query_lock: threading.Lock = field(default_factory=threading.Lock)
    _rarity: dict[str, float] = field(default_factory=dict)

    @property
    def name_count(self) -> int:
        return len(self.name_text)

    # Building ------------------------------------------------------------------------------------------------

    @classmethod
    def build(cls, records: Iterable[IndexRecord], *, generation: str = "") -> ScreeningIndex:
        index = cls(generation=generation)
        lists: dict[str, array[int]] = {}
        name_entry: array[int] = array("I")
        name_kind: array[int] = array("B")
        name_weak: array[int] = array("B")
        interned: dict[str, str] = {}
        for record in records:
            entry_number = len(index.entries)
            index.entries.append(
                IndexedEntry(
                    key=record.key,
                    source=record.source,
                    source_id=record.source_id,
                    kind=record.kind,
                    primary_name=record.primary_name,
                    countries=frozenset(record.countries),
                    birth_dates=tuple(record.birth_dates),
                    identifiers=frozenset((t, normalise_identifier(v)) for t, v in record.identifiers),
                    programme=record.programme,
                    content_hash=record.content_hash,
                )
            )
            for _, value in record.identifiers:
                normalised = normalise_identifier(value)
                if len(normalised) >= 4:
                    index.identifier_entries.setdefault(normalised, []).append(entry_number)
            kind_code = KIND_CODES.get(record.kind, UNKNOWN_KIND)
            seen: set[str] = set()
            for name, quality in _readings(record):
                analysed = analyse(name)
                if not analysed.strong or analysed.text in seen:
                    continue
                seen.add(analysed.text)
                name_number = len(index.name_text)
                strong = tuple(interned.setdefault(token, token) for token in analysed.strong)
                index.name_text.append(name)
                index.name_strong.append(strong)
                index.name_joined.append(" ".join(strong))
                name_entry.append(entry_number)
                name_kind.append(kind_code)
                name_weak.append(quality == NameQuality.WEAK)
                for key in keys_for_tokens(strong):
                    posting = lists.get(key)
                    if posting is None:
                        posting = lists[key] = array("I")
                    posting.append(name_number)
        index.name_entry = np.frombuffer(name_entry, dtype=np.uint32) if name_entry else np.zeros(0, np.uint32)
        index.name_kind = np.frombuffer(name_kind, dtype=np.uint8) if name_kind else np.zeros(0, np.uint8)
        index.name_weak = np.frombuffer(name_weak, dtype=np.uint8).astype(np.bool_) if name_weak else np.zeros(0, bool)
        index.postings = {key: np.frombuffer(posting, dtype=np.uint32) for key, posting in lists.items()}
        index._scratch = np.zeros(len(index.name_text), dtype=np.float32)
        index._slot = np.zeros(len(index.name_text), dtype=np.int32)
        return index

    # Querying ------------------------------------------------------------------------------------------------

    def rarity(self, token: str) -> float:
        """0–1: how rare a token is among the listed names (1 for one found in a handful of names or none)."""
        cached = self._rarity.get(token)
        if cached is None:
            posting = self.postings.get(token)
            # Relative to what "rare" can mean in this index: in a small one no token can be very rare.
            rare = min(RARE_IDF, math.log(1 + max(self.name_count, 1)))
            idf = math.log(1 + self.name_count / len(posting)) if posting is not None else rare
            cached = self._rarity[token] = min(1.0, idf / rare) if rare > 0 else 1.0
        return cached

    def idf(self, key: str) -> float:
        posting = self.postings.get(key)
        if posting is None:
            return 0.0
        return math.log(1 + self.name_count / len(posting))

    def query_keys(self, tokens: tuple[str, ...]) -> dict[str, float]:
        """The query's keys and their weights: each token, its sound-alike key, and spelling variants of joined or
        split tokens ('abdul rahman' ~ 'abdulrahman')."""
        keys: dict[str, float] = {}
        for key in keys_for_tokens(tokens):
            keys[key] = self.idf(key)
        for first, second in itertools.pairwise(tokens):
            joined = first + second
            if joined in self.postings:
                keys[joined] = self.idf(joined)
        for token in tokens:
            if len(token) >= 7:
                for cut in range(3, len(token) - 2):
                    head, tail = token[:cut], token[cut:]
                    if head in self.postings and tail in self.postings:
                        keys[head] = max(keys.get(head, 0.0), self.idf(head) * 0.5)
                        keys[tail] = max(keys.get(tail, 0.0), self.idf(tail) * 0.5)
        return {key: weight for key, weight in keys.items() if weight > 0}

    def candidates(
        self, tokens: tuple[str, ...], *, kind: str = "", limit: int = MAX_CANDIDATES
    ) -> list[tuple[int, float]]:
        """Name numbers sharing enough weighted keys with the query, best first, with their share (0–1)."""
        keys = self.query_keys(tokens)
        if not keys or not self.name_count:
            return []
        total = sum(weight for key, weight in keys.items() if not key.startswith(PHONETIC_PREFIX)) or 1.0
        scratch = self._scratch
        touched = []
        with self._query_lock:  # the scratch array is shared by the threads of this process
            for key, weight in keys.items():
                posting = self.postings[key]
                scratch[posting] += weight
                touched.append(posting)
            if len(touched) > 1:
                # Each name once, without np.unique's hash or sort: the last position written for a name is
                # the one kept. Sorting the (few) survivors below restores np.unique's order, so ties break
                # exactly as before.
                every = np.concatenate(touched)
                positions = np.arange(len(every), dtype=np.int32)
                slot = self._slot
                slot[every] = positions
                ids = every[slot[every] == positions]
            else:
                ids = touched[0]
            shares = scratch[ids] / total
            scratch[ids] = 0.0
        keep = shares >= MIN_SHARE
        if kind and kind != EntryKind.UNKNOWN:
            name_kinds = self.name_kind[ids]
            keep &= (name_kinds == KIND_CODES[kind]) | (name_kinds == UNKNOWN_KIND)
        ids, shares = ids[keep], shares[keep]
        if len(touched) > 1:
            order = np.argsort(ids, kind="stable")
            ids, shares = ids[order], shares[order]
        if len(ids) > limit:
            best = np.argpartition(-shares, limit)[:limit]
            ids, shares = ids[best], shares[best]
        order = np.argsort(-shares, kind="stable")
        return [(int(ids[i]), float(shares[i])) for i in order]

    def entries_with_identifier(self, value: str) -> list[int]:
        return self.identifier_entries.get(normalise_identifier(value), [])


def _readings(record: IndexRecord) -> Iterable[tuple[str, str]]:
    """Every name of an entry as matching reads it: each listed name, the main part and the aliases its
    annotations carry (a vessel's former name, an acronym in parentheses), in each spelling (normalise.spellings)."""
    vessel = record.kind == EntryKind.VESSEL
    for name, quality in ((record.primary_name, NameQuality.STRONG), *record.names):
        main, aliases = split_annotations(name, vessel=vessel)
        for part in (name, main, *aliases):
            for spelling in spellings(part):
                yield spelling, quality


def keys_for_tokens(tokens: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for token in tokens:
        keys.add(token)
        phonetic = phonetic_key(token)
        if phonetic:
            keys.add(PHONETIC_PREFIX + phonetic)
    return keys


# The per-process cache -----------------------------------------------------------------------------------------

_lock = threading.Lock()
_cached: ScreeningIndex | None = None


def current_generation() -> str:
    """A key that changes whenever what screening sees changes: the versions in force and national list edits."""
    # The models are read here, not at the top: the index itself is pure and is built without Django (benchmarks).
    from django.db.models import Count, Max

    from .enums import SourceCode, VersionStatus
    from .models import ListEntry, ListVersion

    versions = sorted(
        str(pk) for pk in ListVersion.objects.filter(status=VersionStatus.IN_FORCE).values_list("pk", flat=True)
    )
    national = ListEntry.objects.filter(source__code=SourceCode.NATIONAL).aggregate(n=Count("pk"), t=Max("updated_at"))
    return "|".join([*versions, f"national:{national['n']}:{national['t']}"])


def records_from_database() -> Iterable[IndexRecord]:
    from .models import EntryIdentifier, EntryName, ListEntry  # see current_generation: the index is pure

    names: dict[object, list[tuple[str, str]]] = {}
    for entry_id, name, quality in EntryName.objects.filter(entry__active=True).values_list(
        "entry_id", "name", "quality"
    ):
        names.setdefault(entry_id, []).append((name, quality))
    identifiers: dict[object, list[tuple[str, str]]] = {}
    for entry_id, kind, value in EntryIdentifier.objects.filter(entry__active=True).values_list(
        "entry_id", "type", "value"
    ):
        identifiers.setdefault(entry_id, []).append((kind, value))
    rows = ListEntry.objects.filter(active=True).values_list(
        "pk",
        "source__code",
        "external_id",
        "kind",
        "primary_name",
        "countries",
        "birth_dates",
        "programme",
        "content_hash",
    )
    for pk, source, source_id, kind, primary, countries, birth_dates, programme, content_hash in rows.iterator(
        chunk_size=5000
    ):
        yield IndexRecord(
            key=str(pk),
            source=source,
            source_id=source_id,
            kind=kind,
            primary_name=primary,
            names=tuple(names.get(pk, ())),
            countries=tuple(countries or ()),
            birth_dates=tuple(birth_dates or ()),
            identifiers=tuple(identifiers.get(pk, ())),
            programme=programme,
            content_hash=content_hash,
        )


def current_index() -> ScreeningIndex:
    """The index of everything in force, rebuilt only when the generation changed."""
    global _cached
    generation = current_generation()
    cached = _cached
    if cached is not None and cached.generation == generation:
        return cached
    with _lock:
        if _cached is None or _cached.generation != generation:
            _cached = ScreeningIndex.build(records_from_database(), generation=generation)
        return _cached


def forget_index() -> None:
    global _cached
    _cached = None
