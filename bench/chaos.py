"""Crash safety: `kill -9` the server during a write storm, restart it, verify every acknowledged write.

    .venv/bin/python bench/chaos.py [--target sqlite|pg|both] [--clients 20] [--seconds 12] [--port 8103]
    make chaos

For each target: a fresh database (the same set-up as bench/load.py), `painwise serve` on 127.0.0.1,
every client adding pain entries through the API; half-way through, SIGKILL to the whole server
(master and workers, no chance to clean up). Then the server is started again on the same database and
the script checks that every write the server had acknowledged (201) is stored, complete, with its
audit event, and that no stored entry lacks its audit event (nothing half-written). It then writes once
more to show the restarted server serves. Exit status 1 if anything was lost. Appends to
bench/history.jsonl.

Each target runs twice: once as above, and once with the batch job `painwise monitor run` working
(in a loop, so a run is always in progress) when the kill comes; the batch job is SIGKILLed with the
server. Afterwards `painwise monitor run` and `painwise monitor work --once` must succeed on the same
database, no flag may be active twice, and no evaluation request may be left unserved (a crash can
delay an evaluation, never lose it).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (
    PAINWISE,
    child,
    fresh_database,
    record_history,
    run_clients,
    start_server,
    stop_server,
    target_env,
)


def start_batch(url: str, home: Path) -> subprocess.Popen[bytes]:
    """`painwise monitor run` over and over, so one is always in progress when the kill comes."""
    log = open(home / "batch.log", "ab")  # noqa: SIM115 - closed with the process
    loop = f"while true; do '{PAINWISE}' monitor run --json || exit 1; done"
    return subprocess.Popen(["bash", "-c", loop], env=target_env(url, home), stdout=log, stderr=log,  # noqa: S603, S607
                            start_new_session=True)  # fmt: skip


def after_the_crash(url: str, home: Path) -> dict[str, object]:
    """The batch job and the evaluation worker run to completion on the crashed-into database."""
    codes = {}
    for name, argv in {"monitor_run": ["monitor", "run", "--json"],
                       "monitor_work": ["monitor", "work", "--once", "--json"]}.items():  # fmt: skip
        done = subprocess.run([PAINWISE, *argv], env=target_env(url, home), capture_output=True, check=False)  # noqa: S603
        codes[name] = done.returncode
    return codes


def run_target(target: str, args: argparse.Namespace, *, with_batch: bool = False) -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix=f"painwise-chaos-{target}-"))
    url = fresh_database(target, args.pg_base, args.pg_db, home)
    world = child("seed", url)
    proc = start_server(url, args.port, args.workers, None, home)
    batch = start_batch(url, home) if with_batch else None
    killed_at: list[float] = []

    def killer() -> None:
        time.sleep(args.seconds / 2)
        killed_at.append(time.perf_counter())
        stop_server(proc, hard=True)  # SIGKILL to the process group: master and every worker
        if batch is not None:
            os.killpg(batch.pid, signal.SIGKILL)

    threading.Thread(target=killer, daemon=True).start()
    storm, _ = run_clients(args.port, world, args.clients, args.seconds, mode="write")
    proc.wait()
    restarted = start_server(url, args.port, args.workers, None, home)
    try:
        after, _ = run_clients(args.port, world, 2, 2, mode="write")
    finally:
        stop_server(restarted)
    batch_runs = (home / "batch.log").read_text().count('"patients"') if with_batch else 0
    jobs = after_the_crash(url, home)
    check = child("verify", url, stdin=json.dumps(storm.acknowledged + after.acknowledged))
    lost = check["missing"] + check["partial"] + check["without_audit"] + check["rows_without_audit"]
    broken = sum(jobs.values()) + check["duplicate_active_flags"] + check["evaluation_requests_left"]
    during = (f" while `painwise monitor run` was working (its run {batch_runs + 1}; killed too)"
              if with_batch else "")  # fmt: skip
    print(f"\n== {target}: {args.clients} writers, server killed with SIGKILL after {args.seconds / 2:g} s{during}")
    print(f"acknowledged before the kill {len(storm.acknowledged)}, failed or cut off {sum(storm.errors.values())} "
          f"{dict(storm.errors) or ''}; after restart {len(after.acknowledged)} acknowledged")  # fmt: skip
    print(f"stored {check['stored']}/{check['acknowledged']}, partial {check['partial']}, acknowledged without audit "
          f"{check['without_audit']}, stored rows without audit {check['rows_without_audit']} "
          f"-> {'OK: nothing lost' if lost == 0 and after.acknowledged else 'FAILED'}")  # fmt: skip
    print(f"afterwards: monitor run exit {jobs['monitor_run']}, monitor work --once exit {jobs['monitor_work']}, "
          f"{check['duplicate_active_flags']} flags active twice, {check['evaluation_requests_left']} evaluation "
          f"requests left -> {'OK' if broken == 0 else 'FAILED'}")  # fmt: skip
    ok = lost == 0 and broken == 0 and bool(after.acknowledged)
    return {"target": target, "clients": args.clients, "with_batch_job": with_batch,
            "batch_runs_before_kill": batch_runs,
            "acknowledged": len(storm.acknowledged), "cut_off": sum(storm.errors.values()),
            "after_restart": len(after.acknowledged), "verify": check, "jobs_after": jobs,
            "verdict": "OK" if ok else "FAILED"}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["pg", "sqlite", "both"], default="both")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PAINWISE_LOAD_PORT", "8103")))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--pg-base", default=os.environ.get("PAINWISE_LOAD_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--pg-db", default=os.environ.get("PAINWISE_LOAD_PG_DB", "painwise_load"))
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 2 <= args.seconds <= 120):
        parser.error("clients 1..200 and seconds 2..120 (bounded on purpose)")
    targets = ["sqlite", "pg"] if args.target == "both" else [args.target]
    runs = [run_target(t, args, with_batch=batch) for t in targets for batch in (False, True)]
    record_history({"bench": "chaos", "runs": runs})
    if any(r["verdict"] != "OK" for r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
