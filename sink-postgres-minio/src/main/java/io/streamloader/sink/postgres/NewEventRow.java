package io.streamloader.sink.postgres;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * An event's metadata row written with Hibernate's own insert statement, no conflict clause: what {@link RowWriter}
 * tries first, because nearly every event arrives once and PostgreSQL inserts a row faster than it upserts one. A
 * batch holding an id stored before fails as a whole, is rolled back, and is written again as {@link EventRow}
 * upserts.
 */
@Entity(name = "NewEventRow")
@Table(name = "events")
public class NewEventRow extends EventColumns {
    protected NewEventRow() {}
}
