-- One row per member and month. Renames and casts only.
with source as (
    select * from src_customer_flight_activity
),

renamed as (
    select
        cast(loyalty_number as bigint) as loyalty_number,
        cast(year as integer) as year,
        cast(month as integer) as month,
        cast(year * 12 + month - 1 as integer) as activity_month_index,
        cast(total_flights as integer) as total_flights,
        cast(distance as bigint) as distance,
        cast(points_accumulated as double) as points_accumulated,
        cast(points_redeemed as bigint) as points_redeemed,
        cast(dollar_cost_points_redeemed as double) as dollar_cost_points_redeemed
    from source
)

select * from renamed
