"""Load and faults, measured: `python -m bench.load` (or `make load`).

Starts a production stack of its own (bench/stack.py) on a PostgreSQL cluster of its own (port 5440, under /tmp)
and a Redis of its own (port 6391), so restarting them disturbs nobody; seeds it (bench/load_seed.py); then runs
locust headless on loopback (bench/locustfile.py), bounded in time, first without a fault (the baseline, in the
same run), then once per fault and repetition, the fault injected a third of the way in:

- worker_kill       the Celery worker SIGKILLed while it runs the nightly re-screening, then started again;
- redis_restart     Redis stopped and started again (its append-only file keeps queued messages);
- postgres_restart  PostgreSQL restarted (fast shutdown: every connection cut);
- web_kill          one gunicorn worker process SIGKILLed (the master starts another).

For each run it prints requests, throughput, p50/p95/p99 per request type and the error rate, the outage window
(fault start until /readyz passes again) and the server errors inside and outside it. After each run: every customs
batch acknowledged is in the database with its shipments, the re-screening job ran exactly once per slot and
finished, and `excon audit-verify` passes.

Scale: EXCON_LOAD_USERS (default 12), EXCON_LOAD_SECONDS per run (default 40), EXCON_LOAD_REPEATS per fault
(default 2), EXCON_LOAD_FAULTS (comma list, default all four), EXCON_LOAD_DRAFTS (default 300).
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .stack import BIN, ROOT, OwnPostgres, Stack

USERS = int(os.environ.get("EXCON_LOAD_USERS", "12"))
SECONDS = int(os.environ.get("EXCON_LOAD_SECONDS", "40"))
REPEATS = int(os.environ.get("EXCON_LOAD_REPEATS", "2"))
ALL_FAULTS = "worker_kill,redis_restart,postgres_restart,web_kill"
FAULTS = [fault for fault in os.environ.get("EXCON_LOAD_FAULTS", ALL_FAULTS).split(",") if fault]
DRAFTS = int(os.environ.get("EXCON_LOAD_DRAFTS", "300"))
WEB_PORT, REDIS_PORT, PG_PORT = 8180, 6391, 5440


@dataclass
class Run:
    label: str
    events: list[dict[str, Any]]
    seconds: float
    window: tuple[float, float] | None = None
    acks: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)

    def failed(self, event: dict[str, Any]) -> bool:
        return event["status"] == 0 or event["status"] >= 500

    def inside(self, event: dict[str, Any]) -> bool:
        return self.window is not None and self.window[0] <= event["t"] <= self.window[1] + 1.0

    def summary(self) -> dict[str, Any]:
        by_name: dict[str, list[float]] = defaultdict(list)
        for event in self.events:
            by_name[event["name"]].append(event["ms"])
        errors = [e for e in self.events if self.failed(e)]
        return {
            "label": self.label,
            "requests": len(self.events),
            "throughput_rps": round(len(self.events) / self.seconds, 1),
            "error_rate_pct": round(100 * len(errors) / max(1, len(self.events)), 2),
            "errors_inside_window": sum(1 for e in errors if self.inside(e)),
            "errors_outside_window": sum(1 for e in errors if not self.inside(e)),
            "window_s": round(self.window[1] - self.window[0], 1) if self.window else None,
            "errors": sorted({f"{e['name']}: {e['status'] or e.get('error')}" for e in errors}),
            "per_type": {name: percentiles(times) for name, times in sorted(by_name.items())},
            "checks": self.checks,
            "notes": self.notes,
        }


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    if len(ordered) < 2:
        only = round(ordered[0]) if ordered else 0
        return {"n": len(ordered), "p50": only, "p95": only, "p99": only}
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"n": len(ordered), "p50": round(cuts[49]), "p95": round(cuts[94]), "p99": round(cuts[98])}


def locust(stack: Stack, seed: Path, events: Path, seconds: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            stack.url,
            "-u",
            str(USERS),
            "-r",
            str(max(1, USERS // 2)),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "EXCON_LOAD_SEED": str(seed), "EXCON_LOAD_EVENTS": str(events)},
        stdout=(stack.root / "logs" / "locust.log").open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_ready_after(stack: Stack, started: float, timeout: float = 120) -> float:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if stack.readyz()[0] == 200:
            return time.time()
        time.sleep(0.2)
    return time.time()


def inject(fault: str, stack: Stack, postgres: OwnPostgres, run: Run) -> None:
    started = time.time()
    if fault == "worker_kill":
        # The nightly re-screening, sent as beat sends it (a slot length of its own so each repetition claims a
        # fresh slot); the worker is SIGKILLed as soon as it has claimed the slot, or after 3 s if it has not.
        from celery import Celery

        period = 3600 + int(started) % 1000
        Celery("excon-load", broker=stack.redis_url).send_task(
            "excon.screening.tasks.rescreen_all", kwargs={"slot_seconds": period}
        )
        claims = f"FROM core_scheduledjobclaim WHERE job = 'rescreen-parties' AND claimed_at >= to_timestamp({started})"
        for _ in range(150):
            if stack.sql(f"SELECT count(*) {claims}") != "0":
                break
            time.sleep(0.02)
        state = stack.sql(f"SELECT coalesce(bool_and(finished_at IS NOT NULL)::text, 'unclaimed') {claims}")
        stack.signal("worker", signal.SIGKILL)
        stack.processes.pop("worker").wait()
        run.notes.append(
            {
                "unclaimed": "worker killed before it took the task",
                "false": "worker killed mid-task",
                "true": "worker killed after the task finished",
            }[state]
        )
        time.sleep(1)
        stack.start("worker")
        run.checks["rescreen_since"] = started
    elif fault == "redis_restart":
        stack.restart_redis(down_seconds=3)
    elif fault == "postgres_restart":
        postgres.restart()
    elif fault == "web_kill":
        master = stack.processes["web"].pid
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
        workers = (
            subprocess.run(["pgrep", "-P", children[0]], capture_output=True, text=True).stdout.split()
            if children
            else []
        )
        victim = int((workers or children)[0])
        os.kill(victim, signal.SIGKILL)
        run.notes.append(f"killed gunicorn worker {victim}")
    run.window = (started, wait_ready_after(stack, started))


def after_run_checks(stack: Stack, run: Run) -> None:
    acknowledged = {e["batch_ack"] for e in run.acks if 200 <= e["status"] < 300}
    # Said whatever happened, so a run where customs was refused every batch cannot pass as "nothing lost".
    run.checks["batches_acknowledged"] = len(acknowledged)
    refused = sorted({e["status"] for e in run.acks if not 200 <= e["status"] < 300})
    if refused:
        run.checks["batch_refusal_statuses"] = refused
    if acknowledged:
        ids = ",".join(f"'{b}'" for b in acknowledged)
        # The ids are the load test's own uuids.
        found = int(stack.sql(f"SELECT count(*) FROM licences_customsbatch WHERE batch_id IN ({ids})"))
        shipments = int(
            stack.sql(
                "SELECT count(*) FROM licences_shipment s JOIN licences_customsbatch b ON s.batch_id = b.id "
                f"WHERE b.batch_id IN ({ids})"
            )
        )
        run.checks["batches_lost"] = len(acknowledged) - found
        run.checks["shipments_of_acknowledged_batches"] = shipments
    if "rescreen_since" in run.checks:
        claims = (
            f"FROM core_scheduledjobclaim WHERE job = 'rescreen-parties' "
            f"AND claimed_at >= to_timestamp({run.checks.pop('rescreen_since')})"
        )
        deadline = time.time() + 90  # a message whose worker vanished comes back after the visibility timeout (20 s)
        rows = finished = "0"
        while time.time() < deadline:
            rows = stack.sql(f"SELECT count(*) {claims}")
            finished = stack.sql(f"SELECT count(*) {claims} AND finished_at IS NOT NULL")
            if finished == "1":
                break
            time.sleep(1)
        run.checks["rescreen_claims"] = int(rows)
        run.checks["rescreen_finished"] = finished == "1"
        run.checks["duplicate_open_hits"] = int(
            stack.sql(
                "SELECT count(*) FROM (SELECT target_id, entry_id, party_fingerprint FROM screening_screeninghit "
                "WHERE status = 'open' GROUP BY 1, 2, 3 HAVING count(*) > 1) d"
            )
        )
    verify = stack.excon("audit_verify", check=False)
    run.checks["audit_verify"] = verify.strip().splitlines()[-1] if verify.strip() else "FAILED"


def one_run(label: str, fault: str | None, stack: Stack, postgres: OwnPostgres, seed: Path) -> Run:
    events_file = stack.root / f"events-{label}.jsonl"
    started = time.time()
    process = locust(stack, seed, events_file, SECONDS)
    run = Run(label=label, events=[], seconds=SECONDS)
    if fault:
        time.sleep(SECONDS / 3)
        inject(fault, stack, postgres, run)
    process.wait(timeout=SECONDS + 120)
    run.seconds = time.time() - started
    lines = [json.loads(line) for line in events_file.read_text().splitlines() if line.strip()]
    run.events = [line for line in lines if "batch_ack" not in line]
    run.acks = [line for line in lines if "batch_ack" in line]
    after_run_checks(stack, run)
    return run


def print_run(summary: dict[str, Any]) -> None:
    print(
        f"\n== {summary['label']}: {summary['requests']} requests, {summary['throughput_rps']} req/s, "
        f"errors {summary['error_rate_pct']} % (inside outage {summary['errors_inside_window']}, outside "
        f"{summary['errors_outside_window']}), outage window {summary['window_s']} s"
    )
    print(f"   {'request type':32} {'n':>6} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for name, cut in summary["per_type"].items():
        print(f"   {name:32} {cut['n']:>6} {cut['p50']:>6} {cut['p95']:>6} {cut['p99']:>6}")
    print(f"   checks: {summary['checks']}  {'; '.join(summary['notes'])}", flush=True)
    if summary["errors"]:
        print(f"   errors: {summary['errors']}", flush=True)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="excon-load-"))
    postgres = OwnPostgres(folder=Path(tempfile.gettempdir()) / f"excon-load-pg{PG_PORT}", port=PG_PORT)
    postgres.start()
    stack = Stack(
        root=work,
        web_port=WEB_PORT,
        redis_port=REDIS_PORT,
        pg_port=PG_PORT,
        web_workers=3,
        worker_concurrency=2,
        extra_env={"EXCON_TASK_VISIBILITY_SECONDS": "20"},
    )
    results = []
    try:
        print(
            f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f}; {USERS} users, {SECONDS} s per run",
            flush=True,
        )
        stack.prepare(refdata=False, static=False, admin=False)
        seed = work / "seed.json"
        print(stack.excon_module("bench.load_seed", str(seed), str(DRAFTS)).strip().splitlines()[-1], flush=True)
        stack.start_all()
        stack.wait_ready(timeout=180)
        baseline = one_run("baseline", None, stack, postgres, seed)
        results.append(baseline.summary())
        print_run(results[-1])
        for fault in FAULTS:
            for repeat in range(1, REPEATS + 1):
                run = one_run(f"{fault} #{repeat}", fault, stack, postgres, seed)
                results.append(run.summary())
                print_run(results[-1])
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "load-results.json").write_text(json.dumps(results, indent=2))
    finally:
        stack.teardown(keep=bool(os.environ.get("EXCON_LOAD_KEEP")))
        postgres.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
