-- One row per member. Renames and casts only; month indexes count months since year 0
-- (year * 12 + month - 1) so that month arithmetic is plain integer arithmetic on any engine.
with source as (
    select * from src_customer_loyalty_history
),

renamed as (
    select
        cast(loyalty_number as bigint) as loyalty_number,
        cast(country as string) as country,
        cast(province as string) as province,
        cast(city as string) as city,
        cast(gender as string) as gender,
        cast(education as string) as education,
        cast(salary as double) as salary,
        cast(marital_status as string) as marital_status,
        cast(loyalty_card as string) as loyalty_card,
        cast(clv as double) as clv,
        cast(enrollment_type as string) as enrollment_type,
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
