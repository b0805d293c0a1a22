-- One row: how the arrived export's member-months differ from the previous export's, by kind.
--   appended     a member-month of a month after the previous export's last month
--   backfilled   a new member-month of a month the previous export already covered
--   restated     a member-month in both whose figures changed
--   removed      a member-month of the previous export that the new one no longer holds
--   unchanged    a member-month in both with the same figures
-- previous_activity and arrived_activity are the processed activity tables (one row per
-- member and month); ingest binds only the months whose content changed (a month left as it
-- was is all unchanged, counted without being read). previous_activity_window holds the
-- previous export's last month index.
with previous_rows as (
    select * from previous_activity
),

arrived_rows as (
    select * from arrived_activity
),

previous_window as (
    select last_month_index from previous_activity_window
),

paired as (
    select
        previous_rows.loyalty_number is not null as in_previous,
        arrived_rows.loyalty_number is not null as in_arrived,
        coalesce(arrived_rows.year, previous_rows.year) * 12
            + coalesce(arrived_rows.month, previous_rows.month) - 1 as month_index,
        row(previous_rows.total_flights, previous_rows.distance,
            previous_rows.points_accumulated, previous_rows.points_redeemed,
            previous_rows.dollar_cost_points_redeemed)
            is distinct from row(arrived_rows.total_flights, arrived_rows.distance,
                arrived_rows.points_accumulated, arrived_rows.points_redeemed,
                arrived_rows.dollar_cost_points_redeemed) as figures_changed
    from previous_rows
    full outer join arrived_rows
        on previous_rows.loyalty_number = arrived_rows.loyalty_number
        and previous_rows.year = arrived_rows.year
        and previous_rows.month = arrived_rows.month
),

final as (
    select
        count(*) filter (where in_arrived and not in_previous
            and month_index > previous_window.last_month_index) as appended,
        count(*) filter (where in_arrived and not in_previous
            and month_index <= previous_window.last_month_index) as backfilled,
        count(*) filter (where in_arrived and in_previous and figures_changed) as restated,
        count(*) filter (where in_previous and not in_arrived) as removed,
        count(*) filter (where in_arrived and in_previous and not figures_changed) as unchanged
    from paired
    cross join previous_window
)

select * from final
