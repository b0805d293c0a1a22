#!/usr/bin/env python3
"""The pipeline benchmark: our stages against the pandas peer, in the same run, on the same files.

Entry point: `make bench SCALE=1m` (or SCALE=real,100k,1m,10m). For each scale it
  1. generates the data with `airline-analytics generate-sample` (24 months; kept between runs
     under OUT_DIR/data/), or uses the real data set for `real`;
  2. times our `ingest` and `features` (each its own process), then the peer
     (../shared/bench/pandas_baseline.py) on the same two CSV files;
  3. times our full `run` (ingest, features, train, score, warehouse) with --force;
  4. times the physical-limit reference: a bare DuckDB scan of the same CSV and Parquet files
     (bench's aa_duckdb_scan, the same libduckdb and thread count);
  5. optionally (stage `latency`, needs `make build-bench`): each operation's p50/p95 on a warm
     connection, the Overview page's API calls after a filter change, and one analyst answer,
     on the lake the run just built; and (stage `micro`) the Google Benchmark micro-benchmarks.
Every process is measured for wall time, CPU time (user + system) and peak resident memory
(from wait4's rusage). A peer that runs out of memory or past its time limit is a result, not
an error. Writes OUT_DIR/pipeline_bench.json and OUT_DIR/pipeline_bench.md.

Python is a benchmark tool here, as the brief allows: the product's run path never needs it.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ALL_STAGES = ["ingest", "features", "peer", "run", "scan", "latency", "micro", "replay"]
NAMED_SCALES = {"real": None, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
LOYALTY = "Customer Loyalty History.csv"
ACTIVITY = "Customer Flight Activity.csv"


def parse_scale(text):
    text = text.strip().lower()
    if text in NAMED_SCALES:
        return text, NAMED_SCALES[text]
    m = re.fullmatch(r"(\d+)([km]?)", text)
    if not m:
        raise SystemExit(f"pipeline_bench: unknown scale '{text}' (real, 100k, 1m, 10m or a number)")
    n = int(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2)]
    return text, n


def log(msg):
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def proc_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(name, cmd, env=None, timeout_s=None, memory_limit_gb=None, cwd=None):
    """Runs cmd, returns wall/cpu/peak RSS and its stdout. Over the memory or time limit, the
    process group is killed and the result says why (status 'out_of_memory' / 'timeout')."""
    log(f"{name}: {' '.join(str(c) for c in cmd)}")
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    t0 = time.monotonic()
    p = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, env=env, cwd=cwd,
                         start_new_session=True)
    verdict = {}
    done = threading.Event()

    def watch():
        limit_kb = memory_limit_gb * 1024 * 1024 if memory_limit_gb else None
        while not done.wait(0.1):
            over_time = timeout_s is not None and time.monotonic() - t0 > timeout_s
            rss = proc_rss_kb(p.pid)
            verdict["watched_peak_kb"] = max(verdict.get("watched_peak_kb", 0), rss)
            if over_time or (limit_kb and rss > limit_kb):
                verdict["status"] = "timeout" if over_time else "out_of_memory"
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    done.set()
    watcher.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode(errors="replace")
    stderr = err.read().decode(errors="replace")
    result = {
        "command": [str(c) for c in cmd],
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit_code": p.returncode,
    }
    if "status" in verdict:
        result["status"] = verdict["status"]
        result["peak_rss_mb"] = round(max(usage.ru_maxrss, verdict["watched_peak_kb"]) / 1024, 1)
        if verdict["status"] == "timeout":
            result["reason"] = f"stopped after the stated time limit of {timeout_s:.0f} s"
        else:
            result["reason"] = f"stopped above the stated memory limit of {memory_limit_gb} GB"
    elif p.returncode != 0:
        result["status"] = "failed"
        result["reason"] = (stderr.strip().splitlines() or ["(no message)"])[-1][:500]
        if p.returncode == -signal.SIGKILL:
            result["status"] = "out_of_memory"
            result["reason"] = "killed (SIGKILL: the kernel's out-of-memory killer)"
    else:
        result["status"] = "ok"
    log(f"{name}: {result['status']} in {result['wall_s']:.2f} s, cpu {result['cpu_s']:.2f} s, "
        f"peak RSS {result['peak_rss_mb']:.0f} MB")
    return result, stdout, stderr


def must(name, measured):
    result, stdout, stderr = measured
    if result["status"] != "ok":
        sys.stderr.write(stderr[-4000:])
        raise SystemExit(f"pipeline_bench: {name} failed: {result.get('reason')}")
    return result, stdout


def dir_bytes(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def prepare_data(args, label, members):
    if members is None:
        raw = Path(args.real_dir)
        if not (raw / LOYALTY).exists():
            raise SystemExit(f"pipeline_bench: no real data at {raw}")
        return raw, None
    raw = Path(args.out_dir) / "data" / f"members-{members}-seed-{args.seed}"
    ready = raw / "READY"
    if ready.exists():
        return raw, json.loads(ready.read_text())
    shutil.rmtree(raw, ignore_errors=True)
    result, stdout = must(f"{label}/generate", measure(
        f"{label}/generate",
        [args.cli, "generate-sample", "--out", raw, "--members", members, "--seed", args.seed,
         "--no-truth", "--json", "-q"]))
    result["output"] = json.loads(stdout)
    ready.write_text(json.dumps(result))
    return raw, result


def run_scale(args, label, members, stages, env):
    raw, generated = prepare_data(args, label, members)
    work = Path(args.out_dir) / "runs" / label
    lake = work / "lake"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = {"loyalty_csv_bytes": (raw / LOYALTY).stat().st_size,
             "activity_csv_bytes": (raw / ACTIVITY).stat().st_size}
    scale = {"scale": label, "members": members, "raw_dir": str(raw), "files": files,
             "generate": generated, "stages": {}}
    st = scale["stages"]
    cli = [args.cli]
    common = ["--lake", lake, "--json", "-q"] + (["--threads", args.threads] if args.threads else [])

    if "ingest" in stages:
        result, stdout = must(f"{label}/ingest", measure(
            f"{label}/ingest", cli + ["ingest", "--raw-dir", raw, "--force"] + common, env=env))
        summary = json.loads(stdout)
        result["rows"] = {f["file"]: f["rows_read"] for f in summary["report"]["files"]}
        st["ingest"] = result
    if "features" in stages:
        result, stdout = must(f"{label}/features", measure(
            f"{label}/features", cli + ["features", "--force", "--no-warehouse"] + common, env=env))
        summary = json.loads(stdout)
        result["members"] = summary["features"]["members"]
        st["features"] = result
    if "ingest" in stages and "features" in stages:
        a, b = st["ingest"], st["features"]
        st["ingest_features"] = {
            "wall_s": round(a["wall_s"] + b["wall_s"], 3),
            "cpu_s": round(a["cpu_s"] + b["cpu_s"], 3),
            "peak_rss_mb": max(a["peak_rss_mb"], b["peak_rss_mb"]),
            "status": "ok"}
    if "peer" in stages:
        peer_out = work / "peer_features.parquet"
        result, stdout, _ = measure(
            f"{label}/peer", [args.python, args.peer, raw, peer_out],
            timeout_s=args.peer_timeout, memory_limit_gb=args.peer_memory_gb)
        if result["status"] == "ok":
            m = re.search(r"(\d+) customers", stdout)
            result["members"] = int(m.group(1)) if m else None
            peer_out.unlink(missing_ok=True)
        st["peer"] = result
    if "run" in stages:
        run_args = cli + ["run", "--raw-dir", raw, "--force", "--bootstrap", args.bootstrap] + common
        # A run that fails at this scale (out of memory, say) is a result to report.
        result, stdout, stderr = measure(f"{label}/run", run_args, env=env)
        if result["status"] == "ok":
            summary = json.loads(stdout)
            result["members"] = summary["members"]
            result["stage_seconds"] = {k: round(v["seconds"], 3)
                                       for k, v in summary["stages"].items()}
            result["summary"] = {k: v["summary"] for k, v in summary["stages"].items()}
        else:
            result["stderr_tail"] = stderr[-2000:]
            result["stage_seconds"] = {}
        result["lake_bytes"] = dir_bytes(lake)
        st["run"] = result
    if "scan" in stages:
        scan = {}
        jobs = [("csv", raw / ACTIVITY), ("csv-parquet", raw / ACTIVITY), ("csv", raw / LOYALTY)]
        # The processed activity: a folder of monthly files, read as one glob.
        parquet = lake / "processed" / "customer_flight_activity"
        if (parquet / "_months.json").exists():
            jobs.append(("parquet", parquet / "*.parquet"))
        for kind, path in jobs:
            key = f"{kind}:{path.parent.name if path.name == '*.parquet' else path.name}"
            cmd = [args.scan_tool, "--temp", work] + (
                ["--threads", args.threads] if args.threads else []) + [kind, path]
            result, stdout = must(f"{label}/scan {key}", measure(f"{label}/scan {key}", cmd))
            result.update(json.loads(stdout.strip().splitlines()[-1]))
            scan[key] = result
        st["scan"] = scan
    if "latency" in stages:
        st["latency"] = latency(args, label, lake, env)
    if "replay" in stages:
        # The monthly operation replayed (issue 25), longer than the test's 2018-01..2018-12
        # with 20 resamples: from --replay-from, with the run's default settings.
        replay_lake = work / "replay-lake"
        result, stdout = must(f"{label}/replay", measure(
            f"{label}/replay",
            cli + ["replay", "--raw-dir", raw, "--lake", replay_lake, "--from", args.replay_from,
                   "--to", args.replay_to, "--json", "-q"], env=env))
        replayed = json.loads((replay_lake / "reports" / "replay.json").read_text())
        result["months"] = len(replayed["months"])
        monitor = json.loads((replay_lake / "reports" / "monitor.json").read_text())
        result["realized"] = [{k: e.get(k) for k in ("scored_month", "model_id", "roc_auc",
                                                      "lift_top10", "matured_share", "status")}
                              for e in monitor.get("realized", [])]
        result["from"], result["to"] = args.replay_from, args.replay_to
        result["lake_bytes"] = dir_bytes(replay_lake)
        st["replay"] = result
    return scale


def gbench(args, label, binary, lake, extra_env, env):
    out = Path(args.out_dir) / "runs" / label / f"{Path(binary).name}.json"
    e = dict(env)
    e.update({"AA_BENCH_LAKE": str(lake), "AA_BENCH_REPETITIONS": str(args.repetitions)})
    e.update(extra_env)
    must(f"{label}/{Path(binary).name}", measure(
        f"{label}/{Path(binary).name}",
        [binary, f"--benchmark_out={out}", "--benchmark_out_format=json"], env=e))
    data = json.loads(out.read_text())
    stats = {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "aggregate":
            continue
        name = b["run_name"].split("/iterations:")[0]
        agg = b["aggregate_name"]
        unit = {"ms": 1.0, "us": 1e-3, "ns": 1e-6, "s": 1e3}[b.get("time_unit", "ns")]
        if agg in ("median", "p95", "mean"):
            stats.setdefault(name, {})["p50" if agg == "median" else agg] = round(
                b["real_time"] * unit, 3)
    return stats


def latency(args, label, lake, env):
    bins = {n: Path(args.bench_bin_dir) / n for n in ("ops_bench", "serve_bench", "analyst_bench")}
    missing = [str(p) for p in bins.values() if not p.exists()]
    if missing:
        raise SystemExit(f"pipeline_bench: stage 'latency' needs {missing}: run `make build-bench`")
    return {
        "operations": gbench(args, label, bins["ops_bench"], lake, {}, env),
        "pages": gbench(args, label, bins["serve_bench"], lake, {}, env),
        "analyst": gbench(args, label, bins["analyst_bench"], lake, {}, env),
    }


def micro(args, env, lake):
    env = dict(env)
    if lake is not None and (Path(lake) / "curated" / "churn" / "artifacts").exists():
        env["AA_BENCH_LAKE"] = str(lake)  # the scoring benchmarks use its trained model
    binary = Path(args.bench_bin_dir) / "micro_bench"
    if not binary.exists():
        raise SystemExit(f"pipeline_bench: stage 'micro' needs {binary}: run `make build-bench`")
    out = Path(args.out_dir) / "micro_bench.json"
    must("micro", measure("micro", [binary, f"--benchmark_out={out}",
                                   "--benchmark_out_format=json"], env=env))
    rows = {}
    for b in json.loads(out.read_text())["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        rows[b["run_name"]] = {k: b[k] for k in ("real_time", "time_unit", "bytes_per_second",
                                                 "items_per_second") if k in b}
    return rows


def machine():
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "os": platform.platform(), "python": platform.python_version()}


def versions(args):
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except OSError:
            return None
    peer = out([args.python, "-c", "import pandas, pyarrow, numpy; "
                "print(pandas.__version__, pyarrow.__version__, numpy.__version__)"]) or ""
    parts = peer.split()
    return {"airline_analytics": out([args.cli, "--version"]),
            "pandas": parts[0] if len(parts) > 0 else None,
            "pyarrow": parts[1] if len(parts) > 1 else None,
            "numpy": parts[2] if len(parts) > 2 else None}


def fmt_s(v):
    if v is None:
        return "-"
    return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"


def fmt_mb(v):
    return "-" if v is None else f"{v:,.0f} MB"


def markdown(report):
    lines = [f"Machine: {report['machine']['cores']} cores, {report['machine']['memory_gb']} GB, "
             f"{report['machine']['cpu']}. Versions: {report['versions']}. "
             f"Started {report['started']}; command: `{report['command']}`.", ""]
    lines += ["| scale | members | activity CSV | stage | wall | CPU | peak RSS | vs peer |",
              "|---|---:|---:|---|---:|---:|---:|---|"]
    for s in report["scales"]:
        st = s["stages"]
        peer = st.get("peer")
        members = s["stages"].get("features", {}).get("members") or s["members"]
        size = f"{s['files']['activity_csv_bytes'] / 1e6:,.0f} MB"
        first = True

        def row(stage, r, vs=""):
            nonlocal first
            count = "n/a" if members is None else f"{members:,}"
            lead = f"| {s['scale']} | {count} | {size} |" if first else "| | | |"
            first = False
            status = "" if r.get("status", "ok") == "ok" else f" ({r['status']}: {r.get('reason')})"
            lines.append(f"{lead} {stage}{status} | {fmt_s(r.get('wall_s'))} | "
                         f"{fmt_s(r.get('cpu_s'))} | {fmt_mb(r.get('peak_rss_mb'))} | {vs} |")

        if "ingest" in st:
            row("ours: ingest", st["ingest"])
        if "features" in st:
            row("ours: features", st["features"])
        if "ingest_features" in st:
            vs = ""
            ours = st["ingest_features"]
            if peer and peer["status"] == "ok":
                vs = (f"{peer['wall_s'] / ours['wall_s']:.1f}x faster, "
                      f"{ours['peak_rss_mb'] / peer['peak_rss_mb']:.2f}x the memory")
            elif peer:
                vs = f"peer {peer['status']}"
            row("ours: ingest + features", ours, vs)
        if peer:
            row("peer: pandas_baseline.py", peer)
        if "run" in st:
            run = st["run"]
            order = ["ingest", "features", "train", "score", "monitor", "warehouse"]
            stages = ", ".join(f"{k} {run['stage_seconds'][k]:.1f} s" for k in order
                               if k in run["stage_seconds"])
            row(f"ours: full run ({stages})", run)
        if "replay" in st:
            rp = st["replay"]
            row(f"ours: replay {rp['from']} .. {rp['to']} ({rp['months']} monthly runs, "
                f"default settings)", rp)
        for key, r in st.get("scan", {}).items():
            mbps = r["bytes"] / 1e6 / r["seconds"] if r.get("seconds") else 0
            row(f"DuckDB bare {key} ({mbps:,.0f} MB/s)", r)
        if "ingest" in st and "scan" in st:
            csv = st["scan"].get(f"csv:{ACTIVITY}")
            if csv:
                total = s["files"]["activity_csv_bytes"] + s["files"]["loyalty_csv_bytes"]
                ours = total / 1e6 / st["ingest"]["wall_s"]
                lines.append(f"| | | | validated ingest throughput {ours:,.0f} MB/s "
                             f"(both files) vs bare read_csv "
                             f"{csv['bytes'] / 1e6 / csv['seconds']:,.0f} MB/s | | | | |")
    for s in report["scales"]:
        lat = s["stages"].get("latency")
        if not lat:
            continue
        lines += ["", f"Latency at {s['scale']} (p50 / p95, ms):", "",
                  "| call | p50 | p95 |", "|---|---:|---:|"]
        for group in ("operations", "pages", "analyst"):
            for name, v in lat[group].items():
                lines.append(f"| {group}: {name} | {v.get('p50', '-')} | {v.get('p95', '-')} |")
    if report.get("micro"):
        lines += ["", "Micro-benchmarks (Google Benchmark, median):", "",
                  "| benchmark | time | throughput |", "|---|---:|---:|"]
        for name, v in report["micro"].items():
            tp = ""
            if "bytes_per_second" in v:
                tp = f"{v['bytes_per_second'] / 1e6:,.0f} MB/s"
            elif "items_per_second" in v:
                tp = f"{v['items_per_second'] / 1e6:,.2f} M items/s"
            lines.append(f"| {name} | {v['real_time']:.3g} {v['time_unit']} | {tp} |")
    return "\n".join(lines) + "\n"


def main():
    here = Path(__file__).resolve().parent
    root = here.parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scales", default="real,100k,1m", help="comma list: real, 100k, 1m, 10m, N")
    ap.add_argument("--stages", default="ingest,features,peer,run,scan",
                    help=f"comma list of {ALL_STAGES}")
    ap.add_argument("--cli", default=root / "build/release/airline-analytics")
    ap.add_argument("--scan-tool", default=root / "build/release/aa_duckdb_scan")
    ap.add_argument("--bench-bin-dir", default=root / "build/release")
    ap.add_argument("--python", default=root / ".venv/bin/python")
    ap.add_argument("--peer", default=root.parent / "shared/bench/pandas_baseline.py")
    ap.add_argument("--real-dir", default=root.parent / "shared/data/airline-loyalty")
    ap.add_argument("--out-dir", default=root / "build/bench-data/pipeline")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all)")
    ap.add_argument("--bootstrap", type=int, default=20,
                    help="bootstrap resamples for the run's intervals (run's default is 200)")
    ap.add_argument("--repetitions", type=int, default=50, help="latency repetitions")
    ap.add_argument("--replay-from", default="2017-10", help="replay stage: first month")
    ap.add_argument("--replay-to", default="2018-12", help="replay stage: last month")
    ap.add_argument("--peer-timeout", type=float, default=1800, help="seconds (stated limit)")
    ap.add_argument("--peer-memory-gb", type=float, default=20, help="GB (stated limit)")
    args = ap.parse_args()
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in ALL_STAGES]
    if unknown:
        raise SystemExit(f"pipeline_bench: unknown stages {unknown}; choose from {ALL_STAGES}")
    for tool in (args.cli, args.scan_tool):
        if not Path(tool).exists():
            raise SystemExit(f"pipeline_bench: {tool} not found; run `make build` first")
    if "peer" in stages and not Path(args.peer).exists():
        raise SystemExit(f"pipeline_bench: the peer {args.peer} is not there")
    Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    report = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
              "command": " ".join([Path(sys.argv[0]).name] + sys.argv[1:]),
              "machine": machine(), "versions": versions(args), "stages": stages, "scales": []}
    for text in args.scales.split(","):
        label, members = parse_scale(text)
        log(f"scale {label} ({'real data' if members is None else f'{members:,} members'})")
        report["scales"].append(run_scale(args, label, members, stages, env))
        write(report, args.out_dir)  # a partial result survives a later failure
    if "micro" in stages:
        last = report["scales"][-1] if report["scales"] else None
        report["micro"] = micro(args, env, Path(args.out_dir) / "runs" / last["scale"] / "lake"
                                if last else None)
    report["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    write(report, args.out_dir)
    sys.stdout.write(markdown(report))


def write(report, out_dir):
    out = Path(out_dir)
    for name, text in (("pipeline_bench.json", json.dumps(report, indent=2) + "\n"),
                       ("pipeline_bench.md", markdown(report))):
        tmp = out / (name + ".tmp")
        tmp.write_text(text)
        tmp.replace(out / name)


if __name__ == "__main__":
    main()
