-- Seed 004 (vehicle fleet -> POST /events -> Postgres): table diag's shape, typed, as a view over the sink's table
-- ${schema}.events. producer-api turns each form post into a JSON object whose numeric fields are JSON numbers.

-- Telemetry whose numbers are not numbers (or without a VIN) is refused with SQLSTATE 23514 and dead-lettered,
-- so the view's casts can never fail.
alter table events add constraint diag_typed check (
    jsonb_typeof(attributes -> 'vin') = 'string'
    and jsonb_typeof(attributes -> 'timestamp') = 'number'
    and jsonb_typeof(attributes -> 'position_x') = 'number'
    and jsonb_typeof(attributes -> 'position_y') = 'number'
    and jsonb_typeof(attributes -> 'position_z') = 'number'
    and jsonb_typeof(attributes -> 'speed') = 'number');

create view diag as
select (e.attributes ->> 'timestamp')::double precision  as "timestamp",
       e.attributes ->> 'vin'                            as vin,
       e.attributes ->> 'make'                           as make,
       e.attributes ->> 'model'                          as model,
       (e.attributes ->> 'position_x')::double precision as position_x,
       (e.attributes ->> 'position_y')::double precision as position_y,
       (e.attributes ->> 'position_z')::double precision as position_z,
       (e.attributes ->> 'speed')::double precision      as speed
from events e;
