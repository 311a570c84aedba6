package io.reelhook.api;

import io.vertx.ext.web.Router;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Test-only endpoints that fail the ways no production endpoint can be made to on purpose: an unforeseen
 * exception (JAX-RS and Vert.x), a JSON body, a typed query parameter. Hidden from the OpenAPI document.
 */
@Path("/test-probe")
@PermitAll
public class FailureProbe {

    static final String SECRET_DETAIL = "a detail that must stay in the log";

    public record Body(String name, int count) {}

    @GET
    @Path("/boom")
    @Operation(hidden = true)
    public String boom() {
        throw new IllegalStateException(SECRET_DETAIL);
    }

    @POST
    @Path("/json")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public String json(Body body) {
        return body.name();
    }

    @GET
    @Path("/number")
    @Operation(hidden = true)
    public String number(@QueryParam("n") Long n) {
        return String.valueOf(n);
    }

    @ApplicationScoped
    static class VertxRoute {
        void install(@Observes Router router) {
            router.get("/test-probe/vertx-boom").handler(rc -> {
                throw new IllegalStateException(SECRET_DETAIL);
            });
        }
    }
}
