package io.reelhook.console;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The console's session cookie, presented by a request that shows no {@code x-api-key}. */
class SessionRequest extends BaseAuthenticationRequest {

    private final String token;

    SessionRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }
}
