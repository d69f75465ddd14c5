package io.streamloader.launcher;

import com.sun.net.httpserver.HttpExchange;
import io.streamloader.core.config.AdminSettings;
import java.io.IOException;
import java.util.Optional;

/**
 * Who may do what on the admin endpoint: with {@code admin.keys}, a request presents a key ({@code X-API-Key} or
 * {@code Authorization: Bearer}) compared in constant time with every configured one; without keys the endpoint is
 * loopback only (or explicitly open) and everything is allowed.
 */
final class AdminAuth {
    private final AdminSettings settings;

    AdminAuth(AdminSettings settings) {
        this.settings = settings;
    }

    /** Whether the caller may see details: no keys configured, a loopback caller, or a key with scope read. */
    boolean mayRead(HttpExchange ex) {
        return !settings.authenticationEnabled()
                || ex.getRemoteAddress().getAddress().isLoopbackAddress()
                || key(ex).filter(k -> k.scopes().contains(AdminSettings.Scope.READ))
                        .isPresent();
    }

    /** Sends 401 or 403 and returns false unless the caller may act with {@code scope}. */
    boolean authorize(HttpExchange ex, AdminSettings.Scope scope) throws IOException {
        return who(ex, scope).isPresent();
    }

    /**
     * The name of the caller allowed to act with {@code scope} (the key's name; {@code anonymous} without keys), or
     * empty after sending 401 (no valid key) or 403 (the key lacks the scope).
     */
    Optional<String> who(HttpExchange ex, AdminSettings.Scope scope) throws IOException {
        if (!settings.authenticationEnabled()) {
            return Optional.of("anonymous");
        }
        Optional<AdminSettings.Key> key = key(ex);
        String name = scope.name().toLowerCase(java.util.Locale.ROOT);
        if (key.isEmpty()) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            AdminServer.problem(
                    ex,
                    401,
                    "Unauthorized",
                    "missing or invalid admin key: send X-API-Key or Authorization: Bearer",
                    "X-API-Key");
            return Optional.empty();
        }
        if (!key.get().scopes().contains(scope)) {
            AdminServer.problem(
                    ex, 403, "Forbidden", "admin key '" + key.get().name() + "' lacks scope " + name, "X-API-Key");
            return Optional.empty();
        }
        return Optional.of(key.get().name());
    }

    /** The admin key the request carries, compared in constant time with every configured one. */
    private Optional<AdminSettings.Key> key(HttpExchange ex) {
        String presented = ex.getRequestHeaders().getFirst("X-API-Key");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (presented == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = auth.substring(7);
        }
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        AdminSettings.Key found = null;
        for (AdminSettings.Key k : settings.keys()) {
            if (k.secret().matches(presented.strip()) && found == null) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }
}
