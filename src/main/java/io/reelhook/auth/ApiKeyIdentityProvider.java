package io.reelhook.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Turns a presented key into the roles it grants. An unknown key fails (401) unless the client API is open, where
 * any key, like none, gets the open roles: Twelve Labs' SDKs always send some key.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        Set<String> roles = request.key() == null ? Set.of() : keys.rolesOf(request.key());
        if (!roles.isEmpty()) {
            String name = roles.contains(Roles.ADMIN) ? "admin-key" : "client-key";
            return Uni.createFrom()
                    .item(QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(name))
                            .addRoles(roles)
                            .build());
        }
        if (keys.open().isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown API key"));
        }
        // still anonymous: an endpoint that needs more than the open roles answers 401 (show a key), not 403
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setAnonymous(true)
                        .setPrincipal(new QuarkusPrincipal("anonymous"))
                        .addRoles(keys.open())
                        .build());
    }
}
