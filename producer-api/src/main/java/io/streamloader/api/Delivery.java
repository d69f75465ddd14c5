package io.streamloader.api;

/** Kafka's acknowledgement of one event, as the API reports it. */
public record Delivery(String id, String topic, int partition, long offset) {}
