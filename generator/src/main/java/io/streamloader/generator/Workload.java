package io.streamloader.generator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.random.RandomGenerator;

/** Builds the {@code seq}-th request of a run. Implementations are thread-safe (state is per sequence number). */
interface Workload {

    HttpRequest request(URI base, long seq, RandomGenerator random);

    /** Events one request carries, for the events/s figure. */
    default int eventsPerRequest() {
        return 1;
    }

    /** The request rate this workload implies when {@code --rate} is not given; 0 for as fast as possible. */
    default double naturalRate() {
        return 0;
    }

    static HttpRequest.Builder post(URI base, String path, String contentType, byte[] body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
