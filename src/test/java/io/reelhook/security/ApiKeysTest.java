package io.reelhook.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.reelhook.auth.ApiKeyIdentityProvider;
import io.reelhook.auth.ApiKeyRequest;
import io.reelhook.auth.ApiKeys;
import io.reelhook.auth.AuthConfig;
import io.reelhook.auth.Roles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which roles a key, or no key, gets under each combination of REELHOOK_API_KEYS and REELHOOK_ADMIN_KEYS. */
class ApiKeysTest {

    private static ApiKeys keys(List<String> client, List<String> admin) {
        return new ApiKeys(new AuthConfig() {
            @Override
            public Optional<List<String>> apiKeys() {
                return Optional.of(client);
            }

            @Override
            public Optional<List<String>> adminKeys() {
                return Optional.of(admin);
            }
        });
    }

    private static SecurityIdentity identity(ApiKeys keys, String key) {
        return new ApiKeyIdentityProvider(keys)
                .authenticate(new ApiKeyRequest(key), null)
                .await()
                .indefinitely();
    }

    @Test
    void withBothKindsOfKeysEachGetsItsRolesAndNothingIsOpen() {
        ApiKeys keys = keys(List.of("c1", " c2 "), List.of("a1"));
        assertThat(keys.open()).isEmpty();
        assertThat(identity(keys, "c2").getRoles()).containsExactly(Roles.CLIENT);
        assertThat(identity(keys, "a1").getRoles()).containsExactlyInAnyOrder(Roles.ADMIN, Roles.CLIENT);
        assertThatThrownBy(() -> identity(keys, "c3")).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> identity(keys, "c")).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> identity(keys, "")).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> identity(keys, null)).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void withoutClientKeysTheClientApiIsOpenButAdminNeedsItsKey() {
        ApiKeys keys = keys(List.of(), List.of("a1"));
        assertThat(keys.open()).isEqualTo(Set.of(Roles.CLIENT));
        assertThat(identity(keys, null).getRoles()).containsExactly(Roles.CLIENT);
        // anonymous, so that an admin endpoint asks for a key (401) instead of refusing one (403)
        assertThat(identity(keys, null).isAnonymous()).isTrue();
        // a Twelve Labs SDK always sends some key: the open API takes it
        assertThat(identity(keys, "tlk_whatever").getRoles()).containsExactly(Roles.CLIENT);
        assertThat(identity(keys, "a1").getRoles()).contains(Roles.ADMIN);
        assertThat(identity(keys, "a1").isAnonymous()).isFalse();
    }

    @Test
    void withClientKeysButNoAdminKeysTheAdminEndpointsAreClosedToAll() {
        ApiKeys keys = keys(List.of("c1"), List.of());
        assertThat(keys.open()).isEmpty();
        assertThat(identity(keys, "c1").getRoles()).doesNotContain(Roles.ADMIN);
    }

    @Test
    void withNoKeysAtAllEverythingIsOpen() {
        ApiKeys keys = keys(List.of(" "), List.of());
        assertThat(keys.open()).isEqualTo(Set.of(Roles.CLIENT, Roles.ADMIN));
        assertThat(identity(keys, null).getRoles()).containsExactlyInAnyOrder(Roles.CLIENT, Roles.ADMIN);
    }
}
