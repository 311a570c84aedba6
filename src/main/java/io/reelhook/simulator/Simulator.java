package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.StartupEvent;
import io.reelhook.media.Inspection;
import io.reelhook.media.MediaInfo;
import io.reelhook.media.MediaInspector;
import io.reelhook.media.MediaLimits;
import io.reelhook.media.MediaProblem;
import io.reelhook.simulator.SimTask.Verdict;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The simulated Twelve Labs account: its tasks (in memory), their clock and their notifications. It shares no code
 * or table with Reelhook's domain and talks to Reelhook only over HTTP, as Twelve Labs would.
 */
@ApplicationScoped
public class Simulator {

    private static final Logger LOG = Logger.getLogger(Simulator.class);
    private static final Duration EARLY_WAIT = Duration.ofSeconds(30);

    @Inject
    SimulatorConfig config;

    @Inject
    MediaInspector inspector;

    @Inject
    Notifier notifier;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    @Inject
    MediaLimits limits;

    private TaskTable tasks;
    private final HttpClient downloads = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    void onStart(@Observes StartupEvent start, @ConfigProperty(name = "twelvelabs.api-url") String apiUrl) {
        if (apiUrl.contains(SimulatorConfig.BASE_PATH)) {
            LOG.infof(
                    "Twelve Labs upstream: the built-in simulator at %s, which signs its webhooks to %s "
                            + "(set TWELVELABS_API_KEY to use Twelve Labs)",
                    apiUrl, config.webhookUrl());
        } else {
            LOG.infof(
                    "Twelve Labs upstream: %s%s",
                    apiUrl, config.on() ? " (the simulator is also served at " + SimulatorConfig.BASE_PATH + ")" : "");
        }
    }

    @PostConstruct
    void init() {
        tasks = new TaskTable(config.maxTasks());
    }

    Optional<SimTask> find(String id) {
        return tasks.find(id);
    }

    List<SimTask> all() {
        return tasks.all();
    }

    /**
     * Starts a task on an uploaded file, which is probed now: the request's temporary file does not outlive it.
     * Empty when the simulator holds max-tasks unfinished tasks.
     */
    Optional<SimTask> create(String indexId, String filename, Path file, JsonNode userMetadata, Chaos chaos) {
        if (!tasks.room()) {
            return Optional.empty();
        }
        return start(indexId, filename, CompletableFuture.completedFuture(validate(file)), userMetadata, chaos);
    }

    /** Starts a task on a video that is downloaded, up to the file limit, while the task is validating. */
    Optional<SimTask> create(String indexId, URI videoUrl, JsonNode userMetadata, Chaos chaos) throws IOException {
        if (!tasks.room()) {
            return Optional.empty();
        }
        CompletableFuture<Verdict> verdict = download(
                videoUrl, this::validate, message -> new Verdict(null, new MediaProblem("video_file_broken", message)));
        String path = videoUrl.getPath() == null ? "" : videoUrl.getPath();
        return start(indexId, path.substring(path.lastIndexOf('/') + 1), verdict, userMetadata, chaos);
    }

    /**
     * Downloads {@code url} to a temporary file, up to the file limit, reads it with {@code read} and deletes it;
     * a download that fails or is refused is {@code failed}'s reading of why.
     */
    <T> CompletableFuture<T> download(URI url, Function<Path, T> read, Function<String, T> failed) throws IOException {
        Path file = Files.createTempFile("reelhook-simulator-", ".video");
        long max = limits.maxFileSize();
        return downloads
                .sendAsync(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofMinutes(10))
                                .build(),
                        info -> new CappedBody<>(HttpResponse.BodySubscribers.ofFile(file), max))
                .thenApply(response -> response.statusCode() / 100 == 2
                        ? read.apply(file)
                        : failed.apply("The file could not be downloaded (HTTP " + response.statusCode() + ")."))
                .exceptionally(e -> failed.apply("The file could not be downloaded."))
                .whenComplete((found, e) -> delete(file));
    }

    /** The answer that global chaos ({@code reelhook.simulator.chaos.*-rate}) gives a request, or 0 for none. */
    int refusal() {
        double draw = ThreadLocalRandom.current().nextDouble();
        if (draw < config.chaos().throttleRate()) {
            return 429;
        }
        return draw < config.chaos().throttleRate() + config.chaos().errorRate() ? 500 : 0;
    }

    private Optional<SimTask> start(
            String indexId, String filename, CompletableFuture<Verdict> verdict, JsonNode userMetadata, Chaos chaos) {
        CompletableFuture<Verdict> decided = chaos.fail()
                .map(code -> verdict.thenApply(found -> new Verdict(
                        found.info(), new MediaProblem(code, "Failed on purpose (user_metadata.simulator.fail)."))))
                .orElse(verdict);
        SimTask task = new SimTask(id(), id(), indexId, filename, userMetadata, chaos, decided);
        if (!tasks.add(task)) {
            return Optional.empty();
        }
        if (chaos.early()) {
            finishEarly(task);
        } else {
            tick(task);
        }
        return Optional.of(task);
    }

    private void tick(SimTask task) {
        vertx.setTimer(Math.max(1, config.step().toMillis()), timer -> {
            if (task.advance()) {
                notify(task);
            } else if (!task.terminal()) {
                tick(task);
            }
        });
    }

    /** Reorders on purpose: the notification reaches the webhook before the uploader has its task id. */
    private void finishEarly(SimTask task) {
        try {
            task.verdict.get(EARLY_WAIT.toSeconds(), TimeUnit.SECONDS);
            while (!task.advance()) {
                // validation is done, so every call moves one status on
            }
            notify(task).toCompletableFuture().get(EARLY_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("task %s: the early notification was not accepted in time (%s)", task.id, e);
        }
    }

    private CompletionStage<Void> notify(SimTask task) {
        if (task.chaos.drop()) {
            LOG.infof("task %s is %s; its notification is dropped on purpose", task.id, task.status());
            return CompletableFuture.completedFuture(null);
        }
        URI url = URI.create(task.chaos.webhookUrl().orElse(config.webhookUrl()));
        byte[] body = notification(task);
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        Runnable send = () -> {
            CompletableFuture<?> first = deliver(url, body, task);
            CompletableFuture<?> copy =
                    task.chaos.duplicate() ? deliver(url, body, task) : CompletableFuture.completedFuture(null);
            CompletableFuture.allOf(first, copy).whenComplete((done, e) -> delivered.complete(null));
        };
        if (task.chaos.delay().toMillis() > 0) {
            vertx.setTimer(task.chaos.delay().toMillis(), timer -> send.run());
        } else {
            send.run();
        }
        return delivered;
    }

    private CompletableFuture<?> deliver(URI url, byte[] body, SimTask task) {
        return notifier.send(url, body).toCompletableFuture().whenComplete((status, e) -> {
            if (e != null) {
                LOG.warnf("task %s: notification to %s given up after retries (%s)", task.id, url, e.getMessage());
            }
        });
    }

    /** Twelve Labs' notification: only terminal statuses are pushed. */
    private byte[] notification(SimTask task) {
        ObjectNode root = json.createObjectNode()
                .put("id", "whe_" + UUID.randomUUID())
                .put("created_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("type", "index.task." + task.status());
        ObjectNode data = root.putObject("data").put("id", task.id);
        MediaInfo info = task.info();
        ObjectNode metadata = data.putObject("metadata");
        if (info != null) {
            metadata.put("duration", info.duration());
        }
        data.put("status", task.status());
        ObjectNode model = data.putArray("models").addObject().put("model_name", "marengo3.0");
        model.putArray("model_options").add("visual").add("audio");
        data.putArray("tags");
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Verdict validate(Path file) {
        Inspection inspection = inspector.inspect(file);
        return new Verdict(inspection.info().orElse(null), inspection.problem().orElse(null));
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", file, e);
        }
    }

    /** Twelve Labs' ids are 24 hexadecimal digits. */
    static String id() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
