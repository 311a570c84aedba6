package io.reelhook.api;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code {"code","message"}} for what the JAX-RS mappers never see: paths that no route serves, methods that a
 * Vert.x route does not take, and failures of Vert.x routes (the webhook receiver, the framework's own), on the
 * public port and on the management interface.
 */
@ApplicationScoped
class RouteErrors {

    void install(@Observes Router router) {
        router.errorHandler(404, rc -> end(rc, 404));
        router.errorHandler(405, rc -> end(rc, 405));
        // before Quarkus' own failure handler (which is last), after every route's own
        router.route().order(Integer.MAX_VALUE - 1).failureHandler(this::failed);
    }

    /** The same on the management interface (health, metrics), so that operators' tools see one error shape. */
    void installManagement(@Observes ManagementInterface management) {
        management.router().errorHandler(404, rc -> end(rc, 404));
        management.router().errorHandler(405, rc -> end(rc, 405));
    }

    private void failed(RoutingContext rc) {
        if (rc.response().headWritten()) {
            rc.response().reset();
            return;
        }
        int status = rc.statusCode();
        if (rc.failure() != null && status < 400 || status >= 500) {
            ApiException error = Failures.unexpected(
                    rc.failure() != null
                            ? rc.failure()
                            : new IllegalStateException("a route failed with status " + status));
            error(error).end(rc.response(), error.status());
        } else {
            end(rc, status);
        }
    }

    private static void end(RoutingContext rc, int status) {
        if (rc.response().headWritten()) {
            return;
        }
        ApiError error = switch (status) {
            case 404 -> new ApiError("resource_not_exist", "The requested resource does not exist.");
            case 405 -> new ApiError("method_not_allowed", "This method is not allowed on this resource.");
            case 413 -> new ApiError("request_too_large", "The request body is too large.");
            case 401 -> new ApiError("api_key_invalid", ApiExceptionMappers.KEY_INVALID);
            case 403 -> new ApiError("forbidden", "The API key is valid but may not use this endpoint.");
            default -> new ApiError("http_" + status, "The request could not be served.");
        };
        error.end(rc.response(), status);
    }

    private static ApiError error(ApiException e) {
        return new ApiError(e.code(), e.getMessage());
    }
}
