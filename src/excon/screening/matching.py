"""The matching engine: one `match(query)` for the search API, application screening, the batch CLI and
re-screening.

Scoring, for each candidate name (from the index), on strong tokens only (legal forms are set aside):
- `name_similarity`: the best of (a) a token alignment — each token of the shorter name paired with its most similar
  unused token of the longer (rapidfuzz ratio; an initial matches a token it begins; equal metaphone keys count as at
  least 0.8) and the coverage of the longer name, (b) rapidfuzz token_sort_ratio (order-free), (c) the ratio of the
  names written without spaces (Xi Jin Ping ~ Xi Jinping).
- adjustments: birth date, country and identifier agreement raise the score, clear disagreement lowers it; a
  low-quality alias costs a little.
Every Hit carries these parts in `explanation`, so a reviewer sees why it was raised."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from .enums import EntryKind
from .index import ScreeningIndex, current_index
from .normalise import analyse, is_initial, normalise_country, normalise_identifier, phonetic_key

DEFAULT_THRESHOLD = 0.86
DEFAULT_LIMIT = 20
SCORED_CANDIDATES = 60  # candidates scored in full, after a rapidfuzz (C++) pre-ranking of the index's candidates
DOB_MATCH_BONUS = 0.06
DOB_YEAR_BONUS = 0.02
DOB_CLOSE_BONUS = 0.0
DOB_MISMATCH_PENALTY = -0.15
COUNTRY_MATCH_BONUS = 0.03
COUNTRY_MISMATCH_PENALTY = -0.04
IDENTIFIER_MATCH_BONUS = 0.3
WEAK_ALIAS_PENALTY = -0.04


@dataclass(frozen=True)
class Query:
    name: str
    kind: str = ""
    country: str = ""  # ISO 3166 alpha-2
    birth_date: str = ""  # "1961-03-02", "1961-03" or "1961"
    identifiers: tuple[str, ...] = ()


@dataclass
class Hit:
    source: str
    entry_key: str
    source_id: str
    entry_name: str
    kind: str
    programme: str
    matched_name: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""

    def summary(self) -> str:
        parts = [f"name {self.explanation.get('name_similarity', 0):.2f}"]
        for adjustment in self.explanation.get("adjustments", []):
            parts.append(f"{adjustment['factor']} {adjustment['value']:+.2f}")
        return "; ".join(parts)


# Name similarity -----------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if is_initial(a) or is_initial(b):
        return 0.8 if (a[0] == b[0]) else 0.0
    score = fuzz.ratio(a, b) / 100.0
    if score < 0.8 and len(a) > 2 and len(b) > 2 and phonetic_key(a) and phonetic_key(a) == phonetic_key(b):
        score = 0.8
    return score


PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ivna", "ogly", "oglu", "kyzy", "qizi")


def token_weight(token: str) -> float:
    """Patronymics are often left out of a name as written: a missing one costs little."""
    return 0.3 if len(token) > 6 and token.endswith(PATRONYMIC_ENDINGS) else 1.0


def alignment(query: tuple[str, ...], name: tuple[str, ...]) -> tuple[float, float, float]:
    """(score, coverage of the shorter, coverage of the longer): tokens paired greedily, best pairs first."""
    short, long = (query, name) if len(query) <= len(name) else (name, query)
    pairs = sorted(
        ((token_similarity(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long)), reverse=True
    )
    used_s: set[int] = set()
    used_l: set[int] = set()
    total = 0.0
    long_total = 0.0
    for similarity, i, j in pairs:
        if i in used_s or j in used_l:
            continue
        used_s.add(i)
        used_l.add(j)
        total += similarity
        long_total += similarity * (token_weight(long[j]) if len(long) >= 3 else 1.0)
        if len(used_s) == len(short):
            break
    short_cover = total / len(short)
    long_cover = long_total / (sum(token_weight(token) for token in long) if len(long) >= 3 else len(long))
    return short_cover * (0.55 + 0.45 * long_cover), short_cover, long_cover


def cjk_agreement(query_text: str, name_text: str) -> float | None:
    """Chinese, Japanese and Korean names compared by their characters when both sides are written in them:
    transliteration folds different characters into one syllable (陈 and 晨 are both 'chen')."""
    left = {c for c in query_text if _is_cjk(c)}
    right = {c for c in name_text if _is_cjk(c)}
    if not left or not right:
        return None
    return len(left & right) / max(len(left), len(right))


def _has_cjk(text: str) -> bool:
    return any(_is_cjk(char) for char in text)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def name_similarity(
    query: tuple[str, ...], name: tuple[str, ...], *, query_text: str = "", name_text: str = ""
) -> dict[str, float]:
    aligned, short_cover, long_cover = alignment(query, name)
    sort_ratio = fuzz.token_sort_ratio(" ".join(query), " ".join(name)) / 100.0
    compact = fuzz.ratio("".join(query), "".join(name)) / 100.0
    best = max(aligned, min(sort_ratio, compact) * 0.97)
    overlap = len(set(query) & set(name)) / max(len(set(query) | set(name)), 1)
    cjk = cjk_agreement(query_text, name_text) if query_text and name_text and _has_cjk(query_text) else None
    if cjk is not None:
        best = min(best, 0.5 + 0.5 * cjk)
    return {
        "name_similarity": round(best, 4),
        "alignment": round(aligned, 4),
        "token_sort_ratio": round(sort_ratio, 4),
        "compact_ratio": round(compact, 4),
        "token_overlap": round(overlap, 4),
        "coverage_query_side": round(short_cover if len(query) <= len(name) else long_cover, 4),
    }


# Secondary evidence --------------------------------------------------------------------------------------------


def _dob_parts(value: str) -> tuple[int, int, int] | None:
    value = (value or "").strip()
    try:
        if len(value) >= 10:
            date = dt.date.fromisoformat(value[:10])
            return date.year, date.month, date.day
        if len(value) == 7:
            return int(value[:4]), int(value[5:7]), 0
        if len(value) == 4:
            return int(value), 0, 0
    except ValueError:
        return None
    return None


def dob_adjustment(query_dob: str, listed: tuple[str, ...]) -> dict[str, Any] | None:
    query = _dob_parts(query_dob)
    dates = [parts for parts in (_dob_parts(value) for value in listed) if parts]
    if query is None or not dates:
        return None
    best = None
    for year, month, day in dates:
        if (
            year == query[0]
            and (not month or not query[1] or month == query[1])
            and (not day or not query[2] or day == query[2])
        ):
            exact = bool(day and query[2])
            return {
                "factor": "birth_date",
                "value": DOB_MATCH_BONUS if exact else DOB_YEAR_BONUS,
                "detail": f"listed birth date {'-'.join(str(p) for p in (year, month, day) if p)} agrees",
            }
        if abs(year - query[0]) <= 1:
            best = {"factor": "birth_date", "value": DOB_CLOSE_BONUS, "detail": "listed birth date is close"}
    if best:
        return best
    listed_text = ", ".join(listed[:3])
    return {"factor": "birth_date", "value": DOB_MISMATCH_PENALTY, "detail": f"listed birth date {listed_text} differs"}


def country_adjustment(query_country: str, listed: frozenset[str]) -> dict[str, Any] | None:
    if not query_country or not listed:
        return None
    if query_country in listed:
        return {"factor": "country", "value": COUNTRY_MATCH_BONUS, "detail": f"{query_country} is a listed country"}
    return {
        "factor": "country",
        "value": COUNTRY_MISMATCH_PENALTY,
        "detail": f"{query_country} is not among the listed countries {', '.join(sorted(listed))}",
    }


def identifier_adjustment(query_ids: tuple[str, ...], listed: frozenset[tuple[str, str]]) -> dict[str, Any] | None:
    if not query_ids or not listed:
        return None
    values = {value for _, value in listed}
    for raw in query_ids:
        if normalise_identifier(raw) in values:
            return {"factor": "identifier", "value": IDENTIFIER_MATCH_BONUS, "detail": f"identifier {raw} is listed"}
    return None


# The engine ----------------------------------------------------------------------------------------------------


def clean_query(query: Query) -> Query:
    return Query(
        name=" ".join((query.name or "").split()),
        kind=query.kind if query.kind in EntryKind.values else "",
        country=normalise_country(query.country) if query.country else "",
        birth_date=(query.birth_date or "").strip(),
        identifiers=tuple(i for i in query.identifiers if i and i.strip()),
    )


def match(
    query: Query,
    *,
    index: ScreeningIndex | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """Ranked hits at or above `threshold`, at most one per list entry, each with its explanation."""
    index = index if index is not None else current_index()
    query = clean_query(query)
    analysed = analyse(query.name)
    if not analysed.strong:
        return []
    tokens = analysed.strong
    best: dict[int, Hit] = {}
    # The CJK comparison only applies when the query is written in those characters: decide once, not per name.
    query_text = query.name if _has_cjk(query.name) else ""
    candidates = index.candidates(tokens, kind=query.kind)
    if len(candidates) > SCORED_CANDIDATES:
        # Keep the candidates an order-free C++ ratio ranks best; only those get the full (Python) scoring.
        joined = index.name_joined
        choices = [joined[number] for number, _ in candidates]
        ranked = process.extract(
            " ".join(tokens), choices, scorer=fuzz.token_set_ratio, limit=SCORED_CANDIDATES, score_cutoff=50
        )
        candidates = [candidates[position] for _, _, position in ranked]
    for name_number, share in candidates:
        entry_number = int(index.name_entry[name_number])
        parts = name_similarity(
            tokens, index.name_strong[name_number], query_text=query_text, name_text=index.name_text[name_number]
        )
        _consider(index, query, best, entry_number, name_number, parts, share, threshold)
    for raw in query.identifiers:
        for entry_number in index.entries_with_identifier(raw):
            name_number = _first_name_of(index, entry_number)
            parts = name_similarity(tokens, index.name_strong[name_number])
            _consider(index, query, best, entry_number, name_number, parts, 0.0, threshold)
    hits = sorted(best.values(), key=lambda hit: (-hit.score, hit.entry_name))
    return hits[:limit]


def _first_name_of(index: ScreeningIndex, entry_number: int) -> int:
    import numpy as np

    return int(np.flatnonzero(index.name_entry == entry_number)[0])


def _consider(
    index: ScreeningIndex,
    query: Query,
    best: dict[int, Hit],
    entry_number: int,
    name_number: int,
    parts: dict[str, float],
    share: float,
    threshold: float,
) -> None:
    entry = index.entries[entry_number]
    if query.kind and query.kind != EntryKind.UNKNOWN and entry.kind not in (query.kind, EntryKind.UNKNOWN):
        return
    name_score = parts["name_similarity"]
    if name_score < threshold - 0.2 and not query.identifiers:  # no other evidence can lift it over
        return
    adjustments: list[dict[str, Any]] = [
        adjustment
        for adjustment in (
            dob_adjustment(query.birth_date, entry.birth_dates) if entry.kind != EntryKind.ORGANISATION else None,
            country_adjustment(query.country, entry.countries),
            identifier_adjustment(query.identifiers, entry.identifiers),
            {"factor": "weak_alias", "value": WEAK_ALIAS_PENALTY, "detail": "matched a low-quality alias"}
            if bool(index.name_weak[name_number])
            else None,
        )
        if adjustment is not None
    ]
    score = max(0.0, min(1.0, name_score + sum(a["value"] for a in adjustments)))
    if score < threshold:
        return
    current = best.get(entry_number)
    if current is not None and current.score >= score:
        return
    best[entry_number] = Hit(
        source=entry.source,
        entry_key=entry.key,
        source_id=entry.source_id,
        entry_name=entry.primary_name,
        kind=entry.kind,
        programme=entry.programme,
        matched_name=index.name_text[name_number],
        score=round(score, 4),
        explanation={
            **parts,
            "candidate_share": round(share, 4),
            "adjustments": adjustments,
            "query_tokens": list(analyse(query.name).strong),
            "ignored_weak_tokens": list(analyse(query.name).weak),
        },
        content_hash=entry.content_hash,
    )


# Batches -------------------------------------------------------------------------------------------------------

POOL_MIN_BATCH = 200  # below this, forking costs more than it saves
POOL_CHUNK = 64  # queries per task sent to a worker
_pool_index: ScreeningIndex | None = None  # the index the forked workers inherit (copy-on-write, read-only)


def _pool_match(task: tuple[list[Query], float, int]) -> list[list[Hit]]:
    queries, threshold, limit = task
    assert _pool_index is not None  # set by match_many before the fork
    return [match(query, index=_pool_index, threshold=threshold, limit=limit) for query in queries]


def pool_workers(count: int, workers: int | None = None) -> int:
    """How many processes a batch of `count` names is screened with: one for a small batch or where fork is not
    available, else one per core (or `workers`)."""
    import multiprocessing
    import os

    if count < POOL_MIN_BATCH or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers or os.cpu_count() or 1, count // POOL_CHUNK or 1))


def match_many(
    queries: list[Query],
    *,
    index: ScreeningIndex | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    workers: int | None = None,
) -> list[list[Hit]]:
    """`match` for each query, in order. A batch of POOL_MIN_BATCH names or more is shared out to a pool of worker
    processes forked after the index is built, so they read the one index in memory without copying or pickling
    it; the workers touch no database. Results are identical to calling `match` one by one."""
    global _pool_index
    import gc
    import multiprocessing

    index = index if index is not None else current_index()
    processes = pool_workers(len(queries), workers)
    if processes <= 1:
        return [match(query, index=index, threshold=threshold, limit=limit) for query in queries]
    tasks = [(queries[start : start + POOL_CHUNK], threshold, limit) for start in range(0, len(queries), POOL_CHUNK)]
    _pool_index = index
    gc.freeze()  # keep the collector from writing to (and so copying) the inherited index pages in the workers
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            chunks = pool.map(_pool_match, tasks, chunksize=1)
    finally:
        gc.unfreeze()
        _pool_index = None
    return [hits for chunk in chunks for hits in chunk]
