package io.streamloader.sink.postgresminio;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * The metadata row of an event with a blob, written with Hibernate's own insert statement like {@link NewEventRow},
 * the blob's columns included.
 */
@Entity(name = "NewBlobEventRow")
@Table(name = "events")
public class NewBlobEventRow extends BlobColumns {
    protected NewBlobEventRow() {}
}
