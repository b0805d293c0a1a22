#!/usr/bin/env python3
"""Our 17 reference operations against a pandas peer of the reference's (issue 29).

Runs the pipeline (on the real data set when ../shared/data/airline-loyalty holds it, else on a
generated sample, and says which), writes the warehouse's customer_scored view to Parquet with
scored_export, and runs every one of the 17 operations twice, over the whole portfolio and
three slices: through `airline-analytics serve`'s API (one process: the operations' own entry
point, as the dashboard calls it) and through reference_peer.py over the same rows. Every
figure both report is compared (our renamed keys mapped back: recency months x 30 = the
reference's days, high_value_share x 100 = its high_value_pct). A difference passes only if it
is one of the intended differences listed in docs/OPERATIONS.md (intended() below recognises
each from the data and gives its reason); anything else fails the test. Two behaviours that are
not figures are checked too: an unknown sort key and an unknown segment.

Usage: reference_parity.py <airline-analytics> <scored_export>
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from fractions import Fraction
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
import reference_peer as peer  # noqa: E402

CLI, EXPORT = sys.argv[1], sys.argv[2]
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "airline-loyalty"
RENAMED = {"avg_recency_months": ("avg_recency_days", 30.0),
           "high_value_share": ("high_value_pct", 100.0)}
GROUP_KEY = {"summary_by_segment": "rfm_segment", "summary_by_province": "province",
             "summary_by_card": "loyalty_card", "summary_by_gender": "gender",
             "value_at_risk_by_segment": "rfm_segment", "value_at_risk_by_province": "province",
             "churn_by_clv_tier": "clv_tier", "tenure_analysis": "tenure_bucket"}
# The intended differences (docs/OPERATIONS.md, "Intended differences"), each with its reason:
# a difference passes only when intended() finds one for it.
STAND_IN = ("a requested segment the slice does not hold: the reference silently takes the "
            "slice's segments in row order; ours takes the nearest segment in the fixed order, "
            "flags it (substituted) and says so in the note")


def run(args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRLINE_")}
    return subprocess.run(args, env=env, capture_output=True, text=True)


def must(args):
    out = run(args)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out.stdout


def build_lake(tmp):
    raw, lake = os.path.join(tmp, "raw"), os.path.join(tmp, "lake")
    if (REAL / "Customer Loyalty History.csv").exists():
        print(f"data: the real data set ({REAL})")
        raw = str(REAL)
    else:
        print(f"data: {REAL} is absent; a generated sample of 3,000 members (seed 29)")
        must([CLI, "generate-sample", "--out", raw, "--members", "3000", "--seed", "29", "-q"])
    must([CLI, "run", "--raw-dir", raw, "--lake", lake, "--bootstrap", "20", "-q"])
    scored = os.path.join(tmp, "customer_scored.parquet")
    must([EXPORT, os.path.join(lake, "warehouse.duckdb"), scored])
    return lake, pd.read_parquet(scored)


def slices(frame):
    """The whole portfolio; the largest province with its two largest cards; and two slices
    holding neither of segment_comparison's default segments (Loyal and Potential members of
    the most common gender; Dormant and Potential members of the largest card), where its
    stand-ins are chosen."""
    province = frame["province"].value_counts().index[0]
    cards = frame["loyalty_card"].value_counts().index[:2].tolist()
    gender = frame["gender"].value_counts().index[0]
    return {
        "portfolio": ({}, {}),
        f"{province}, {' and '.join(cards)}": ({"province": [province], "loyalty_card": cards},
                                                {"province": [province], "loyalty_card": cards}),
        f"Loyal and Potential, {gender}": ({"rfm_segment": ["Loyal", "Potential"], "gender": gender},
                                           {"rfm_segment": ["Loyal", "Potential"],
                                            "gender": [gender]}),
        f"Dormant and Potential, {cards[0]}": (
            {"rfm_segment": ["Dormant", "Potential"], "loyalty_card": cards[:1]},
            {"rfm_segment": ["Dormant", "Potential"], "loyalty_card": cards[:1]}),
    }


class Ours:
    """`airline-analytics serve` on a free port of 127.0.0.1, asked through its API."""

    def __init__(self, lake, tmp):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRLINE_")}
        self.log = open(os.path.join(tmp, "serve.log"), "w")
        self.proc = subprocess.Popen([CLI, "serve", "--lake", lake, "--port", "0", "--web", tmp,
                                      "--stop-after", "1200"], env=env, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if not found:
            sys.exit(f"serve printed no URL: {line!r}")
        self.url = found.group(0)
        # serve listens while it loads the snapshot: wait until /api/health says "ok".
        for _ in range(1200):
            with urllib.request.urlopen(f"{self.url}/api/health", timeout=60) as answer:
                status = json.loads(answer.read())["status"]
            if status == "ok":
                break
            if status == "failed":
                sys.exit("serve could not load the lake's snapshot (see serve.log)")
            time.sleep(0.1)

    def run(self, op, filters, params=None):
        body = json.dumps({"params": params or {}, "filters": filters}).encode()
        request = urllib.request.Request(f"{self.url}/api/operations/{op}", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read())["result"]

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.log.close()


def plain(value):
    """numpy and pandas scalars as Python values; NaN as None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def normalise(op, result, is_ours):
    """Both answers in one shape: the reference's key names, rows keyed by group or rank (plus
    their order), segment mixes as dictionaries; our notes and units left out."""
    if isinstance(result, dict):
        out = {}
        for key, value in result.items():
            if key in ("units", "note"):
                continue
            if is_ours and key in RENAMED:
                name, factor = RENAMED[key]
                out[name] = None if value is None else value * factor
            elif key == "rows":
                out.update(rows(op, value, is_ours))
            elif key.endswith("_segment_distribution") and isinstance(value, list):
                out[key] = {r["rfm_segment"]: r["customers"] for r in value}
            elif op == "segment_comparison" and key.startswith("segment_"):
                # Which segment each side shows, and each shown segment's figures by name: a
                # different stand-in is one difference, not a side's worth of figures.
                side = normalise(op, value, is_ours)
                out[key] = side.pop("segment")
                out.setdefault("statistics", {})[out[key]] = side
            else:
                out[key] = normalise(op, value, is_ours)
        return out
    return plain(result)


def rows(op, values, is_ours):
    key = GROUP_KEY.get(op)
    if key is None:
        return {"rows": {str(i): normalise(op, r, is_ours) for i, r in enumerate(values)}}
    keyed = {str(r[key]): r for r in values}
    return {"rows": {k: normalise(op, v, is_ours) for k, v in keyed.items()},
            "rows_order": [str(r[key]) for r in values]}


def compare(op, ref, mine, path, out):
    """Appends (path, reference, ours, agree) for every figure of `ref` (None: ours lacks it)."""
    if isinstance(ref, dict):
        for key, value in ref.items():
            sub = f"{path}.{key}" if path else key
            if not isinstance(mine, dict) or key not in mine:
                out.append((sub, value, "(not reported)", False))
            elif key == "rows_order":
                common = [k for k in value if k in mine[key]]
                out.append((sub, common, [k for k in mine[key] if k in value], common == [
                    k for k in mine[key] if k in value]))
            else:
                compare(op, value, mine[key], sub, out)
        return
    if isinstance(ref, float) or isinstance(mine, float):
        agree = (ref is None and mine is None) or (
            ref is not None and mine is not None and math.isclose(ref, mine, rel_tol=1e-9,
                                                                  abs_tol=1e-9))
    else:
        agree = ref == mine
    out.append((path, ref, mine, agree))


EMPTY_GROUP = ("a CLV tier or tenure bucket without members: the reference's pandas categories "
               "list it with 0 customers; ours leaves it out")
ZERO_BASE = "difference_pct when the retained average is 0: null for us, a division by zero there"
TIER_EDGE = ("a CLV equal to a tertile edge: pandas computes the edge through percentages with a "
             "rounding error just below that CLV and puts the member one tier up; ours is the "
             "exact quantile (in cents), and a CLV equal to an edge stays in the lower tier")


def members_across_tier_edges(df):
    """How many members pandas' qcut puts in another tier than the exact right-closed tertiles
    of their CLVs (linear interpolation at q x (n - 1), in whole cents, as ours)."""
    clv = df["clv"].dropna()
    cents = sorted(round(v * 100) for v in clv)
    if len(cents) < 3:
        return 0
    exact = []
    for k in (1, 2):
        position = Fraction(k * (len(cents) - 1), 3)
        low = math.floor(position)
        high = min(low + 1, len(cents) - 1)
        exact.append(cents[low] + (position - low) * (cents[high] - cents[low]))
    _, bins = pd.qcut(clv, 3, retbins=True)
    theirs = [Fraction(bins[1] * 100), Fraction(bins[2] * 100)]
    return sum(1 for c in cents if sum(c > e for e in exact) != sum(c > e for e in theirs))


def intended(op, path, raw, ref, df):
    """The reason a difference is intended, from our raw result, the reference's (normalised)
    one and the slice's rows; None when it is not."""
    # Which segment stands in, and a stand-in one side shows and the other does not; never a
    # figure of a segment both show.
    stand_in = path in ("segment_a", "segment_b") or (
        path.startswith("statistics.") and path.count(".") == 1)
    if op == "segment_comparison" and stand_in:
        requested = [raw[k].get("requested") for k in ("segment_a", "segment_b")]
        if None not in requested and any(r not in raw.get("segments_in_slice", [])
                                         for r in requested):
            return STAND_IN
    parts = path.split(".")
    if op in ("churn_by_clv_tier", "tenure_analysis") and parts[0] == "rows" and \
            ref["rows"][parts[1]]["customers"] == 0:
        return EMPTY_GROUP
    if op == "churn_by_clv_tier" and parts[0] == "rows" and members_across_tier_edges(df):
        return TIER_EDGE
    if op == "correlation_drivers" and parts[-1] == "difference_pct" and \
            ref["metrics_comparison"][parts[1]]["retained_avg"] == 0:
        return ZERO_BASE
    return None


def behaviours(lake, frame):
    """What is not a figure: an unknown parameter is an error for us (naming the choices) and a
    silent fallback for the reference."""
    peer_rows = peer.run(frame, "summary_by_segment", sort_by="avg_churn_rate")["rows"]
    assert len(peer_rows) == frame["rfm_segment"].nunique(), "the reference falls back"
    out = run([CLI, "ops", "run", "summary_by_segment", "--lake", lake, "--param",
               "sort_by=avg_churn_rate", "--json", "-q"])
    assert out.returncode == 2 and "parameter sort_by: 'avg_churn_rate' is not one of:" in \
        out.stderr, out.stderr
    out = run([CLI, "ops", "run", "segment_comparison", "--lake", lake, "--param",
               "segment_a=VIP", "--json", "-q"])
    assert out.returncode == 2 and "'VIP' is not one of: Champions, Loyal" in out.stderr, \
        out.stderr
    print("behaviours: an unknown sort key and an unknown segment are errors naming the choices "
          "(the reference falls back silently)")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        lake, frame = build_lake(tmp)
        server = Ours(lake, tmp)
        compared, differences = 0, []
        for label, (our_filters, peer_filters) in slices(frame).items():
            rows = peer.apply_filters(frame, peer_filters)
            n = len(rows)
            figures = 0
            for op in peer.OPERATIONS:
                raw = server.run(op, our_filters)
                ref = normalise(op, peer.run(frame, op, peer_filters), False)
                found = []
                compare(op, ref, normalise(op, raw, True), "", found)
                figures += len(found)
                differences += [(label, op, *f[:3], intended(op, f[0], raw, ref, rows))
                                for f in found if not f[3]]
            compared += figures
            print(f"{label}: {n:,} members, {figures} figures compared")
        server.close()
        behaviours(lake, frame)
    unexplained, said = 0, set()
    for label, op, path, ref, mine, reason in differences:
        unexplained += reason is None
        if reason and (label, op, reason) not in said:
            said.add((label, op, reason))
            print(f"  [{label}] {op}: intended: {reason}")
        print(f"    {'' if reason else 'UNEXPLAINED '}{op}.{path}: reference {ref!r}, ours {mine!r}")
    print(f"{compared} figures compared, {compared - len(differences)} agree, "
          f"{len(differences)} differ ({len(differences) - unexplained} intended, "
          f"{unexplained} unexplained)")
    if unexplained:
        sys.exit("differences that docs/OPERATIONS.md does not list as intended")


if __name__ == "__main__":
    main()
