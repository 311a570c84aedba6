package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code POST /assets/multipart-uploads}, checked as Twelve Labs checks it, with the simulator-only
 * {@code simulator} object ({@code fail_chunk_puts}, {@code expired_urls}: chunk indexes).
 */
record UploadRequest(
        String filename,
        long totalSize,
        JsonNode userMetadata,
        Chaos chaos,
        boolean hls,
        boolean thumbnail,
        Set<Integer> failPuts,
        Set<Integer> expiredUrls) {

    /** A body Twelve Labs would refuse: its code and message. */
    static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static UploadRequest parse(JsonNode body, SimulatorConfig config) {
        JsonNode in = body == null ? MissingNode.getInstance() : body;
        String filename = in.path("filename").asText("");
        String type = in.path("type").asText("");
        JsonNode size = in.path("total_size");
        if (filename.isBlank() || type.isBlank() || size.isMissingNode() || size.isNull()) {
            throw new Refused("parameter_not_provided", "filename, type and total_size are required.");
        }
        if (!List.of("video", "audio", "image").contains(type)) {
            throw new Refused("parameter_invalid", "type must be video, audio or image.");
        }
        long max = config.multipartMaxSize().asLongValue();
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 1 || size.asLong() > max) {
            throw new Refused("parameter_invalid", "total_size must be a whole number of bytes from 1 to " + max + ".");
        }
        try {
            JsonNode userMetadata = SimHttp.userMetadata(in.get("user_metadata"));
            JsonNode own = in.path("simulator");
            return new UploadRequest(
                    filename,
                    size.asLong(),
                    userMetadata,
                    Chaos.of(userMetadata, config),
                    in.path("enable_hls").asBoolean(false),
                    in.path("enable_thumbnail").asBoolean(false),
                    indexes(own.path("fail_chunk_puts"), "fail_chunk_puts"),
                    indexes(own.path("expired_urls"), "expired_urls"));
        } catch (IllegalArgumentException e) {
            throw new Refused("parameter_invalid", e.getMessage());
        }
    }

    /** The {@code completed_chunks} of a report. */
    static List<SimUpload.Reported> reported(JsonNode body) {
        JsonNode chunks = body == null ? MissingNode.getInstance() : body.path("completed_chunks");
        if (!chunks.isArray() || chunks.isEmpty()) {
            throw new Refused("parameter_not_provided", "completed_chunks must list at least one chunk.");
        }
        List<SimUpload.Reported> reported = new ArrayList<>();
        for (JsonNode chunk : chunks) {
            if (!chunk.path("chunk_index").canConvertToInt()
                    || !chunk.path("chunk_size").isIntegralNumber()) {
                throw new Refused(
                        "parameter_invalid", "Each chunk needs chunk_index, proof, proof_type and chunk_size.");
            }
            reported.add(new SimUpload.Reported(
                    chunk.path("chunk_index").asInt(),
                    chunk.path("proof").asText(null),
                    chunk.path("proof_type").asText(null),
                    chunk.path("chunk_size").asLong()));
        }
        return reported;
    }

    /** Simulator-only switches: chunk indexes, each at most once. */
    private static Set<Integer> indexes(JsonNode value, String name) {
        Set<Integer> found = new TreeSet<>();
        if (value.isMissingNode() || value.isNull()) {
            return found;
        }
        if (!value.isArray() || value.size() > Chaos.MAX_COUNT) {
            throw new IllegalArgumentException("simulator." + name + " must be a list of chunk indexes.");
        }
        for (JsonNode index : value) {
            if (!index.canConvertToInt() || !index.isIntegralNumber() || index.asInt() < 1) {
                throw new IllegalArgumentException("simulator." + name + " must be a list of chunk indexes.");
            }
            found.add(index.asInt());
        }
        return found;
    }
}
