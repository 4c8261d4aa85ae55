"""Report benchmark: the five-year visit report as a ratio to building the same patient's snapshot.

Run with `make bench`. It builds its own temporary SQLite database (nothing else is touched), imports one
synthetic patient with five years of diary (painwise.core.synth, rich record), then times

  * build_snapshot(patient) — the baseline: reading the whole record (10 queries) into the snapshot
  * the report for the whole five years: build_snapshot + every analysis + HTML + PDF (weasyprint)
  * the same report as HTML only (no PDF), for context

and prints the medians, the ratios, the PDF's size and pages, and whether the target is met: the
five-year PDF report within 10x of building the snapshot. Timings are compared within this run only;
tests never assert them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="painwise-bench-report-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "painwise.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ["PAINWISE_DEMO"] = "0"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from painwise.core.synth import generate_patient  # noqa: E402
from painwise.exchange.importer import import_patient  # noqa: E402
from painwise.patients.snapshot import build_snapshot  # noqa: E402
from painwise.reports import services  # noqa: E402

REPEATS = 5
TARGET_RATIO = 10.0
YEARS = 5


def median_s(fn: Callable[[], object]) -> float:
    fn()  # warm-up (template loading, imports, font discovery)
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        end = dt.date.today() - dt.timedelta(days=1)
        t0 = time.perf_counter()
        record = generate_patient(5, username="bench-report", years=YEARS, rich=True, end_date=end).record
        patient = import_patient(record)
        rows = sum(len(record.get(k) or ()) for k in ("pain_entries", "dose_events", "therapy_sessions", "check_ins"))
        print(f"imported a {YEARS}-year synthetic patient ({rows:,} diary rows) in {time.perf_counter() - t0:.1f} s")
        snapshot = build_snapshot(patient.id)
        start = snapshot.first_day or end - dt.timedelta(days=365 * YEARS)

        def report(fmt: str) -> bytes:
            return services.render(services.report_content(patient, start, end), fmt)

        base = median_s(lambda: build_snapshot(patient.id))
        html = median_s(lambda: report("html"))
        pdf = median_s(lambda: report("pdf"))
        data = report("pdf")
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(f"period {start} to {end}; medians of {REPEATS} runs")
        print(f"{'step':<34}{'seconds':>10}{'ratio':>8}")
        print(f"{'build_snapshot (baseline)':<34}{base:>10.3f}{1:>8.2f}")
        print(f"{'report, HTML':<34}{html:>10.3f}{html / base:>8.2f}")
        print(f"{'report, PDF':<34}{pdf:>10.3f}{pdf / base:>8.2f}")
        print(f"PDF size {len(data) / 1024:.0f} KiB, {pages} pages")
        met = pdf / base <= TARGET_RATIO
        print(
            f"target (five-year PDF report within {TARGET_RATIO:g}x of building the snapshot): "
            f"{'MET' if met else 'NOT MET'} — ratio {pdf / base:.2f}"
        )
    finally:
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
