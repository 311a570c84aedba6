package io.reelhook.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.reelhook.task.Task;
import io.reelhook.task.TaskLedger;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Tasks that Twelve Labs made and the database could not take, kept as files on local disk until it can: the
 * upload's answer names the task, and its details (filename, metadata) must not depend on the database being up
 * at that moment. A scheduled job stores each one through the ledger's upload write, as the upload would have.
 */
@Singleton
class PendingTasks {

    private static final Logger LOG = Logger.getLogger(PendingTasks.class);
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Failed writes, with the database up, after which a task is set aside for the operator. */
    private static final int MAX_FAILURES = 3;

    static final String REFUSED = "refused";

    /** A task as the upload would have stored it, and when Twelve Labs answered. */
    record Entry(
            String id,
            String indexId,
            String videoId,
            String filename,
            Long sizeBytes,
            Double duration,
            Integer width,
            Integer height,
            String language,
            Boolean enableVideoStream,
            Map<String, Object> userMetadata,
            OffsetDateTime answeredAt) {

        static Entry of(Task t, OffsetDateTime answeredAt) {
            return new Entry(
                    t.id,
                    t.indexId,
                    t.videoId,
                    t.filename,
                    t.sizeBytes,
                    t.duration,
                    t.width,
                    t.height,
                    t.language,
                    t.enableVideoStream,
                    t.userMetadata,
                    answeredAt);
        }

        Task task() {
            Task t = new Task();
            t.id = id;
            t.indexId = indexId;
            t.videoId = videoId;
            t.filename = filename;
            t.sizeBytes = sizeBytes;
            t.duration = duration;
            t.width = width;
            t.height = height;
            t.language = language;
            t.enableVideoStream = enableVideoStream;
            t.userMetadata = userMetadata;
            return t;
        }
    }

    private final Path directory;
    private final ObjectMapper json;
    private final TaskLedger ledger;
    private final AgroalDataSource dataSource;
    private final Map<Path, Integer> failures = new ConcurrentHashMap<>();

    PendingTasks(UploadConfig uploads, ObjectMapper json, TaskLedger ledger, AgroalDataSource dataSource) {
        this.directory = uploads.journalDirectory();
        this.json = json;
        this.ledger = ledger;
        this.dataSource = dataSource;
    }

    /** Writes the task durably (a temporary file, synced, then renamed), so that a crash leaves it whole or absent. */
    Path keep(Task task, OffsetDateTime answeredAt) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(fileName(task.id));
        Path temporary = Files.createTempFile(directory, ".pending-", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(json.writeValueAsBytes(Entry.of(task, answeredAt)));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory();
        return target;
    }

    void onStart(@Observes StartupEvent start) {
        drain();
    }

    /** Stores every waiting task; while the database is down, leaves them for the next run. */
    @Scheduled(every = "${reelhook.upload.journal-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void drain() {
        List<Path> waiting = waiting();
        if (waiting.isEmpty() || !databaseUp()) {
            return;
        }
        for (Path file : waiting) {
            try {
                Entry entry = json.readValue(file.toFile(), Entry.class);
                // recorded once per task: a write that committed though it seemed to fail adds nothing
                ledger.recordUpload(entry.task(), entry.answeredAt());
                Files.delete(file);
                failures.remove(file);
                LOG.infof("stored Twelve Labs task %s, kept on disk while the database could not take it", entry.id());
            } catch (IOException | RuntimeException e) {
                failed(file, e);
            }
        }
    }

    private void failed(Path file, Exception e) {
        if (!databaseUp()) {
            LOG.debugf("the database went away while storing %s: %s", file, e.toString());
            return;
        }
        int count = failures.merge(file, 1, Integer::sum);
        if (count < MAX_FAILURES) {
            LOG.warnf("could not store the waiting task in %s (attempt %d): %s", file, count, e.toString());
            return;
        }
        // the database is up and refuses this row: retrying for ever would only fill the log
        failures.remove(file);
        try {
            Path refused = Files.createDirectories(directory.resolve(REFUSED));
            Files.move(file, refused.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            LOG.errorf(
                    e,
                    "the database refuses the Twelve Labs task kept in %s; moved to %s for an operator",
                    file,
                    refused);
        } catch (IOException moving) {
            LOG.errorf(moving, "could not set aside %s", file);
        }
    }

    private List<Path> waiting() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.warnf("could not list %s: %s", directory, e.toString());
            return List.of();
        }
    }

    private boolean databaseUp() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename is still atomic there
            LOG.debugf("could not sync %s: %s", directory, e.toString());
        }
    }

    /** The task id where it is a plain name (Twelve Labs' are hex), else a digest of it: any id gets a file. */
    static String fileName(String id) {
        if (PLAIN_ID.matcher(id).matches()) {
            return id + ".json";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(digest) + ".json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
