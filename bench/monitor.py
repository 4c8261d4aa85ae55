"""Monitoring benchmark: evaluate every rule for 1,000 and 10,000 synthetic patients.

Run with `make bench` (after bench/run.py) or `python bench/monitor.py [POOL]`. No database: it generates
POOL distinct synthetic patients (one year of diary each, `painwise.core.synth`, default 40), reads them
into PatientSnapshots, and evaluates N = 1,000 and N = 10,000 patients, patient i being a fresh copy of
pool patient i mod POOL (dataclasses.replace: same records, no derived values carried over, so each
evaluation does all its work). It prints patients per second, the ratio of the time for 10,000 to the
time for 1,000 (linear scaling gives 10.0), the same-run baseline of one plain pass over every record
of the same patients, and whether the target is met: 10,000 patients in under 10 s on this machine.
Timings are best-of-REPEATS within this run only; tests never assert them. Load from other processes
slows everything alike; the load average is printed with the results.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from painwise.core.rules import evaluate
from painwise.core.snapshot import PatientSnapshot, snapshot_from_export
from painwise.core.synth.cohort import generate_patient

AS_OF = dt.date(2026, 6, 30)
SIZES = (1_000, 10_000)
REPEATS = 2
TARGET_SECONDS = 10.0


def pool(size: int) -> list[PatientSnapshot]:
    return [
        snapshot_from_export(generate_patient(seed, username=f"bench-{seed:04d}", years=1, end_date=AS_OF).record)
        for seed in range(size)
    ]


def copies(snapshots: list[PatientSnapshot], n: int) -> list[PatientSnapshot]:
    return [replace(snapshots[i % len(snapshots)]) for i in range(n)]


def time_evaluate(snapshots: list[PatientSnapshot], n: int) -> tuple[float, int]:
    best, findings = float("inf"), 0
    for _ in range(REPEATS):
        batch = copies(snapshots, n)  # made before the clock starts
        batch.reverse()
        started = time.perf_counter()
        findings = 0
        while batch:  # each snapshot is dropped once evaluated, as `painwise monitor run` does
            findings += len(evaluate(batch.pop(), AS_OF))
        best = min(best, time.perf_counter() - started)
    return best, findings


def time_baseline(snapshots: list[PatientSnapshot], n: int) -> float:
    """One plain pass over every diary, lab and questionnaire record (reading one field of each)."""
    batch = copies(snapshots, n)
    batch.reverse()
    started = time.perf_counter()
    while batch:
        snapshot = batch.pop()
        for records in (snapshot.pain, snapshot.doses, snapshot.check_ins, snapshot.side_effects, snapshot.labs):
            for record in records:
                record.day  # noqa: B018 - the read is the work being timed
    return time.perf_counter() - started


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    started = time.perf_counter()
    snapshots = pool(size)
    records = sum(len(s.pain) + len(s.doses) + len(s.check_ins) + len(s.labs) for s in snapshots) / size
    print(
        f"monitoring bench: {size} distinct synthetic patients (1 year, ~{records:.0f} records each) built in "
        f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'patients':>9} {'seconds':>8} {'patients/s':>11} {'ms/patient':>11} {'findings':>9} "
        f"{'plain pass s':>13} {'vs plain pass':>14}"
    )
    times = {}
    for n in SIZES:
        seconds, findings = time_evaluate(snapshots, n)
        times[n] = seconds
        baseline = time_baseline(snapshots, n)
        print(
            f"{n:>9,} {seconds:>8.2f} {n / seconds:>11,.0f} {seconds / n * 1000:>11.3f} {findings:>9,} "
            f"{baseline:>13.2f} {seconds / baseline:>13.1f}x"
        )
    ratio = times[SIZES[1]] / times[SIZES[0]]
    met = times[SIZES[1]] < TARGET_SECONDS
    print(f"time ratio 10,000 / 1,000: {ratio:.2f} (linear: 10.0)")
    print(
        f"target (10,000 patients in under {TARGET_SECONDS:g} s, linear): {'MET' if met else 'NOT MET'} — "
        f"{times[SIZES[1]]:.2f} s, ratio {ratio:.2f}"
    )


if __name__ == "__main__":
    main()
