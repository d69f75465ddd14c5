package io.streamloader.api;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.regex.Pattern;

/** The producer API's {@code GET /}: a short welcome that links to the operations console on the admin endpoint. */
final class Welcome {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");

    private Welcome() {}

    static void page(Context ctx, String consoleUrl) {
        String url = consoleUrl.replace("{host}", hostName(ctx.header("Host")));
        ctx.header("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>streamloader</title></head>"
                + "<body><h1>streamloader producer API</h1>"
                + "<p>Post events to the configured routes; the API is described in <a href=\"/openapi.json\">"
                + "openapi.json</a>.</p><p>Operations console (throughput, lag, dead letters and their replay): <a"
                + " href=\"" + escape(url) + "\">" + escape(url) + "</a></p></body></html>");
    }

    /** The host part of a Host header when it is a plain name or address; anything else gives {@code localhost}. */
    static String hostName(String header) {
        String host = Optional.ofNullable(header).orElse("").strip();
        int colon = host.lastIndexOf(':');
        if (colon > 0 && !host.endsWith("]")) {
            host = host.substring(0, colon);
        }
        return HOST_NAME.matcher(host).matches() ? host : "localhost";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
