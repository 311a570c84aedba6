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
import java.util.Map;

/**
 * Decides on the simulator's requests after routing, so on every path spelling that reaches one of its resources,
 * and before any byte of a body is read (its uploads read the body themselves): the routes do not exist while the
 * simulator is off, and need the simulator's key (except the presigned chunk URLs) and a length within the limit.
 * (Application scoped: the filter is set up before the run-time configuration exists, and its proxy waits for it.)
 */
@ApplicationScoped
public class SimulatorGuard {

    /** Room for the other form fields and the multipart framing around the file; also the JSON bodies' limit. */
    static final long MULTIPART_OVERHEAD = 1024 * 1024;

    private final byte[] key;
    private final Map<Class<?>, Rule> rules;
    private volatile boolean enabled;

    SimulatorGuard(SimulatorConfig config, MediaLimits limits) {
        this.key = config.apiKey().getBytes(StandardCharsets.UTF_8);
        Rule json = new Rule(true, MULTIPART_OVERHEAD, "parameter_invalid");
        this.rules = Map.of(
                SimulatorResource.class,
                new Rule(true, limits.maxFileSize() + MULTIPART_OVERHEAD, "video_filesize_too_large"),
                AssetResource.class,
                new Rule(true, config.directMaxSize().asLongValue() + MULTIPART_OVERHEAD, AssetResource.TOO_LARGE),
                MultipartUploadResource.class,
                json,
                IndexedAssetResource.class,
                json,
                IndexResource.class,
                json,
                // presigned: the signature stands for the key, and the resource checks it and the chunk's length
                ChunkStorageResource.class,
                new Rule(false, Long.MAX_VALUE, "parameter_invalid"));
        this.enabled = config.on();
    }

    /** The largest body the simulator reads for {@code resource}. */
    long maxBody(Class<?> resource) {
        return rules.get(resource).maxBody();
    }

    /** For tests, which share one Quarkus start with the simulator on. */
    void enable(boolean on) {
        enabled = on;
    }

    @ServerRequestFilter
    public Response guard(SimpleResourceInfo resource, RoutingContext context) {
        HttpServerRequest request = context.request();
        Rule rule = rule(resource.getResourceClass());
        if (rule == null) {
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
        if (rule.keyed()
                && (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), key))) {
            return refuse(context, 401, "api_key_invalid", "The x-api-key header is missing or not valid.");
        }
        String length = request.getHeader("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > rule.maxBody())) {
            return refuse(
                    context,
                    413,
                    rule.tooLarge(),
                    "The request is " + length + " bytes; at most " + rule.maxBody() + " are read.");
        }
        return null;
    }

    /** The rule of a simulator resource (or of the subclass Quarkus made of it); null for any other resource. */
    private Rule rule(Class<?> resource) {
        if (resource == null) {
            return null;
        }
        return rules.entrySet().stream()
                .filter(entry -> entry.getKey().isAssignableFrom(resource))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    /** Whether a route needs the key, the longest body it reads and the code that refuses a longer one. */
    private record Rule(boolean keyed, long maxBody, String tooLarge) {}

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
