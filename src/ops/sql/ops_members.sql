-- The tables every operation reads. The warehouse stage builds them into the warehouse
-- (features/warehouse.cc, create_ops_tables), so that a server opens a snapshot by reading one
-- table; over an older warehouse the operations build them in memory the same way. Reads the
-- marts (customer_features, churn_predictions, customer_scored) and the staged models
-- (features/sql/staging) over the processed tables, whose month indexes it uses as they are.
-- ops_activity_window: one row; the months the activity data covers and the first month of the
-- flight bitmask (at most 63 months end at the last).
create table ops_activity_window as
with activity as (
    select activity_month_index as month_index from stg_customer_flight_activity
),

final as (
    select
        min(month_index) as first_month_index,
        max(month_index) as last_month_index,
        greatest(min(month_index), max(month_index) - 62) as mask_first_month_index
    from activity
)

select * from final;

-- Categories as ENUM types (alphabetical), so that grouping compares small integers.
create type province_t as enum (
    select distinct province from customer_features where province is not null order by 1
);
create type gender_t as enum (
    select distinct gender from customer_features where gender is not null order by 1
);
create type card_t as enum (
    select distinct loyalty_card from customer_features where loyalty_card is not null
    order by 1
);
create type enrollment_type_t as enum (
    select distinct enrollment_type from customer_features where enrollment_type is not null
    order by 1
);
create type segment_t as enum (
    select distinct rfm_segment from customer_features where rfm_segment is not null
    order by 1
);
create type risk_tier_t as enum ('high', 'medium', 'low');
-- When members were scored (one date per scoring run), as text.
create type scored_at_t as enum (
    select distinct cast(scored_at as varchar) from churn_predictions
    where scored_at is not null order by 1
);

-- ops_members: one row per member of customer_scored, with categories as ENUMs, month indices, the reasons' source
-- features, the per-feature contributions and a bitmask of the months flown (bit k: month
-- mask_first_month_index + k had at least one flight).
create table ops_members as
with scored as (
    select * from customer_scored
),

predictions as (
    select * exclude (churn_probability, churn_score, risk_tier, reason_1, reason_2, reason_3,
        scored_at)
    from churn_predictions
),

loyalty as (
    select loyalty_number, enrollment_month_index, cancellation_month_index
    from stg_customer_loyalty_history
),

activity as (
    select * from stg_customer_flight_activity
),

bounds as (
    select * from ops_activity_window
),

flown as (
    select
        activity.loyalty_number,
        bit_or(cast(1 as bigint) << cast(
            activity.activity_month_index - bounds.mask_first_month_index as integer
        )) as flight_mask
    from activity
    cross join bounds
    where activity.total_flights > 0
        and activity.activity_month_index >= bounds.mask_first_month_index
    group by activity.loyalty_number
),

final as (
    select
        scored.* replace (
            cast(scored.province as province_t) as province,
            cast(scored.gender as gender_t) as gender,
            cast(scored.loyalty_card as card_t) as loyalty_card,
            cast(scored.enrollment_type as enrollment_type_t) as enrollment_type,
            cast(scored.rfm_segment as segment_t) as rfm_segment,
            cast(scored.risk_tier as risk_tier_t) as risk_tier,
            cast(cast(scored.scored_at as varchar) as scored_at_t) as scored_at
        ),
        -- CLV in whole cents: exact, and medians of integers are much faster than of doubles.
        cast(round(scored.clv * 100) as bigint) as clv_cents,
        loyalty.enrollment_month_index,
        loyalty.cancellation_month_index,
        coalesce(flown.flight_mask, 0) as flight_mask,
        predictions.* exclude (loyalty_number)
    from scored
    left join loyalty
        on scored.loyalty_number = loyalty.loyalty_number
    left join predictions
        on scored.loyalty_number = predictions.loyalty_number
    left join flown
        on scored.loyalty_number = flown.loyalty_number
)

select * from final order by loyalty_number;
