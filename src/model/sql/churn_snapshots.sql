-- One row per member and cutoff month T (cutoffs come from the table churn_cutoffs): the
-- members who enrolled at or before T and had not cancelled by T, their features from activity
-- up to and including T only, and the labels of the six months after T.
-- Activity before enrollment and after cancellation never reaches a feature: history keeps
-- rows from the enrollment month to T, and a member in the population has not cancelled by T.
with members as (
    select * from stg_customer_loyalty_history
),

activity as (
    select * from stg_customer_flight_activity
),

cutoffs as (
    select cast(cutoff_month_index as integer) as cutoff_month_index from churn_cutoffs
),

data_window as (
    -- First and last month of the whole data set's activity (set by the caller: a batch of
    -- members may see only its own members' rows).
    select first_month_index, last_month_index from churn_data_window
),

population as (
    select
        members.loyalty_number,
        cutoffs.cutoff_month_index,
        members.enrollment_month_index,
        members.cancellation_month_index,
        members.province,
        members.city,
        members.gender,
        members.education,
        members.marital_status,
        members.loyalty_card,
        members.enrollment_type,
        members.salary,
        members.clv
    from members
    cross join cutoffs
    where members.enrollment_month_index <= cutoffs.cutoff_month_index
        and (members.cancellation_month_index is null
            or members.cancellation_month_index > cutoffs.cutoff_month_index)
),

history as (
    -- Each member's activity from enrollment up to the cutoff; months_ago 0 is T itself.
    select
        population.loyalty_number,
        population.cutoff_month_index,
        population.cutoff_month_index - activity.activity_month_index as months_ago,
        activity.activity_month_index,
        activity.total_flights,
        activity.distance,
        activity.points_accumulated,
        activity.points_redeemed,
        activity.dollar_cost_points_redeemed
    from population
    inner join activity
        on activity.loyalty_number = population.loyalty_number
        and activity.activity_month_index <= population.cutoff_month_index
        and activity.activity_month_index >= population.enrollment_month_index
),

windows as (
    select
        loyalty_number,
        cutoff_month_index,
        sum(case when months_ago < 1 then total_flights else 0 end) as flights_1m,
        sum(case when months_ago < 3 then total_flights else 0 end) as flights_3m,
        sum(case when months_ago < 6 then total_flights else 0 end) as flights_6m,
        sum(case when months_ago < 12 then total_flights else 0 end) as flights_12m,
        sum(case when months_ago between 3 and 5 then total_flights else 0 end)
            as flights_prev_3m,
        sum(case when months_ago < 1 then distance else 0 end) as distance_1m,
        sum(case when months_ago < 3 then distance else 0 end) as distance_3m,
        sum(case when months_ago < 6 then distance else 0 end) as distance_6m,
        sum(case when months_ago < 12 then distance else 0 end) as distance_12m,
        sum(case when months_ago between 3 and 5 then distance else 0 end) as distance_prev_3m,
        sum(case when months_ago < 1 then points_accumulated else 0 end) as points_accumulated_1m,
        sum(case when months_ago < 3 then points_accumulated else 0 end) as points_accumulated_3m,
        sum(case when months_ago < 6 then points_accumulated else 0 end) as points_accumulated_6m,
        sum(case when months_ago < 12 then points_accumulated else 0 end)
            as points_accumulated_12m,
        sum(case when months_ago < 1 then points_redeemed else 0 end) as points_redeemed_1m,
        sum(case when months_ago < 3 then points_redeemed else 0 end) as points_redeemed_3m,
        sum(case when months_ago < 6 then points_redeemed else 0 end) as points_redeemed_6m,
        sum(case when months_ago < 12 then points_redeemed else 0 end) as points_redeemed_12m,
        sum(case when months_ago < 1 then dollar_cost_points_redeemed else 0 end)
            as dollar_cost_redeemed_1m,
        sum(case when months_ago < 3 then dollar_cost_points_redeemed else 0 end)
            as dollar_cost_redeemed_3m,
        sum(case when months_ago < 6 then dollar_cost_points_redeemed else 0 end)
            as dollar_cost_redeemed_6m,
        sum(case when months_ago < 12 then dollar_cost_points_redeemed else 0 end)
            as dollar_cost_redeemed_12m,
        -- The processed activity has one row per member and month (ingest merges same-month
        -- rows), so counting rows counts months; count(distinct) would cost as much as the
        -- rest of this query together.
        count(case when months_ago < 1 and total_flights > 0
            then activity_month_index end) as active_months_1m,
        count(case when months_ago < 3 and total_flights > 0
            then activity_month_index end) as active_months_3m,
        count(case when months_ago < 6 and total_flights > 0
            then activity_month_index end) as active_months_6m,
        count(case when months_ago < 12 and total_flights > 0
            then activity_month_index end) as active_months_12m,
        max(case when total_flights > 0 then activity_month_index end)
            as last_flight_month_index,
        sum(total_flights) as flights_to_date,
        sum(case when total_flights > 0 then distance else 0 end) as distance_flown_to_date
    from history
    group by loyalty_number, cutoff_month_index
),

future as (
    -- Flights in the six months after T (the dormancy label); any rows, enrolled or not.
    select
        population.loyalty_number,
        population.cutoff_month_index,
        sum(activity.total_flights) as flights_next_6m
    from population
    inner join activity
        on activity.loyalty_number = population.loyalty_number
        and activity.activity_month_index > population.cutoff_month_index
        and activity.activity_month_index <= population.cutoff_month_index + 6
    group by population.loyalty_number, population.cutoff_month_index
),

joined as (
    select
        population.*,
        data_window.first_month_index,
        data_window.last_month_index,
        population.cutoff_month_index - population.enrollment_month_index as tenure_months,
        -- Months of activity data the 12-month window can see (short at the data's start).
        least(12, population.cutoff_month_index - data_window.first_month_index + 1)
            as history_months,
        coalesce(windows.flights_1m, 0) as flights_1m,
        coalesce(windows.flights_3m, 0) as flights_3m,
        coalesce(windows.flights_6m, 0) as flights_6m,
        coalesce(windows.flights_12m, 0) as flights_12m,
        coalesce(windows.flights_prev_3m, 0) as flights_prev_3m,
        coalesce(windows.distance_1m, 0) as distance_1m,
        coalesce(windows.distance_3m, 0) as distance_3m,
        coalesce(windows.distance_6m, 0) as distance_6m,
        coalesce(windows.distance_12m, 0) as distance_12m,
        coalesce(windows.distance_prev_3m, 0) as distance_prev_3m,
        coalesce(windows.points_accumulated_1m, 0) as points_accumulated_1m,
        coalesce(windows.points_accumulated_3m, 0) as points_accumulated_3m,
        coalesce(windows.points_accumulated_6m, 0) as points_accumulated_6m,
        coalesce(windows.points_accumulated_12m, 0) as points_accumulated_12m,
        coalesce(windows.points_redeemed_1m, 0) as points_redeemed_1m,
        coalesce(windows.points_redeemed_3m, 0) as points_redeemed_3m,
        coalesce(windows.points_redeemed_6m, 0) as points_redeemed_6m,
        coalesce(windows.points_redeemed_12m, 0) as points_redeemed_12m,
        coalesce(windows.dollar_cost_redeemed_1m, 0) as dollar_cost_redeemed_1m,
        coalesce(windows.dollar_cost_redeemed_3m, 0) as dollar_cost_redeemed_3m,
        coalesce(windows.dollar_cost_redeemed_6m, 0) as dollar_cost_redeemed_6m,
        coalesce(windows.dollar_cost_redeemed_12m, 0) as dollar_cost_redeemed_12m,
        coalesce(windows.active_months_1m, 0) as active_months_1m,
        coalesce(windows.active_months_3m, 0) as active_months_3m,
        coalesce(windows.active_months_6m, 0) as active_months_6m,
        coalesce(windows.active_months_12m, 0) as active_months_12m,
        windows.last_flight_month_index,
        coalesce(windows.flights_to_date, 0) as flights_to_date,
        coalesce(windows.distance_flown_to_date, 0) as distance_flown_to_date,
        future.flights_next_6m
    from population
    cross join data_window
    left join windows
        on windows.loyalty_number = population.loyalty_number
        and windows.cutoff_month_index = population.cutoff_month_index
    left join future
        on future.loyalty_number = population.loyalty_number
        and future.cutoff_month_index = population.cutoff_month_index
),

final as (
    select
        loyalty_number,
        cutoff_month_index,
        cast(tenure_months as double) as tenure_months,
        cast(history_months as double) as history_months,
        -- Months since the last flight, capped by tenure and by the data's start: a member
        -- with no flight in view has gone without one for as long as we can see.
        cast(case
            when last_flight_month_index is not null
                then cutoff_month_index - last_flight_month_index
            else least(tenure_months + 1, cutoff_month_index - first_month_index + 1)
        end as double) as months_since_last_flight,
        cast(flights_1m as double) as flights_1m,
        cast(flights_3m as double) as flights_3m,
        cast(flights_6m as double) as flights_6m,
        cast(flights_12m as double) as flights_12m,
        cast(flights_3m - flights_prev_3m as double) as flights_trend_3v3,
        cast(distance_1m as double) as distance_1m,
        cast(distance_3m as double) as distance_3m,
        cast(distance_6m as double) as distance_6m,
        cast(distance_12m as double) as distance_12m,
        cast(distance_3m - distance_prev_3m as double) as distance_trend_3v3,
        cast(points_accumulated_1m as double) as points_accumulated_1m,
        cast(points_accumulated_3m as double) as points_accumulated_3m,
        cast(points_accumulated_6m as double) as points_accumulated_6m,
        cast(points_accumulated_12m as double) as points_accumulated_12m,
        cast(points_redeemed_1m as double) as points_redeemed_1m,
        cast(points_redeemed_3m as double) as points_redeemed_3m,
        cast(points_redeemed_6m as double) as points_redeemed_6m,
        cast(points_redeemed_12m as double) as points_redeemed_12m,
        cast(dollar_cost_redeemed_1m as double) as dollar_cost_redeemed_1m,
        cast(dollar_cost_redeemed_3m as double) as dollar_cost_redeemed_3m,
        cast(dollar_cost_redeemed_6m as double) as dollar_cost_redeemed_6m,
        cast(dollar_cost_redeemed_12m as double) as dollar_cost_redeemed_12m,
        cast(active_months_1m as double) as active_months_1m,
        cast(active_months_3m as double) as active_months_3m,
        cast(active_months_6m as double) as active_months_6m,
        cast(active_months_12m as double) as active_months_12m,
        cast(salary as double) as salary,
        cast(case when salary is null then 1 else 0 end as double) as salary_missing,
        coalesce(province, 'Unknown') as province,
        coalesce(city, 'Unknown') as city,
        coalesce(gender, 'Unknown') as gender,
        coalesce(education, 'Unknown') as education,
        coalesce(marital_status, 'Unknown') as marital_status,
        coalesce(loyalty_card, 'Unknown') as loyalty_card,
        coalesce(enrollment_type, 'Unknown') as enrollment_type,
        -- The reference recipe's features, as of T (its clv is an end-of-data total).
        cast(flights_to_date as double) as ref_frequency,
        cast(distance_flown_to_date as double) as ref_monetary,
        cast(clv as double) as clv,
        -- Labels. A label is known only when its six months lie inside the data.
        cutoff_month_index + 6 <= last_month_index as label_window_complete,
        cast(case
            when cancellation_month_index <= cutoff_month_index + 6 then 1 else 0
        end as integer) as label_cancellation,
        flights_3m > 0 as dormancy_eligible,
        cast(case when coalesce(flights_next_6m, 0) = 0 then 1 else 0 end as integer)
            as label_dormancy
    from joined
)

select * from final
