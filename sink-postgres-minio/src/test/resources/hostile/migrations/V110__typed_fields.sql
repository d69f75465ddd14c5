-- Test-only typed fields, as an operator's migration would add them: numbers that must fit an integer or a
-- numeric(10,2), and a name with a length limit. A value that does not fit is refused (SQLSTATE 22003, 22P02 or
-- 23514) and must be dead-lettered alone.
alter table events add constraint hostile_typed check (
    coalesce((attributes ->> 'qty')::integer, 0) >= 0
    and coalesce((attributes ->> 'price')::numeric(10, 2), 0) >= 0
    and coalesce(char_length(attributes ->> 'name'), 0) <= 100);
