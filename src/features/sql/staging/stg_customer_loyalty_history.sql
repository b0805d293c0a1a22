-- One row per member: the processed loyalty history's columns as they are (their types are
-- stated once, in src/ingest/sql/processed_customer_loyalty_history.sql), and month indexes.
-- This is the one place month indexes are derived: months since year 0 (year * 12 + month -
-- 1), so that month arithmetic is plain integer arithmetic on any engine; every later model
-- and the operations read them from here.
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
        salary,
        marital_status,
        loyalty_card,
        clv,
        enrollment_type,
        enrollment_year,
        enrollment_month,
        cancellation_year,
        cancellation_month,
        cast(enrollment_year * 12 + enrollment_month - 1 as integer) as enrollment_month_index,
        cast(cancellation_year * 12 + cancellation_month - 1 as integer)
            as cancellation_month_index
    from source
)

select * from renamed
