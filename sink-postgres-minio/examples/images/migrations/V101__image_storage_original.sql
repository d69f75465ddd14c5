-- Seed 003's image_storage as the original defines it: one row per uuid (its primary key) and sent_at as the client
-- sent it. Use with id.template={uuid}: the sink's row id is then the image's uuid, so re-sending a uuid updates its
-- row (and overwrites its object) instead of adding one.

-- Two spellings of one uuid (upper and lower case) would still be two rows; the second is refused (SQLSTATE 23505)
-- and dead-lettered, so the view never shows a uuid twice.
create unique index image_storage_uuid on events (((attributes ->> 'uuid')::uuid)) where object_key is not null;

-- The client's sent_at: epoch seconds (the original's msgpack float, e.g. 1742700000.25) or an ISO-8601 date-time
-- (UTC unless it carries an offset), as timestamp without time zone in UTC. Anything else raises 22007/22008.
create function sent_at_utc(value text) returns timestamp
    language plpgsql immutable strict as $$
begin
    if value ~ '^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$' then
        return to_timestamp(value::double precision) at time zone 'UTC';
    elsif value ~ '^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?\s*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)\s*$' then
        return value::timestamptz at time zone 'UTC';
    elsif value ~ '^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?\s*$' then
        return value::timestamp;
    end if;
    raise exception using errcode = '22007',
        message = 'sent_at must be epoch seconds or an ISO-8601 date-time, was ''' || left(value, 64) || '''';
end $$;

-- Refused at insert (and dead-lettered with the message above), so the view's call can never fail.
alter table events add constraint image_sent_at check (
    object_key is null or attributes ->> 'sent_at' is null or sent_at_utc(attributes ->> 'sent_at') is not null);

drop view image_storage;
create view image_storage as
select (e.attributes ->> 'uuid')::uuid                                                   as uuid,
       (e.attributes ->> 'customer_id')::integer                                          as customer_id,
       e.object_key                                                                       as image_address,
       coalesce(sent_at_utc(e.attributes ->> 'sent_at'), e.event_time at time zone 'UTC') as sent_at,
       (e.received_at at time zone 'UTC')                                                 as received_at
from events e
where e.object_key is not null;
