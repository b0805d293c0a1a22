#!/usr/bin/env python3
"""Checks that two peers' feature files hold the same thing (issue 28, item 3).

Usage: python check_peers.py REFERENCE.parquet OTHER.parquet [--tolerance 1e-9] [--json]
Typically REFERENCE is pandas_baseline.py's output and OTHER duckdb_sql_peer.py's, both on the
real data set (`pipeline_bench.py --stages peer-check` runs every peer and this check).

"Equal" means: the same column names in the same order; the same members (loyalty_number,
compared as a multiset, so a duplicated member counts); member by member, every column equal,
numbers within the tolerance (absolute), strings and booleans exactly, a null (or a float NaN,
which pandas writes as null) equal only to a null. Row order is not compared (pandas keeps the
loyalty file's order; the SQL peer has none). Prints one line per column and exits 1 on any
difference. Needs only duckdb.
"""
import argparse
import json
import sys

import duckdb


def q(name):
    return '"' + name.replace('"', '""') + '"'


def compare(ref, other, tolerance=1e-9, examples=3):
    con = duckdb.connect()
    for view, path in (("a", ref), ("b", other)):  # a view takes no prepared parameter
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet("
                    + "'" + str(path).replace("'", "''") + "')")
    cols_a = con.execute("DESCRIBE a").fetchall()
    cols_b = con.execute("DESCRIBE b").fetchall()
    result = {"reference": str(ref), "other": str(other), "tolerance": tolerance,
              "rows": {"reference": con.execute("SELECT count(*) FROM a").fetchone()[0],
                       "other": con.execute("SELECT count(*) FROM b").fetchone()[0]},
              "columns": {}, "problems": []}
    names_a, names_b = [c[0] for c in cols_a], [c[0] for c in cols_b]
    if names_a != names_b:
        result["problems"].append(f"columns differ: {names_a} vs {names_b}")
    types_b = {c[0]: c[1] for c in cols_b}
    key = "loyalty_number"
    # Members as a multiset: the members (with their multiplicity) in one file and not the other.
    only = con.execute(f"""
        SELECT (SELECT count(*) FROM (SELECT {key} FROM a EXCEPT ALL SELECT {key} FROM b)),
               (SELECT count(*) FROM (SELECT {key} FROM b EXCEPT ALL SELECT {key} FROM a)),
               (SELECT count(*) - count(DISTINCT {key}) FROM a)""").fetchone()
    result["members"] = {"only_in_reference": only[0], "only_in_other": only[1],
                         "duplicated_in_reference": only[2]}
    if only[0] or only[1]:
        result["problems"].append(f"members differ: {only[0]} only in the reference, "
                                  f"{only[1]} only in the other")
    if only[2]:
        # A member on several loyalty rows: pair the rows by their rank in each file, by all
        # columns, so that identical duplicates still pair up.
        result["problems"].append(f"{only[2]} duplicated loyalty numbers: paired by rank")
    order = ", ".join(q(n) for n in names_a)
    con.execute(f"CREATE VIEW ar AS SELECT *, row_number() OVER (PARTITION BY {key} "
                f"ORDER BY {order}) AS _k FROM a")
    order_b = ", ".join(q(n) for n in names_a if n in types_b)
    con.execute(f"CREATE VIEW br AS SELECT *, row_number() OVER (PARTITION BY {key} "
                f"ORDER BY {order_b}) AS _k FROM b")
    for name, type_a, *_ in cols_a:
        if name not in types_b:
            result["columns"][name] = {"status": "missing in the other"}
            continue
        numeric = any(t in type_a.upper() for t in ("INT", "DOUBLE", "FLOAT", "DECIMAL")) and \
            any(t in types_b[name].upper() for t in ("INT", "DOUBLE", "FLOAT", "DECIMAL"))

        def norm(side):
            col = f"{side}.{q(name)}"
            if numeric:
                return f"(CASE WHEN isnan({col}::DOUBLE) THEN NULL ELSE {col}::DOUBLE END)"
            return f"{col}::VARCHAR"
        x, y = norm("ar"), norm("br")
        differ = (f"abs({x} - {y}) > {tolerance!r} OR ({x} IS NULL) <> ({y} IS NULL)" if numeric
                  else f"{x} IS DISTINCT FROM {y}")
        sql = (f"FROM ar JOIN br ON ar.{key} = br.{key} AND ar._k = br._k WHERE {differ}")
        n = con.execute(f"SELECT count(*) {sql}").fetchone()[0]
        col = {"type": type_a if type_a == types_b[name] else f"{type_a} vs {types_b[name]}",
               "differing_rows": n, "status": "equal" if n == 0 else "DIFFERENT"}
        if numeric:
            col["max_abs_difference"] = con.execute(
                f"SELECT coalesce(max(abs({x} - {y})), 0) FROM ar JOIN br "
                f"ON ar.{key} = br.{key} AND ar._k = br._k").fetchone()[0]
        if n:
            col["examples"] = [list(map(str, r)) for r in con.execute(
                f"SELECT ar.{key}, {x}, {y} {sql} ORDER BY 1 LIMIT {examples}").fetchall()]
            result["problems"].append(f"{name}: {n} rows differ")
        result["columns"][name] = col
    result["equal"] = not result["problems"]
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("reference")
    ap.add_argument("other")
    ap.add_argument("--tolerance", type=float, default=1e-9)
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args()
    result = compare(args.reference, args.other, args.tolerance)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{args.other} against {args.reference}: rows {result['rows']}, "
              f"members {result['members']}")
        for name, c in result["columns"].items():
            extra = f", max |diff| {c['max_abs_difference']}" if "max_abs_difference" in c else ""
            print(f"  {name}: {c['status']} ({c.get('type')}{extra})"
                  + (f" e.g. {c['examples']}" if c.get("examples") else ""))
        print("EQUAL" if result["equal"] else "DIFFERENT: " + "; ".join(result["problems"]))
    sys.exit(0 if result["equal"] else 1)


if __name__ == "__main__":
    main()
