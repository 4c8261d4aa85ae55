"""Load test: many concurrent clients against the production server, every acknowledged write verified.

    .venv/bin/python bench/load.py [--target pg|sqlite|both] [--clients 200] [--seconds 60] [--port 8103]

For each target it builds a fresh database (PostgreSQL: a database named by --pg-db, dropped and
created; SQLite: a temporary file with the settings `make run` uses), seeds patients and clinicians,
starts `painwise serve` on 127.0.0.1 (loopback only), and runs the clients:

  * patients (80 % of clients): 20 % of their requests add a pain entry through the API, the rest
    open their dashboard (the web page, signed in) or list their entries through the API;
  * clinicians (20 %): read a patient's page data through the API (pain entries, exposure) and the
    worklist (flags).

It prints throughput, p50/p95/p99 latency and errors by kind, then stops the server and checks that
every write the server acknowledged (201) is stored with its audit event. In the same run it measures
raw single-row inserts (one INSERT + COMMIT each, no HTTP, same concurrency as the server's threads)
into the same database: API diary-write throughput ÷ raw insert throughput is the figure the target is
about (≥ 0.30). Bounded: clients and seconds are capped; nothing leaves 127.0.0.1. Each run appends its
figures and the commit to bench/history.jsonl.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "bench" / "history.jsonl"
MAX_CLIENTS, MAX_SECONDS = 400, 300
PATIENTS, CLINICIANS = 40, 8


# --- helpers run in a child process with the target's DATABASE_URL ----------------------------------


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "painwise.settings"
    os.environ.setdefault("PAINWISE_DEMO", "0")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def seed(url: str) -> dict[str, Any]:
    """Migrate, then patients (each with a session and a token) and clinicians with grants and tokens."""
    _django(url)
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from painwise.accounts.auth import token_create
    from painwise.accounts.models import User
    from painwise.patients.services import grant_create, patient_create

    call_command("migrate", verbosity=0)
    patients, clinicians = [], []
    clinician_users = [User.objects.create_user(username=f"load-clin{i}", role="clinician") for i in range(CLINICIANS)]
    for i in range(PATIENTS):
        user = User.objects.create_user(username=f"load-pat{i}", role="patient")
        patient = patient_create(
            actor=user, user=user, date_of_birth=dt.date(1980, 1, 1), sex_at_birth="female", time_zone="UTC"
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        grant_create(actor=user, patient=patient, grantee=clinician_users[i % CLINICIANS])
        patients.append({"id": str(patient.id), "token": token_create(user=user), "session": session.session_key})
    for i, user in enumerate(clinician_users):
        mine = [p["id"] for j, p in enumerate(patients) if j % CLINICIANS == i]
        clinicians.append({"token": token_create(user=user), "patients": mine})
    return {"patients": patients, "clinicians": clinicians}


def verify(url: str, acknowledged: list[str]) -> dict[str, Any]:
    """Every acknowledged pain entry is stored once, complete, with its create audit event."""
    _django(url)
    from painwise.audit.models import AuditEvent
    from painwise.diary.models import PainEntry

    ids = set(acknowledged)
    stored = {str(pk): (nrs, site) for pk, nrs, site in PainEntry.objects.values_list("id", "nrs", "body_site")}
    audited = set(
        AuditEvent.objects.filter(action="create", object_type="pain_entries").values_list("object_id", flat=True)
    )
    missing = sorted(ids - set(stored))
    partial = sorted(pk for pk in ids & set(stored) if stored[pk][0] is None or not stored[pk][1])
    unaudited = sorted(ids - audited)
    # rows committed without their audit event (the write and its audit are one transaction)
    orphans = [pk for pk in stored if pk not in audited and pk in ids | set(stored)]
    raw = set(PainEntry.objects.filter(note="raw").values_list("id", flat=True))
    orphans = [pk for pk in orphans if uuid.UUID(pk) not in raw]
    from django.db.models import Count

    from painwise.monitoring.models import ACTIVE, EvaluationRequest, Flag

    twice = (Flag.objects.filter(status__in=ACTIVE).values("patient", "recipient", "rule_id", "subject")
             .annotate(n=Count("id")).filter(n__gt=1).count())  # fmt: skip
    return {"acknowledged": len(ids), "stored": len(ids & set(stored)), "missing": len(missing),
            "partial": len(partial), "without_audit": len(unaudited), "rows_total": len(stored),
            "rows_without_audit": len(orphans), "duplicate_active_flags": twice,
            "evaluation_requests_left": EvaluationRequest.objects.count()}  # fmt: skip


def raw_inserts(url: str, seconds: float, threads: int) -> dict[str, Any]:
    """Single-row INSERT + COMMIT into diary_painentry straight through the driver, `threads` at once."""
    _django(url)
    import datetime as dt

    from django.db import connection

    from painwise.patients.models import Patient

    patient_id = Patient.objects.values_list("id", flat=True).first()
    vendor = connection.vendor
    settings_dict = dict(connection.settings_dict)
    connection.close()
    count = Counter()
    stop = time.perf_counter() + seconds

    def work(k: int) -> None:
        if vendor == "sqlite":
            import sqlite3

            con = sqlite3.connect(settings_dict["NAME"], timeout=20, isolation_level=None)
            con.execute("PRAGMA synchronous=FULL")
            sql = ("INSERT INTO diary_painentry (id, patient_id, occurred_at, entered_at, body_site, nrs, qualities, "
                   "note) VALUES (?, ?, ?, ?, 'neck', 3, '[]', 'raw')")  # fmt: skip
            pid = patient_id.hex  # type: ignore[union-attr]
        else:
            import psycopg

            con = psycopg.connect(dbname=settings_dict["NAME"], host=settings_dict["HOST"] or None,
                                  port=settings_dict["PORT"] or None, user=settings_dict["USER"] or None,
                                  autocommit=True)  # fmt: skip
            sql = ("INSERT INTO diary_painentry (id, patient_id, occurred_at, entered_at, body_site, nrs, qualities, "
                   "note) VALUES (%s, %s, %s, %s, 'neck', 3, '[]', 'raw')")  # fmt: skip
            pid = patient_id
        n = 0
        while time.perf_counter() < stop:
            now = dt.datetime.now(dt.UTC)
            key = uuid.uuid4().hex if vendor == "sqlite" else uuid.uuid4()
            if vendor == "sqlite":
                con.execute("BEGIN IMMEDIATE")
                con.execute(sql, (key, pid, now.isoformat(" "), now.isoformat(" ")))
                con.execute("COMMIT")
            else:
                con.execute(sql, (key, pid, now, now))
            n += 1
        count[k] = n
        con.close()

    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t0
    return {"inserts": sum(count.values()), "per_s": sum(count.values()) / elapsed, "threads": threads}


# --- the orchestrator --------------------------------------------------------------------------------


def child(command: str, url: str, *args: Any, stdin: str | None = None) -> Any:
    """Run a helper in a child process; a large payload (the acknowledged writes) goes on stdin, since one
    argument may hold at most 128 KiB on Linux (about 3,300 record ids)."""
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, f"--_{command}", url, *map(str, args)],
        input=stdin, capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


PAINWISE = str(ROOT / ".venv" / "bin" / "painwise")


def target_env(url: str, home: Path) -> dict[str, str]:
    """The environment of a painwise process working on the target database (server, CLI jobs)."""
    return {**os.environ, "DATABASE_URL": url, "PAINWISE_DEMO": "0", "PAINWISE_HOME": str(home)}


def start_server(url: str, port: int, workers: int | None, threads: int | None, home: Path) -> subprocess.Popen[bytes]:
    env = target_env(url, home)
    argv = [PAINWISE, "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        argv += ["--workers", str(workers)]
    if threads:
        argv += ["--threads", str(threads)]
    log = open(home / "server.log", "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=log, cwd=ROOT, start_new_session=True)  # noqa: S603
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the server did not become ready; see {home / 'server.log'}")


def stop_server(proc: subprocess.Popen[bytes], *, hard: bool = False) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL if hard else signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {"read": [], "write": []}
        self.errors: Counter[str] = Counter()
        self.acknowledged: list[str] = []

    def add(self, kind: str, seconds: float, error: str | None = None, created: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[error] += 1
            if created:
                self.acknowledged.append(created)


def client_loop(
    port: int, role: str, who: dict[str, Any], until: float, results: Results, seed_: int, mode: str = "mixed"
) -> None:
    rng = random.Random(seed_)
    conn: http.client.HTTPConnection | None = None
    while time.perf_counter() < until:
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {who['token']}"}
        body = None
        kind = "read"
        if mode == "healthz":  # the ceiling: a request that touches no database, through the same client
            method, path = "GET", "/healthz"
        elif role == "patient":
            base = f"/api/v1/patients/{who['id']}"
            roll = 0.0 if mode == "write" else rng.random()
            if roll < 0.2:
                kind, method, path = "write", "POST", f"{base}/pain_entries"
                when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
                body = json.dumps({"occurred_at": when, "body_site": "lower_back", "nrs": rng.randint(0, 10)})
                headers["Content-Type"] = "application/json"
            elif roll < 0.6:
                method, path, headers = "GET", "/?window=90", {"Cookie": f"sessionid={who['session']}"}
            else:
                method, path = "GET", f"{base}/pain_entries?page_size=20"
        else:
            patient = rng.choice(who["patients"])
            method, path = "GET", rng.choice(
                [f"/api/v1/patients/{patient}/pain_entries?page_size=50", f"/api/v1/patients/{patient}/exposure",
                 "/api/v1/flags"]
            )  # fmt: skip
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - t0
            if response.status >= 400:
                results.add(kind, elapsed, f"HTTP {response.status}")
            elif kind == "write":
                results.add(kind, elapsed, created=json.loads(payload)["id"])
            else:
                results.add(kind, elapsed)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            results.add(kind, time.perf_counter() - t0, type(exc).__name__)
            conn.close()
            conn = None
            time.sleep(0.05)  # the server is down (chaos): retry without spinning
    if conn is not None:
        conn.close()


def run_clients(
    port: int, world: dict[str, Any], clients: int, seconds: float, mode: str = "mixed"
) -> tuple[Results, float]:
    results = Results()
    until = time.perf_counter() + seconds
    threads = []
    for k in range(clients):
        if k % 5 == 4 and mode == "mixed":
            role, who = "clinician", world["clinicians"][k % len(world["clinicians"])]
        else:
            role, who = "patient", world["patients"][k % len(world["patients"])]
        threads.append(
            threading.Thread(target=client_loop, args=(port, role, who, until, results, k, mode), daemon=True)
        )
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return results, time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def fresh_database(target: str, pg_base: str, pg_db: str, home: Path) -> str:
    if target == "sqlite":
        return f"sqlite:///{home / 'load.sqlite3'}"
    import psycopg

    with psycopg.connect(f"{pg_base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{pg_db}"')
    return f"{pg_base}/{pg_db}"


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)  # noqa: S607
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,  # noqa: S607
                               text=True, cwd=ROOT).stdout.strip()  # fmt: skip
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except OSError:
        return "unknown"


def record_history(entry: dict[str, Any]) -> None:
    entry = {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": git_commit(), **entry}
    with HISTORY.open("a") as fh:
        fh.write(json.dumps(entry, sort_keys=True) + "\n")


def run_target(target: str, args: argparse.Namespace) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix=f"painwise-load-{target}-"))
    url = fresh_database(target, args.pg_base, args.pg_db, home)
    world = child("seed", url)
    proc = start_server(url, args.port, args.workers, args.threads, home)
    try:
        results, elapsed = run_clients(args.port, world, args.clients, args.seconds)
        # Then every client writes, for the write-throughput comparison with raw inserts.
        storm, storm_elapsed = run_clients(args.port, world, args.clients, args.write_seconds, mode="write")
        # And the most any request can reach here: /healthz touches no database (the harness's ceiling).
        ceiling, ceiling_elapsed = run_clients(args.port, world, args.clients, args.write_seconds, mode="healthz")
    finally:
        stop_server(proc)
    check = child("verify", url, stdin=json.dumps(results.acknowledged + storm.acknowledged))
    server_threads = (args.workers or _default_workers()) * (args.threads or 4)
    raw = child("raw", url, args.raw_seconds, server_threads)
    reads, writes = results.latencies["read"], results.latencies["write"]
    total = len(reads) + len(writes)
    errors = sum(results.errors.values())
    write_ok = len(storm.acknowledged) / storm_elapsed
    healthz = len(ceiling.latencies["read"]) / ceiling_elapsed
    figures = {
        "target": target, "clients": args.clients, "seconds": args.seconds, "requests": total,
        "req_per_s": round(total / elapsed, 1), "errors": errors, "error_kinds": dict(results.errors),
        "p50_ms": round(pct(reads + writes, 0.50), 1), "p95_ms": round(pct(reads + writes, 0.95), 1),
        "p99_ms": round(pct(reads + writes, 0.99), 1), "write_p99_ms": round(pct(writes, 0.99), 1),
        "writes_acknowledged": len(results.acknowledged) + len(storm.acknowledged),
        "write_storm_errors": sum(storm.errors.values()),
        "write_storm_p99_ms": round(pct(storm.latencies["write"], 0.99), 1),
        "writes_per_s": round(write_ok, 1),
        "raw_inserts_per_s": round(raw["per_s"], 1), "write_ratio_to_raw": round(write_ok / raw["per_s"], 3),
        "healthz_per_s": round(healthz, 1), "healthz_ratio_to_raw": round(healthz / raw["per_s"], 3),
        "verify": check, "server_threads": server_threads,
    }  # fmt: skip
    print(f"\n== {target}: {args.clients} clients x {args.seconds:g} s against painwise serve "
          f"({server_threads} threads)")  # fmt: skip
    print(f"requests {total:,} ({figures['req_per_s']}/s), errors {errors} {dict(results.errors) or ''}")
    print(f"latency ms  p50 {figures['p50_ms']}  p95 {figures['p95_ms']}  p99 {figures['p99_ms']}  "
          f"(writes p99 {figures['write_p99_ms']})")  # fmt: skip
    print(f"write storm ({args.write_seconds:g} s, every client writing): {write_ok:.1f} diary writes/s via the API, "
          f"{figures['write_storm_errors']} errors, p99 {figures['write_storm_p99_ms']} ms")  # fmt: skip
    print(f"raw single-row inserts {raw['per_s']:.1f}/s ({raw['threads']} threads) -> API/raw "
          f"{figures['write_ratio_to_raw']:.2f} (target >= 0.30)")  # fmt: skip
    print(f"ceiling: GET /healthz (no database) through the same clients {healthz:.1f}/s -> "
          f"{figures['healthz_ratio_to_raw']:.2f} x raw inserts; API writes reach "
          f"{write_ok / healthz:.2f} of it")  # fmt: skip
    ok = check["missing"] == 0 and check["partial"] == 0 and check["without_audit"] == 0
    print(f"verify: {check['stored']}/{check['acknowledged']} acknowledged writes stored, {check['partial']} partial, "
          f"{check['without_audit']} without audit event -> {'OK' if ok else 'LOST WRITES'}")  # fmt: skip
    errors += figures["write_storm_errors"]
    figures["verdict"] = "OK" if ok and errors == 0 and figures["write_ratio_to_raw"] >= 0.30 else "NOT MET"
    print(f"target (0 errors, every acknowledged write stored, writes >= 0.30 x raw inserts): {figures['verdict']}")
    return figures


def _default_workers() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from painwise.gunicorn_conf import default_workers

    return int(os.environ.get("PAINWISE_WEB_WORKERS") or default_workers())


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1].startswith("--_"):
        command, url, *rest = sys.argv[1:]
        if command == "--_seed":
            result: Any = seed(url)
        elif command == "--_verify":
            result = verify(url, json.loads(sys.stdin.read()))
        else:
            result = raw_inserts(url, float(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["pg", "sqlite", "both"], default="both")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PAINWISE_LOAD_PORT", "8103")))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--raw-seconds", type=float, default=5)
    parser.add_argument("--write-seconds", type=float, default=10)
    parser.add_argument("--pg-base", default=os.environ.get("PAINWISE_LOAD_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--pg-db", default=os.environ.get("PAINWISE_LOAD_PG_DB", "painwise_load"))
    args = parser.parse_args()
    if not (1 <= args.clients <= MAX_CLIENTS and 1 <= args.seconds <= MAX_SECONDS and args.write_seconds <= 60):
        parser.error(f"clients 1..{MAX_CLIENTS} and seconds 1..{MAX_SECONDS} (bounded on purpose)")
    runs = []
    for target in ["pg", "sqlite"] if args.target == "both" else [args.target]:
        runs.append(run_target(target, args))
    record_history({"bench": "load", "runs": runs})
    print(f"\nappended to {HISTORY.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
