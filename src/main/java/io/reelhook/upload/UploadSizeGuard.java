package io.reelhook.upload;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.reelhook.api.ApiError;
import io.reelhook.media.MediaLimits;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Refuses an upload whose declared length is past Twelve Labs' size limit before a byte of it is read, so that a
 * 3 GB request costs nothing. (A body without Content-Length is cut off by {@link RequestStream} at the same size.)
 */
@ApplicationScoped
class UploadSizeGuard {

    /** Room for the other form fields and the multipart framing around the file. */
    static final long MULTIPART_OVERHEAD = 1024 * 1024;

    @Inject
    MediaLimits limits;

    void install(@Observes Router router) {
        // before the body handler (ROUTE_ORDER_BODY_HANDLER), which would read the whole body
        router.route(HttpMethod.POST, "/v1.3/tasks")
                .order(RouteConstants.ROUTE_ORDER_HEADERS)
                .handler(rc -> {
                    String length = rc.request().getHeader("Content-Length");
                    if (length != null
                            && length.matches("\\d{1,18}")
                            && Long.parseLong(length) > limits.maxFileSize() + MULTIPART_OVERHEAD) {
                        rc.response().putHeader("Connection", "close");
                        new ApiError(
                                        "video_filesize_too_large",
                                        "The request is " + length + " bytes; a video may be at most "
                                                + limits.maxFileSize() + " bytes.")
                                .end(rc.response(), 413);
                    } else {
                        rc.next();
                    }
                });
    }
}
