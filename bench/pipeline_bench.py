#!/usr/bin/env python3
"""The pipeline benchmark: our stages against the pandas peer, in the same run, on the same files.

Entry point: `make bench SCALE=1m` (or SCALE=real,100k,1m,10m). For each scale it
  1. generates the data with `airline-analytics generate-sample` (24 months; kept between runs
     under OUT_DIR/data/), or uses the real data set for `real`;
  2. times our `ingest` and `features` (each its own process), then the peers on the same two
     CSV files (issue 28): ../shared/bench/pandas_baseline.py under pandas 2.2 and pandas 3.x,
     and bench/peers/duckdb_sql_peer.py, the same features in plain DuckDB SQL, each in its
     own pinned venv (`make bench-venvs`; bench/peers/requirements-*.txt); stage `peer-check`
     checks that every peer's output equals the pandas 2.2 peer's (bench/peers/check_peers.py);
     with --orders member,month, the same again on a copy of the activity file sorted by
     (year, month, member), which the bench makes itself (a stable external sort);
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

ALL_STAGES = ["ingest", "features", "peer", "peer-check", "run", "scan", "latency", "micro",
              "replay"]
ALL_ORDERS = ["member", "month"]
# The peers: name -> (label, which script, which venv's python). The first is the reference of
# the main table's "vs peer" column and of the equality check.
PEERS = {
    "pandas2": ("pandas 2.2", "peer", "pandas2_python"),
    "pandas3": ("pandas 3.x", "peer", "pandas3_python"),
    "duckdb": ("DuckDB SQL", "duckdb_peer", "duckdb_python"),
}
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


def link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def month_ordered(args, label, raw):
    """The same two files, the activity rows sorted by (year, month, member) as an export appended
    month by month would be: a stable sort (rows of one member and month keep their order), by
    GNU sort's external merge (bounded memory, scratch files beside the output), the header kept
    first. Kept under OUT_DIR/data/ between runs, like the generated data."""
    out = Path(args.out_dir) / "data" / f"{raw.name}-month-ordered"
    ready = out / "READY"
    if ready.exists():
        return out, json.loads(ready.read_text())
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    link_or_copy(raw / LOYALTY, out / LOYALTY)
    tmp = out / (ACTIVITY + ".tmp")
    script = ('set -o pipefail; { head -n 1 "$1" && tail -n +2 "$1" | LC_ALL=C sort --stable '
              '-t, -k2,2n -k3,3n -k1,1n -S 25% -T "$3"; } > "$2"')
    result, _ = must(f"{label}/month-order", measure(
        f"{label}/month-order", ["bash", "-c", script, "month-order", raw / ACTIVITY, tmp, out]))
    if tmp.stat().st_size != (raw / ACTIVITY).stat().st_size:
        # Only a missing final newline may differ (sort ends every line with one).
        if abs(tmp.stat().st_size - (raw / ACTIVITY).stat().st_size) > 1:
            raise SystemExit(f"pipeline_bench: the month-ordered copy of {raw / ACTIVITY} "
                             "differs in size")
    tmp.replace(out / ACTIVITY)
    result["sorted_by"] = "year, month, loyalty number (stable)"
    ready.write_text(json.dumps(result))
    return out, result


def pandas_need_gb(args, files):
    """The pandas peer's peak memory, estimated from the CSVs' size (whole files in memory: about
    8 times their size, from 5.7 GB for the 1M files' 0.74 GB, plus the interpreter)."""
    total_gb = (files["activity_csv_bytes"] + files["loyalty_csv_bytes"]) / 1e9
    return 0.2 + args.pandas_memory_factor * total_gb


def run_peers(args, label, raw, work, files, stages, st):
    """Every selected peer on the same two files, each in its own venv; then (stage peer-check)
    each peer's output against the reference's (the first pandas peer that ran)."""
    peers, outputs = {}, {}
    for name in args.peer_list:
        title, script_attr, python_attr = PEERS[name]
        if name.startswith("pandas"):
            need = pandas_need_gb(args, files)
            if need > args.peer_memory_gb:
                peers[name] = {
                    "status": "not_run", "needs_gb": round(need, 1 if need < 10 else None),
                    "reason": f"needs ~{need:.0f} GB (whole files in memory, about "
                              f"{args.pandas_memory_factor:g}x the CSVs), above the stated "
                              f"{args.peer_memory_gb:g} GB limit"}
                log(f"{label}/peer {name}: not run, {peers[name]['reason']}")
                continue
        out_file = work / f"peer_{name}.parquet"
        result, stdout, _ = measure(
            f"{label}/peer {name}",
            [getattr(args, python_attr), getattr(args, script_attr), raw, out_file],
            timeout_s=args.peer_timeout, memory_limit_gb=args.peer_memory_gb)
        if result["status"] == "ok":
            m = re.search(r"(\d+) customers", stdout)
            result["members"] = int(m.group(1)) if m else None
            outputs[name] = out_file
        peers[name] = result
    st["peers"] = peers
    first = next(iter(peers), None)
    if first:
        st["peer"] = dict(peers[first], peer=first)  # the main table's reference
    if "peer-check" in stages:
        ref = next((n for n in args.peer_list if n.startswith("pandas") and n in outputs), None)
        checks = {}
        for name, out_file in outputs.items():
            if name == ref:
                continue
            if ref is None:
                checks[name] = {"equal": None, "problems": ["no pandas output to compare with"]}
                continue
            log(f"{label}/peer-check: {name} against {ref}")
            p = subprocess.run([args.duckdb_python, args.check_peers, outputs[ref], out_file,
                                "--json", "--tolerance", str(args.check_tolerance)],
                               capture_output=True, text=True)
            try:
                checks[name] = json.loads(p.stdout)
            except ValueError:
                checks[name] = {"equal": False, "problems": [p.stderr.strip()[-500:]]}
            checks[name]["against"] = ref
            log(f"{label}/peer-check: {name} "
                f"{'EQUAL' if checks[name]['equal'] else 'DIFFERENT: ' + '; '.join(checks[name]['problems'])}")
        st["peer_check"] = checks
    for out_file in outputs.values():
        out_file.unlink(missing_ok=True)


def run_scale(args, label, members, order, stages, env):
    raw, generated = prepare_data(args, label, members)
    sorted_copy = None
    if order == "month":
        raw, sorted_copy = month_ordered(args, label, raw)
    work = Path(args.out_dir) / "runs" / (label if order == "member" else f"{label}-{order}")
    lake = work / "lake"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = {"loyalty_csv_bytes": (raw / LOYALTY).stat().st_size,
             "activity_csv_bytes": (raw / ACTIVITY).stat().st_size}
    scale = {"scale": label, "members": members, "order": order, "raw_dir": str(raw),
             "files": files, "generate": generated, "month_order": sorted_copy, "stages": {}}
    # Logs and the latency stage's files name the run by its folder under runs/.
    scale_label, label = label, (label if order == "member" else f"{label}-{order}")
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
    if "peer" in stages or "peer-check" in stages:
        run_peers(args, f"{scale_label}/{order}", raw, work, files, stages, st)
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
    peers = {}
    for name in args.peer_list:
        text = out([getattr(args, PEERS[name][2]), "-c", PEER_VERSIONS]) or "{}"
        peers[name] = json.loads(text)
    return {"airline_analytics": out([args.cli, "--version"]), "peers": peers}


# Each peer venv's versions, from the installed packages' metadata (nothing imported).
PEER_VERSIONS = """
import importlib.metadata as m, json, platform
v = {"python": platform.python_version()}
for p in ("pandas", "pyarrow", "numpy", "duckdb"):
    try:
        v[p] = m.version(p)
    except m.PackageNotFoundError:
        pass
print(json.dumps(v))
"""


def versions_text(v):
    peers = "; ".join(f"{PEERS[n][0]} peer: " + ", ".join(f"{k} {x}" for k, x in pv.items())
                      for n, pv in v.get("peers", {}).items())
    return f"airline-analytics {v.get('airline_analytics')}" + (f"; {peers}" if peers else "")


def scale_title(s):
    if s.get("order", "member") == "member":
        return s["scale"]
    return f"{s['scale']}, {s['order']} order"


def order_text(s):
    if s.get("order", "member") == "month":
        return "month (year, month, member)"
    return "as given" if s["members"] is None else "member (as generated)"


def fmt_s(v):
    if v is None:
        return "-"
    return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"


def fmt_mb(v):
    return "-" if v is None else f"{v:,.0f} MB"


def ratio(ours, peer):
    """Speed (peer wall / our wall: above 1, ours is that many times as fast) and memory (our
    peak / the peer's peak: below 1, ours needs that fraction of the peer's memory)."""
    if not ours or ours.get("status") != "ok" or not peer or peer.get("status") != "ok":
        return "-"
    return (f"**{peer['wall_s'] / ours['wall_s']:.2f}x** speed, "
            f"{ours['peak_rss_mb'] / peer['peak_rss_mb']:.2f}x memory")


def peers_table(report):
    """Issue 28: ours (ingest + features) against every peer, per scale and order."""
    rows = [s for s in report["scales"] if s["stages"].get("peers")]
    if not rows:
        return []
    names = [n for n in PEERS if any(n in s["stages"]["peers"] for s in rows)]
    lines = ["", "Peers (issue 28): ours = ingest + features (validated lake, then the features); "
             "each peer = both CSVs to one Parquet file of the same RFM features. Ratio: speed = "
             "peer wall / our wall (above 1: ours is faster), memory = our peak / peer peak "
             "(below 1: ours needs less).", "",
             "| scale | order | ours: wall, peak | "
             + " | ".join(f"{PEERS[n][0]}: wall, peak" for n in names) + " | "
             + " | ".join(f"ours vs {PEERS[n][0]}" for n in names) + " |",
             "|---|---|---:|" + "---:|" * len(names) + "---|" * len(names)]
    for s in rows:
        st = s["stages"]
        ours = st.get("ingest_features")
        cells = []
        for n in names:
            r = st["peers"].get(n)
            if r is None:
                cells.append("-")
            elif r["status"] == "not_run":
                cells.append(f"not run: needs ~{r['needs_gb']} GB")
            elif r["status"] != "ok":
                cells.append(f"{r['status']}: {r.get('reason')}")
            else:
                cells.append(f"{fmt_s(r['wall_s'])}, {fmt_mb(r['peak_rss_mb'])}")
        ours_cell = f"{fmt_s(ours['wall_s'])}, {fmt_mb(ours['peak_rss_mb'])}" if ours else "-"
        lines.append(f"| {s['scale']} | {order_text(s)} | {ours_cell} | " + " | ".join(cells)
                     + " | " + " | ".join(ratio(ours, st["peers"].get(n)) for n in names) + " |")
    checks = [(s, n, c) for s in rows for n, c in s["stages"].get("peer_check", {}).items()]
    if checks:
        lines += ["", "Equality of the peers' outputs (bench/peers/check_peers.py: same columns, "
                  "same members, every value equal, numbers within the tolerance):", ""]
        for s, n, c in checks:
            verdict = ("equal" if c.get("equal") else
                       "**DIFFERENT**" if c.get("equal") is False else "not checked")
            detail = "; ".join(c.get("problems", []))
            rows_text = (f"{c['rows']['other']:,} rows, {len(c.get('columns', {}))} columns, "
                         f"tolerance {c.get('tolerance')}" if "rows" in c else "")
            lines.append(f"- {s['scale']}, {order_text(s)}: {PEERS[n][0]} vs "
                         f"{PEERS[c['against']][0] if c.get('against') else '-'}: {verdict}"
                         + (f" ({rows_text})" if rows_text else "") + (f": {detail}" if detail else ""))
    return lines


def markdown(report):
    lines = [f"Machine: {report['machine']['cores']} cores, {report['machine']['memory_gb']} GB, "
             f"{report['machine']['cpu']}. Versions: {versions_text(report['versions'])}. "
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
            lead = f"| {scale_title(s)} | {count} | {size} |" if first else "| | | |"
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
                      f"{ours['peak_rss_mb'] / peer['peak_rss_mb']:.2f}x the memory "
                      f"({PEERS[peer['peer']][0]})")
            elif peer:
                vs = f"{PEERS[peer['peer']][0]} peer {peer['status']}"
            row("ours: ingest + features", ours, vs)
        for name, r in st.get("peers", {}).items():
            row(f"peer: {PEERS[name][0]}", r)
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
    lines += peers_table(report)
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
    ap.add_argument("--stages", default="ingest,features,peer,peer-check,run,scan",
                    help=f"comma list of {ALL_STAGES}")
    ap.add_argument("--cli", default=root / "build/release/airline-analytics")
    ap.add_argument("--scan-tool", default=root / "build/release/aa_duckdb_scan")
    ap.add_argument("--bench-bin-dir", default=root / "build/release")
    ap.add_argument("--orders", default="member",
                    help="comma list of member (the files as generated / given) and month "
                         "(a copy with the activity rows sorted by year, month, member)")
    ap.add_argument("--peers", default=",".join(PEERS), help=f"comma list of {list(PEERS)}")
    ap.add_argument("--peer", default=root.parent / "shared/bench/pandas_baseline.py",
                    help="the pandas peer's script (run by both pandas venvs)")
    ap.add_argument("--duckdb-peer", default=here / "peers/duckdb_sql_peer.py")
    ap.add_argument("--check-peers", default=here / "peers/check_peers.py")
    ap.add_argument("--check-tolerance", type=float, default=1e-9)
    ap.add_argument("--pandas2-python", default=root / ".venv-bench-pandas2/bin/python")
    ap.add_argument("--pandas3-python", default=root / ".venv-bench-pandas3/bin/python")
    ap.add_argument("--duckdb-python", default=root / ".venv-bench-duckdb/bin/python")
    ap.add_argument("--pandas-memory-factor", type=float, default=8.0,
                    help="pandas peers' peak memory / the CSVs' size, to skip a scale they "
                         "cannot fit under --peer-memory-gb (5.7 GB for 0.74 GB at 1M)")
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
    args.peer_list = [p.strip() for p in args.peers.split(",") if p.strip()]
    orders = [o.strip() for o in args.orders.split(",") if o.strip()]
    if [p for p in args.peer_list if p not in PEERS] or [o for o in orders if o not in ALL_ORDERS]:
        raise SystemExit(f"pipeline_bench: --peers from {list(PEERS)}, --orders from {ALL_ORDERS}")
    for tool in [args.cli] + ([args.scan_tool] if "scan" in stages else []):
        if not Path(tool).exists():
            raise SystemExit(f"pipeline_bench: {tool} not found; run `make build` first")
    if "peer" in stages or "peer-check" in stages:
        needed = [args.peer, args.duckdb_peer, args.check_peers] + [
            getattr(args, PEERS[n][2]) for n in args.peer_list]
        if "peer-check" in stages:
            needed.append(args.duckdb_python)
        missing = [str(p) for p in needed if not Path(p).exists()]
        if missing:
            raise SystemExit(f"pipeline_bench: {missing} not there (the peers' venvs: "
                             "`make bench-venvs`)")
    else:
        args.peer_list = []
    Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    report = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
              "command": " ".join([Path(sys.argv[0]).name] + sys.argv[1:]),
              "machine": machine(), "versions": versions(args), "stages": stages, "scales": []}
    for text in args.scales.split(","):
        label, members = parse_scale(text)
        for order in orders:
            log(f"scale {label} ({'real data' if members is None else f'{members:,} members'}), "
                f"{order} order")
            report["scales"].append(run_scale(args, label, members, order, stages, env))
            write(report, args.out_dir)  # a partial result survives a later failure
    if "micro" in stages:
        last = report["scales"][-1] if report["scales"] else None
        run_dir = None if last is None else (
            last["scale"] if last.get("order", "member") == "member"
            else f"{last['scale']}-{last['order']}")
        report["micro"] = micro(args, env, Path(args.out_dir) / "runs" / run_dir / "lake"
                                if last else None)
    report["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    write(report, args.out_dir)
    sys.stdout.write(markdown(report))
    different = [f"{s['scale']}/{s['order']}: {n}" for s in report["scales"]
                 for n, c in s["stages"].get("peer_check", {}).items() if c.get("equal") is False]
    if different:
        raise SystemExit(f"pipeline_bench: peer outputs differ from the pandas peer's: {different}")


def write(report, out_dir):
    out = Path(out_dir)
    for name, text in (("pipeline_bench.json", json.dumps(report, indent=2) + "\n"),
                       ("pipeline_bench.md", markdown(report))):
        tmp = out / (name + ".tmp")
        tmp.write_text(text)
        tmp.replace(out / name)


if __name__ == "__main__":
    main()
