package io.reelhook.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulated account's multipart upload sessions (in memory, capped at {@code reelhook.simulator.max-assets})
 * and their presigned chunk URLs: {@code <base>/simulator/storage/<upload_id>/<chunk_index>?expires=<epoch
 * seconds>&signature=<hex HMAC-SHA256(simulator secret, upload_id "/" chunk_index "/" expires)>}.
 */
@ApplicationScoped
public class SimUploads {

    @Inject
    SimulatorConfig config;

    @Inject
    SimAssets assets;

    private CappedTable<SimUpload> sessions;

    @PostConstruct
    void init() {
        sessions = new CappedTable<>(config.maxAssets(), upload -> upload.id, SimUpload::finished);
    }

    Optional<SimUpload> find(String id) {
        return sessions.find(id);
    }

    /** Newest first. */
    List<SimUpload> all() {
        return SimAssets.newestFirst(sessions.all());
    }

    /** Opens a session and reserves its asset. Empty when either table is full of unfinished ones. */
    Optional<SimUpload> create(UploadRequest asked) {
        if (!sessions.room()) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.now().plus(asked.chaos().sessionTtl().orElse(config.uploadTtl()));
        Optional<SimAsset> asset = assets.reserve(asked, expiresAt);
        if (asset.isEmpty()) {
            return Optional.empty();
        }
        SimUpload upload = new SimUpload(
                Simulator.id(),
                asset.get(),
                asked.totalSize(),
                config.chunkSize().asLongValue(),
                expiresAt,
                asked.failPuts(),
                asked.expiredUrls());
        if (!sessions.add(upload)) {
            assets.delete(asset.get().id);
            return Optional.empty();
        }
        return Optional.of(upload);
    }

    /** A fresh URL for chunk {@code index}; chaos hands some out already expired. */
    Presigned presign(SimUpload upload, int index, URI base) {
        boolean expired = upload.expireFirstUrl(index)
                || ThreadLocalRandom.current().nextDouble() < config.chaos().urlExpiredRate();
        long expires = expired
                ? Instant.now().getEpochSecond() - 1
                : Instant.now().plus(config.urlTtl()).getEpochSecond();
        String url = base.resolve(SimulatorConfig.STORAGE_PATH.substring(1) + "/" + upload.id + "/" + index
                        + "?expires=" + expires + "&signature=" + sign(upload.id, index, expires))
                .toString();
        return new Presigned(index, url, Instant.ofEpochSecond(expires).toString());
    }

    /** Whether {@code signature} is the simulator's for this chunk and expiry (in constant time). */
    boolean signed(String uploadId, int index, long expires, String signature) {
        return signature != null
                && MessageDigest.isEqual(
                        sign(uploadId, index, expires).getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** Counts a {@code PUT} of the chunk; true when chaos answers it 500 ({@code fail_chunk_puts}, the rate). */
    boolean put(SimUpload upload, int index) {
        return upload.put(index)
                || ThreadLocalRandom.current().nextDouble() < config.chaos().chunkFailureRate();
    }

    /** Records a report; the report that completes the session starts its asset's processing. */
    SimUpload.Report report(SimUpload upload, List<SimUpload.Reported> chunks) {
        SimUpload.Report report = upload.report(chunks);
        if (report.completedNow()) {
            assets.completed(upload.asset, upload.totalSize);
        }
        return report;
    }

    private String sign(String uploadId, int index, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal((uploadId + "/" + index + "/" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Twelve Labs' {@code PresignedUrlChunk}. */
    record Presigned(
            @JsonProperty("chunk_index") int chunkIndex,
            String url,
            @JsonProperty("expires_at") String expiresAt) {}
}
