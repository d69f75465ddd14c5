-- jsonb keeps numbers exactly (1e400, 1e-400), but the diag view reads them as double precision: one such row would
-- make every query over the view fail with "out of range". Refuse it at insert (SQLSTATE 22003, dead-lettered) instead.
-- A value that is not a number at all is left to diag_typed (CASE: no cast is tried on it). NOT VALID: rows stored
-- before this migration are not re-checked.
alter table events add constraint diag_typed_finite check (
    case when jsonb_typeof(attributes -> 'timestamp') = 'number'
         then (attributes ->> 'timestamp')::double precision is not null else true end
    and case when jsonb_typeof(attributes -> 'position_x') = 'number'
         then (attributes ->> 'position_x')::double precision is not null else true end
    and case when jsonb_typeof(attributes -> 'position_y') = 'number'
         then (attributes ->> 'position_y')::double precision is not null else true end
    and case when jsonb_typeof(attributes -> 'position_z') = 'number'
         then (attributes ->> 'position_z')::double precision is not null else true end
    and case when jsonb_typeof(attributes -> 'speed') = 'number'
         then (attributes ->> 'speed')::double precision is not null else true end) not valid;
