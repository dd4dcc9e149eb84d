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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from .enums import EntryKind
from .index import ScreeningIndex, current_index
from .normalise import (
    analyse,
    is_abjad,
    is_initial,
    normalise_country,
    normalise_identifier,
    phonetic_key,
    spellings,
    split_annotations,
)

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

COMPACT_FACTOR = 0.98  # names that differ only in where the spaces are (Rosoboron Export ~ Rosoboronexport)
SKELETON_FACTOR = 0.93  # an abjad-script name (Arabic, Hebrew) against a romanised one, by consonants
NUMBERS_DIFFER_CAP = 0.6  # No. 3 is not No. 13: a different number is a different vessel or company
ANCHORED_FORGIVENESS = 0.85  # share of a person's left-out middle names forgiven when given and family name agree
RARE_IDF = 8.0  # a token this rare (idf) or rarer weighs fully in coverage; common ones weigh less
DIFFERENT_WORD = 0.78  # token similarity under which two words are different words, not one misspelt
DIFFERENT_WORD_FACTOR = 0.6
COMMON_WEIGHT = 0.25  # the weight of the most common tokens (group, trading, international …) in coverage
PERSON_COMMON_WEIGHT = 0.5  # persons' common names (muhammad, kim) still identify: they weigh at least this


def _collapse_doubles(token: str) -> str:
    return "".join(char for i, char in enumerate(token) if i == 0 or char != token[i - 1])


@functools.lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if is_initial(a) or is_initial(b):
        return 0.8 if (a[0] == b[0]) else 0.0
    if a.isdigit() or b.isdigit():
        return 0.0  # numbers are equal or different, never "similar"
    if _collapse_doubles(a) == _collapse_doubles(b):
        return 0.96  # a doubled or single letter (Sepahan ~ Sepahhan, Mohamed ~ Mohammed)
    score = fuzz.ratio(a, b) / 100.0
    if min(len(a), len(b)) <= 4 and len(a) == len(b):
        # One changed letter in a short word is another word (romanised Chinese syllables: zhou/zhao, lin/lan).
        score = min(score, 0.6)
    elif score < 0.8 and min(len(a), len(b)) >= 5 and phonetic_key(a) and phonetic_key(a) == phonetic_key(b):
        score = 0.8
    if score < DIFFERENT_WORD:
        # Below one typo's distance the words are different words (Melli and Mellat, Jahan and Johan): a partial
        # likeness of their letters is no evidence for the names being one.
        score *= DIFFERENT_WORD_FACTOR
    return score


PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ivna", "ogly", "oglu", "kyzy", "qizi")


def token_weight(token: str) -> float:
    """Patronymics are often left out of a name as written: a missing one costs little."""
    return 0.3 if len(token) > 6 and token.endswith(PATRONYMIC_ENDINGS) else 1.0


Rarity = Callable[[str], float]


def _no_rarity(token: str) -> float:
    return 1.0


@dataclass(frozen=True)
class Alignment:
    score: float
    short_cover: float
    long_cover: float
    anchored: bool  # the shorter name's tokens met the first and the last token of the longer one


def alignment(
    query: tuple[str, ...], name: tuple[str, ...], rarity: Rarity = _no_rarity, *, person: bool = False
) -> Alignment:
    """Tokens paired greedily, best pairs first. The longer name's coverage weighs each token by its rarity
    (leaving out a rare word costs more than leaving out `muhammad` or `group`) and patronymics little; for a
    person known by given and family name (the first and last listed tokens both met), most of the cost of the
    left-out middle names is forgiven."""
    short, long = (query, name) if len(query) <= len(name) else (name, query)
    pairs = sorted(
        ((token_similarity(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long)), reverse=True
    )
    used_s: set[int] = set()
    used_l: dict[int, float] = {}
    total = 0.0
    for similarity, i, j in pairs:
        if i in used_s or j in used_l:
            continue
        used_s.add(i)
        used_l[j] = similarity
        total += similarity
        if len(used_s) == len(short):
            break
    short_cover = total / len(short)
    floor = PERSON_COMMON_WEIGHT if person else COMMON_WEIGHT
    weights = [
        max(floor, rarity(token)) * (token_weight(token) if len(long) >= 3 else 1.0) * (0.5 if token.isdigit() else 1.0)
        for token in long
    ]
    long_cover = sum(weights[j] * similarity for j, similarity in used_l.items()) / sum(weights)
    anchored = (
        person
        and len(short) >= 2
        and len(long) > len(short)
        and all(used_l.get(j, 0.0) >= 0.95 for j in (0, len(long) - 1))
    )
    if anchored:
        # Forgiven in proportion to how rare the given and family names are: "Kim" and "Su" prove little.
        evidence = min(rarity(long[0]), rarity(long[-1]))
        long_cover += (1.0 - long_cover) * ANCHORED_FORGIVENESS * evidence
    return Alignment(short_cover * (0.55 + 0.45 * long_cover), short_cover, long_cover, anchored)


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


def _numbers(tokens: tuple[str, ...]) -> list[str]:
    return sorted(token.lstrip("0") or "0" for token in tokens if token.isdigit())


MEASURE_LABELS = {
    "alignment": "word by word",
    "compact_ratio": "without spaces",
    "consonant_skeleton": "consonants (abjad script)",
}


def name_similarity(
    query: tuple[str, ...],
    name: tuple[str, ...],
    *,
    query_text: str = "",
    name_text: str = "",
    rarity: Rarity = _no_rarity,
    person: bool = False,
    abjad: bool = False,
) -> dict[str, Any]:
    """The name similarity and the measures behind it. `measure` names the one that gave `name_similarity`
    (before `name_rules`, which only ever lower it), so the score shown is the score used."""
    aligned = alignment(query, name, rarity, person=person)
    sort_ratio = fuzz.token_sort_ratio(" ".join(query), " ".join(name)) / 100.0
    compact = fuzz.ratio("".join(query), "".join(name)) / 100.0
    candidates = [("alignment", aligned.score)]
    if len(query) != len(name) and _numbers(query) == _numbers(name):
        # Only where the names cut their words differently: glued or split words, Xi Jin Ping ~ Xi Jinping.
        candidates.append(("compact_ratio", compact * COMPACT_FACTOR))
    skeleton = None
    if abjad:
        skeleton = alignment(skeleton_tokens(query), skeleton_tokens(name), person=person).score
        candidates.append(("consonant_skeleton", skeleton * SKELETON_FACTOR))
    measure, best = max(candidates, key=lambda item: item[1])
    rules: list[dict[str, Any]] = []
    if _numbers(query) != _numbers(name) and (_numbers(query) and _numbers(name)):
        rules.append(
            {
                "rule": "numbers_differ",
                "detail": f"numbers {' '.join(_numbers(query))} and {' '.join(_numbers(name))} differ: "
                f"capped at {NUMBERS_DIFFER_CAP}",
            }
        )
        best = min(best, NUMBERS_DIFFER_CAP)
    cjk = cjk_agreement(query_text, name_text) if query_text and name_text and _has_cjk(query_text) else None
    if cjk is not None and best > 0.5 + 0.5 * cjk:
        best = 0.5 + 0.5 * cjk
        rules.append({"rule": "cjk_characters", "detail": f"{cjk:.0%} of the CJK characters agree: capped"})
    overlap = len(set(query) & set(name)) / max(len(set(query) | set(name)), 1)
    parts: dict[str, Any] = {
        "name_similarity": round(best, 4),
        "measure": measure,
        "alignment": round(aligned.score, 4),
        "token_sort_ratio": round(sort_ratio, 4),
        "compact_ratio": round(compact, 4),
        "token_overlap": round(overlap, 4),
        "coverage_query_side": round(aligned.short_cover if len(query) <= len(name) else aligned.long_cover, 4),
        "name_rules": rules,
    }
    if aligned.anchored:
        parts["short_form"] = True
    if skeleton is not None:
        parts["consonant_skeleton"] = round(skeleton, 4)
    return parts


_VOWELS = re.compile(r"[aeiouyw]")


def skeleton_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Consonants only, doubles collapsed: how Arabic and Hebrew write names (short vowels are not written):
    muhammad and mhmd are both 'mhmd'."""
    out = []
    for token in tokens:
        body = _collapse_doubles(_VOWELS.sub("", token[1:]))
        first = token[0] if token[0] not in "aeiouyw" else ""
        skeleton = _collapse_doubles(first + body)
        if skeleton:
            out.append(skeleton)
    return tuple(out) or tokens


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


@dataclass(frozen=True)
class QueryForm:
    """One way of reading the screened name: its main part or an alias its annotations carry, in one spelling."""

    tokens: tuple[str, ...]
    weak: tuple[str, ...]
    text: str
    abjad: bool


@functools.lru_cache(maxsize=20_000)
def query_forms(name: str, kind: str = "") -> tuple[QueryForm, ...]:
    main, aliases = split_annotations(name, vessel=kind == EntryKind.VESSEL)
    forms: dict[tuple[str, ...], QueryForm] = {}
    for part in (main, *aliases):
        for spelling in spellings(part):
            analysed = analyse(spelling)
            if analysed.strong and analysed.strong not in forms:
                forms[analysed.strong] = QueryForm(analysed.strong, analysed.weak, part, is_abjad(spelling))
    return tuple(forms.values())


def match(
    query: Query,
    *,
    index: ScreeningIndex | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """Ranked hits at or above `threshold`, at most one per list entry, each with its explanation. The name is
    read in every form it carries (main part and annotated aliases, each spelling); the best reading counts."""
    index = index if index is not None else current_index()
    query = clean_query(query)
    forms = query_forms(query.name, query.kind)
    if not forms:
        return []
    best: dict[int, Hit] = {}
    rarity = index.rarity
    for form in forms:
        tokens = form.tokens
        # The CJK comparison only applies when the query is written in those characters: decide once per form.
        query_text = form.text if _has_cjk(form.text) else ""
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
                tokens,
                index.name_strong[name_number],
                query_text=query_text,
                name_text=index.name_text[name_number],
                rarity=rarity,
                person=index.entries[entry_number].kind == EntryKind.PERSON,
                abjad=form.abjad,
            )
            _consider(index, query, form, best, entry_number, name_number, parts, share, threshold)
    for raw in query.identifiers:
        for entry_number in index.entries_with_identifier(raw):
            name_number = _first_name_of(index, entry_number)
            parts = name_similarity(forms[0].tokens, index.name_strong[name_number], rarity=rarity)
            _consider(index, query, forms[0], best, entry_number, name_number, parts, 0.0, threshold)
    hits = sorted(best.values(), key=lambda hit: (-hit.score, hit.entry_name))
    return hits[:limit]


def _first_name_of(index: ScreeningIndex, entry_number: int) -> int:
    import numpy as np

    return int(np.flatnonzero(index.name_entry == entry_number)[0])


def _consider(
    index: ScreeningIndex,
    query: Query,
    form: QueryForm,
    best: dict[int, Hit],
    entry_number: int,
    name_number: int,
    parts: dict[str, Any],
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
            "query_tokens": list(form.tokens),
            "ignored_weak_tokens": list(form.weak),
            "query_form": form.text,
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
