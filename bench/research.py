"""Research benchmark: the cohort analyses over 1,000 synthetic patients × 2 years.

Run with `make bench` (or `python bench/research.py [--patients N]`). It writes a synthetic cohort to a
temporary directory (one `painwise synth` document per patient, generated one at a time so memory stays
flat), then times

  * the baseline: reading and parsing the same JSON files (what any analysis of the files must do)
  * loading the cohort (`painwise.core.research.load_cohort`: tables, canonical units, exposure)
  * each analysis (`ferritin_exposure` … `mediation`, the latter with its 200-resample bootstrap)

and prints wall and CPU seconds, the ratio of each step's CPU time to the baseline read's, and peak
memory: for the load, the growth of the process's peak resident size; for each analysis, the peak traced
by tracemalloc during a second, untimed run (tracing slows allocation, so it is kept out of the timings).
Nothing is asserted; timings are for this run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from painwise.core.research.analyses import ANALYSIS_NAMES, run_analysis
from painwise.core.research.cohort import load_cohort
from painwise.core.synth.cohort import generate_patient

SEED, YEARS, END = 20261128, 2.0, dt.date(2026, 10, 31)


def write_cohort(root: Path, n: int) -> int:
    folder = root / "patients"
    folder.mkdir(parents=True)
    size = 0
    for index in range(n):
        name = f"synth-{index + 1:04d}"
        record = generate_patient([SEED, index], username=name, years=YEARS, end_date=END, effect_strength=1.0).record
        text = json.dumps(record)
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        size += len(text)
    return size


def read_all(root: Path) -> int:
    return sum(len(json.loads(p.read_text(encoding="utf-8"))) for p in sorted((root / "patients").glob("*.json")))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="painwise-research-bench-"))
    try:
        t0 = time.perf_counter()
        size = write_cohort(root, args.patients)
        print(f"wrote {args.patients:,} synthetic patients × {YEARS:g} years ({size / 2**20:,.0f} MiB of JSON) "
              f"in {time.perf_counter() - t0:.0f} s")  # fmt: skip

        t0, c0 = time.perf_counter(), time.process_time()
        read_all(root)
        baseline, baseline_cpu = time.perf_counter() - t0, time.process_time() - c0

        rss_before = peak_rss_mib()
        t0, c0 = time.perf_counter(), time.process_time()
        cohort = load_cohort(root)
        load = (time.perf_counter() - t0, time.process_time() - c0)
        load_mib = max(peak_rss_mib() - rss_before, 0.0)

        rows = [("read JSON (baseline)", baseline, baseline_cpu, None, "")]
        rows.append(("load_cohort", *load, load_mib, "peak RSS growth"))
        for name in ANALYSIS_NAMES:
            t0, c0 = time.perf_counter(), time.process_time()
            result = run_analysis(name, cohort)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            tracemalloc.start()
            run_analysis(name, cohort)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            note = f"{result.estimate:.4g} [{result.ci_low:.4g}, {result.ci_high:.4g}]"
            rows.append((name, seconds, cpu, peak, note))

        print(f"{cohort.n_patients:,} patients, {len(cohort.labs):,} lab results; ratio = CPU time / baseline CPU")
        print(f"{'step':<24}{'wall s':>9}{'CPU s':>9}{'ratio':>8}{'peak MiB':>10}  estimate [95% CI] / note")
        for name, seconds, cpu, mib, note in rows:
            ratio = cpu / baseline_cpu if baseline_cpu else float("nan")
            shown = "" if mib is None else f"{mib:.0f}"
            print(f"{name:<24}{seconds:>9.2f}{cpu:>9.2f}{ratio:>8.2f}{shown:>10}  {note}")
        total = sum(r[2] for r in rows[1:])
        print(f"load + all analyses: {total:.1f} CPU s ({total / baseline_cpu:.1f}x the CPU time to read the files); "
              "wall time depends on what else the machine is doing")  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
