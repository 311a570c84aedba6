package io.reelhook.resumable;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.reelhook.api.ApiError;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs before the resources, and before any body is read, on {@code /uploads} and {@code /api/v1/uploads}:
 * <ul>
 *   <li>every tus answer carries {@code Tus-Resumable}, refusals before the resource included (a missing
 *   {@code Tus-Resumable: 1.0.0} is refused by {@link TusResource}, after the key, like every route's);</li>
 *   <li>CORS for the browser pages of {@code REELHOOK_RESUMABLE_CORS_ORIGINS}: their preflights are answered here,
 *   their requests get the headers a tus client reads. Quarkus' own CORS filter is not used: it acts on every path
 *   and refuses any request whose Origin it does not allow, which would refuse a keyed client that sends an Origin
 *   and the console behind a TLS proxy (io.reelhook.console.ConsoleGuard judges those).</li>
 * </ul>
 * A foreign origin's preflight is refused; its other requests are served without CORS headers, so that its page
 * cannot read the answer (the key, not the origin, authorizes a request).
 */
@ApplicationScoped
class TusRoutes {

    private static final String METHODS = "POST, HEAD, PATCH, DELETE, OPTIONS, GET";

    private final Set<String> origins;
    private final boolean anyOrigin;

    TusRoutes(ResumableConfig config) {
        List<String> configured = config.corsOrigins().orElse(List.of());
        this.origins = configured.stream()
                .map(TusRoutes::normalized)
                .filter(o -> !o.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.anyOrigin = origins.contains("*");
    }

    void install(@Observes Router router) {
        // "/uploads/*" matches "/uploads" itself too
        router.route("/uploads/*").order(RouteConstants.ROUTE_ORDER_HEADERS).handler(rc -> handle(rc, true));
        router.route("/api/v1/uploads/*")
                .order(RouteConstants.ROUTE_ORDER_HEADERS)
                .handler(rc -> handle(rc, false));
    }

    private void handle(RoutingContext context, boolean tus) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        String origin = request.getHeader("Origin");
        boolean allowed = origin != null && allows(origin);
        response.putHeader("Vary", "Origin");
        if (tus) {
            response.putHeader(Tus.RESUMABLE, Tus.VERSION);
        }
        if (request.method() == HttpMethod.OPTIONS
                && origin != null
                && request.getHeader("Access-Control-Request-Method") != null) {
            if (!allowed) {
                new ApiError(
                                "cross_origin_refused",
                                "Origin " + origin + " may not use this API from a browser;"
                                        + " REELHOOK_RESUMABLE_CORS_ORIGINS lists the origins that may.")
                        .end(response, 403);
                return;
            }
            response.putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Access-Control-Allow-Methods", METHODS)
                    .putHeader("Access-Control-Allow-Headers", Tus.REQUEST_HEADERS)
                    .putHeader("Access-Control-Expose-Headers", Tus.EXPOSED_HEADERS)
                    .putHeader("Access-Control-Max-Age", "86400")
                    .setStatusCode(204)
                    .end();
            return;
        }
        if (allowed) {
            response.putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Access-Control-Expose-Headers", Tus.EXPOSED_HEADERS);
        }
        context.next();
    }

    private boolean allows(String origin) {
        return anyOrigin || origins.contains(normalized(origin));
    }

    private static String normalized(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
