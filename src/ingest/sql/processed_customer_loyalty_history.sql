-- One row per member: the validated loyalty rows with explicit types, in member order.
with valid_rows as (
    select * from loyalty_rows
),

final as (
    select
        cast(loyalty_number as bigint) as loyalty_number,
        cast(country as varchar) as country,
        cast(province as varchar) as province,
        cast(city as varchar) as city,
        cast(postal_code as varchar) as postal_code,
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
        cast(cancellation_month as integer) as cancellation_month
    from valid_rows
)

select * from final order by loyalty_number
