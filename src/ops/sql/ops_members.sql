-- The tables every operation reads, held in memory. Reads the warehouse attached as `wh`.
-- activity_window: one row; the months the activity data covers (month index = year * 12 +
-- month - 1) and the first month of the flight bitmask (at most 63 months end at the last).
create table activity_window as
with activity as (
    select year * 12 + month - 1 as month_index from wh.customer_flight_activity
),

final as (
    select
        min(month_index) as first_month_index,
        max(month_index) as last_month_index,
        greatest(min(month_index), max(month_index) - 62) as mask_first_month_index
    from activity
)

select * from final;

-- members: one row per member of customer_scored, with month indices, the reasons' source
-- features, the per-feature contributions and a bitmask of the months flown (bit k: month
-- mask_first_month_index + k had at least one flight).
create table members as
with scored as (
    select * from wh.customer_scored
),

predictions as (
    select * exclude (churn_probability, churn_score, risk_tier, reason_1, reason_2, reason_3,
        scored_at)
    from wh.churn_predictions
),

bounds as (
    select * from activity_window
),

flown as (
    select
        activity.loyalty_number,
        bit_or(cast(1 as bigint) << cast(
            activity.year * 12 + activity.month - 1 - bounds.mask_first_month_index as integer
        )) as flight_mask
    from wh.customer_flight_activity as activity
    cross join bounds
    where activity.total_flights > 0
        and activity.year * 12 + activity.month - 1 >= bounds.mask_first_month_index
    group by activity.loyalty_number
),

final as (
    select
        scored.*,
        scored.enrollment_year * 12 + scored.enrollment_month - 1 as enrollment_month_index,
        scored.cancellation_year * 12 + scored.cancellation_month - 1 as cancellation_month_index,
        coalesce(flown.flight_mask, 0) as flight_mask,
        predictions.* exclude (loyalty_number)
    from scored
    left join predictions
        on scored.loyalty_number = predictions.loyalty_number
    left join flown
        on scored.loyalty_number = flown.loyalty_number
)

select * from final order by loyalty_number;
