-- One row per member and month. Renames and casts only.
with source as (
    select * from src_customer_flight_activity
),

renamed as (
    select
        loyalty_number,
        year,
        month,
        year * 12 + month - 1 as activity_month_index,
        total_flights,
        distance,
        points_accumulated,
        points_redeemed,
        dollar_cost_points_redeemed
    from source
)

select * from renamed
