"""FHIR benchmark: mapping a five-year patient to a Bundle and back, against reading the same export
document into the PatientSnapshot (the baseline, measured in the same run).

Run with `make bench` (or `.venv/bin/python bench/fhir_exchange.py`). Pure: no database. It times, as medians of
REPEATS runs on one synthetic patient with five years of diary:

  * baseline: `snapshot_from_export(document)` — the read every consumer of the record pays
  * export:   `snapshot_to_bundle(snapshot)` — the pure FHIR mapping (what GET .../fhir adds to the read)
  * read back: `bundle_to_export(bundle)` without model validation — the mapping of an import
  * validate: every resource against the fhir.resources models (import pays this once per resource)

and prints each as milliseconds and as a ratio to the baseline. The target line: the export mapping
within 2x of the baseline read, so serving FHIR costs at most about what building the snapshot does.
Timings are compared within this run only; tests never assert them.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from painwise.core.fhir import bundle_to_export, snapshot_to_bundle, validation_error
from painwise.core.fhir import read as fhir_read
from painwise.core.snapshot import snapshot_from_export
from painwise.core.synth.cohort import generate_patient

REPEATS = 5
TARGET_RATIO = 2.0


def median_ms(fn: Callable[[], Any], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    document = generate_patient(5, username="bench-fhir", years=5, sex="female").record
    snapshot = snapshot_from_export(document)
    now = dt.datetime.now(dt.UTC)
    bundle = json.loads(json.dumps(snapshot_to_bundle(snapshot, timestamp=now)))
    entries = bundle["entry"]

    baseline = median_ms(lambda: snapshot_from_export(document))
    export = median_ms(lambda: snapshot_to_bundle(snapshot, timestamp=now))
    with mock.patch.object(fhir_read, "validation_error", lambda resource: None):
        read_back = median_ms(lambda: bundle_to_export(bundle, now=now))
    validate = median_ms(lambda: [validation_error(e["resource"]) for e in entries], repeats=1)

    print(f"FHIR bench: one patient, 5 years, {len(entries)} resources; medians of {REPEATS} runs")
    print(f"{'step':<34}{'ms':>10}{'x baseline':>12}")
    for name, value in (
        ("baseline: snapshot_from_export", baseline),
        ("export: snapshot_to_bundle", export),
        ("read back: bundle_to_export", read_back),
        ("validate every resource (1 run)", validate),
    ):
        print(f"{name:<34}{value:>10.1f}{value / baseline:>12.2f}")
    ratio = export / baseline
    verdict = "MET" if ratio <= TARGET_RATIO else "NOT MET"
    print(f"target: export mapping within {TARGET_RATIO:g}x of the snapshot read: {ratio:.2f}x {verdict}")


if __name__ == "__main__":
    main()
