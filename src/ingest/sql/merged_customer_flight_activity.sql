-- One row per member and month. Exact duplicate rows count once; several different rows for
-- the same member-month are summed, as the reference did. distinct_row_count says how many
-- distinct source rows each output row holds (used for the ingest report's accounting).
with valid_rows as (
    select * from activity_rows
),

distinct_rows as (
    select distinct
        loyalty_number, year, month, total_flights, distance,
        points_accumulated, points_redeemed, dollar_cost_points_redeemed
    from valid_rows
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
        count(*) as distinct_row_count
    from distinct_rows
    group by loyalty_number, year, month
)

select * from final
