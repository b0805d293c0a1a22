#!/usr/bin/env python3
"""The pipeline benchmark's harness end to end at a small scale (no timing assertions).

Runs bench/pipeline_bench.py on 3,000 generated members with every stage that needs no
Google Benchmark binary (ingest, features, the pandas peer, the full run, the bare DuckDB
scans), then checks the JSON and Markdown it writes against what the stages really did; then
runs the peer alone under limits it cannot meet, which must be results, not errors.

usage: pipeline_bench_test.py CLI SCAN_TOOL PYTHON
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "bench" / "pipeline_bench.py"
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def harness(cli, scan, python, out, *extra):
    # The test venv has pandas 2.2 and DuckDB's Python package: the pandas 2.2 peer and the
    # plain DuckDB SQL peer run from it (the pinned bench venvs are `make bench`'s).
    cmd = [sys.executable, str(HARNESS), "--cli", cli, "--scan-tool", scan,
           "--pandas2-python", python, "--duckdb-python", python, "--peers", "pandas2,duckdb",
           "--out-dir", str(out), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-6000:])
        raise SystemExit(f"harness failed ({done.returncode}): {' '.join(cmd)}")
    return done.stdout


def main():
    cli, scan, python = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="aa_bench_test_") as tmp:
        out = Path(tmp)
        md_stdout = harness(cli, scan, python, out, "--scales", "3000", "--stages",
                            "ingest,features,peer,peer-check,run,scan", "--bootstrap", "20")
        report = json.loads((out / "pipeline_bench.json").read_text())
        md = (out / "pipeline_bench.md").read_text()
        check(md_stdout == md, "stdout is the Markdown table")
        check(report["machine"]["cores"] >= 1 and report["machine"]["memory_gb"] > 0, "machine")
        peer_versions = report["versions"]["peers"]
        check(peer_versions.get("pandas2", {}).get("pandas", "").startswith("2.2"),
              f"the pandas peer's version recorded: {peer_versions}")
        check(peer_versions.get("duckdb", {}).get("duckdb") == "1.4.4",
              f"the DuckDB peer's version recorded: {peer_versions}")
        [scale] = report["scales"]
        st = scale["stages"]
        gen = scale["generate"]["output"]
        check(scale["members"] == 3000 and gen["members"] == 3000, "scale members")
        for name in ("ingest", "features", "peer", "run"):
            r = st[name]
            check(r["status"] == "ok", f"{name} ok")
            check(r["wall_s"] > 0 and r["cpu_s"] > 0, f"{name} wall and CPU time measured")
            check(r["peak_rss_mb"] > 10, f"{name} peak RSS measured ({r['peak_rss_mb']} MB)")
        rows = st["ingest"]["rows"]
        check(rows.get("Customer Loyalty History.csv") == 3000, f"loyalty rows read {rows}")
        check(rows.get("Customer Flight Activity.csv") == gen["activity_rows"],
              f"activity rows read {rows} vs generated {gen['activity_rows']}")
        check(st["features"]["members"] == 3000, "features members")
        check(st["peer"]["members"] == 3000, f"peer built {st['peer'].get('members')} customers")
        duck_peer = st["peers"].get("duckdb", {})
        check(duck_peer.get("status") == "ok" and duck_peer.get("wall_s", 0) > 0,
              f"the DuckDB SQL peer ran: {duck_peer}")
        equal = st.get("peer_check", {}).get("duckdb", {})
        check(equal.get("equal") is True and equal.get("against") == "pandas2",
              f"the DuckDB peer's features equal the pandas peer's: {equal}")
        check(equal.get("rows", {}).get("other") == 3000, f"equality over 3,000 members: {equal}")
        run = st["run"]
        check(set(run["stage_seconds"]) == {"ingest", "features", "train", "score", "monitor",
                                            "warehouse"},
              f"run stages {run['stage_seconds']}")
        check(run["members"] == 3000, "run members")
        check(run["summary"]["score"]["members_scored"] > 0, "run scored members")
        check(run["summary"]["monitor"]["path"] == "reports/monitor.json", "run monitored")
        check(run["lake_bytes"] > 0, "lake size")
        agg = st["ingest_features"]
        check(abs(agg["wall_s"] - st["ingest"]["wall_s"] - st["features"]["wall_s"]) < 0.01,
              "ingest + features is the sum of the two")
        scan_res = st["scan"]
        for key, rows_expected in (("csv:Customer Flight Activity.csv", gen["activity_rows"]),
                                   ("csv-parquet:Customer Flight Activity.csv",
                                    gen["activity_rows"]),
                                   ("csv:Customer Loyalty History.csv", 3000)):
            check(key in scan_res and scan_res[key]["rows"] == rows_expected,
                  f"scan {key}: {scan_res.get(key, {}).get('rows')} rows, expected {rows_expected}")
            check(key in scan_res and scan_res[key]["seconds"] > 0, f"scan {key} timed")
        pq = scan_res.get("parquet:customer_flight_activity")
        check(pq is not None and 0 < pq["rows"] <= gen["activity_rows"], "parquet scan rows")
        for text in ("ours: ingest + features", "peer: pandas 2.2", "peer: DuckDB SQL", "ours: full run",
                     "DuckDB bare csv:Customer Flight Activity.csv",
                     "validated ingest throughput"):
            check(text in md, f"Markdown mentions '{text}'")
        check("x faster" in md, "Markdown gives the ratio against the peer")
        check("ours vs DuckDB SQL" in md and "DuckDB SQL vs pandas 2.2: equal" in md,
              "Markdown has the peers table and the equality check")

        # The peer over a stated limit is a result, not an error; the data is reused.
        out2 = out / "limits"
        harness(cli, scan, python, out2, "--scales", "3000", "--stages", "peer",
                "--peers", "duckdb", "--peer-memory-gb", "0.02")
        peer = json.loads((out2 / "pipeline_bench.json").read_text())["scales"][0]["stages"]["peer"]
        check(peer["status"] == "out_of_memory", f"peer over the memory limit: {peer['status']}")
        check("0.02 GB" in peer.get("reason", ""), f"reason states the limit: {peer.get('reason')}")
        md2 = (out2 / "pipeline_bench.md").read_text()
        check("out_of_memory" in md2, "Markdown shows the peer's out-of-memory result")
        # A pandas peer whose estimated memory is over the limit is not started, and says why.
        harness(cli, scan, python, out2, "--scales", "3000", "--stages", "peer",
                "--peers", "pandas2", "--peer-memory-gb", "0.02")
        peer = json.loads((out2 / "pipeline_bench.json").read_text())["scales"][0]["stages"]["peer"]
        check(peer["status"] == "not_run" and "0.02 GB limit" in peer.get("reason", ""),
              f"pandas peer over the estimated limit not run: {peer}")
        harness(cli, scan, python, out2, "--scales", "3000", "--stages", "peer",
                "--peer-timeout", "0.3")
        peer = json.loads((out2 / "pipeline_bench.json").read_text())["scales"][0]["stages"]["peer"]
        check(peer["status"] == "timeout", f"peer over the time limit: {peer['status']}")

        # A broken command is an error with the stage named, not a silent result.
        bad = subprocess.run([sys.executable, str(HARNESS), "--cli", cli, "--scan-tool", scan,
                              "--pandas2-python", python, "--peers", "pandas2",
                              "--out-dir", str(out / "bad"),
                              "--real-dir", str(out / "nowhere"), "--scales", "real",
                              "--stages", "ingest"], capture_output=True, text=True)
        check(bad.returncode != 0 and "no real data" in bad.stderr + bad.stdout,
              "missing real data is a clear error")
    if FAILURES:
        raise SystemExit(f"{len(FAILURES)} check(s) failed")
    print("pipeline_bench harness: all checks passed")


if __name__ == "__main__":
    main()
