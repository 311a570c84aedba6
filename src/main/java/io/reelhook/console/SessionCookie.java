package io.reelhook.console;

import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;

/**
 * The session cookie: {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other site's page sends it),
 * {@code Path=/} (the API and the stream are outside the console's pages), and {@code Secure} when the browser
 * speaks HTTPS, directly or through a proxy that says so.
 */
final class SessionCookie {

    static final String NAME = "reelhook_session";

    private SessionCookie() {}

    static String set(String token, Duration maxAge, boolean secure) {
        return NAME + "=" + token + "; Max-Age=" + maxAge.toSeconds() + "; Path=/; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    static String cleared(boolean secure) {
        return set("", Duration.ZERO, secure);
    }

    /**
     * Whether the browser reached Reelhook over HTTPS. A forwarded scheme is trusted here because it can only add
     * {@code Secure}, which a plain-HTTP browser would merely not send back.
     */
    static boolean secure(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Proto");
        String origin = request.getHeader("Origin");
        return "https".equalsIgnoreCase(request.scheme())
                || forwarded != null && forwarded.trim().toLowerCase().startsWith("https")
                || origin != null && origin.startsWith("https://");
    }
}
