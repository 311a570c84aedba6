package io.reelhook.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Twelve Labs' webhook signature: lowercase hex HMAC-SHA256(key = secret bytes, message = t + "." + raw body).
 * Holds several secrets so that a rotation never refuses a genuine webhook.
 */
public final class WebhookSigner {

    /** One keyed Mac per secret, cloned per use: cheaper than a provider lookup and a key schedule per request. */
    private final List<Mac> keys;

    public WebhookSigner(List<String> secrets) {
        this.keys = secrets.stream().map(WebhookSigner::mac).toList();
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public boolean hasSecrets() {
        return !keys.isEmpty();
    }

    /** True when any {@code v1} of the header is the signature of {@code body} under any secret. */
    public boolean verifies(SignatureHeader header, byte[] body) {
        boolean match = false;
        for (Mac key : keys) {
            byte[] expected = hmac(key, header.timestamp(), body);
            for (String candidate : header.signatures()) {
                // constant time, and no early exit that would reveal which secret or part matched
                match |= MessageDigest.isEqual(expected, HexFormat.of().parseHex(candidate));
            }
        }
        return match;
    }

    /** The hex signature under the first secret (for tests, tools and the simulator). */
    public String sign(long timestamp, byte[] body) {
        return HexFormat.of().formatHex(hmac(keys.get(0), timestamp, body));
    }

    private static byte[] hmac(Mac key, long timestamp, byte[] body) {
        try {
            Mac mac = (Mac) key.clone();
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 is cloneable", e);
        }
    }
}
