-- One row per member. Renames and casts only; month indexes count months since year 0
-- (year * 12 + month - 1) so that month arithmetic is plain integer arithmetic on any engine.
with source as (
    select * from src_customer_loyalty_history
),

renamed as (
    select
        loyalty_number,
        country,
        province,
        city,
        gender,
        education,
        marital_status,
        loyalty_card,
        clv,
        enrollment_type,
        enrollment_year,
        enrollment_month,
        cancellation_year,
        cancellation_month,
        enrollment_year * 12 + enrollment_month - 1 as enrollment_month_index,
        cancellation_year * 12 + cancellation_month - 1 as cancellation_month_index
    from source
)

select * from renamed
