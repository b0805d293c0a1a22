#!/usr/bin/env python3
"""Splits a question set into dev and holdout, deterministically, once, before any tuning.

Input: TSV lines `voice<TAB>acceptable<TAB>question` (acceptable: operations separated by
commas, or `unsure` when the analyst must say it cannot tell). A question goes to the holdout
when the FNV-1a 32-bit hash of its UTF-8 text is 0 or 1 modulo 5 (about 40%), else to dev.
planner_eval_test.cc checks every file line against the same rule.

Usage: split.py ALL.tsv OUT_DIR
"""
import sys
from pathlib import Path

HEADER = "# voice\tacceptable\tquestion\n"


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    dev, holdout = [], []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        voice, acceptable, question = line.split("\t")
        (holdout if fnv1a32(question) % 5 < 2 else dev).append(line + "\n")
    (out / "dev.tsv").write_text(HEADER + "".join(dev), encoding="utf-8")
    (out / "holdout.tsv").write_text(HEADER + "".join(holdout), encoding="utf-8")
    print(f"dev {len(dev)}, holdout {len(holdout)}")


if __name__ == "__main__":
    main()
