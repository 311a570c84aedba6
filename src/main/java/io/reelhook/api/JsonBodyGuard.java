package io.reelhook.api;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;

/**
 * Refuses a JSON body declared longer than 1 MiB before it is read. {@code quarkus.http.limits.max-body-size} must let
 * a 10 GiB upload through (the streaming uploads read their bodies themselves), and a JSON body is read into the
 * heap whole: without this, one request could fill it.
 */
@ApplicationScoped
class JsonBodyGuard {

    /** Far more than any of the API's JSON requests needs. */
    static final long MAX_JSON = 1024 * 1024;

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).handler(rc -> {
            String type = rc.request().getHeader("Content-Type");
            String length = rc.request().getHeader("Content-Length");
            if (type != null
                    && type.toLowerCase(Locale.ROOT).contains("json")
                    && length != null
                    && (length.length() > 18 || (length.matches("\\d+") && Long.parseLong(length) > MAX_JSON))) {
                rc.response().putHeader("Connection", "close");
                new ApiError(
                                "request_too_large",
                                "The JSON body is " + length + " bytes; a JSON request may be at most " + MAX_JSON
                                        + " bytes.")
                        .end(rc.response(), 413);
            } else {
                rc.next();
            }
        });
    }
}
