package io.reelhook.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One simulated multipart upload session, in memory only. Chunks are never stored: each {@code PUT} leaves its size,
 * MD5 (the ETag) and SHA-256, and how many {@code PUT}s the chunk received. State is kept only for chunks touched.
 */
final class SimUpload {

    final String id;
    final SimAsset asset;
    final long totalSize;
    final long chunkSize;
    final int totalChunks;
    final Instant createdAt = SimAsset.now();
    final Instant expiresAt;

    private final Set<Integer> failPuts;
    private final Set<Integer> expiredUrls;
    private final Map<Integer, Chunk> chunks = new TreeMap<>();
    private boolean completed;
    private int reported;
    private Instant updatedAt = createdAt;

    SimUpload(
            String id,
            SimAsset asset,
            long totalSize,
            long chunkSize,
            Instant expiresAt,
            Set<Integer> failPuts,
            Set<Integer> expiredUrls) {
        this.id = id;
        this.asset = asset;
        this.totalSize = totalSize;
        this.chunkSize = chunkSize;
        this.totalChunks = (int) ((totalSize + chunkSize - 1) / chunkSize);
        this.expiresAt = expiresAt;
        this.failPuts = new TreeSet<>(failPuts);
        this.expiredUrls = new TreeSet<>(expiredUrls);
    }

    /** The size chunk {@code index} must have: {@code chunk_size}, the last one the remainder. */
    long expectedSize(int index) {
        return index < totalChunks ? chunkSize : totalSize - chunkSize * (totalChunks - 1);
    }

    synchronized String status() {
        if (completed) {
            return "completed";
        }
        return Instant.now().isAfter(expiresAt) ? "expired" : "active";
    }

    synchronized boolean finished() {
        return !"active".equals(status());
    }

    /** Counts a {@code PUT} of chunk {@code index}; true when chaos fails this first one ({@code fail_chunk_puts}). */
    synchronized boolean put(int index) {
        Chunk chunk = chunks.computeIfAbsent(index, i -> new Chunk());
        chunk.puts++;
        return chunk.puts == 1 && failPuts.remove(index);
    }

    /** A {@code PUT} answered 500: its bytes are gone, the chunk must be sent again. */
    synchronized void lost(int index) {
        Chunk chunk = chunks.get(index);
        if (!chunk.reported) {
            chunk.error = "The upload of this chunk failed; upload it again.";
        }
        updatedAt = SimAsset.now();
    }

    /** A chunk arrived whole (a reported chunk keeps what was reported). */
    synchronized void uploaded(int index, long size, String md5, String sha256) {
        Chunk chunk = chunks.computeIfAbsent(index, i -> new Chunk());
        if (!chunk.reported) {
            chunk.size = size;
            chunk.md5 = md5;
            chunk.sha256 = sha256;
            chunk.error = null;
        }
        updatedAt = SimAsset.now();
    }

    /** True, once, for a chunk whose first URL chaos hands out already expired ({@code expired_urls}). */
    synchronized boolean expireFirstUrl(int index) {
        return expiredUrls.remove(index);
    }

    /**
     * Records reported chunks: duplicates (reported before or twice here) are counted and ignored, a chunk that was
     * not uploaded as reported is refused and marked failed. {@code completedNow} is true for the report that
     * completed the session.
     */
    synchronized Report report(List<Reported> batch) {
        int processed = 0;
        int duplicates = 0;
        List<String> refused = new ArrayList<>();
        boolean wasCompleted = completed;
        for (Reported r : batch) {
            String problem = check(r);
            if (problem != null) {
                refused.add("chunk " + r.index() + ": " + problem);
                Chunk chunk = chunks.get(r.index());
                if (chunk != null && !chunk.reported) {
                    chunk.error = problem;
                }
            } else if (chunks.get(r.index()).reported) {
                duplicates++;
            } else {
                Chunk chunk = chunks.get(r.index());
                chunk.reported = true;
                chunk.error = null;
                chunk.reportedAt = SimAsset.now();
                reported++;
                processed++;
            }
        }
        completed = reported == totalChunks;
        updatedAt = SimAsset.now();
        return new Report(processed, duplicates, reported, refused, completed && !wasCompleted);
    }

    private String check(Reported r) {
        if (r.index() < 1 || r.index() > totalChunks) {
            return "chunk_index must be from 1 to " + totalChunks + ".";
        }
        if (!"etag".equals(r.proofType())) {
            return "proof_type must be etag.";
        }
        Chunk chunk = chunks.get(r.index());
        if (chunk != null && chunk.reported) {
            return null;
        }
        if (chunk == null || chunk.md5 == null) {
            return "it has not been uploaded.";
        }
        String proof =
                r.proof() == null ? "" : r.proof().replace("\"", "").trim().toLowerCase(Locale.ROOT);
        if (!proof.equals(chunk.md5)) {
            return "the proof does not match the ETag of its upload.";
        }
        return r.size() == chunk.size
                ? null
                : "chunk_size is " + r.size() + "; " + chunk.size + " bytes were uploaded.";
    }

    /** Twelve Labs' {@code GetUploadStatusResponse} (chunks paged), with the simulator's own {@code simulator} field. */
    synchronized Map<String, Object> view(int page, int pageLimit) {
        List<Map<String, Object>> all = new ArrayList<>();
        int completedChunks = 0;
        int failed = 0;
        long uploadedSize = 0;
        for (int index = 1; index <= totalChunks; index++) {
            Chunk chunk = chunks.get(index);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("index", index);
            String state = chunk == null
                    ? "pending"
                    : chunk.reported ? "completed" : chunk.error != null ? "failed" : "pending";
            info.put("status", state);
            info.put("uploaded_at", chunk == null || chunk.reportedAt == null ? null : chunk.reportedAt.toString());
            if ("failed".equals(state)) {
                info.put("error", chunk.error);
                failed++;
            } else if ("completed".equals(state)) {
                completedChunks++;
                uploadedSize += chunk.size;
            }
            all.add(info);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("upload_id", id);
        answer.put("status", status());
        Map<String, Object> paged = SimHttp.page(all, page, pageLimit);
        answer.put("uploaded_chunks", paged.get("data"));
        answer.put("chunks_completed", completedChunks);
        answer.put("chunks_failed", failed);
        answer.put("chunks_pending", totalChunks - completedChunks - failed);
        answer.put("page_info", paged.get("page_info"));
        answer.put("total_size", totalSize);
        answer.put("uploaded_size", uploadedSize);
        answer.put("created_at", createdAt.toString());
        answer.put("updated_at", updatedAt.toString());
        answer.put("simulator", inspection());
        return answer;
    }

    /** Simulator only: {@code PUT}s received and SHA-256 of the bytes last uploaded, by chunk index. */
    private Map<String, Object> inspection() {
        Map<String, Integer> puts = new TreeMap<>();
        Map<String, String> sha256 = new TreeMap<>();
        chunks.forEach((index, chunk) -> {
            puts.put(Integer.toString(index), chunk.puts);
            if (chunk.sha256 != null) {
                sha256.put(Integer.toString(index), chunk.sha256);
            }
        });
        return Map.of("puts", puts, "sha256", sha256);
    }

    /** Twelve Labs' {@code IncompleteUploadSummary}. */
    synchronized Map<String, Object> summary() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("upload_id", id);
        answer.put("status", status());
        answer.put("total_size", totalSize);
        answer.put("chunk_size", chunkSize);
        answer.put("total_chunks", totalChunks);
        answer.put("created_at", createdAt.toString());
        answer.put("expires_at", expiresAt.toString());
        return answer;
    }

    /** One entry of {@code completed_chunks}. */
    record Reported(int index, String proof, String proofType, long size) {}

    /** What a report did; {@code refused} names each chunk refused and why. */
    record Report(int processed, int duplicates, int totalCompleted, List<String> refused, boolean completedNow) {}

    private static final class Chunk {
        long size;
        String md5;
        String sha256;
        int puts;
        boolean reported;
        Instant reportedAt;
        String error;
    }
}
