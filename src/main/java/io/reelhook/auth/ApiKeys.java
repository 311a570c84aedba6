package io.reelhook.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The configured keys and the roles each one grants. */
@Singleton
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    /** Logged at start, and shown by the web console, while REELHOOK_API_KEYS is empty. */
    public static final String OPEN_WARNING =
            "REELHOOK_API_KEYS is empty: the /v1.3 and /api/v1 endpoints are open to anyone who can reach them";

    private final List<byte[]> client;
    private final List<byte[]> admin;

    public ApiKeys(AuthConfig config) {
        this.client = bytes(config.apiKeys());
        this.admin = bytes(config.adminKeys());
    }

    void warnIfOpen(@Observes StartupEvent start) {
        if (client.isEmpty()) {
            LOG.warn(OPEN_WARNING);
        }
        if (client.isEmpty() && admin.isEmpty()) {
            LOG.warn("REELHOOK_ADMIN_KEYS is empty too: the /api/v1/admin endpoints are open as well");
        }
    }

    /** The roles of a request that shows no key, or a key that matches none: what an open setup grants anyone. */
    public Set<String> open() {
        if (!client.isEmpty()) {
            return Set.of();
        }
        return admin.isEmpty() ? Set.of(Roles.ADMIN, Roles.CLIENT) : Set.of(Roles.CLIENT);
    }

    /** The roles a presented key grants: empty for an unknown key. Compares with every key, in constant time. */
    public Set<String> rolesOf(String presented) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean isAdmin = matchesAny(given, admin);
        boolean isClient = matchesAny(given, client);
        if (isAdmin) {
            return Set.of(Roles.ADMIN, Roles.CLIENT);
        }
        return isClient ? Set.of(Roles.CLIENT) : Set.of();
    }

    /** Every configured key, client and admin: for credentials made from a key (the web console's session). */
    public List<String> configured() {
        return Stream.concat(client.stream(), admin.stream())
                .map(k -> new String(k, StandardCharsets.UTF_8))
                .distinct()
                .toList();
    }

    private static boolean matchesAny(byte[] given, List<byte[]> keys) {
        boolean match = false;
        for (byte[] key : keys) {
            // no early exit: the time taken says nothing about which key, or how much of one, matched
            match |= MessageDigest.isEqual(given, key);
        }
        return match;
    }

    private static List<byte[]> bytes(Optional<List<String>> keys) {
        return keys.orElse(List.of()).stream()
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toList();
    }
}
