-- The sink's table: one row per event, upserted by event id. Lives in the sink's schema (${schema}).
-- Operators add views and tables over it with their own migrations (migrations.locations); keep versions >= 100
-- for those, the sink's own migrations stay below 100.
create table events (
    id              text        primary key,
    topic           text        not null,
    kafka_partition integer     not null,
    kafka_offset    bigint      not null,
    kafka_key       text,
    content_type    text        not null,
    event_time      timestamptz not null,
    received_at     timestamptz not null,
    attributes      jsonb       not null,
    bucket          text,
    object_key      text,
    object_size     bigint,
    object_sha256   text,
    constraint events_blob_complete check (
        (bucket is null and object_key is null and object_size is null and object_sha256 is null)
        or (bucket is not null and object_key is not null and object_size is not null and object_sha256 is not null))
);

create index events_topic_time on events (topic, event_time);
create index events_object on events (bucket, object_key) where object_key is not null;
