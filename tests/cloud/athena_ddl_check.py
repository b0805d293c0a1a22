"""athena-ddl against sqlglot's Athena dialect and the lake's Parquet schemas (issue #8).

Runs the pipeline on a generated sample in a local lake, prints the Athena DDL with the
reference's S3 keys (S3_BUCKET, the zone prefixes, GLUE_DB), then:
  - parses every statement with sqlglot's Athena dialect (a statement sqlglot cannot parse fails);
  - checks that each external table's columns and types equal its Parquet file's (pyarrow);
  - checks LOCATION (from the configuration, a folder per table) and the view's tables;
  - checks the kept scorings (issue 25): prediction_history is partitioned by scored_month
    (Hive folders under curated/churn/predictions/, found by partition projection), and
    churn_predictions is a view of its latest month adding the reference's alias priority_score
    (equal to churn_score, issue 29); the monitor's tables model_health and model_drift.
Usage: athena_ddl_check.py <airline-analytics>
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import pyarrow.parquet as pq
import sqlglot
from sqlglot import exp

CLI = sys.argv[1]

# sqlglot's type for each Arrow type our Parquet files use.
ARROW_TO_SQLGLOT = {
    "int64": "BIGINT", "int32": "INT", "double": "DOUBLE", "float": "FLOAT",
    "string": "TEXT", "bool": "BOOLEAN", "date32[day]": "DATE",
}


FILES = {
    "customer_loyalty_history": "processed/customer_loyalty_history.parquet",
    # A folder of monthly files: any month's file gives the schema.
    "customer_flight_activity": "processed/customer_flight_activity/*.parquet",
    "customer_features": "curated/customer_features/customer_features.parquet",
    # A kept scoring's file (any month's: they share the schema; the month is in the path).
    "prediction_history": "curated/churn/predictions/predictions.parquet",
    "model_health": "curated/churn/model_health/model_health.parquet",
    "model_drift": "curated/churn/model_drift/model_drift.parquet",
}


def run(args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AIRLINE_")}
    full_env.update(env or {})
    out = subprocess.run([CLI] + args, env=full_env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out.stdout


def check_alias_view(tree, columns):
    """churn_predictions: every column of the kept scorings' table plus the reference's
    priority_score, which is churn_score under its other name, over the latest month only."""
    select = tree.expression
    items = [e.sql() for e in select.expressions]
    assert items == columns + ["churn_score AS priority_score"], items
    tables = {t.sql() for t in select.find_all(exp.Table)}
    assert tables == {"loyalty_analytics.prediction_history"}, tables
    where = select.args["where"].sql()
    assert where.startswith("WHERE scored_month = (SELECT MAX(scored_month) FROM"), where


def check_partitioning(tree, sql):
    """prediction_history: partitioned by scored_month, months found by projection, each month
    in its Hive folder."""
    partitioned = [p for p in tree.args["properties"].expressions
                   if isinstance(p, exp.PartitionedByProperty)]
    assert len(partitioned) == 1, tree.args["properties"].sql()
    assert "scored_month" in partitioned[0].sql(), partitioned[0].sql()
    for prop in ("'projection.enabled'='true'", "'projection.scored_month.type'='date'",
                 "'projection.scored_month.format'='yyyy-MM'",
                 "'storage.location.template'='s3://loyalty-data/lake/curated/churn/predictions/"
                 "scored_month=${scored_month}/'"):
        assert prop in sql, (prop, sql)


def main():
    # The check itself fails on a malformed statement.
    try:
        sqlglot.parse_one("CREATE EXTERNAL TABLE t (a bigint STORED AS PARQUET", read="athena")
        sys.exit("sqlglot accepted a malformed statement: the check could not fail")
    except sqlglot.errors.ParseError:
        pass

    with tempfile.TemporaryDirectory() as tmp:
        raw, lake = os.path.join(tmp, "raw"), os.path.join(tmp, "lake")
        run(["generate-sample", "--out", raw, "--members", "400", "--seed", "11", "-q"])
        run(["run", "--raw-dir", raw, "--lake", lake, "--bootstrap", "20", "-q"])
        env = {"S3_BUCKET": "loyalty-data", "PROCESSED_PREFIX": "lake/processed/",
               "CURATED_PREFIX": "lake/curated/", "GLUE_DB": "loyalty_analytics"}
        listing = json.loads(run(["athena-ddl", "--lake", lake, "--json", "-q"], env))
        text = run(["athena-ddl", "--lake", lake, "-q"], env)
        arrow = {name: pq.read_schema(sorted(glob.glob(os.path.join(lake, rel)))[0])
                 for name, rel in FILES.items()}

    assert listing["database"] == "loyalty_analytics", listing["database"]
    statements = listing["statements"]
    printed = [s for s in text.split(";\n\n") if s.strip()]
    # The database; 2 statements per external table (5); the old churn_predictions_parquet
    # dropped; the churn_predictions and customer_scored views.
    assert len(printed) == len(statements) == 16, (len(printed), len(statements))
    locations = {
        "customer_loyalty_history": "s3://loyalty-data/lake/processed/customer_loyalty_history/",
        "customer_flight_activity": "s3://loyalty-data/lake/processed/customer_flight_activity/",
        "customer_features": "s3://loyalty-data/lake/curated/customer_features/",
        "prediction_history": "s3://loyalty-data/lake/curated/churn/predictions/",
        "model_health": "s3://loyalty-data/lake/curated/churn/model_health/",
        "model_drift": "s3://loyalty-data/lake/curated/churn/model_drift/",
    }
    views = []
    schemas = {}
    tables_seen = []
    for statement, sql in zip(statements, printed):
        assert statement["sql"] == sql.strip().rstrip(";"), statement["name"]
        tree = sqlglot.parse_one(statement["sql"], read="athena")  # raises when it cannot parse
        if isinstance(tree, exp.Create) and tree.args.get("kind") == "TABLE":
            name = tree.this.this.name
            assert tree.this.this.db == "loyalty_analytics", tree.this.sql()
            props = [p.sql() for p in tree.args["properties"].expressions]
            assert "EXTERNAL" in props and "FORMAT=PARQUET" in props, props
            assert f"LOCATION '{locations[name]}'" in props, (name, props)
            columns = [(c.name, c.args["kind"].this.name) for c in tree.this.expressions]
            schemas[name] = columns
            tables_seen.append(name)
            if name == "prediction_history":
                check_partitioning(tree, statement["sql"])
        elif isinstance(tree, exp.Create) and tree.args.get("kind") == "VIEW":
            views.append(tree.this.sql())
            if tree.this.sql() == "loyalty_analytics.churn_predictions":
                check_alias_view(tree, [c for c, _ in schemas["prediction_history"]])
                continue
            assert tree.this.sql() == "loyalty_analytics.customer_scored", tree.this.sql()
            referenced = {t.sql() for t in tree.find_all(exp.Table)
                          if t.name in ("customer_features", "churn_predictions")}
            assert referenced == {"loyalty_analytics.customer_features",
                                  "loyalty_analytics.churn_predictions"}, referenced
        elif isinstance(tree, exp.Create):
            assert tree.args.get("kind") == "DATABASE" and tree.this.name == "loyalty_analytics"
        else:
            assert isinstance(tree, exp.Drop), type(tree)
    assert sorted(tables_seen) == sorted(FILES), tables_seen
    assert views == ["loyalty_analytics.churn_predictions",
                     "loyalty_analytics.customer_scored"], views

    for name, schema in arrow.items():
        expected = [(f.name, ARROW_TO_SQLGLOT[str(f.type)]) for f in schema]
        assert schemas[name] == expected, (name, schemas[name], expected)
        print(f"{name}: {len(expected)} columns match the Parquet schema")
    print(f"{len(statements)} statements parsed with sqlglot {sqlglot.__version__} (athena)")


if __name__ == "__main__":
    main()
