package io.reelhook.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelhook.api.ApiException;
import io.reelhook.api.UpstreamFailures;
import io.reelhook.media.Inspection;
import io.reelhook.media.MediaInspector;
import io.reelhook.media.MediaLimits;
import io.reelhook.media.MediaProblem;
import io.reelhook.task.Task;
import io.reelhook.twelvelabs.CreatedTask;
import io.reelhook.twelvelabs.TaskFields;
import io.reelhook.twelvelabs.TaskUpload;
import io.reelhook.twelvelabs.TwelveLabsClient;
import io.reelhook.twelvelabs.TwelveLabsConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /tasks}: reads the form, checks the video, forwards it and records the task.
 * <p>
 * Each upload holds its request worker and one thread of its own sender pool (which sends upstream and waits for the
 * answer), never a second request worker: uploads cannot starve the request pool, and the sender pool has a thread
 * for every upload that the concurrency limit lets in.
 */
@Singleton
class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private static final int READ_BUFFER = 256 * 1024;
    private static final Duration WITHDRAW_WAIT = Duration.ofSeconds(30);

    private final TwelveLabsClient twelveLabs;
    private final TwelveLabsConfig config;
    private final UploadConfig uploads;
    private final MediaInspector media;
    private final MediaLimits limits;
    private final TaskRecorder recorder;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Intake intake;

    UploadService(
            TwelveLabsClient twelveLabs,
            TwelveLabsConfig config,
            UploadConfig uploads,
            MediaInspector media,
            MediaLimits limits,
            TaskRecorder recorder,
            ObjectMapper json,
            MeterRegistry registry,
            Intake intake) {
        this.twelveLabs = twelveLabs;
        this.config = config;
        this.uploads = uploads;
        this.media = media;
        this.limits = limits;
        this.recorder = recorder;
        this.json = json;
        this.registry = registry;
        this.intake = intake;
    }

    Path spoolDirectory() {
        return intake.spoolDirectory();
    }

    /** Takes one upload; refused before a byte of its body is read when too many run or the disk is short. */
    Response create(String contentType, Long length, HttpServerRequest request) {
        return intake.receive(
                length,
                request,
                limits.maxFileSize() + UploadSizeGuard.MULTIPART_OVERHEAD,
                body -> accept(contentType, length != null, body));
    }

    /**
     * Reads the form part by part. A video goes upstream while it arrives when the request declared its length
     * (which {@link UploadSizeGuard} has checked): Twelve Labs gets all but the request's last part at once, and
     * that part only once the video passed its checks; otherwise the request is withdrawn unfinished, and nothing
     * is created. A body of unknown length is received whole before anything is sent.
     */
    private Response accept(String contentType, boolean declaredLength, InputStream body) {
        String boundary = MultipartReader.boundary(contentType)
                .orElseThrow(() -> ApiException.invalid("Content-Type", "a multipart body needs a boundary."));
        MultipartReader reader = new MultipartReader(body, boundary, READ_BUFFER);
        UploadForm form = new UploadForm(UploadForm.TASK);
        CompletableFuture<TaskFields> fields = new CompletableFuture<>();
        CompletableFuture<CreatedTask> sending = null;
        Spool spool = null;
        try {
            for (Optional<MultipartReader.Part> next = reader.next(); next.isPresent(); next = reader.next()) {
                MultipartReader.Part part = next.get();
                form.requireKnown(part.name());
                if (part.filename() == null) {
                    form.add(part.name(), reader.text(form.maxBytes(part.name())));
                } else if (part.name().equalsIgnoreCase("video_file") && spool == null) {
                    spool = Spool.create(
                            intake.spoolDirectory(),
                            UploadForm.storable("video_file", part.filename(), UploadForm.MAX_FILENAME));
                    if (declaredLength) {
                        sending = send(new TaskUpload(spool, fields));
                    }
                    receive(reader, spool);
                } else {
                    throw ApiException.invalid(part.name(), "only one video_file may be sent, and no other file.");
                }
            }
            Task task = task(form, spool, fields);
            if (sending == null) {
                sending = send(new TaskUpload(spool, fields));
            }
            CreatedTask created = sent(sending);
            if (spool != null) {
                registry.counter("reelhook.upload.bytes").increment(task.sizeBytes);
            }
            task.id = created.id();
            task.videoId = created.videoId();
            recorder.record(task);
            // a raw header: Response.location() would make it absolute, and the contract promises the path
            return Response.ok(created)
                    .header("Location", "/v1.3/tasks/" + created.id())
                    .build();
        } catch (RequestStream.TooLongException e) {
            throw withdraw(
                    fields,
                    sending,
                    spool,
                    new ApiException(
                            413,
                            "video_filesize_too_large",
                            "The request is larger than a video of " + limits.maxFileSize() + " bytes and its form."));
        } catch (RequestStream.IdleException e) {
            throw withdraw(
                    fields,
                    sending,
                    spool,
                    new ApiException(408, "request_timeout", "The upload was cut off: " + e.getMessage() + "."));
        } catch (MultipartReader.MalformedException e) {
            throw withdraw(
                    fields,
                    sending,
                    spool,
                    new ApiException(
                            400, "parameter_invalid", "The multipart body is malformed: " + e.getMessage() + "."));
        } catch (IOException e) {
            throw withdraw(
                    fields,
                    sending,
                    spool,
                    ApiException.invalid(
                            "video_file", "the multipart body could not be read (" + e.getMessage() + ")."));
        } catch (RuntimeException e) {
            throw withdraw(fields, sending, spool, e);
        } finally {
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
        long size = reader.drain((bytes, offset, length) -> {
            check(media.checkSize(spool.size() + length));
            spool.write(bytes, offset, length);
        });
        spool.complete();
        LOG.debugf("received %d bytes of %s", size, spool.filename());
    }

    /** The task the form describes, once its fields and video passed every check; settles the fields. */
    private Task task(UploadForm form, Spool spool, CompletableFuture<TaskFields> fields) {
        String indexId = form.text("index_id")
                .or(config::indexId)
                .filter(id -> !id.isBlank())
                .orElseThrow(() -> ApiException.notProvided("index_id"));
        Optional<String> url = form.text("video_url");
        if (form.has("video_file")) {
            throw ApiException.invalid("video_file", "it must be a file part (with a filename).");
        }
        if (spool != null && url.isPresent()) {
            throw ApiException.invalid("video_file", "send either video_file or video_url, not both.");
        }
        if (spool == null && url.isEmpty()) {
            throw ApiException.notProvided("video_file or video_url");
        }
        Optional<Boolean> stream = form.bool("enable_video_stream");
        Optional<Map.Entry<String, Map<String, Object>>> userMetadata = form.userMetadata(json);
        String language = form.text("language").orElse(null);

        Task task = new Task();
        task.indexId = UploadForm.storable("index_id", indexId, form.maxBytes("index_id"));
        task.language = language;
        task.enableVideoStream = stream.orElse(true);
        task.userMetadata = userMetadata.map(Map.Entry::getValue).orElse(null);
        task.filename = spool != null
                ? spool.filename()
                : UploadForm.storable(
                        "video_url", UploadForm.fileName("video_url", url.get()), UploadForm.MAX_FILENAME);
        if (spool != null) {
            task.sizeBytes = spool.size();
            Inspection inspection = media.inspect(spool.path());
            check(inspection.problem());
            inspection.info().ifPresent(info -> {
                task.duration = info.duration();
                task.width = info.width();
                task.height = info.height();
            });
        }
        fields.complete(new TaskFields(
                indexId,
                url.orElse(null),
                language,
                stream.orElse(null),
                userMetadata.map(Map.Entry::getKey).orElse(null)));
        return task;
    }

    /**
     * Withdraws a request that is still being sent, and waits until it is gone, so that Twelve Labs never sees a
     * complete request for an upload that was refused.
     */
    private RuntimeException withdraw(
            CompletableFuture<TaskFields> fields,
            CompletableFuture<CreatedTask> sending,
            Spool spool,
            RuntimeException reason) {
        fields.completeExceptionally(reason);
        if (spool != null) {
            spool.fail(new IOException("the upload was refused", reason));
        }
        if (sending != null && !sending.isDone()) {
            try {
                sending.get(WITHDRAW_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | java.util.concurrent.CancellationException expected) {
                // the cancelled request's own failure: the reason above is the answer
            } catch (TimeoutException e) {
                LOG.warnf("an upstream request for a refused upload was still running after %s", WITHDRAW_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return reason;
    }

    private CompletableFuture<CreatedTask> send(TaskUpload upload) {
        return CompletableFuture.supplyAsync(() -> twelveLabs.createTask(upload), intake.senders());
    }

    private CreatedTask sent(CompletableFuture<CreatedTask> sending) {
        try {
            return sending.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? UpstreamFailures.answer(cause) : e;
        }
    }

    private void check(Optional<MediaProblem> problem) {
        problem.ifPresent(p -> {
            throw new ApiException("video_filesize_too_large".equals(p.code()) ? 413 : 400, p.code(), p.message());
        });
    }
}
