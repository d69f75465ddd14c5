-- Seed 003 (random images -> MinIO + Postgres): the table shape its readers expect, as a view over the sink's
-- table ${schema}.events. Use with s3.key-template={customer_id}/{uuid}; each image arrives as a binary POST
-- (content-type image/png) with metadata customer_id and uuid (query parameters or X-Meta-* headers), or as JSON
-- with the PNG base64-encoded in a field listed in blob.fields.

-- An image without a UUID or a numeric customer id is refused (SQLSTATE 22P02/23514) and dead-lettered, so the
-- view's casts can never fail.
alter table events add constraint image_identity check (
    object_key is null
    or ((attributes ->> 'uuid')::uuid is not null and (attributes ->> 'customer_id')::integer is not null));

create view image_storage as
select (e.attributes ->> 'uuid')::uuid               as uuid,
       (e.attributes ->> 'customer_id')::integer      as customer_id,
       e.object_key                                   as image_address,
       (e.event_time at time zone 'UTC')              as sent_at,
       (e.received_at at time zone 'UTC')             as received_at
from events e
where e.object_key is not null;
