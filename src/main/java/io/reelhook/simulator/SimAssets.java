package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelhook.media.MediaInfo;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The simulated account's assets and indexed assets (in memory, each table capped at
 * {@code reelhook.simulator.max-assets}) and their clock: one {@code step} per status.
 */
@ApplicationScoped
public class SimAssets {

    /**
     * The simulator knows every index, as its task API does (the walkthrough indexes into "demo"), except those whose
     * id begins with this: they play an index that does not exist.
     */
    static final String UNKNOWN_INDEX = "unknown";

    @Inject
    SimulatorConfig config;

    @Inject
    Simulator simulator;

    @Inject
    Vertx vertx;

    private CappedTable<SimAsset> assets;
    private CappedTable<SimIndexedAsset> indexed;

    @PostConstruct
    void init() {
        assets = new CappedTable<>(config.maxAssets(), asset -> asset.id, SimAsset::terminal);
        indexed = new CappedTable<>(config.maxAssets(), asset -> asset.id, SimIndexedAsset::terminal);
    }

    Optional<SimAsset> find(String id) {
        return assets.find(id);
    }

    /** Newest first, as Twelve Labs lists them. */
    List<SimAsset> all() {
        return newestFirst(assets.all());
    }

    boolean delete(String id) {
        return assets.remove(id);
    }

    /** An uploaded file, probed now (the request's temporary file does not outlive it). Empty when full. */
    Optional<SimAsset> direct(
            String filename, String type, Path file, JsonNode userMetadata, Chaos chaos, boolean hls, boolean thumb) {
        if (!assets.room()) {
            return Optional.empty();
        }
        return start(new SimAsset(
                Simulator.id(),
                "direct",
                filename,
                type,
                userMetadata,
                chaos,
                hls,
                thumb,
                CompletableFuture.completedFuture(probe(file))));
    }

    /** A file downloaded, up to the file limit, while the asset is processing. Empty when full. */
    Optional<SimAsset> url(URI url, String filename, JsonNode userMetadata, Chaos chaos, boolean hls, boolean thumb)
            throws IOException {
        if (!assets.room()) {
            return Optional.empty();
        }
        String path = url.getPath() == null ? "" : url.getPath();
        String name = filename != null ? filename : path.substring(path.lastIndexOf('/') + 1);
        CompletableFuture<SimAsset.Probe> probe = simulator.download(url, this::probe, SimAsset.Probe::failed);
        return start(new SimAsset(Simulator.id(), "url", name, null, userMetadata, chaos, hls, thumb, probe));
    }

    /**
     * The asset of a multipart upload, reserved now and processed once the upload completes; failed if the upload
     * expires first. Empty when full.
     */
    Optional<SimAsset> reserve(UploadRequest asked, Instant expiresAt) {
        SimAsset asset = new SimAsset(
                Simulator.id(),
                "multipart",
                asked.filename(),
                null,
                asked.userMetadata(),
                asked.chaos(),
                asked.hls(),
                asked.thumbnail(),
                new CompletableFuture<>());
        asset.abandonAfter(expiresAt);
        return assets.add(asset) ? Optional.of(asset) : Optional.empty();
    }

    /** Every chunk of {@code asset}'s upload is reported: it is processed now (its bytes were never kept). */
    void completed(SimAsset asset, long size) {
        asset.probe.complete(new SimAsset.Probe(size, null, null, null));
        tick(asset::advance);
    }

    private Optional<SimAsset> start(SimAsset asset) {
        if (!assets.add(asset)) {
            return Optional.empty();
        }
        tick(asset::advance);
        return Optional.of(asset);
    }

    /** Whether the simulator knows {@code indexId}. */
    static boolean knownIndex(String indexId) {
        return !indexId.startsWith(UNKNOWN_INDEX);
    }

    /** Starts indexing a ready asset. Empty when the table is full of unfinished ones. */
    Optional<SimIndexedAsset> index(String indexId, SimAsset asset, JsonNode userMetadata, Chaos chaos) {
        SimIndexedAsset created = new SimIndexedAsset(Simulator.id(), indexId, asset, userMetadata, chaos);
        if (!indexed.add(created)) {
            return Optional.empty();
        }
        tick(created::advance);
        return Optional.of(created);
    }

    Optional<SimIndexedAsset> findIndexed(String indexId, String id) {
        return indexed.find(id).filter(found -> found.indexId.equals(indexId));
    }

    /** Those of {@code indexId}, newest first. */
    List<SimIndexedAsset> allIndexed(String indexId) {
        return newestFirst(indexed.all()).stream()
                .filter(found -> found.indexId.equals(indexId))
                .toList();
    }

    boolean deleteIndexed(String indexId, String id) {
        return findIndexed(indexId, id).isPresent() && indexed.remove(id);
    }

    /** Calls {@code advance} one step from now, and again each step until it answers true (terminal). */
    private void tick(BooleanSupplier advance) {
        vertx.setTimer(Math.max(1, config.step().toMillis()), timer -> {
            if (!advance.getAsBoolean()) {
                tick(advance);
            }
        });
    }

    static <T> List<T> newestFirst(List<T> oldestFirst) {
        List<T> copy = new ArrayList<>(oldestFirst);
        Collections.reverse(copy);
        return copy;
    }

    private SimAsset.Probe probe(Path file) {
        try {
            MediaInfo info = simulator.validate(file).info();
            return new SimAsset.Probe(Files.size(file), info, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
