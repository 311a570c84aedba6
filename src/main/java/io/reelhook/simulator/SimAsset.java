package io.reelhook.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.reelhook.media.MediaInfo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated Twelve Labs asset, in memory only: {@code processing} until what it is made of has arrived (a direct
 * file at once, a {@code url} once downloaded, a multipart upload once every chunk is reported) and a step has
 * passed, then {@code ready}, or {@code failed} when its {@code user_metadata.simulator.fail} asks.
 */
final class SimAsset {

    private static final Map<String, String> TYPES = Map.of(
            "mp4", "video/mp4",
            "mov", "video/quicktime",
            "webm", "video/webm",
            "mkv", "video/x-matroska",
            "mp3", "audio/mpeg",
            "wav", "audio/wav",
            "jpg", "image/jpeg",
            "jpeg", "image/jpeg",
            "png", "image/png");

    final String id;
    final String method;
    final String filename;
    final String fileType;
    final JsonNode userMetadata;
    final Chaos chaos;
    final boolean hls;
    final boolean thumbnail;
    final Instant createdAt = SimAsset.now();
    /** What the file turned out to be; not done while it is still arriving. */
    final CompletableFuture<Probe> probe;

    private final Refusals refusals;
    private String status = "processing";
    private Probe found;
    private Instant readyAt;
    /** A multipart upload's expiry: the asset fails if its file has not arrived by then. */
    private Instant abandonAfter;

    SimAsset(
            String id,
            String method,
            String filename,
            String declaredType,
            JsonNode userMetadata,
            Chaos chaos,
            boolean hls,
            boolean thumbnail,
            CompletableFuture<Probe> probe) {
        this.id = id;
        this.method = method;
        this.filename = filename;
        this.fileType = declaredType == null || declaredType.isBlank() || declaredType.startsWith("application/")
                ? type(filename)
                : declaredType;
        this.userMetadata = userMetadata;
        this.chaos = chaos;
        this.hls = hls;
        this.thumbnail = thumbnail;
        this.probe = probe;
        this.refusals = new Refusals(chaos);
    }

    /** Leaves {@code processing} once the file has arrived. Returns true on reaching a terminal status. */
    synchronized boolean advance() {
        if (terminal() || !probe.isDone()) {
            return terminal();
        }
        found = probe.join();
        if (chaos.fail().isPresent()) {
            found = new Probe(
                    found.size(),
                    found.info(),
                    chaos.fail().get(),
                    "Failed on purpose (user_metadata.simulator.fail).");
        }
        status = found.errorCode() == null ? "ready" : "failed";
        readyAt = now();
        return true;
    }

    synchronized void abandonAfter(Instant deadline) {
        abandonAfter = deadline;
    }

    synchronized boolean terminal() {
        return !"processing".equals(status());
    }

    synchronized String status() {
        if ("processing".equals(status)
                && abandonAfter != null
                && !probe.isDone()
                && Instant.now().isAfter(abandonAfter)) {
            found = new Probe(null, null, "upload_expired", "The multipart upload expired before it was completed.");
            status = "failed";
            readyAt = now();
        }
        return status;
    }

    /** Size and ffprobe's reading, once ready (null before, and the reading without ffprobe). */
    synchronized Probe found() {
        return found;
    }

    synchronized Instant readyAt() {
        return readyAt;
    }

    /** The HTTP status that chaos answers the next {@code GET} of this asset with, or 0 for a normal answer. */
    int refusal() {
        return refusals.next();
    }

    /** Twelve Labs' {@code Asset}, as {@code POST /assets} answers it. */
    synchronized View summary() {
        return new View(
                id,
                method,
                status,
                filename,
                fileType,
                createdAt.toString(),
                userMetadata,
                null,
                null,
                null,
                null,
                null);
    }

    /** Twelve Labs' {@code AssetDetail}. */
    synchronized View detail() {
        String sidecar = switch (status()) {
            case "ready" -> "ready";
            case "failed" -> "error";
            default -> "processing";
        };
        return new View(
                id,
                method,
                status,
                filename,
                fileType,
                createdAt.toString(),
                userMetadata,
                found == null ? null : found.size(),
                found == null || found.info() == null ? null : found.info().duration(),
                found == null || found.errorCode() == null ? null : new Error(found.errorCode(), found.errorMessage()),
                hls ? Map.of("status", sidecar) : null,
                thumbnail ? Map.of("status", sidecar) : null);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The MIME type Twelve Labs reports, from the file name's extension. */
    static String type(String filename) {
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    }

    /** What processing found: the size in bytes, ffprobe's reading (may be null) and, if it failed, why. */
    record Probe(Long size, MediaInfo info, String errorCode, String errorMessage) {

        static Probe failed(String message) {
            return new Probe(null, null, "asset_processing_failed", message);
        }
    }

    /** Twelve Labs' asset, the detail's fields omitted where unknown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record View(
            @JsonProperty("_id") String id,
            String method,
            String status,
            String filename,
            @JsonProperty("file_type") String fileType,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("user_metadata") JsonNode userMetadata,
            Long size,
            Double duration,
            Error error,
            Map<String, String> hls,
            Map<String, String> thumbnail) {}

    /** Why an asset failed ({@code code} is the simulator's addition to Twelve Labs' {@code message}). */
    record Error(String code, String message) {}
}
