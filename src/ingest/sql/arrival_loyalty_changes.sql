-- One row: how the arrived export's members differ from the previous export's, by kind.
--   new_members               a member the previous export did not hold
--   new_cancellations         a member with a cancellation now, none before
--   cancellations_withdrawn   a member whose cancellation is gone
--   cancellations_moved       a member whose cancellation month changed
--   details_changed           a member with another change (card, CLV, address, salary, ...)
--   removed_members           a member of the previous export the new one no longer holds
--   unchanged                 a member with the same row
-- A member counts once, under the first kind that applies in the order listed.
-- previous_loyalty and arrived_loyalty are the processed loyalty tables (one row per member).
with previous_rows as (
    select * from previous_loyalty
),

arrived_rows as (
    select * from arrived_loyalty
),

paired as (
    select
        previous_rows.loyalty_number is not null as in_previous,
        arrived_rows.loyalty_number is not null as in_arrived,
        previous_rows.cancellation_year is not null as cancelled_before,
        arrived_rows.cancellation_year is not null as cancelled_now,
        row(previous_rows.cancellation_year, previous_rows.cancellation_month)
            is distinct from row(arrived_rows.cancellation_year, arrived_rows.cancellation_month)
            as cancellation_changed,
        row(previous_rows.country, previous_rows.province, previous_rows.city,
            previous_rows.postal_code, previous_rows.gender, previous_rows.education,
            previous_rows.salary, previous_rows.marital_status, previous_rows.loyalty_card,
            previous_rows.clv, previous_rows.enrollment_type, previous_rows.enrollment_year,
            previous_rows.enrollment_month)
            is distinct from row(arrived_rows.country, arrived_rows.province, arrived_rows.city,
                arrived_rows.postal_code, arrived_rows.gender, arrived_rows.education,
                arrived_rows.salary, arrived_rows.marital_status, arrived_rows.loyalty_card,
                arrived_rows.clv, arrived_rows.enrollment_type, arrived_rows.enrollment_year,
                arrived_rows.enrollment_month) as details_changed
    from previous_rows
    full outer join arrived_rows
        on previous_rows.loyalty_number = arrived_rows.loyalty_number
),

kinds as (
    select
        case
            when not in_previous then 'new_members'
            when not in_arrived then 'removed_members'
            when not cancelled_before and cancelled_now then 'new_cancellations'
            when cancelled_before and not cancelled_now then 'cancellations_withdrawn'
            when cancellation_changed then 'cancellations_moved'
            when details_changed then 'details_changed'
            else 'unchanged'
        end as kind
    from paired
),

final as (
    select
        count(*) filter (where kind = 'new_members') as new_members,
        count(*) filter (where kind = 'new_cancellations') as new_cancellations,
        count(*) filter (where kind = 'cancellations_withdrawn') as cancellations_withdrawn,
        count(*) filter (where kind = 'cancellations_moved') as cancellations_moved,
        count(*) filter (where kind = 'details_changed') as details_changed,
        count(*) filter (where kind = 'removed_members') as removed_members,
        count(*) filter (where kind = 'unchanged') as unchanged
    from kinds
)

select * from final
