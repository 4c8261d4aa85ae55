"""Pharmacovigilance benchmark: painwise vs vigipy's GPS on the same FAERS-like data, in one run.

Run with `make bench` (after the dashboard benchmark) or `python bench/pv.py [--reports N] [--big-reports N]`.
Everything is synthetic and every planted association is FICTIONAL (painwise.core.pv.synth): KRATOM →
ALOPECIA here says nothing about kratom.

1. Generates a seeded FAERS-like long table of `--reports` reports (default 1,000,000: Zipf-distributed
   products and events, report classes for realistic heterogeneity, planted signals, rate-ratio-1 controls).
2. Runs painwise's whole `pv signals` pipeline (read the Parquet with DuckDB, count distinct reports, E, PRR,
   ROR, IC, MGPS with its prior fit, posterior quantiles, the CSV) in a child process, and vigipy's `gps()` (MGPS
   with its default Nelder–Mead prior fit) in another child process from vigipy's own virtual environment
   (var/bench/vigipy-venv, created here; vigipy is never a painwise dependency). vigipy is handed the pair
   counts ready-made (it cannot count distinct reports), which leaves reading and counting out of its time:
   the comparison favours vigipy. Wall time, CPU time (user + system of all threads) and peak memory (each
   child's own VmHWM) are printed with their vigipy / painwise ratios, and how far vigipy's EBGM is from
   painwise's (vigipy's prior fit stops at a bound and it sums margins over rows, so it is not openEBGM's).
3. Recovery at EB05 ≥ 2: sensitivity among the planted pairs, false positives among the controls.
4. `--big-reports` (default 20,000,000) on DuckDB: generates (not timed) and runs as many reports as
   `--big-measure` (default: all of them) and, if fewer, extrapolates linearly, saying so.

The figures are appended to bench/history.jsonl. Timings are compared only within one run; on a shared
machine the CPU-time ratio is the steadier one. `--keep DIR` keeps the generated data and reuses it later.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIGIPY_VERSION = "3.5.1"
VIGIPY_VENV = ROOT / "var" / "bench" / "vigipy-venv"
TARGET_SPEEDUP = 10.0
BIG_TARGET_SECONDS = 300.0


def peak_rss_mb() -> int | None:
    """This process's own peak resident memory (VmHWM), in MB.

    Not ru_maxrss: Linux carries the parent's peak over fork + exec into the child's ru_maxrss, so a child
    forked from this (large, data-generating) parent would report at least the parent's peak — which once
    made painwise and vigipy both "peak" at exactly the parent's size. VmHWM belongs to the exec'd image.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def run_child(argv: list[str], *, env: dict[str, str] | None = None) -> tuple[float, int, int, str, float]:
    """Run a child process; return wall seconds, max RSS in MB (an upper bound, see `peak_rss_mb`), exit code,
    stderr tail, CPU seconds (user + system, all threads)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)  # noqa: S603
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - t0, int(usage.ru_maxrss // 1024), proc.returncode, err[-2000:], cpu


def ensure_vigipy() -> tuple[Path | None, str]:
    py = VIGIPY_VENV / "bin" / "python"
    if py.exists():
        ok = subprocess.run([str(py), "-c", "import vigipy"], capture_output=True, check=False)  # noqa: S603
        if ok.returncode == 0:
            return py, ""
    VIGIPY_VENV.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VIGIPY_VENV)], check=True, capture_output=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [str(py), "-m", "pip", "install", "--quiet", f"vigipy=={VIGIPY_VERSION}"], check=True, capture_output=True
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return None, f"could not install vigipy {VIGIPY_VERSION}: {detail.decode(errors='replace')[-300:] or exc}"
    return py, ""


# --------------------------------------------------------------------------------------------- workers
def worker_painwise(source: str, out_json: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from painwise.core.pv import signals

    t0 = time.perf_counter()
    result = signals.detect_signals(source)
    csv_path = out_json.replace(".json", ".csv")
    signals.write_csv(result.table, csv_path)
    info = result.to_dict()
    info["seconds"]["total_in_process"] = time.perf_counter() - t0
    info["peak_rss_mb"] = peak_rss_mb()
    Path(out_json).write_text(json.dumps(info, default=str))


def worker_vigipy(counts_csv: str, out_json: str) -> None:
    import pandas as pd
    from vigipy import convert, gps

    t0 = time.perf_counter()
    df = pd.read_csv(counts_csv, keep_default_na=False)
    container = convert(df, product_label="name", count_label="count", ae_label="AE")
    t1 = time.perf_counter()
    result = gps(container, min_events=1, truncate=True, truncate_thres=1, ranking_statistic="quantile")
    t2 = time.perf_counter()
    table = result.all_signals[["Product", "Adverse Event", "Count", "Expected Count", "EBGM", "LowerBound"]]
    table.to_csv(out_json.replace(".json", ".csv"), index=False)
    prior = [float(x) for x in result.params.get("prior_param", [])] if result.params else []
    Path(out_json).write_text(
        json.dumps({"convert_s": t1 - t0, "gps_s": t2 - t1, "prior": prior, "peak_rss_mb": peak_rss_mb()})
    )


# --------------------------------------------------------------------------------------------- parent
def generate(path: Path, reports: int, seed: int) -> float:
    sys.path.insert(0, str(ROOT / "src"))
    from painwise.core.pv import synth

    t0 = time.perf_counter()
    synth.generate(path, reports=reports, seed=seed)
    return time.perf_counter() - t0


def pair_counts(source: Path, out: Path) -> None:
    import duckdb

    duckdb.connect().execute(
        f"COPY (SELECT var1 AS name, var2 AS AE, count(DISTINCT id) AS count FROM '{source}' GROUP BY ALL) "
        f"TO '{out}' (FORMAT csv, HEADER true)"
    )


def recovery(csv_path: Path) -> dict[str, object]:
    import duckdb

    sys.path.insert(0, str(ROOT / "src"))
    from painwise.core.pv import synth

    truth = synth.truth().frame()
    con = duckdb.connect()
    con.register("truth", truth)
    rows = con.execute(
        f"SELECT t.kind, t.var1, t.var2, t.rate_ratio, coalesce(s.N, 0), s.E, s.EBGM, s.EB05 FROM truth t "
        f"LEFT JOIN read_csv('{csv_path}') s USING (var1, var2) ORDER BY t.kind DESC, t.var1, t.var2"
    ).fetchall()
    planted = [r for r in rows if r[0] == "planted"]
    controls = [r for r in rows if r[0] == "control"]
    hits = sum(1 for r in planted if r[7] is not None and r[7] >= 2)
    fps = sum(1 for r in controls if r[7] is not None and r[7] >= 2)
    return {"rows": rows, "sensitivity": (hits, len(planted)), "false_positives": (fps, len(controls))}


def agreement(painwise_csv: Path, vigipy_csv: Path) -> str:
    import duckdb

    row = (
        duckdb.connect()
        .execute(
            f"SELECT count(*), median(abs(v.EBGM / p.EBGM - 1)), max(abs(v.EBGM / p.EBGM - 1)) "
            f"FROM read_csv('{painwise_csv}') p JOIN read_csv('{vigipy_csv}') v "
            f'ON p.var1 = v."Product" AND p.var2 = v."Adverse Event"'
        )
        .fetchall()[0]
    )
    return f"{row[0]:,} pairs in both; |EBGM_vigipy / EBGM_painwise − 1|: median {row[1]:.3g}, max {row[2]:.3g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--big-reports", type=int, default=20_000_000)
    parser.add_argument("--big-measure", type=int, default=None, help="reports actually run for the big case")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-vigipy", action="store_true")
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--only-big", action="store_true", help="run only the big DuckDB case")
    parser.add_argument(
        "--keep", type=Path, default=None,
        help="keep the generated files in this directory (and reuse them when run again with the same sizes)",
    )  # fmt: skip
    parser.add_argument("--no-history", action="store_true", help="do not append to bench/history.jsonl")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "INPUT", "OUT_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, source, out = args.worker
        (worker_painwise if kind == "painwise" else worker_vigipy)(source, out)
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="painwise-pv-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    runs: list[dict[str, object]] = []
    load_start = os.getloadavg()
    try:
        print("pharmacovigilance benchmark — synthetic data, every planted association FICTIONAL")
        print(f"machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in load_start)}")
        if not args.only_big:
            runs.append(small(args, work))
        if not args.skip_big:
            runs.append(big(args, work))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if runs and not args.no_history:
        sys.path.insert(0, str(ROOT / "bench"))
        from load import HISTORY, record_history

        loads = {"load_average_start": round(load_start[0], 2), "load_average_end": round(os.getloadavg()[0], 2)}
        record_history({"bench": "pv", **loads, "runs": runs})
        print(f"appended to {HISTORY.relative_to(ROOT)}")


def dataset(work: Path, reports: int, seed: int, *, reuse: bool) -> tuple[Path, float | None]:
    """The generated Parquet file and its generation time (None when a kept file was reused)."""
    path = work / f"faers-like-{reports}-seed{seed}.parquet"
    if reuse and path.exists():
        return path, None
    return path, generate(path, reports, seed)


def generated(path: Path, reports: int, gen_s: float | None) -> str:
    how = "reused from --keep" if gen_s is None else f"generated in {gen_s:.1f} s"
    return f"{reports:,} reports ({path.stat().st_size / 1e6:.0f} MB Parquet, {how}, not timed below)"


def small(args: argparse.Namespace, work: Path) -> dict[str, object]:
    data, gen_s = dataset(work, args.reports, args.seed, reuse=args.keep is not None)
    print(generated(data, args.reports, gen_s))
    fig: dict[str, object] = {"case": "vs_vigipy", "reports": args.reports, "generate_s": gen_s}

    pw_json = work / "painwise.json"
    pw_s, pw_max, code, err, pw_cpu = run_child(
        [sys.executable, __file__, "--worker", "painwise", str(data), str(pw_json)]
    )
    if code != 0:
        print(f"painwise FAILED (exit {code}): {err}")
        return {**fig, "painwise": "failed"}
    info = json.loads(pw_json.read_text())
    pw_mb = info.get("peak_rss_mb") or pw_max
    prior = info["prior"]
    sec = info["seconds"]
    print(
        f"painwise: {pw_s:.1f} s wall, {pw_cpu:.1f} s CPU, peak {pw_mb} MB — "
        f"{info['reports']:,} reports, {info['pairs']:,} pairs; in process: read + count {sec['count']:.1f} s, "
        f"prior + measures {sec['measures']:.1f} s, all with CSV {sec['total_in_process']:.1f} s"
    )
    print(
        "  prior (openEBGM's model, autoHyper's bounds): "
        + ", ".join(f"{k} {prior[k]:.5g}" for k in ("alpha1", "beta1", "alpha2", "beta2", "P"))
    )
    fig["painwise"] = {"wall_s": round(pw_s, 2), "cpu_s": round(pw_cpu, 2), "peak_mb": pw_mb,
                       "pairs": info["pairs"], "seconds": sec}  # fmt: skip

    if args.skip_vigipy:
        print("vigipy: skipped (--skip-vigipy); no ratio")
    else:
        py, why = ensure_vigipy()
        if py is None:
            print(f"vigipy: NOT RUN — {why}; no ratio")
        else:
            counts = work / "pair_counts.csv"
            pair_counts(data, counts)
            vg_json = work / "vigipy.json"
            vg_s, vg_max, code, err, vg_cpu = run_child(
                [str(py), __file__, "--worker", "vigipy", str(counts), str(vg_json)]
            )
            if code != 0:
                print(f"vigipy: FAILED (exit {code}) — {err.strip().splitlines()[-1] if err.strip() else ''}")
            else:
                vg = json.loads(vg_json.read_text())
                vg_mb = vg.get("peak_rss_mb") or vg_max
                speed = vg_s / pw_s
                cpu_speed = vg_cpu / max(pw_cpu, 1e-9)
                mem = vg_mb / max(pw_mb, 1)
                met = "MET" if min(speed, cpu_speed) >= TARGET_SPEEDUP else "NOT MET"
                print(
                    f"vigipy {VIGIPY_VERSION} gps(): {vg_s:.1f} s wall, {vg_cpu:.1f} s CPU, peak {vg_mb} MB "
                    f"(convert {vg['convert_s']:.1f} s, gps {vg['gps_s']:.1f} s; handed the pair counts ready-made, "
                    "so its time leaves out reading the reports and counting, which painwise's includes)"
                )
                print(f"  vigipy prior: {', '.join(f'{x:.5g}' for x in vg['prior'])}")
                print(f"  {agreement(pw_json.with_suffix('.csv'), vg_json.with_suffix('.csv'))}")
                print(
                    f"ratio vigipy / painwise: wall time {speed:.1f}x, CPU time {cpu_speed:.1f}x (the fairer "
                    f"measure on a shared machine), peak memory {mem:.2f}x — target ≥ {TARGET_SPEEDUP:g}x faster "
                    f"(wall and CPU): {met}"
                )
                fig["vigipy"] = {"wall_s": round(vg_s, 2), "cpu_s": round(vg_cpu, 2), "peak_mb": vg_mb}
                fig["ratio"] = {"wall": round(speed, 2), "cpu": round(cpu_speed, 2), "peak_memory": round(mem, 2)}
                fig["target_met"] = met == "MET"

    rec = recovery(pw_json.with_suffix(".csv"))
    print("recovery at EB05 ≥ 2 (planted rate ratios are fictional):")
    for kind, v1, v2, rr, n, e, ebgm, eb05 in rec["rows"]:  # type: ignore[attr-defined]
        shown = f"N {n:>6}  E {e:>9.2f}  EBGM {ebgm:>6.2f}  EB05 {eb05:>6.2f}" if e is not None else "absent"
        print(f"  {kind:<8} {v1:<17} {v2:<25} RR {rr:>3g}  {shown}")
    hits, planted = rec["sensitivity"]  # type: ignore[misc]
    fps, controls = rec["false_positives"]  # type: ignore[misc]
    print(f"  sensitivity {hits}/{planted} planted pairs; false positives {fps}/{controls} controls")
    fig["recovery"] = {"sensitivity": [hits, planted], "false_positives": [fps, controls]}
    return fig


def big(args: argparse.Namespace, work: Path) -> dict[str, object]:
    measure = min(args.big_measure or args.big_reports, args.big_reports)
    if args.keep is None:
        for old in work.glob("faers-like-*.parquet"):
            old.unlink()  # make room on disk
    big, gen_s = dataset(work, measure, args.seed + 1, reuse=args.keep is not None)
    size = big.stat().st_size
    print(generated(big, measure, gen_s))
    fig: dict[str, object] = {"case": "big_duckdb", "reports": measure, "target_reports": args.big_reports,
                              "generate_s": gen_s, "parquet_mb": round(size / 1e6)}  # fmt: skip
    big_json = work / "big.json"
    big_s, big_max, code, err, big_cpu = run_child(
        [sys.executable, __file__, "--worker", "painwise", str(big), str(big_json)]
    )
    if code != 0:
        print(f"{measure:,} reports on DuckDB: FAILED (exit {code}): {err[-500:]}")
        return {**fig, "painwise": "failed"}
    bi = json.loads(big_json.read_text())
    big_mb = bi.get("peak_rss_mb") or big_max
    print(
        f"{measure:,} reports on DuckDB: {big_s:.0f} s wall, {big_cpu:.0f} s CPU, peak {big_mb} MB — "
        f"read + count {bi['seconds']['count']:.0f} s, prior + measures {bi['seconds']['measures']:.0f} s, "
        f"{bi['pairs']:,} pairs"
    )
    fig.update(wall_s=round(big_s, 1), cpu_s=round(big_cpu, 1), peak_mb=big_mb, pairs=bi["pairs"],
               seconds=bi["seconds"])  # fmt: skip
    if measure < args.big_reports:
        scale = args.big_reports / measure
        est = big_s * scale
        print(
            f"  {args.big_reports:,} reports EXTRAPOLATED linearly (×{scale:.1f}; not measured): ~{est:.0f} s wall "
            f"(~{big_cpu * scale:.0f} s CPU, i.e. ~{big_cpu * scale / (os.cpu_count() or 1):.0f} s on "
            f"{os.cpu_count()} idle cores at best), "
            f"~{size * scale / 1e9:.1f} GB Parquet — target {BIG_TARGET_SECONDS:.0f} s: "
            f"{'probably met' if est <= BIG_TARGET_SECONDS else 'probably NOT met'}"
        )
        fig["extrapolated_wall_s"] = round(est)
    else:
        print(
            f"  target {args.big_reports:,} reports under {BIG_TARGET_SECONDS:.0f} s: "
            f"{'MET' if big_s <= BIG_TARGET_SECONDS else 'NOT MET'}"
        )
        fig["target_met"] = big_s <= BIG_TARGET_SECONDS
    return fig


if __name__ == "__main__":
    main()
