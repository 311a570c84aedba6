package io.reelhook.assets;

import io.reelhook.api.ApiException;
import io.reelhook.media.MediaInspector;
import io.reelhook.media.MediaProblem;
import io.reelhook.resumable.CompletedUploads;
import io.reelhook.resumable.ResumableStore;
import io.reelhook.resumable.ResumableUpload;
import io.reelhook.twelvelabs.AssetsClient;
import io.reelhook.twelvelabs.UpstreamException;
import io.reelhook.twelvelabs.Video;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A completed resumable upload (docs/resumable.md) becomes an asset: checked like {@code POST /assets}, then sent as
 * Twelve Labs' direct upload or its multipart upload by size, recorded with its first event, and indexed once ready
 * when its {@code index_id} asked for it. A refused file ends the upload {@code failed} with Twelve Labs' code.
 */
@ApplicationScoped
class ResumableAssets implements CompletedUploads {

    private static final Logger LOG = Logger.getLogger(ResumableAssets.class);

    private final AssetsClient twelveLabs;
    private final Forwarding forwarding;
    private final AssetRecorder recorder;
    private final MediaInspector media;
    private final AssetsConfig config;
    private final ResumableStore uploads;
    private final Set<String> probed = ConcurrentHashMap.newKeySet();
    /** Uploads whose head passed the check in this process: their chunks are forwarded as they arrive. */
    private final Set<String> passed = ConcurrentHashMap.newKeySet();

    private final ExecutorService probes = Executors.newSingleThreadExecutor(run -> {
        Thread thread = new Thread(run, "resumable-probe");
        thread.setDaemon(true);
        return thread;
    });

    ResumableAssets(
            AssetsClient twelveLabs,
            Forwarding forwarding,
            AssetRecorder recorder,
            MediaInspector media,
            AssetsConfig config,
            ResumableStore uploads) {
        this.twelveLabs = twelveLabs;
        this.forwarding = forwarding;
        this.recorder = recorder;
        this.media = media;
        this.config = config;
        this.uploads = uploads;
    }

    @PreDestroy
    void stop() {
        probes.shutdownNow();
    }

    /**
     * Checks the head of a large upload once {@code probe-after} bytes are in, on a thread of its own (the PATCH that
     * brought them is waiting for its answer): a video whose head already breaks a limit ends the upload {@code
     * failed} with Twelve Labs' code, and its next PATCH is refused. Once per upload and process; after
     * it passed, the chunks that are whole go to Twelve Labs as they arrive ({@link Forwarding}).
     */
    @Override
    public void received(ResumableUpload upload, long offset) {
        if (offset >= upload.size() || offset < config.probeAfter()) {
            // too little to check yet, or complete: completed() checks and sends the rest
            return;
        }
        if (passed.contains(upload.id())) {
            forward(upload);
        } else if (probed.add(upload.id())) {
            probes.execute(() -> probe(upload));
        }
    }

    private void probe(ResumableUpload upload) {
        Optional<MediaProblem> problem = media.inspect(upload.spoolPath(), config.maxSize())
                .problem()
                // a head may not be readable on its own (an mp4 with its index at the end): decided at the end
                .filter(found -> !"video_file_broken".equals(found.code()));
        if (problem.isPresent()) {
            uploads.failed(
                    upload.id(), problem.get().code() + ": " + problem.get().message());
            try {
                Files.deleteIfExists(upload.spoolPath());
            } catch (IOException e) {
                LOG.warnf("could not delete the refused upload %s: %s", upload.spoolPath(), e.getMessage());
            }
        } else {
            passed.add(upload.id());
            forward(upload);
        }
    }

    /** A large upload's whole chunks go up while it arrives, once its head passed the check. */
    private void forward(ResumableUpload upload) {
        if (upload.size() > config.directMaxSize()) {
            forwarding.arrived(upload.id());
        }
    }

    @Override
    public void completed(ResumableUpload upload, Path file) {
        probed.remove(upload.id());
        passed.remove(upload.id());
        try {
            uploads.assetCreated(upload.id(), send(upload, file));
        } catch (ApiException e) {
            uploads.failed(upload.id(), e.code() + ": " + e.getMessage());
        } catch (UpstreamException e) {
            uploads.failed(upload.id(), e.code() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("could not delete the completed upload %s: %s", file, e.getMessage());
            }
        }
    }

    private String send(ResumableUpload upload, Path file) throws IOException {
        media.inspect(file, config.maxSize()).problem().ifPresent(problem -> {
            throw new ApiException(400, problem.code(), problem.message());
        });
        if (upload.indexId() != null) {
            twelveLabs.requireIndex(upload.indexId());
        }
        String filename = Forwarding.name(upload);
        long size = Files.size(file);
        AssetRecorder.Asked asked = new AssetRecorder.Asked(
                filename, size, upload.userMetadata(), upload.indexId(), upload.enableVideoStream());
        if (size <= config.directMaxSize()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("method", "direct");
            fields.put("filename", filename);
            fields.put("user_metadata", upload.userMetadata());
            return recorder.direct(twelveLabs.createAsset(fields, file(file, filename)), "direct", asked)
                    .path("_id")
                    .asText();
        }
        return recorder.multipart(forwarding.finish(upload, file), asked)
                .path("_id")
                .asText();
    }

    private static Video file(Path file, String filename) {
        return new Video() {
            @Override
            public String filename() {
                return filename;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
