package io.streamloader.generator;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Builds the {@code seq}-th request of a run. Implementations are thread-safe (state is per sequence number). */
interface Workload {

    Request request(URI base, long seq, RandomGenerator random);

    /** Events one request carries, for the events/s figure. */
    default int eventsPerRequest() {
        return 1;
    }

    /** The request rate this workload implies when {@code --rate} is not given; 0 for as fast as possible. */
    default double naturalRate() {
        return 0;
    }

    static Request.Builder post(URI base, String path, String contentType, byte[] body) {
        return new Request.Builder("POST", base.resolve(path), body).header("Content-Type", contentType);
    }

    static Request.Builder get(URI base, String path) {
        return new Request.Builder("GET", base.resolve(path), null);
    }

    /**
     * One HTTP request, independent of the client that sends it.
     *
     * @param body the POST body, or {@code null} for a GET
     * @param headers name/value pairs, in order
     */
    record Request(String method, URI uri, List<String[]> headers, byte[] body) {

        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            headers = List.copyOf(headers);
        }

        /** The first value of header {@code name} (case-insensitive), or {@code null}. */
        String header(String name) {
            return headers.stream()
                    .filter(h -> h[0].equalsIgnoreCase(name))
                    .map(h -> h[1])
                    .findFirst()
                    .orElse(null);
        }

        /** This request with one more header. */
        Request with(String name, String value) {
            var more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Request(method, uri, more, body);
        }

        static final class Builder {
            private final String method;
            private final URI uri;
            private final byte[] body;
            private final List<String[]> headers = new ArrayList<>(2);

            Builder(String method, URI uri, byte[] body) {
                this.method = method;
                this.uri = uri;
                this.body = body;
            }

            Builder header(String name, String value) {
                headers.add(new String[] {name, value});
                return this;
            }

            Request build() {
                return new Request(method, uri, headers, body);
            }
        }
    }
}
