package io.reelhook.console;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a request comes from a page of Reelhook's own origin, judged by {@code Origin} (or, without it,
 * {@code Referer}) against the host the request was sent to. A browser always sends one of them on a cross-origin
 * write, and no page can forge them; a request with neither is refused too. An {@code https} origin is accepted for a
 * plain-HTTP request to the same host and port, which is what a TLS-terminating proxy in front of Reelhook looks like.
 */
final class SameOrigin {

    private SameOrigin() {}

    static boolean test(HttpServerRequest request) {
        String source = request.getHeader("Origin");
        if (source == null) {
            source = request.getHeader("Referer");
        }
        HostAndPort target = request.authority();
        if (source == null || target == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(source.trim());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String ownScheme = request.scheme() == null ? "http" : request.scheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals(ownScheme) || scheme.equals("https"))) {
            return false;
        }
        return authority(uri.getHost(), uri.getPort()).equals(authority(target.host(), target.port()));
    }

    /** Host and port, with the default ports of http and https left out (a proxy forwards the bare host). */
    private static String authority(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        return port < 0 || port == 80 || port == 443 ? name : name + ":" + port;
    }
}
