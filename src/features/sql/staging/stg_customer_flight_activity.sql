-- One row per member and month: the processed flight activity's columns as they are (their
-- types are stated once, in src/ingest/sql/processed_customer_flight_activity.sql), and the
-- month index (year * 12 + month - 1; derived here only, read by every later model).
with source as (
    select * from src_customer_flight_activity
),

renamed as (
    select
        loyalty_number,
        year,
        month,
        cast(year * 12 + month - 1 as integer) as activity_month_index,
        total_flights,
        distance,
        points_accumulated,
        points_redeemed,
        dollar_cost_points_redeemed
    from source
)

select * from renamed
