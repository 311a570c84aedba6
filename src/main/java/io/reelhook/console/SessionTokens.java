package io.reelhook.console;

import io.quarkus.runtime.Startup;
import io.reelhook.auth.ApiKeys;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's session token: {@code v1.<key fingerprint>.<expiry, unix seconds>.<HMAC-SHA256>}, signed with the
 * session secret. Stateless, so that any instance with the same secret accepts it; it holds no key, only a keyed
 * fingerprint of one, looked up among the configured keys on every request: a key taken out of
 * {@code REELHOOK_API_KEYS} ends its sessions at the next start, and a key's roles are always its current ones.
 */
// at start, so that the log says at once whether sessions outlive a restart
@Startup
@Singleton
public class SessionTokens {

    private static final Logger LOG = Logger.getLogger(SessionTokens.class);
    private static final String VERSION = "v1";
    static final int MIN_SECRET_LENGTH = 32;

    /** A verified session: the roles of the key it was made from, and when it ends. */
    public record Session(String fingerprint, Set<String> roles, Instant expiresAt) {}

    /** A new session and its token, for the cookie. */
    public record Issued(String token, Session session) {}

    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Set<String>> rolesByFingerprint = new HashMap<>();

    @Inject
    SessionTokens(ConsoleConfig config, ApiKeys keys) {
        this(secret(config), config.sessionTtl(), keys, Clock.systemUTC());
    }

    SessionTokens(byte[] secret, Duration ttl, ApiKeys keys, Clock clock) {
        this.secret = secret;
        this.ttl = ttl;
        this.clock = clock;
        for (String key : keys.configured()) {
            rolesByFingerprint.put(fingerprint(key), keys.rolesOf(key));
        }
    }

    /** A session for a presented key, or empty when the key opens nothing. */
    public Optional<Issued> issue(String key) {
        Set<String> roles = keys(key);
        if (roles.isEmpty()) {
            return Optional.empty();
        }
        String fingerprint = fingerprint(key);
        Instant expires = clock.instant().plus(ttl);
        String payload = VERSION + "." + fingerprint + "." + expires.getEpochSecond();
        return Optional.of(new Issued(payload + "." + mac(payload), new Session(fingerprint, roles, expires)));
    }

    /** The session a token stands for: empty when it is malformed, forged, expired, or its key is gone. */
    public Optional<Session> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0]) || !parts[2].matches("\\d{1,12}")) {
            return Optional.empty();
        }
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        if (!MessageDigest.isEqual(
                mac(payload).getBytes(StandardCharsets.US_ASCII), parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
        Set<String> roles = rolesByFingerprint.get(parts[1]);
        if (roles == null || !clock.instant().isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new Session(parts[1], roles, expires));
    }

    public Duration ttl() {
        return ttl;
    }

    private Set<String> keys(String key) {
        return key == null ? Set.of() : rolesByFingerprint.getOrDefault(fingerprint(key), Set.of());
    }

    /** Keyed with the secret: a token seen in a log tells nothing about the key, not even to a guesser. */
    private String fingerprint(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hmac("key:" + key), 16));
    }

    private String mac(String payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac("session:" + payload));
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] secret(ConsoleConfig config) {
        Optional<String> configured = config.sessionSecret().map(String::trim).filter(s -> !s.isEmpty());
        if (configured.isPresent()) {
            if (configured.get().length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException("REELHOOK_CONSOLE_SESSION_SECRET must be at least " + MIN_SECRET_LENGTH
                        + " characters (for example: openssl rand -hex 32)");
            }
            return configured.get().getBytes(StandardCharsets.UTF_8);
        }
        LOG.info("REELHOOK_CONSOLE_SESSION_SECRET is not set: console sessions are signed with a key drawn at start;"
                + " they end at a restart and hold on this instance only");
        byte[] drawn = new byte[32];
        new SecureRandom().nextBytes(drawn);
        return drawn;
    }
}
