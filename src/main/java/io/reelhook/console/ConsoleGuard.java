package io.reelhook.console;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.reelhook.api.ApiError;
import io.reelhook.auth.ApiKeyMechanism;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;

/**
 * Runs first on every request of the public port, before any body is read:
 * <ul>
 *   <li>a write that the session cookie would authenticate (no {@code x-api-key}) and that does not come from
 *   Reelhook's own origin is refused with {@code 403 cross_origin_refused}, whatever its path: nothing behind it runs.
 *   This is the console's CSRF defence, beside {@code SameSite=Strict}.</li>
 *   <li>every answer gets the console's security headers: a Content-Security-Policy that allows this origin's own
 *   scripts, styles and connections only (no inline script, no framing), {@code nosniff}, no referrer to other
 *   sites. Quarkus' own pages under {@code /q/} (Swagger UI runs inline scripts) keep theirs.</li>
 * </ul>
 */
@ApplicationScoped
class ConsoleGuard {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none';"
            + " require-trusted-types-for 'script'";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        if (!context.normalizedPath().startsWith("/q/")) {
            response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("X-Frame-Options", "DENY")
                    .putHeader("Referrer-Policy", "same-origin");
        }
        if (!SAFE.contains(request.method())
                && request.getCookie(SessionCookie.NAME) != null
                && request.getHeader(ApiKeyMechanism.HEADER) == null
                && !SameOrigin.test(request)) {
            refuse(context);
            return;
        }
        context.next();
    }

    static void refuse(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() != HttpVersion.HTTP_2 && !request.isEnded()) {
            // the body stays unread: nothing else can follow on this connection
            context.response().putHeader("Connection", "close");
        }
        crossOrigin().end(context.response(), 403);
    }

    static ApiError crossOrigin() {
        return new ApiError(
                "cross_origin_refused",
                "A request signed in with the console's session must come from the console's own origin"
                        + " (its Origin or Referer header); send x-api-key from other clients.");
    }
}
