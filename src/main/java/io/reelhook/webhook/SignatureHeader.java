package io.reelhook.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed {@code TL-Signature} header: {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...]}. Parts with other keys are
 * ignored (room for future schemes); a header without exactly one numeric {@code t} or without a well-formed
 * {@code v1} is malformed.
 *
 * @param timestamp  the signed {@code t}, in unix seconds
 * @param signatures the {@code v1} values: 64 lowercase hex digits each
 */
public record SignatureHeader(long timestamp, List<String> signatures) {

    public static final String NAME = "TL-Signature";
    private static final int MAX_LENGTH = 4096;
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,18}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");

    public static Optional<SignatureHeader> parse(String header) {
        if (header == null || header.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                return Optional.empty();
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (timestamp != null || !TIMESTAMP.matcher(value).matches()) {
                    return Optional.empty();
                }
                timestamp = Long.parseLong(value);
            } else if (key.equals("v1")) {
                if (!SIGNATURE.matcher(value).matches()) {
                    return Optional.empty();
                }
                signatures.add(value);
            }
        }
        return timestamp == null || signatures.isEmpty()
                ? Optional.empty()
                : Optional.of(new SignatureHeader(timestamp, List.copyOf(signatures)));
    }

    public String format() {
        StringBuilder out = new StringBuilder("t=").append(timestamp);
        signatures.forEach(s -> out.append(",v1=").append(s));
        return out.toString();
    }
}
