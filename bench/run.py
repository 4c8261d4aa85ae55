"""Dashboard benchmark: a patient with five years of diary vs raw SQL reading the same rows.

Run with `make bench`. It builds its own temporary SQLite database (nothing else is touched), bulk-inserts
a synthetic diary (~7,300 pain entries, ~10,000 dose events), then times

  * the full patient dashboard through Django's test Client (session, auth, selectors, SVG, template)
  * sqlite3 reading the rows that page aggregates (pain, dose and session rows in the window)

  * a trivial signed-in page (the patient's own access log, /me/audit/, a few rows): the fixed cost of
    any page (session, sign-in, middleware, base template and navigation)

and prints a table (window, dashboard ms, raw SQL ms, rows, ratio, the dashboard's query count for the
one-year and the five-year patient) and a last line saying whether the targets are met: the five-year
dashboard (window=all) within 2x of the raw SQL, with the same query count at one and five years, and
the 90-day dashboard within 3x of the trivial page.
Timings are medians of REPEATS interleaved runs in CPU time, compared within this run only; tests never
assert them.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

TMP = Path(tempfile.mkdtemp(prefix="painwise-bench-"))
DB = TMP / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "painwise.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["PAINWISE_DEMO"] = "0"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from painwise.accounts.models import User  # noqa: E402
from painwise.diary.models import DoseEvent, PainEntry, SideEffect, TherapySession  # noqa: E402
from painwise.patients.models import Patient  # noqa: E402
from painwise.patients.services import patient_create  # noqa: E402
from painwise.treatment.services import therapy_create  # noqa: E402

REPEATS = 25
# CPU time by default (robust to other work on a shared machine); PAINWISE_BENCH_CLOCK=wall for wall time.
CLOCK = time.perf_counter if os.environ.get("PAINWISE_BENCH_CLOCK") == "wall" else time.process_time
SITES = ("lower_back", "neck", "knee_left", "head")


def make_patient(username: str, years: int) -> tuple[User, Patient, int]:
    """A patient with `years` of diary: 4 pain entries and ~5.5 dose events a day, a session every other day."""
    user = User.objects.create_user(username=username, role="patient")
    patient = patient_create(
        actor=user, user=user, date_of_birth=dt.date(1979, 4, 2), sex_at_birth="female", time_zone="Europe/London"
    )
    start = timezone.localdate() - dt.timedelta(days=365 * years)
    product = therapy_create(
        actor=user,
        patient=patient,
        data={"kind": "kratom", "name": "Red Bali powder", "start_date": start, "form": "leaf_powder", "unit": "g"},
    )
    rng = random.Random(years)
    now = timezone.now()
    pain, doses, sessions, effects = [], [], [], []
    for day in range(365 * years + years // 4):
        base = now - dt.timedelta(days=day, hours=1)
        level = 4 + 2 * rng.random()
        for h in (0, 4, 8, 12):
            nrs = max(0, min(10, round(level + rng.gauss(0, 1.5))))
            pain.append(
                PainEntry(
                    patient=patient, occurred_at=base - dt.timedelta(hours=h), body_site=rng.choice(SITES), nrs=nrs
                )
            )
        for h in range(5 + (day % 2)):  # 5.5 a day on average
            status = "skipped" if rng.random() < 0.05 else "taken"
            doses.append(
                DoseEvent(patient=patient, occurred_at=base - dt.timedelta(hours=2 * h + 1), product=product,
                          amount=Decimal("2.5"), unit="g", status=status)
            )  # fmt: skip
        if day % 2 == 0:
            sessions.append(
                TherapySession(
                    patient=patient, occurred_at=base, modality="physical_therapy", status="done", minutes=30
                )
            )
        if day % 60 == 0:
            effects.append(SideEffect(patient=patient, occurred_at=base, kind="hair_shedding", ctcae_grade=1))
    tables: tuple[tuple[Any, list[Any]], ...] = (
        (PainEntry, pain), (DoseEvent, doses), (TherapySession, sessions), (SideEffect, effects)
    )  # fmt: skip
    for model, rows in tables:
        model.objects.bulk_create(rows, batch_size=2000)
    return user, patient, len(pain) + len(doses) + len(sessions) + len(effects)


def paired_ms(page: Callable[[], object], base: Callable[[], object]) -> tuple[float, float, float]:
    """Median CPU ms of `page` and of `base`, and the median of their per-round ratios.

    Everything runs in this process (SQLite is in-process), so CPU time is the work done whatever else
    the shared machine is doing; the two are interleaved round by round so that what noise is left
    (caches, frequency) falls on both alike.
    """
    page(), base()  # warm caches (templates, statements) before timing
    a, b = [], []
    for _ in range(REPEATS):
        for fn, samples in ((page, a), (base, b)):
            t0 = CLOCK()
            fn()
            samples.append((CLOCK() - t0) * 1000)
    return statistics.median(a), statistics.median(b), statistics.median(x / y for x, y in zip(a, b, strict=True))


def raw_rows(patient: Patient, window_days: int | None) -> Callable[[], int]:
    """The baseline: sqlite3 reading every row the dashboard's chart aggregates, plus the first timeline page."""
    since = ""  # every row for "all"
    if window_days is not None:
        since = (timezone.now() - dt.timedelta(days=window_days + 7)).strftime("%Y-%m-%d %H:%M:%S")
    con = sqlite3.connect(DB)
    pid = patient.id.hex

    def read() -> int:
        n = 0
        for table, cols in (("diary_painentry", "occurred_at, nrs"), ("diary_doseevent", "occurred_at, status"),
                            ("diary_therapysession", "occurred_at, status")):  # fmt: skip
            where = "patient_id = ? AND deleted_at IS NULL" + (" AND occurred_at >= ?" if since else "")
            args = (pid, since) if since else (pid,)
            n += len(con.execute(f"SELECT {cols} FROM {table} WHERE {where}", args).fetchall())
        return n

    return read


def dashboard(client: Client, window: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(f"/?window={window}")
        assert response.status_code == 200, response.status_code
        return response

    return get


TRIVIAL_PAGE = "/me/audit/"


def trivial_page(client: Client) -> Callable[[], object]:
    def get() -> object:
        response = client.get(TRIVIAL_PAGE)
        assert response.status_code == 200, response.status_code
        return response

    return get


def query_count(client: Client, window: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        dashboard(client, window)()
    return len(ctx.captured_queries)


TARGET_RATIO = 2.0  # five-year dashboard over raw SQL
TARGET_FIXED = 3.0  # 90-day dashboard over the trivial signed-in page
WIDTHS = (8, 14, 12, 8, 8, 12, 12)


def row(*cells: str) -> str:
    """One table line: the window left-aligned, the numbers right-aligned."""
    first, *rest = cells
    return f"{first:<{WIDTHS[0]}}" + "".join(f"{c:>{w}}" for c, w in zip(rest, WIDTHS[1:], strict=True))


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        user5, patient5, rows5 = make_patient("bench-5y", 5)
        user1, _, rows1 = make_patient("bench-1y", 1)
        print(f"built {rows5:,} rows (5 years) and {rows1:,} rows (1 year) in {time.perf_counter() - t0:.1f} s")
        client5, client1 = Client(), Client()
        client5.force_login(user5)
        client1.force_login(user1)
        gc.collect()
        gc.freeze()  # as `painwise serve` does in each worker once the app is loaded (gunicorn_conf.py)
        print(f"five-year patient; CPU ms, medians of {REPEATS} interleaved runs (ratio: median of the per-run "
              "ratios); queries = the dashboard's query count")  # fmt: skip
        print(row("window", "dashboard ms", "raw SQL ms", "rows", "ratio", "queries 1y", "queries 5y"))
        ratio, same_queries = 0.0, True
        history: list[dict[str, Any]] = []
        for window, days in (("90", 90), ("365", 365), ("all", None)):
            reader = raw_rows(patient5, days)
            # the last row, window=all over five years, is the one the target is about
            page, base, ratio = paired_ms(dashboard(client5, window), reader)
            q1, q5 = query_count(client1, window), query_count(client5, window)
            same_queries = same_queries and q1 == q5
            print(row(window, f"{page:.1f}", f"{base:.1f}", f"{reader():,}", f"{ratio:.2f}", str(q1), str(q5)))
            history.append({"window": window, "dashboard_ms": round(page, 2), "raw_sql_ms": round(base, 2),
                            "ratio": round(ratio, 3), "queries_1y": q1, "queries_5y": q5})  # fmt: skip
        # Short windows read few rows, so their ratio to raw SQL is mostly the fixed cost of a Django request
        # (session, auth, middleware, templates): the 90-day target compares it with a trivial page instead.
        _, trivial, fixed = paired_ms(dashboard(client5, "90"), trivial_page(client5))
        print(f"trivial signed-in page ({TRIVIAL_PAGE}): {trivial:.1f} ms; 90-day dashboard / trivial page "
              f"{fixed:.2f}")  # fmt: skip
        met_all = ratio <= TARGET_RATIO and same_queries
        met_90 = fixed <= TARGET_FIXED
        met = met_all and met_90
        print(f"target (five-year dashboard, window=all, within {TARGET_RATIO:g}x of raw SQL; query count the same "
              f"at 1 and 5 years): {'MET' if met_all else 'NOT MET'} — ratio {ratio:.2f}, "
              f"queries {'independent of size' if same_queries else 'DEPEND ON SIZE'}")  # fmt: skip
        print(f"target (90-day dashboard within {TARGET_FIXED:g}x of a trivial signed-in page): "
              f"{'MET' if met_90 else 'NOT MET'} — ratio {fixed:.2f}")  # fmt: skip
        history.append({"trivial_page": TRIVIAL_PAGE, "trivial_ms": round(trivial, 2),
                        "ratio_90_to_trivial": round(fixed, 3)})  # fmt: skip
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from load import record_history  # the shared history file (bench/history.jsonl)

        record_history({"bench": "dashboard", "rows": history, "verdict": "MET" if met else "NOT MET"})
    finally:
        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
