-- One row per member of customer_features, with the churn predictions where the member was
-- scored. scoring_status says why a member has none: cancelled before the scoring month, or
-- not in the scored population for another reason.
create or replace view customer_scored as
with features as (
    select * from customer_features
),

predictions as (
    select * from churn_predictions
),

final as (
    select
        features.*,
        predictions.churn_probability,
        predictions.churn_score,
        predictions.risk_tier,
        predictions.reason_1,
        predictions.reason_2,
        predictions.reason_3,
        predictions.scored_at,
        case
            when predictions.loyalty_number is not null then 'scored'
            when features.is_cancelled then 'cancelled'
            else 'not_scored'
        end as scoring_status
    from features
    left join predictions
        on features.loyalty_number = predictions.loyalty_number
)

select * from final
