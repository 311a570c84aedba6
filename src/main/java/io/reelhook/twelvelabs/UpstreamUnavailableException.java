package io.reelhook.twelvelabs;

/** Twelve Labs could not be reached (connection refused, reset or timed out). */
public class UpstreamUnavailableException extends RuntimeException {
    public UpstreamUnavailableException(Throwable cause) {
        super("Twelve Labs could not be reached: " + cause.getMessage(), cause);
    }
}
