"""Screening quality on labelled sets built from the real public lists in ../shared/data/screening.

Index: UN SC consolidated XML, OFAC SDN 2024-05-03 (+ aliases and addresses), the EU journal transcription
(CC BY-NC: used here for measurement only, never shipped) and the Zala FtM fixture.
Positives: the yente UN pairs (query = the *treated* row: typos, swaps, reordering, ASCII-folding, shifted DOB;
expected = the entry whose name equals the *untreated* row; rows whose person is no longer listed are skipped and
counted). Negatives: yente synthetic persons (global + US, multi-script) and the 1,254 US members of Congress; any
hit on a negative is a false alert. Name-pair sets (nomenklatura name-bench, watchman cross-script pairs) are scored
pairwise with the same name similarity.

Prints precision, recall and F1 at the default threshold, false alerts per 1,000 clean names, and recall at the
threshold where false alerts are at most 1 in 1,000. BENCH_SCREENING_NEGATIVES (default 20,000) caps the
synthetic negatives for a quicker run."""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from excon.screening.index import IndexRecord
    from excon.screening.matching import Query

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SHARED = Path(os.environ.get("EXCON_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
DATA = SHARED / "screening"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "excon.settings.test")
    import django

    django.setup()


def real_records() -> Iterator[IndexRecord]:
    """IndexRecords of the real lists (parsed with the production importers)."""
    from excon.screening.enums import EntryKind
    from excon.screening.importers import ParseResult, parser_for
    from excon.screening.index import IndexRecord

    sets = [
        ("un", [DATA / "watchman/test_testdata_UN_consolidated.xml"]),
        (
            "ofac",
            [
                DATA / "ofac_sdn_2024-05-03.csv",
                DATA / "watchman/internal_tfidf_testdata_alt.csv",
                DATA / "watchman/internal_tfidf_testdata_add.csv",
            ],
        ),
        ("opensanctions", [DATA / "yente/tests_fixtures_dataset_zala_entities.ftm.json"]),
    ]
    for source, paths in sets:
        for entry in parser_for(source, paths)(paths, ParseResult()):
            yield IndexRecord(
                key=f"{source}:{entry.source_id}",
                source=source,
                source_id=entry.source_id,
                kind=entry.kind,
                primary_name=entry.primary_name,
                names=tuple(entry.names),
                countries=tuple(entry.countries),
                birth_dates=tuple(entry.birth_dates),
                identifiers=tuple((kind, value) for kind, value, _ in entry.identifiers),
                programme=entry.programme,
            )
    kinds = {"Person": EntryKind.PERSON, "Vessel": EntryKind.VESSEL, "Airplane": EntryKind.AIRCRAFT}
    from excon.refdata.countries import country_code

    for path in sorted((DATA / "eu_journal_sanctions_consolidated").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if not row.get("name"):
                    continue
                aliases = [a.strip() for a in (row.get("alias") or "").split(";") if a.strip()]
                weak = [a.strip() for a in (row.get("weakAlias") or "").split(";") if a.strip()]
                countries = {
                    country_code(c.strip(), successor=True) or ""
                    for key in ("country", "nationality")
                    for c in (row.get(key) or "").split(";")
                    if c.strip()
                }
                yield IndexRecord(
                    key=f"eu:{row['celex']}:{row['recordId']}",
                    source="eu",
                    source_id=f"{row['celex']}:{row['recordId']}",
                    kind=kinds.get(row.get("schema", ""), EntryKind.ORGANISATION),
                    primary_name=row["name"],
                    names=tuple((a, "strong") for a in aliases) + tuple((w, "weak") for w in weak),
                    countries=tuple(sorted(c for c in countries if c)),
                    birth_dates=tuple(d.strip() for d in (row.get("birthDate") or "").split(";") if d.strip()),
                )


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / "yente" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _query(row: dict[str, str], with_evidence: bool = True) -> Query:
    from excon.screening.matching import Query
    from excon.screening.normalise import normalise_country

    if not with_evidence:
        return Query(name=row["full_name"], kind="person")
    return Query(
        name=row["full_name"],
        kind="person",
        country=normalise_country(row.get("nationality", "")),
        birth_date=row.get("date_of_birth", ""),
    )


def main() -> None:
    if not DATA.is_dir():
        print(f"screening_quality: {DATA} not present; skipped")
        return
    _setup_django()
    from bench.screening_sets import build_cases, index_records_for
    from excon.screening.index import ScreeningIndex
    from excon.screening.matching import DEFAULT_THRESHOLD, match, name_similarity
    from excon.screening.normalise import analyse, normalise_name

    records = list(real_records())
    surnames = sorted(
        {
            row["full_name"].split()[-1]
            for row in _rows("contrib_candidate_generation_benchmark_fixtures_negatives_us.csv")[:5000]
            if row["full_name"].split()
        }
    )
    cases = build_cases(records, surnames)
    started = time.perf_counter()
    index = ScreeningIndex.build(index_records_for(records, cases))
    print(
        f"screening_quality: index of {len(index.entries):,} entries, {index.name_count:,} names "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    by_name: dict[str, set[int]] = {}
    for number, text in enumerate(index.name_text):
        by_name.setdefault(normalise_name(text), set()).add(int(index.name_entry[number]))
    floor = 0.5

    # Positives -----------------------------------------------------------------------------------------------
    untreated = _rows("contrib_candidate_generation_benchmark_fixtures_positives_un_untreated.csv")
    treated = _rows("contrib_candidate_generation_benchmark_fixtures_positives_un_treated.csv")
    positive_scores: list[float] = []
    positive_scores_name_only: list[float] = []
    skipped = 0
    for plain, mangled in zip(untreated, treated, strict=True):
        expected = by_name.get(normalise_name(plain["full_name"]))
        if not expected:
            skipped += 1
            continue
        keys = {index.entries[e].key for e in expected}
        for store, with_evidence in ((positive_scores, True), (positive_scores_name_only, False)):
            hits = match(_query(mangled, with_evidence), index=index, threshold=floor, limit=50)
            store.append(max((h.score for h in hits if h.entry_key in keys), default=0.0))

    # Negatives -----------------------------------------------------------------------------------------------
    cap = int(os.environ.get("BENCH_SCREENING_NEGATIVES", "20000"))
    negatives = (
        _rows("contrib_candidate_generation_benchmark_fixtures_negatives_global.csv")[: cap // 2]
        + _rows("contrib_candidate_generation_benchmark_fixtures_negatives_us.csv")[: cap // 2]
    )
    congress = _rows("contrib_candidate_generation_benchmark_fixtures_positives_us_congress_untreated.csv")
    negative_scores: list[float] = []
    examples: list[tuple[float, str, str]] = []
    started = time.perf_counter()
    for row in negatives + congress:
        hits = match(_query(row), index=index, threshold=floor, limit=1)
        score = hits[0].score if hits else 0.0
        negative_scores.append(score)
        if score >= DEFAULT_THRESHOLD:
            examples.append((score, row["full_name"], hits[0].matched_name))
    negative_seconds = time.perf_counter() - started

    def report(label: str, positives: list[float], threshold: float) -> None:
        tp = sum(score >= threshold for score in positives)
        fp = sum(score >= threshold for score in negative_scores)
        recall = tp / len(positives)
        precision = tp / (tp + fp) if tp + fp else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(
            f"  {label:<44} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
            f"false alerts {1000 * fp / len(negative_scores):.2f} per 1,000 clean names"
        )

    print(
        f"  positives: {len(positive_scores)} UN pairs ({skipped} skipped: not in the 2026 UN file); "
        f"negatives: {len(negatives):,} synthetic + {len(congress):,} US Congress "
        f"({len(negative_scores) / negative_seconds:,.0f} names/s)"
    )
    report(f"name + DOB + nationality @ {DEFAULT_THRESHOLD}", positive_scores, DEFAULT_THRESHOLD)
    report(f"name only @ {DEFAULT_THRESHOLD}", positive_scores_name_only, DEFAULT_THRESHOLD)
    ranked = sorted(negative_scores, reverse=True)
    allowed = len(ranked) // 1000
    cut = max(ranked[allowed] + 1e-6, floor) if allowed < len(ranked) else floor
    recall_at = sum(score >= cut for score in positive_scores) / len(positive_scores)
    print(f"  recall at <= 1 false alert per 1,000 clean names: {recall_at:.3f} (threshold {cut:.3f})")
    for threshold in (0.80, 0.83, 0.86, 0.88, 0.90, 0.92):
        report(f"name + DOB + nationality @ {threshold:.2f}", positive_scores, threshold)
    misses = sum(score < DEFAULT_THRESHOLD for score in positive_scores)
    print(f"  missed positives at the default threshold: {misses}")
    for score, name, matched in sorted(examples, reverse=True)[:8]:
        print(f"    false alert {score:.2f}: {name!r} ~ {matched!r}")

    category_report(index, cases, floor)

    # Name pairs ----------------------------------------------------------------------------------------------
    pairs: list[tuple[str, str, bool]] = []
    with open(DATA / "nomenklatura/contrib_name_bench_cases.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pairs.append((row["name1"], row["name2"], row["is_match"] == "true"))
    cross: list[tuple[str, str, bool]] = []
    with open(DATA / "watchman/internal_embeddings_testdata_cross_script_pairs.csv", encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                left, right = line.split(",")[:2]
                cross.append((left, right, True))
    for label, items in (("nomenklatura name-bench pairs", pairs), ("cross-script pairs (all matches)", cross)):
        tp = fp = fn = tn = 0
        for left, right, truth in items:
            score = name_similarity(analyse(left).strong, analyse(right).strong)["name_similarity"]
            predicted = score >= DEFAULT_THRESHOLD
            tp += predicted and truth
            fp += predicted and not truth
            fn += (not predicted) and truth
            tn += (not predicted) and not truth
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"  {label:<44} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  (TP {tp} FP {fp} FN {fn} TN {tn})")


HARD_PAIRS = {
    "company_annotations",
    "abbreviations",
    "short_name_typos",
    "vessel_annotations",
    "numbered_same",
    "siblings",
    "numbered",
    "other_place",
}


def category_report(index: Any, cases: list[Any], floor: float) -> None:
    """Per category and per part (tuning / hold-out): recall of positives, false alerts per 1,000 negatives, and
    F1 on the hard company and vessel pairs; beside the engine, rapidfuzz WRatio at its best threshold (chosen on
    the tuning part) and, where it is installed, OpenSanctions logic-v2."""
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    from excon.screening.matching import DEFAULT_THRESHOLD, match

    show_holdout = os.environ.get("BENCH_HOLDOUT") == "1"
    cap = int(os.environ.get("BENCH_CASES_PER_CATEGORY", "0"))
    if cap:  # a quicker run: the first `cap` cases of each category and part (the order is the lists' order)
        kept: dict[tuple[str, bool], int] = {}
        sampled = []
        for case in cases:
            group = (case.category, case.holdout)
            if kept.get(group, 0) < cap:
                kept[group] = kept.get(group, 0) + 1
                sampled.append(case)
        cases = sampled
    names_of: dict[str, list[str]] = {}
    for number, text in enumerate(index.name_text):
        names_of.setdefault(index.entries[int(index.name_entry[number])].key, []).append(text)
    engine: list[float] = []
    wratio: list[float] = []
    started = time.perf_counter()
    for case in cases:
        hits = match(case.query, index=index, threshold=floor, limit=50)
        engine.append(max((h.score for h in hits if h.entry_key == case.entry_key), default=0.0))
        query = default_process(case.query.name)
        wratio.append(
            max((fuzz.WRatio(query, default_process(n)) / 100 for n in names_of.get(case.entry_key, [])), default=0.0)
        )
    seconds = time.perf_counter() - started
    logic_v2 = _logic_v2_scores(cases, names_of)

    def measure(scores: list[float], threshold: float, selected: list[int]) -> tuple[float, float, float, int, int]:
        positives = [i for i in selected if cases[i].positive]
        negatives = [i for i in selected if not cases[i].positive]
        tp = sum(scores[i] >= threshold for i in positives)
        fp = sum(scores[i] >= threshold for i in negatives)
        recall = tp / len(positives) if positives else float("nan")
        alerts = 1000 * fp / len(negatives) if negatives else float("nan")
        precision = tp / (tp + fp) if tp + fp else 1.0
        f1 = 2 * precision * recall / (precision + recall) if positives and precision + recall else float("nan")
        return recall, alerts, f1, len(positives), len(negatives)

    tuning = [i for i, case in enumerate(cases) if not case.holdout]
    hard_tuning = [i for i in tuning if cases[i].category in HARD_PAIRS]
    best_wratio = max((t / 100 for t in range(50, 100)), key=lambda t: measure(wratio, t, hard_tuning)[2])
    anchors = [("engine", engine, DEFAULT_THRESHOLD), ("WRatio", wratio, best_wratio)]
    if logic_v2 is not None:
        anchors.append(("logic-v2", logic_v2, 0.7))
    print(
        f"  categories: {len(cases):,} cases ({sum(c.holdout for c in cases):,} held out), "
        f"{len(cases) / seconds:,.0f} cases/s; WRatio best threshold on the tuning hard pairs {best_wratio:.2f}"
        + ("" if logic_v2 is not None else "; logic-v2: nomenklatura not installed, not run")
    )
    parts = [("tuning", False)] + ([("hold-out", True)] if show_holdout else [])
    categories = sorted({case.category for case in cases})
    for part, holdout in parts:
        print(f"  [{part}] category: n+/n-  " + "  ".join(f"{label} R / FA‰ / F1" for label, _, _ in anchors))
        groups = [(c, [i for i, k in enumerate(cases) if k.category == c and k.holdout == holdout]) for c in categories]
        groups.append(
            (
                "HARD company+vessel pairs",
                [i for i, k in enumerate(cases) if k.category in HARD_PAIRS and k.holdout == holdout],
            )
        )
        groups.append(("ALL positives", [i for i, k in enumerate(cases) if k.positive and k.holdout == holdout]))
        for label, selected in groups:
            row = []
            counts = ""
            for _, scores, threshold in anchors:
                recall, alerts, f1, n_pos, n_neg = measure(scores, threshold, selected)
                counts = f"{n_pos}/{n_neg}"
                row.append(f"{recall:.3f} / {alerts:6.1f} / {f1:.3f}")
            print(f"    {label:<28} {counts:>10}  " + "   ".join(row))
    if os.environ.get("BENCH_SHOW_MISSES"):
        for i in tuning:
            case = cases[i]
            wrong = engine[i] < DEFAULT_THRESHOLD if case.positive else engine[i] >= DEFAULT_THRESHOLD
            if wrong and case.category in os.environ["BENCH_SHOW_MISSES"].split(","):
                print(
                    f"    {'miss' if case.positive else 'alert'} {case.category} {engine[i]:.2f} "
                    f"{case.query.name!r} ~ {names_of.get(case.entry_key, ['?'])[0]!r}"
                )


def _logic_v2_scores(cases: list[Any], names_of: dict[str, list[str]]) -> list[float] | None:
    """OpenSanctions' logic-v2 name score per case, from an interpreter that has nomenklatura installed
    (BENCH_NOMENKLATURA_PYTHON), since it is not a dependency of ExCon. None when not available."""
    import json
    import subprocess

    python = os.environ.get("BENCH_NOMENKLATURA_PYTHON")
    script = Path(__file__).resolve().parent / "logic_v2_scores.py"
    if not python or not Path(python).exists():
        return None
    payload = [
        {
            "schema": "Person" if c.query.kind == "person" else "Vessel" if c.query.kind == "vessel" else "Company",
            "query": c.query.name,
            "names": names_of.get(c.entry_key, []),
        }
        for c in cases
    ]
    done = subprocess.run([python, str(script)], input=json.dumps(payload), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"  logic-v2 not run: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
        return None
    return [float(x) for x in json.loads(done.stdout)]


if __name__ == "__main__":
    main()
