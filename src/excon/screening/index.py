"""The candidate index: blocking so that a query never scans the whole list.

Every name of every active entry is analysed once (normalise.analyse) and posted under its strong tokens and their
phonetic (metaphone) keys. A query looks up its own keys, adds up inverse-document-frequency weights per name with
numpy (a posting list holds each name once, so `scores[posting] += weight` is exact), and keeps the best few hundred
names whose share of the query's weight passes a floor. Only those are scored with rapidfuzz (matching.py).

The index is built once per set of list versions (its *generation*) and kept in memory per process
(`current_index`); it is rebuilt when a version in force changes or the national list is edited. The first process
to build a generation also writes it to EXCON_SCREENING_INDEX_DIR (one file per generation, authenticated with an
HMAC under the secret key), and every other web or worker process loads that file instead of analysing every name
again: the index is shared across processes and hosts on a shared data folder, not rebuilt per process."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import logging
import math
import os
import pickle
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

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

    # The per-query scratch space, the lock and the rarity cache are made again where the index is loaded.
    _TRANSIENT = ("_scratch", "_slot", "_query_lock", "_rarity")

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name not in self._TRANSIENT}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._scratch = np.zeros(len(self.name_text), dtype=np.float32)
        self._slot = np.zeros(len(self.name_text), dtype=np.int32)
        self._query_lock = threading.Lock()
        self._rarity = {}

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


# The shared copy on disk ---------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)
STORE_MAGIC = b"EXCON-SCREENING-INDEX-1\n"
STORE_KEEP = 3  # generations kept on disk: the one in force and the few before, for processes still on them


def index_store_folder() -> Path:
    return Path(getattr(settings, "EXCON_SCREENING_INDEX_DIR", "") or Path(settings.DATA_DIR) / "screening-index")


def _store_path(generation: str) -> Path:
    return index_store_folder() / f"{hashlib.sha256(generation.encode()).hexdigest()[:32]}.index"


def _store_key() -> bytes:
    # Only this installation (who holds SECRET_KEY) can write a file that processes will unpickle.
    return hashlib.sha256(b"excon-screening-index|" + settings.SECRET_KEY.encode()).digest()


def save_shared(index: ScreeningIndex) -> Path | None:
    """Write the index for the other processes (atomically: a reader sees the old file or the whole new one)."""
    path = _store_path(index.generation)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
        seal = hmac.new(_store_key(), payload, hashlib.sha256).digest()
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
        with partial.open("wb") as handle:
            handle.write(STORE_MAGIC + seal + payload)
        os.replace(partial, path)
        stored = sorted(path.parent.glob("*.index"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in stored[STORE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full disk costs each process a build, not the screening
        logger.warning("screening index not shared: %s", exc)
        return None
    return path


def load_shared(generation: str) -> ScreeningIndex | None:
    """The index another process built for this generation, or None (absent, altered, another key or version)."""
    try:
        data = _store_path(generation).read_bytes()
    except OSError:
        return None
    seal, payload = data[len(STORE_MAGIC) : len(STORE_MAGIC) + 32], data[len(STORE_MAGIC) + 32 :]
    expected = hmac.new(_store_key(), payload, hashlib.sha256).digest()
    if not data.startswith(STORE_MAGIC) or not hmac.compare_digest(seal, expected):
        logger.warning("screening index file for this generation is not sealed by this installation: rebuilding")
        return None
    try:
        index = pickle.loads(payload)  # noqa: S301 - authenticated above with this installation's key
    except Exception as exc:  # a file of an older code version: build again
        logger.warning("screening index file unreadable (%s): rebuilding", type(exc).__name__)
        return None
    if not isinstance(index, ScreeningIndex) or index.generation != generation:
        return None
    return index


# The per-process cache -----------------------------------------------------------------------------------------

_lock = threading.Lock()
_cached: ScreeningIndex | None = None
# False after `forget_index()`: this process has just changed the lists, so it builds from the database rather
# than trust a file of the same generation, and its build then replaces that file.
_trust_shared = True


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
    global _cached, _trust_shared
    generation = current_generation()
    cached = _cached
    if cached is not None and cached.generation == generation:
        return cached
    with _lock:
        if _cached is None or _cached.generation != generation:
            shared = load_shared(generation) if _trust_shared else None
            if shared is None:
                shared = ScreeningIndex.build(records_from_database(), generation=generation)
                save_shared(shared)
                _trust_shared = True
            _cached = shared
        return _cached


def forget_index() -> None:
    """The lists changed here: drop the index in memory, and build the next one from the database."""
    global _cached, _trust_shared
    _cached = None
    _trust_shared = False
