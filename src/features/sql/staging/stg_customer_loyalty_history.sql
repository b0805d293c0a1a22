-- One row per member. Renames and casts only; month indexes count months since year 0
-- (year * 12 + month - 1) so that month arithmetic is plain integer arithmetic on any engine.
with source as (
    select * from src_customer_loyalty_history
),

renamed as (
    select
        cast(loyalty_number as bigint) as loyalty_number,
        cast(country as varchar) as country,
        cast(province as varchar) as province,
        cast(city as varchar) as city,
        cast(gender as varchar) as gender,
        cast(education as varchar) as education,
        cast(salary as double) as salary,
        cast(marital_status as varchar) as marital_status,
        cast(loyalty_card as varchar) as loyalty_card,
        cast(clv as double) as clv,
        cast(enrollment_type as varchar) as enrollment_type,
        cast(enrollment_year as integer) as enrollment_year,
        cast(enrollment_month as integer) as enrollment_month,
        cast(cancellation_year as integer) as cancellation_year,
        cast(cancellation_month as integer) as cancellation_month,
        cast(enrollment_year * 12 + enrollment_month - 1 as integer) as enrollment_month_index,
        cast(cancellation_year * 12 + cancellation_month - 1 as integer)
            as cancellation_month_index
    from source
)

select * from renamed
