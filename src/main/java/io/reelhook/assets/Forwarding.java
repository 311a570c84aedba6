package io.reelhook.assets;

import io.reelhook.resumable.ResumableStore;
import io.reelhook.resumable.ResumableUpload;
import io.reelhook.twelvelabs.ChunkSource;
import io.reelhook.twelvelabs.ChunkedUpload;
import io.reelhook.twelvelabs.CompletedChunk;
import io.reelhook.twelvelabs.MultipartSession;
import io.reelhook.twelvelabs.UploadedAsset;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends a large resumable upload to Twelve Labs' multipart upload while it arrives (docs/resumable.md): after each
 * PATCH, the chunks whose bytes are all on disk go up, except the last, which waits for the media check at the end.
 * The session and every chunk Twelve Labs took are stored ({@link SessionStore}), so that after a pause or a restart
 * nothing it already has is sent again; a session about to lapse is replaced by a new one and the bytes sent again.
 * One upload is forwarded by one thread at a time; a failed attempt is tried again after the next PATCH and, at the
 * latest, when the upload completes.
 */
@ApplicationScoped
class Forwarding {

    private static final Logger LOG = Logger.getLogger(Forwarding.class);
    private static final Duration LAPSE_MARGIN = Duration.ofSeconds(2);

    private final ChunkedUpload chunks;
    private final SessionStore sessions;
    private final ResumableStore uploads;
    private final ConcurrentHashMap<String, Turn> turns = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2, run -> {
        Thread thread = new Thread(run, "resumable-forward");
        thread.setDaemon(true);
        return thread;
    });

    /** One upload's right to forward, and whether bytes arrived since its last forward. */
    private static final class Turn {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicBoolean due = new AtomicBoolean();
    }

    Forwarding(ChunkedUpload chunks, SessionStore sessions, ResumableStore uploads) {
        this.chunks = chunks;
        this.sessions = sessions;
        this.uploads = uploads;
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }

    /** Bytes arrived: forwards what is whole, soon, on a thread of its own. */
    void arrived(String uploadId) {
        Turn turn = turns.computeIfAbsent(uploadId, id -> new Turn());
        if (!turn.due.getAndSet(true)) {
            threads.execute(() -> drain(uploadId, turn));
        }
    }

    private void drain(String uploadId, Turn turn) {
        if (!turn.lock.tryLock()) {
            // the holder forwards again once it is done, since due is set
            return;
        }
        try {
            while (turn.due.getAndSet(false)) {
                ResumableUpload upload = uploads.find(uploadId).orElse(null);
                if (upload == null || !ResumableUpload.RECEIVING.equals(upload.status())) {
                    turns.remove(uploadId, turn);
                    return;
                }
                try {
                    forward(upload, upload.spoolPath(), false);
                } catch (IOException | RuntimeException e) {
                    LOG.infof("upload %s: chunks not forwarded yet (tried again later): %s", uploadId, e.toString());
                }
            }
        } finally {
            turn.lock.unlock();
        }
    }

    /**
     * The upload is complete and checked: sends what Twelve Labs does not have yet, reports it and waits until the
     * session is {@code completed}.
     */
    UploadedAsset finish(ResumableUpload upload, Path file) throws IOException {
        Turn turn = turns.computeIfAbsent(upload.id(), id -> new Turn());
        turn.lock.lock();
        try {
            return forward(upload, file, true);
        } finally {
            turn.lock.unlock();
            turns.remove(upload.id(), turn);
        }
    }

    private UploadedAsset forward(ResumableUpload upload, Path file, boolean last) throws IOException {
        SessionStore.Saved saved = sessions.find(upload.id()).orElse(null);
        if (saved == null || lapsing(saved.session())) {
            if (saved != null) {
                LOG.infof(
                        "upload %s: Twelve Labs' session %s lapses at %s; a new one is made and the bytes sent again",
                        upload.id(), saved.session().uploadId(), saved.session().expiresAt());
            }
            MultipartSession session = chunks.start(name(upload), upload.userMetadata(), upload.size());
            sessions.replace(upload.id(), session);
            saved = new SessionStore.Saved(session, List.of(), List.of());
        }
        MultipartSession session = saved.session();
        int total = ChunkedUpload.chunks(session, upload.size());
        // chunks whose bytes are all in; the last waits for the end
        int whole = last ? total : (int) Math.min(total - 1, upload.offset() / session.chunkSize());
        Set<Integer> sent = new HashSet<>();
        saved.sent().forEach(chunk -> sent.add(chunk.chunkIndex()));
        List<Integer> due = new ArrayList<>();
        for (int index = 1; index <= whole; index++) {
            if (!sent.contains(index)) {
                due.add(index);
            }
        }
        ChunkSource source = ChunkSource.of(file);
        ChunkedUpload.Progress progress = new ChunkedUpload.Progress() {
            @Override
            public void sent(CompletedChunk chunk) {
                sessions.sent(upload.id(), chunk);
            }

            @Override
            public void reported(List<CompletedChunk> reported) {
                sessions.reported(upload.id(), reported);
            }
        };
        if (last) {
            return chunks.finish(source, session, upload.size(), due, saved.unreported(), progress);
        }
        if (!due.isEmpty() || !saved.unreported().isEmpty()) {
            chunks.send(source, session, upload.size(), due, saved.unreported(), progress);
        }
        return null;
    }

    /**
     * A session that has expired, or is about to (within {@link #LAPSE_MARGIN}, for clocks apart), is not used again:
     * its URLs and reports are refused.
     */
    private static boolean lapsing(MultipartSession session) {
        if (session.expiresAt() == null) {
            return false;
        }
        try {
            return OffsetDateTime.parse(session.expiresAt())
                    .toInstant()
                    .isBefore(Instant.now().plus(LAPSE_MARGIN));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static String name(ResumableUpload upload) {
        return upload.filename() != null ? upload.filename() : upload.id();
    }
}
