-- One row per member and month, with explicit types, in the merged rows' order: members in the
-- order they first appear in the activity file, each member's months in order. (No sort here:
-- at 10M members this has 240M rows, and it streams.) Ingest writes it a file per month
-- (src/ingest/activity_months.h), each in this order.
with merged as (
    select * from merged_customer_flight_activity
),

final as (
    select
        cast(loyalty_number as bigint) as loyalty_number,
        cast(year as integer) as year,
        cast(month as integer) as month,
        cast(total_flights as integer) as total_flights,
        cast(distance as bigint) as distance,
        cast(points_accumulated as double) as points_accumulated,
        cast(points_redeemed as bigint) as points_redeemed,
        cast(dollar_cost_points_redeemed as double) as dollar_cost_points_redeemed
    from merged
)

select * from final
