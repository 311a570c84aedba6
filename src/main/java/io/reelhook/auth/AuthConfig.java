package io.reelhook.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.List;
import java.util.Optional;

/**
 * Who may call which API. Keys go in the {@code x-api-key} header.
 * <ul>
 *   <li>{@code reelhook.api-keys} (REELHOOK_API_KEYS): client keys, comma-separated. They open the task API
 *   ({@code /v1.3}), the reads of {@code /api/v1} and the event stream. Empty: those are open to anyone (a warning
 *   is logged at start).</li>
 *   <li>{@code reelhook.admin-keys} (REELHOOK_ADMIN_KEYS): admin keys, comma-separated. They open
 *   {@code /api/v1/admin/*} and everything a client key opens. Empty: the admin endpoints are refused, unless
 *   REELHOOK_API_KEYS is empty too (a fully open development setup).</li>
 * </ul>
 * The mapping's prefix is {@code reelhook.auth} (a mapping of all of {@code reelhook} would have to know every
 * other slice's keys); application.properties points {@code reelhook.auth.*} at the two documented names.
 */
@ConfigMapping(prefix = "reelhook.auth")
public interface AuthConfig {

    @WithName("api-keys")
    Optional<List<String>> apiKeys();

    @WithName("admin-keys")
    Optional<List<String>> adminKeys();
}
