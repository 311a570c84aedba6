package io.reelhook.console;

import io.reelhook.auth.ApiKeys;
import io.reelhook.auth.AuthConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTokensTest {

    private static final byte[] SECRET = "s".repeat(32).getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

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

    private static SessionTokens tokens(byte[] secret, ApiKeys keys, Instant now) {
        return new SessionTokens(secret, Duration.ofHours(8), keys, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSessionCarriesTheRolesOfItsKeyAndNotTheKey() {
        ApiKeys keys = keys(List.of("client-1"), List.of("admin-1"));
        SessionTokens tokens = tokens(SECRET, keys, NOW);
        SessionTokens.Issued client = tokens.issue("client-1").orElseThrow();
        SessionTokens.Issued admin = tokens.issue("admin-1").orElseThrow();

        assertThat(client.token()).doesNotContain("client-1").startsWith("v1.");
        assertThat(tokens.verify(client.token()).orElseThrow().roles()).isEqualTo(Set.of("client"));
        assertThat(tokens.verify(admin.token()).orElseThrow().roles()).isEqualTo(Set.of("client", "admin"));
        assertThat(tokens.verify(client.token()).orElseThrow().expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(8)));
        assertThat(tokens.issue("unknown")).isEmpty();
        assertThat(tokens.issue(null)).isEmpty();
    }

    @Test
    void anotherInstanceWithTheSameSecretAndKeysAcceptsIt() {
        String token = tokens(SECRET, keys(List.of("client-1"), List.of()), NOW)
                .issue("client-1")
                .orElseThrow()
                .token();
        assertThat(tokens(SECRET, keys(List.of("other", "client-1"), List.of()), NOW.plusSeconds(60))
                        .verify(token))
                .isPresent();
    }

    @Test
    void anExpiredForgedOrOrphanedTokenIsRefused() {
        ApiKeys keys = keys(List.of("client-1"), List.of());
        String token = tokens(SECRET, keys, NOW).issue("client-1").orElseThrow().token();
        String[] parts = token.split("\\.");

        assertThat(tokens(SECRET, keys, NOW.plus(Duration.ofHours(8))).verify(token))
                .isEmpty();
        assertThat(tokens(SECRET, keys, NOW.plus(Duration.ofHours(8)).minusSeconds(1))
                        .verify(token))
                .isPresent();
        assertThat(tokens("t".repeat(32).getBytes(StandardCharsets.UTF_8), keys, NOW)
                        .verify(token))
                .isEmpty();
        // the key was taken out of REELHOOK_API_KEYS
        assertThat(tokens(SECRET, keys(List.of("client-2"), List.of()), NOW).verify(token))
                .isEmpty();
        SessionTokens same = tokens(SECRET, keys, NOW);
        assertThat(same.verify(parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 1) + "." + parts[3]))
                .isEmpty();
        assertThat(same.verify("v2." + parts[1] + "." + parts[2] + "." + parts[3]))
                .isEmpty();
        assertThat(same.verify(token + ".x")).isEmpty();
        assertThat(same.verify(null)).isEmpty();
        assertThat(same.verify("")).isEmpty();
    }

    @Test
    void aShortConfiguredSecretStopsTheStart() {
        ConsoleConfig config = new ConsoleConfig() {
            @Override
            public Optional<String> sessionSecret() {
                return Optional.of("too-short");
            }

            @Override
            public Duration sessionTtl() {
                return Duration.ofHours(8);
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new SessionTokens(config, keys(List.of("client-1"), List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("REELHOOK_CONSOLE_SESSION_SECRET");
    }
}
