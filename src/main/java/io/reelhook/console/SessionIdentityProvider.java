package io.reelhook.console;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.reelhook.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** A valid session grants what its key grants today; anything else fails (401 on a route that needs a role). */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionRequest> {

    private final SessionTokens tokens;

    SessionIdentityProvider(SessionTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<SessionRequest> getRequestType() {
        return SessionRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionRequest request, AuthenticationRequestContext context) {
        return tokens.verify(request.token())
                .map(session -> Uni.createFrom()
                        .<SecurityIdentity>item(QuarkusSecurityIdentity.builder()
                                .setPrincipal(new QuarkusPrincipal(
                                        session.roles().contains(Roles.ADMIN) ? "admin-key" : "client-key"))
                                .addRoles(session.roles())
                                .addAttribute("reelhook.console.session", session)
                                .build()))
                .orElseGet(
                        () -> Uni.createFrom().failure(new AuthenticationFailedException("invalid console session")));
    }
}
