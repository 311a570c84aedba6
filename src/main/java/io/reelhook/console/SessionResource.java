package io.reelhook.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.reelhook.api.ApiException;
import io.reelhook.auth.ApiKeys;
import io.reelhook.auth.Roles;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console's sign-in: a client key, shown once, is exchanged for the session cookie; the key itself is kept
 * nowhere (not in the cookie, not on the server). Part of the console, not of the API: left out of the OpenAPI
 * document.
 */
@Path("/console/session")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionTokens tokens;
    private final ApiKeys keys;

    SessionResource(SessionTokens tokens, ApiKeys keys) {
        this.tokens = tokens;
        this.keys = keys;
    }

    /** The sign-in form's body. */
    public record SignIn(@JsonProperty("api_key") String apiKey) {}

    /** What the console shows: whether it is signed in, or open to anyone, and until when. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record State(
            @JsonProperty("signed_in") boolean signedIn,
            boolean open,
            String warning,
            Set<String> roles,
            @JsonProperty("expires_at") Instant expiresAt) {}

    @GET
    @Operation(hidden = true)
    public Response state(@Context HttpServerRequest request) {
        Cookie cookie = request.getCookie(SessionCookie.NAME);
        Optional<SessionTokens.Session> session = cookie == null ? Optional.empty() : tokens.verify(cookie.getValue());
        return fresh(Response.ok(session.map(this::signedIn).orElseGet(this::signedOut)))
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response signIn(SignIn form, @Context HttpServerRequest request) {
        if (!SameOrigin.test(request)) {
            throw new ApiException(
                    403,
                    ConsoleGuard.crossOrigin().code(),
                    ConsoleGuard.crossOrigin().message());
        }
        if (form == null || form.apiKey() == null || form.apiKey().isBlank()) {
            throw ApiException.notProvided("api_key");
        }
        SessionTokens.Issued issued = tokens.issue(form.apiKey().trim())
                .filter(i -> i.session().roles().contains(Roles.CLIENT))
                .orElseThrow(() -> new ApiException(401, "api_key_invalid", "This is not a Reelhook client key."));
        return fresh(Response.ok(signedIn(issued.session())))
                .header(
                        HttpHeaders.SET_COOKIE,
                        SessionCookie.set(issued.token(), tokens.ttl(), SessionCookie.secure(request)))
                .build();
    }

    @DELETE
    @Operation(hidden = true)
    public Response signOut(@Context HttpServerRequest request) {
        return fresh(Response.ok(signedOut()))
                .header(HttpHeaders.SET_COOKIE, SessionCookie.cleared(SessionCookie.secure(request)))
                .build();
    }

    private State signedIn(SessionTokens.Session session) {
        return new State(true, isOpen(), warning(), new TreeSet<>(session.roles()), session.expiresAt());
    }

    private State signedOut() {
        return new State(false, isOpen(), warning(), new TreeSet<>(keys.open()), null);
    }

    private boolean isOpen() {
        return keys.open().contains(Roles.CLIENT);
    }

    private String warning() {
        return isOpen() ? ApiKeys.OPEN_WARNING : null;
    }

    private static Response.ResponseBuilder fresh(Response.ResponseBuilder response) {
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
