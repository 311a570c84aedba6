package io.reelhook.webhook;

import java.util.Locale;

/** How a webhook delivery ended; the metric tag {@code outcome} of {@code reelhook.webhooks}. */
enum Outcome {
    ACCEPTED(200, null, null),
    DUPLICATE(200, null, null),
    BAD_SIGNATURE(401, "signature_invalid", "TL-Signature is missing, malformed or does not match the body"),
    STALE(401, "signature_expired", "the TL-Signature timestamp is outside the accepted tolerance"),
    BAD_REQUEST(400, "parameter_invalid", "the body is not a Twelve Labs notification"),
    TOO_LARGE(413, "payload_too_large", "a webhook body is at most 1 MiB"),
    DB_UNAVAILABLE(503, "database_unavailable", "the database is unavailable; retry later"),
    BUSY(503, "server_busy", "too many webhook bodies are being received at once; retry later");

    final int status;
    final String code;
    final String message;

    Outcome(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
