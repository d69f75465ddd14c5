package io.streamloader.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error responses (header too large, URI too long, bad request line, bad percent-encoding or UTF-8 in the
 * path, a body cut by the idle timeout) as our {@code application/problem+json}: the status, a fixed sentence per
 * status naming the limit, and never Jetty's message or exception, which could name classes or echo input.
 */
final class ErrorPages extends ErrorHandler {

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        byte[] body = body(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        return ByteBuffer.wrap(body(status));
    }

    /** The problem document for {@code status}; static text only. */
    static byte[] body(int status) {
        String field = switch (status) {
            case 413 -> ",\"field\":\"api.max-body-bytes\"";
            case 414 -> ",\"field\":\"uri\"";
            case 431 -> ",\"field\":\"headers\"";
            case 408 -> ",\"field\":\"api.limits.idle-timeout\"";
            default -> "";
        };
        return ("{\"type\":\"about:blank\",\"title\":\"" + HttpStatus.getMessage(status) + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail(status) + "\"" + field + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A fixed sentence for {@code status}, naming the limit where one applies. */
    static String detail(int status) {
        return switch (status) {
            case 400 ->
                "the request is malformed (request line, headers, percent-encoding or UTF-8 of the path or query)";
            case 408 -> "the request was not received in time (api.limits.idle-timeout)";
            case 413 -> "the request body is too large (api.max-body-bytes)";
            case 414 -> "the request URI is too long (at most 8 KiB with the headers)";
            case 431 -> "the request headers are too large (at most 8 KiB)";
            case 404 -> "no such route";
            case 405 -> "method not allowed on this route";
            case 500, 503 -> "the server could not handle the request; retry later";
            default -> HttpStatus.getMessage(status);
        };
    }
}
