-- The activity merge rule in SQL: one row per member and month. Exact duplicate rows count
-- once; several different rows for the same member-month are summed, as the reference did.
-- distinct_row_count says how many distinct source rows each output row holds,
-- member_first_line the member's first line in the file (both for the ingest report: its
-- accounting and its missing months). Members in the order they first appear in the file,
-- each member's months in order.
-- Ingest runs this rule in C++ (activity_merge.h: streamed, or after ActivitySpill when a
-- member's rows are apart), which gives this query's table to the byte; this file is the
-- rule's definition that tests check the C++ against (ingest_test.cc), and the form to run
-- on an engine that holds the staged rows as a table (`activity_rows`, with `source_line`).
with valid_rows as (
    select * from activity_rows
),

distinct_rows as (
    select
        loyalty_number, year, month, total_flights, distance,
        points_accumulated, points_redeemed, dollar_cost_points_redeemed,
        min(source_line) as first_line
    from valid_rows
    group by
        loyalty_number, year, month, total_flights, distance,
        points_accumulated, points_redeemed, dollar_cost_points_redeemed
),

final as (
    select
        loyalty_number,
        year,
        month,
        sum(total_flights) as total_flights,
        sum(distance) as distance,
        sum(points_accumulated) as points_accumulated,
        sum(points_redeemed) as points_redeemed,
        sum(dollar_cost_points_redeemed) as dollar_cost_points_redeemed,
        count(*) as distinct_row_count,
        min(min(first_line)) over (partition by loyalty_number) as member_first_line
    from distinct_rows
    group by loyalty_number, year, month
)

select
    loyalty_number, year, month, total_flights, distance, points_accumulated,
    points_redeemed, dollar_cost_points_redeemed, distinct_row_count, member_first_line
from final
order by member_first_line, year, month
