package io.reelhook.auth;

import io.quarkus.runtime.StartupEvent;
import io.reelhook.api.ApiError;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code x-api-key} against REELHOOK_API_KEYS on the client APIs ({@code /v1.3}, {@code /api}) before the
 * request body is read. Webhooks carry their own signature; {@code /q} is for operators.
 */
@ApplicationScoped
class ApiKeyGuard {

    private static final Logger LOG = Logger.getLogger(ApiKeyGuard.class);

    @ConfigProperty(name = "reelhook.api-keys")
    Optional<List<String>> configured;

    /** The keys as bytes, read once rather than on every request. */
    private List<byte[]> keys;

    @PostConstruct
    void readKeys() {
        keys = configured.orElse(List.of()).stream().map(String::trim).filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    void warnIfOpen(@Observes StartupEvent start) {
        if (keys.isEmpty()) {
            LOG.warn("REELHOOK_API_KEYS is empty: the /v1.3 and /api endpoints are open to anyone who can reach them");
        }
    }

    void install(@Observes Router router) {
        // before the body handler, so that a refused upload is never read
        router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).handler(rc -> {
            String path = rc.normalizedPath();
            boolean guarded = path.startsWith("/v1.3/") || path.equals("/v1.3") || path.startsWith("/api/");
            if (!guarded || keys.isEmpty() || known(rc.request().getHeader("x-api-key"))) {
                rc.next();
                return;
            }
            new ApiError("api_key_invalid", "The x-api-key header is missing or holds an unknown key.")
                    .end(rc.response(), 401);
        });
    }

    private boolean known(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(given, key);
        }
        return match;
    }
}
