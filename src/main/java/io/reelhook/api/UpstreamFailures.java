package io.reelhook.api;

import io.reelhook.twelvelabs.UpstreamException;
import io.reelhook.twelvelabs.UpstreamUnavailableException;

import java.util.Map;

/** Twelve Labs' refusals reach the client as Twelve Labs wrote them; an unreachable Twelve Labs is a 502. */
public final class UpstreamFailures {

    private UpstreamFailures() {}

    /** The client's answer for an upstream failure; any other exception as it is. */
    public static RuntimeException answer(RuntimeException e) {
        if (e instanceof UpstreamUnavailableException) {
            return new ApiException(
                    502,
                    "upstream_unavailable",
                    "Twelve Labs could not be reached after several attempts; nothing was created. Try again later.");
        }
        if (e instanceof UpstreamException upstream) {
            return new ApiException(
                    upstream.status(),
                    upstream.code(),
                    upstream.getMessage(),
                    upstream.retryAfterHeader()
                            .map(value -> Map.of("Retry-After", value))
                            .orElse(Map.of()));
        }
        return e;
    }
}
