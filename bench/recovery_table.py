"""The recovery table of docs/CHURN_MODEL.md from `airline-analytics recovery` reports.

    python bench/recovery_table.py DIR     # DIR/<scenario>/recovery.json, one per scenario

One row per scenario and test cutoff: members, Bayes AUC, model AUC, the gap with its
paired-bootstrap interval, the calibration slope with its interval, the reason agreement in the
top decile, and the diagnostics' verdict (one_feature_model, dominant feature).
"""
import json
import sys
from pathlib import Path

ORDER = ["reference-like", "behaviour", "tenure-cliff", "drift"]


def fmt(v, digits=3):
    return "n/a" if v is None else f"{v:.{digits}f}"


def main(root: Path) -> None:
    print("| scenario | members | test cutoff | Bayes AUC | model AUC | gap [95% CI] | "
          "calibration slope [95% CI] | reason agreement (top decile) | one-feature model "
          "(dominant) |")
    print("|---|---|---|---|---|---|---|---|---|")
    reports = sorted(root.glob("*/recovery.json"),
                     key=lambda p: ORDER.index(p.parent.name) if p.parent.name in ORDER else 99)
    for path in reports:
        r = json.loads(path.read_text())
        d = r["diagnostics"]
        for c in r["cutoffs"]:
            print(f"| {r['scenario']} | {r['members']:,} | {c['cutoff']} | {fmt(c['bayes_auc'])} | "
                  f"{fmt(c['model_auc'])} | {fmt(c['gap'])} [{fmt(c['gap_ci'][0])}, "
                  f"{fmt(c['gap_ci'][1])}] | {fmt(c['calibration_slope'], 2)} "
                  f"[{fmt(c['calibration_slope_ci'][0], 2)}, {fmt(c['calibration_slope_ci'][1], 2)}] | "
                  f"{fmt(c['reason_agreement']['share'], 2)} | "
                  f"{'yes' if d['one_feature_model'] else 'no'} "
                  f"({d['dominant_feature']['name']}) |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: recovery_table.py DIR")
    main(Path(sys.argv[1]))
