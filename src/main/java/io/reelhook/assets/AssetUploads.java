package io.reelhook.assets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.reelhook.api.UpstreamFailures;
import io.reelhook.media.Inspection;
import io.reelhook.media.MediaInspector;
import io.reelhook.media.MediaProblem;
import io.reelhook.twelvelabs.AssetsClient;
import io.reelhook.twelvelabs.ChunkedUpload;
import io.reelhook.twelvelabs.UploadedAsset;
import io.reelhook.upload.Intake;
import io.reelhook.upload.MultipartReader;
import io.reelhook.upload.RequestStream;
import io.reelhook.upload.Spool;
import io.reelhook.upload.UploadForm;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code POST /assets}: reads the form as it arrives, the file into the spool; checks the file like {@code POST
 * /tasks} does; and only then makes the asset at Twelve Labs and records it. A refused request leaves nothing at
 * Twelve Labs, in the spool or in the database.
 */
@Singleton
class AssetUploads {

    private static final Logger LOG = Logger.getLogger(AssetUploads.class);
    private static final int READ_BUFFER = 256 * 1024;
    /** Room for the form's text fields and the multipart framing around the file. */
    static final long FORM_OVERHEAD = 1024 * 1024;

    private final Intake intake;
    private final AssetsClient twelveLabs;
    private final AssetRecorder recorder;
    private final MediaInspector media;
    private final AssetsConfig config;
    private final ObjectMapper json;
    private final ChunkedUpload chunks;

    AssetUploads(
            Intake intake,
            AssetsClient twelveLabs,
            AssetRecorder recorder,
            MediaInspector media,
            AssetsConfig config,
            ObjectMapper json,
            ChunkedUpload chunks) {
        this.intake = intake;
        this.twelveLabs = twelveLabs;
        this.recorder = recorder;
        this.media = media;
        this.config = config;
        this.json = json;
        this.chunks = chunks;
    }

    /** Takes one {@code POST /assets}; answers Twelve Labs' asset. */
    JsonNode create(String contentType, Long length, HttpServerRequest request) {
        return intake.receive(
                length, request, config.maxSize() + FORM_OVERHEAD, body -> accept(contentType, length, body));
    }

    /**
     * Reads the form part by part. With a declared length and the file as the form's last part (as SDKs and curl send
     * it), the file's size is known when it begins: a large file then goes to Twelve Labs while it arrives. Otherwise
     * it is received whole first.
     */
    private JsonNode accept(String contentType, Long length, InputStream body) {
        String boundary = MultipartReader.boundary(contentType)
                .orElseThrow(() -> ApiException.invalid("Content-Type", "a multipart body needs a boundary."));
        MultipartReader reader = new MultipartReader(body, boundary, READ_BUFFER);
        UploadForm form = new UploadForm(AssetRequest.FIELDS);
        Spool spool = null;
        LargeFile large = null;
        try {
            for (Optional<MultipartReader.Part> next = reader.next(); next.isPresent(); next = reader.next()) {
                MultipartReader.Part part = next.get();
                form.requireKnown(part.name());
                if (part.filename() == null) {
                    form.add(part.name(), reader.text(form.maxBytes(part.name())));
                } else if (part.name().equalsIgnoreCase("file") && spool == null) {
                    spool = Spool.create(
                            intake.spoolDirectory(),
                            UploadForm.storable("file", part.filename(), UploadForm.MAX_FILENAME));
                    // the rest of the body if the file is the last part: its bytes and the closing delimiter
                    long expected = length == null ? -1 : length - reader.consumed() - (boundary.length() + 8);
                    if (expected > config.directMaxSize() && expected <= config.maxSize()) {
                        large = new LargeFile(chunks, intake.senders(), spool, spool.filename(), expected);
                    }
                    receive(reader, spool);
                } else {
                    throw ApiException.invalid(part.name(), "only one file may be sent, and no other file part.");
                }
            }
            return upload(form, spool, large);
        } catch (RequestStream.TooLongException e) {
            throw new ApiException(
                    413,
                    "asset_filesize_too_large",
                    "The request is larger than a file of " + config.maxSize() + " bytes and its form.");
        } catch (RequestStream.IdleException e) {
            throw new ApiException(408, "request_timeout", "The upload was cut off: " + e.getMessage() + ".");
        } catch (MultipartReader.MalformedException e) {
            throw new ApiException(
                    400, "parameter_invalid", "The multipart body is malformed: " + e.getMessage() + ".");
        } catch (IOException e) {
            throw ApiException.invalid("file", "the multipart body could not be read (" + e.getMessage() + ").");
        } finally {
            if (large != null) {
                large.close();
            }
            if (spool != null) {
                try {
                    spool.close();
                } catch (IOException e) {
                    LOG.warnf("could not delete the spooled upload %s: %s", spool.path(), e.getMessage());
                }
            }
        }
    }

    private void receive(MultipartReader reader, Spool spool) throws IOException {
        reader.drain((bytes, offset, length) -> {
            if (spool.size() + length > config.maxSize()) {
                throw new ApiException(
                        413,
                        "asset_filesize_too_large",
                        "The file is larger than " + config.maxSize() + " bytes, the limit for an asset.");
            }
            spool.write(bytes, offset, length);
        });
        spool.complete();
    }

    private JsonNode upload(UploadForm form, Spool spool, LargeFile started) throws IOException {
        AssetRequest asked = AssetRequest.of(form, spool, json);
        if (spool != null) {
            Inspection inspection = media.inspect(spool.path(), config.maxSize());
            inspection.problem().ifPresent(AssetUploads::refuse);
        }
        if (asked.indexId() != null) {
            // an index that does not exist would only show once the asset is ready: refuse before it is made
            twelveLabs.requireIndex(asked.indexId());
        }
        if (spool != null && spool.size() > config.directMaxSize()) {
            return multipart(spool, started, asked);
        }
        return recorder.direct(
                twelveLabs.createAsset(asked.upstreamFields(), spool), asked.method(), asked(asked, spool));
    }

    private static AssetRecorder.Asked asked(AssetRequest asked, Spool spool) {
        return new AssetRecorder.Asked(
                asked.filename(),
                spool == null ? null : spool.size(),
                asked.metadataText(),
                asked.indexId(),
                asked.enableVideoStream());
    }

    /**
     * Completes the multipart upload that began while the file arrived, or, when the file's size was not the one
     * foreseen (or none was), sends the received file in a new one. The client gets the asset once Twelve Labs has
     * every byte; its status is learnt by polling, as for any asset.
     */
    private JsonNode multipart(Spool spool, LargeFile started, AssetRequest asked) throws IOException {
        UploadedAsset uploaded;
        if (started != null && started.size() == spool.size()) {
            uploaded = release(started);
        } else {
            if (started != null) {
                started.close();
            }
            try (LargeFile whole = new LargeFile(chunks, intake.senders(), spool, spool.filename(), spool.size())) {
                uploaded = release(whole);
            }
        }
        return recorder.multipart(uploaded, asked(asked, spool));
    }

    private static UploadedAsset release(LargeFile file) throws IOException {
        try {
            return file.release();
        } catch (RuntimeException e) {
            throw UpstreamFailures.answer(e);
        }
    }

    private static void refuse(MediaProblem problem) {
        throw new ApiException(
                "video_filesize_too_large".equals(problem.code()) ? 413 : 400, problem.code(), problem.message());
    }
}
