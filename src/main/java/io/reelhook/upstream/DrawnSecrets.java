package io.reelhook.upstream;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The simulator's signing secret and API key when none is configured: drawn once per JVM, the first time the
 * configuration asks for them (so at run time: {@link UpstreamDefaults} lists no names, and the build never records
 * a value it saw). A restart draws new ones; the simulator forgets its tasks on a restart anyway.
 */
final class DrawnSecrets {

    static final String SECRET_PREFIX = "whsec_";
    static final String API_KEY_PREFIX = "simkey_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DrawnSecrets() {}

    /** A lazy holder: nothing is drawn until the first question. */
    private static final class Holder {
        static final String SECRET = draw(SECRET_PREFIX);
        static final String API_KEY = draw(API_KEY_PREFIX);
    }

    static String secret() {
        return Holder.SECRET;
    }

    static String apiKey() {
        return Holder.API_KEY;
    }

    /** {@code prefix} + base64 of 32 random bytes, as Standard Webhooks' {@code whsec_} secrets are made. */
    static String draw(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getEncoder().encodeToString(bytes);
    }
}
