package io.reelhook.simulator;

import io.reelhook.media.MediaLimits;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decides on the simulator's requests after routing, so on every path spelling that reaches
 * {@link SimulatorResource}, and before any byte of a body is read (its upload reads the body itself): the routes do
 * not exist while the simulator is off, and need the simulator's key and a length within the file limit.
 * (Application scoped: the filter is set up before the run-time configuration exists, and its proxy waits for it.)
 */
@ApplicationScoped
public class SimulatorGuard {

    /** Room for the other form fields and the multipart framing around the file. */
    static final long MULTIPART_OVERHEAD = 1024 * 1024;

    private final byte[] key;
    private final long maxBody;
    private volatile boolean enabled;

    SimulatorGuard(SimulatorConfig config, MediaLimits limits) {
        this.key = config.apiKey().getBytes(StandardCharsets.UTF_8);
        this.maxBody = limits.maxFileSize() + MULTIPART_OVERHEAD;
        this.enabled = config.on();
    }

    /** The largest body the simulator reads. */
    long maxBody() {
        return maxBody;
    }

    /** For tests, which share one Quarkus start with the simulator on. */
    void enable(boolean on) {
        enabled = on;
    }

    @ServerRequestFilter
    public Response guard(SimpleResourceInfo resource, RoutingContext context) {
        HttpServerRequest request = context.request();
        if (resource.getResourceClass() == null
                || !SimulatorResource.class.isAssignableFrom(resource.getResourceClass())) {
            return null;
        }
        if (!enabled) {
            return refuse(
                    context,
                    404,
                    "resource_not_exist",
                    "There is no such resource: the Twelve Labs simulator is not the upstream.");
        }
        String presented = request.getHeader("x-api-key");
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), key)) {
            return refuse(context, 401, "api_key_invalid", "The x-api-key header is missing or not valid.");
        }
        String length = request.getHeader("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > maxBody)) {
            return refuse(
                    context,
                    413,
                    "video_filesize_too_large",
                    "The request is " + length + " bytes; at most " + maxBody + " are read.");
        }
        return null;
    }

    private static Response refuse(RoutingContext request, int status, String code, String message) {
        Response.ResponseBuilder answer = Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new SimulatorResource.SimError(code, message));
        closeAfter(request);
        return answer.build();
    }

    /** The body stays unread: nothing else can follow on the connection (on HTTP/2, only the stream ends). */
    static void closeAfter(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() != HttpVersion.HTTP_2 && !request.isEnded()) {
            request.response().putHeader("Connection", "close");
            context.addBodyEndHandler(written -> request.connection().close());
        }
    }
}
