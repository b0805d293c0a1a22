#!/usr/bin/env python3
"""A plain DuckDB SQL peer for the pipeline benchmark (issue 28, item 3).

The same customer features as ../shared/bench/pandas_baseline.py (same columns, same
definitions), computed by one SQL statement through DuckDB's Python package: read the two raw
CSVs with read_csv, compute recency / frequency / monetary, quintile scores with pandas.qcut's
semantics, the five RFM segments, tenure and cancellation fields, and write one Parquet file
with COPY. Nothing else: no validation, no quarantine, no raw copies, no hashes, no lake, no
atomic publication -- it is the lower bound of "a few lines of SQL" that ours is compared to.

Usage: python duckdb_sql_peer.py RAW_DIR OUT.parquet
Needs duckdb (bench/peers/requirements-duckdb.txt pins 1.4.4, the product's DuckDB version).
Prints the row count and the seconds taken, like pandas_baseline.py. DuckDB's defaults
(all cores, 80% of RAM) are kept on purpose: this is the script a user would write.

Definitions that follow pandas_baseline.py (and where SQL has to spell them out):
  activity_date = first day of (year, month); last = the latest activity_date in the file.
  recency   = months from a member's last month with total_flights > 0 to `last`; members that
              never flew get max(recency) + 1.
  r_score   = pd.cut(recency, [-1, 1, 3, 6, 12, inf], labels 5..1): right-closed bins.
  frequency = sum(total_flights) over all the member's rows; monetary = sum(distance) over the
              rows with total_flights > 0 (0 if none).
  f_score, m_score = pd.qcut(x, 5, labels 1..5): edges are the 0, .2, .4, .6, .8, 1 quantiles
              with linear interpolation (quantile_cont), bins right-closed, the lowest edge
              included, so score = 1 + the number of inner edges strictly below x. (pandas
              raises on duplicate edges; this SQL does not check -- no validation.)
  tenure_months = months from enrollment to the cancellation (month 1 if only the year is
              given) or to `last`, clipped at 0; is_cancelled = cancellation_year is not null.
  One row per loyalty-history row (a left join), in no particular order.
"""
import sys
import time

import duckdb

FEATURES_SQL = """
COPY (
WITH cfa AS (
    SELECT "Loyalty Number" AS loyalty_number, make_date("Year", "Month", 1) AS activity_date,
           "Total Flights" AS total_flights, "Distance" AS distance
    FROM read_csv($activity, header = true,
                  types = {'Loyalty Number': 'BIGINT', 'Year': 'INTEGER', 'Month': 'INTEGER',
                           'Total Flights': 'BIGINT', 'Distance': 'BIGINT'})
),
clh AS (
    SELECT * FROM read_csv($loyalty, header = true,
                  types = {'Loyalty Number': 'BIGINT', 'CLV': 'DOUBLE',
                           'Enrollment Year': 'INTEGER', 'Enrollment Month': 'INTEGER',
                           'Cancellation Year': 'INTEGER', 'Cancellation Month': 'INTEGER'})
),
last AS (SELECT max(activity_date) AS last FROM cfa),
per_member AS (
    SELECT loyalty_number,
           max(activity_date) FILTER (WHERE total_flights > 0) AS last_flight,
           sum(total_flights)::BIGINT AS frequency,  -- sum() gives HUGEINT
           coalesce(sum(distance) FILTER (WHERE total_flights > 0), 0)::BIGINT AS monetary
    FROM cfa GROUP BY loyalty_number
),
rfm AS (
    SELECT loyalty_number, frequency, monetary,
           date_diff('month', last_flight, last) AS months_since  -- whole months: both are 1st of month
    FROM per_member, last
),
rfm_filled AS (
    SELECT loyalty_number, frequency, monetary,
           coalesce(months_since, max(months_since) OVER () + 1) AS recency
    FROM rfm
),
edges AS (
    SELECT quantile_cont(frequency, [0.2, 0.4, 0.6, 0.8]) AS f_edges,
           quantile_cont(monetary, [0.2, 0.4, 0.6, 0.8]) AS m_edges
    FROM rfm_filled
),
scored AS (
    SELECT loyalty_number, recency,
           CASE WHEN recency <= 1 THEN 5 WHEN recency <= 3 THEN 4 WHEN recency <= 6 THEN 3
                WHEN recency <= 12 THEN 2 ELSE 1 END::BIGINT AS r_score,
           frequency, 1 + len(list_filter(f_edges, lambda e: e < frequency)) AS f_score,
           monetary, 1 + len(list_filter(m_edges, lambda e: e < monetary)) AS m_score
    FROM rfm_filled, edges
),
segmented AS (  -- segments of scored members only: a member without activity rows stays null
    SELECT *,
           CASE WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'Champions'
                WHEN r_score >= 3 AND f_score >= 3 THEN 'Loyal'
                WHEN r_score <= 2 AND f_score >= 3 THEN 'At Risk'
                WHEN r_score <= 2 AND f_score <= 2 THEN 'Dormant'
                ELSE 'Potential' END AS rfm_segment
    FROM scored
)
SELECT clh."Loyalty Number" AS loyalty_number, "Province" AS province, "City" AS city,
       "Gender" AS gender, "Education" AS education, "Loyalty Card" AS loyalty_card,
       "CLV" AS clv, "Cancellation Year" IS NOT NULL AS is_cancelled,
       greatest(0, date_diff('month', make_date("Enrollment Year", "Enrollment Month", 1),
                CASE WHEN "Cancellation Year" IS NOT NULL
                     THEN make_date("Cancellation Year", coalesce("Cancellation Month", 1), 1)
                     ELSE last END))::INTEGER AS tenure_months,
       recency, r_score, frequency, f_score, monetary, m_score, rfm_segment
FROM clh CROSS JOIN last
LEFT JOIN segmented ON segmented.loyalty_number = clh."Loyalty Number"
) TO $out (FORMAT parquet)
"""


def main():
    raw, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    con = duckdb.connect()
    # COPY takes no prepared parameters: the three paths go in as quoted SQL string literals.
    paths = {"activity": f"{raw}/Customer Flight Activity.csv",
             "loyalty": f"{raw}/Customer Loyalty History.csv", "out": out}
    sql = FEATURES_SQL
    for name, value in paths.items():
        sql = sql.replace(f"${name}", "'" + str(value).replace("'", "''") + "'")
    rows = con.execute(sql).fetchone()[0]
    print(f"{rows} customers in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
