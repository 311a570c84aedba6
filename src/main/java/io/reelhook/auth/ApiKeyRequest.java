package io.reelhook.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The key a request presented; {@code null} when it showed none (only sent on while the API is open). */
public class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
