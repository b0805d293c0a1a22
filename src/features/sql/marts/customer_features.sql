-- One row per member of the loyalty file: attributes, RFM and tenure, with the reference
-- project's definitions (../shared/bench/pandas_baseline.py is the peer it is checked against).
with members as (
    select * from stg_customer_loyalty_history
),

activity as (
    select * from stg_customer_flight_activity
),

activity_by_member as (
    select
        loyalty_number,
        sum(total_flights) as frequency,
        max(case when total_flights > 0 then activity_month_index end)
            as last_flight_month_index,
        sum(case when total_flights > 0 then distance else 0 end) as monetary,
        min(activity_month_index) as first_month_index,
        max(activity_month_index) as last_month_index
    from activity
    group by loyalty_number
),

activity_window as (
    -- The last month present in the activity data closes every window. Taken from the
    -- per-member rows so that the activity is read once: an engine that materializes a CTE
    -- read twice would otherwise copy every activity row first.
    select
        max(last_month_index) as last_month_index,
        min(first_month_index) as first_month_index
    from activity_by_member
),

flown as (
    select
        members.loyalty_number,
        activity_window.last_month_index
            - activity_by_member.last_flight_month_index as recency_if_flown,
        coalesce(activity_by_member.frequency, 0) as frequency,
        coalesce(activity_by_member.monetary, 0) as monetary
    from members
    cross join activity_window
    left join activity_by_member
        on members.loyalty_number = activity_by_member.loyalty_number
),

never_flew_recency as (
    -- A member who never flew gets the highest recency among members who flew, plus 1
    -- (if nobody flew: the window's length in months).
    select
        coalesce(
            max(flown.recency_if_flown),
            max(activity_window.last_month_index - activity_window.first_month_index)
        ) + 1 as recency
    from flown
    cross join activity_window
),

quintile_edges as (
    -- pandas qcut: edges at the 20/40/60/80% quantiles, linear interpolation.
    select
        {{ quantile_exact }}(frequency, 0.2) as f20,
        {{ quantile_exact }}(frequency, 0.4) as f40,
        {{ quantile_exact }}(frequency, 0.6) as f60,
        {{ quantile_exact }}(frequency, 0.8) as f80,
        {{ quantile_exact }}(monetary, 0.2) as m20,
        {{ quantile_exact }}(monetary, 0.4) as m40,
        {{ quantile_exact }}(monetary, 0.6) as m60,
        {{ quantile_exact }}(monetary, 0.8) as m80
    from flown
),

scored as (
    select
        flown.loyalty_number,
        coalesce(flown.recency_if_flown, never_flew_recency.recency) as recency,
        flown.frequency,
        flown.monetary,
        -- A value equal to an edge falls in the lower bin (right-closed bins).
        1 + case when flown.frequency > quintile_edges.f20 then 1 else 0 end
          + case when flown.frequency > quintile_edges.f40 then 1 else 0 end
          + case when flown.frequency > quintile_edges.f60 then 1 else 0 end
          + case when flown.frequency > quintile_edges.f80 then 1 else 0 end as f_score,
        1 + case when flown.monetary > quintile_edges.m20 then 1 else 0 end
          + case when flown.monetary > quintile_edges.m40 then 1 else 0 end
          + case when flown.monetary > quintile_edges.m60 then 1 else 0 end
          + case when flown.monetary > quintile_edges.m80 then 1 else 0 end as m_score
    from flown
    cross join never_flew_recency
    cross join quintile_edges
),

rfm as (
    select
        scored.*,
        case
            when recency <= 1 then 5
            when recency <= 3 then 4
            when recency <= 6 then 3
            when recency <= 12 then 2
            else 1
        end as r_score
    from scored
),

segmented as (
    select
        rfm.*,
        case
            when r_score >= 4 and f_score >= 4 and m_score >= 4 then 'Champions'
            when r_score >= 3 and f_score >= 3 then 'Loyal'
            when r_score <= 2 and f_score >= 3 then 'At Risk'
            when r_score <= 2 and f_score <= 2 then 'Dormant'
            else 'Potential'
        end as rfm_segment
    from rfm
),

final as (
    select
        members.loyalty_number,
        members.country,
        members.province,
        members.city,
        members.gender,
        members.education,
        members.marital_status,
        members.loyalty_card,
        members.clv,
        members.enrollment_type,
        members.enrollment_year,
        members.enrollment_month,
        make_date(members.enrollment_year, members.enrollment_month, 1) as enrollment_date,
        members.cancellation_year,
        members.cancellation_month,
        case
            when members.cancellation_year is not null
                then make_date(members.cancellation_year, members.cancellation_month, 1)
        end as cancellation_date,
        members.cancellation_year is not null as is_cancelled,
        cast(greatest(
            0,
            case
                when members.cancellation_year is not null
                    then members.cancellation_month_index
                else activity_window.last_month_index
            end - members.enrollment_month_index
        ) as integer) as tenure_months,
        cast(segmented.recency as integer) as recency,
        cast(segmented.frequency as bigint) as frequency,
        cast(segmented.monetary as bigint) as monetary,
        cast(segmented.r_score as integer) as r_score,
        cast(segmented.f_score as integer) as f_score,
        cast(segmented.m_score as integer) as m_score,
        segmented.rfm_segment
    from members
    cross join activity_window
    inner join segmented
        on members.loyalty_number = segmented.loyalty_number
)

select * from final
