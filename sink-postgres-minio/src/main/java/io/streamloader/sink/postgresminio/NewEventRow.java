package io.streamloader.sink.postgresminio;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * The metadata row of an event without a blob, written with Hibernate's own insert statement, no conflict clause:
 * what {@link RowWriter} tries first, because nearly every event arrives once and PostgreSQL inserts a row faster than
 * it upserts one. It binds the nine columns such a row fills; the blob's columns keep their default, null. A batch
 * holding an id stored before fails as a whole, is rolled back, and is written again as {@link EventRow} upserts.
 */
@Entity(name = "NewEventRow")
@Table(name = "events")
public class NewEventRow extends EventColumns {
    protected NewEventRow() {}
}
