package io.reelhook.assets;

import io.reelhook.twelvelabs.ChunkSource;
import io.reelhook.twelvelabs.ChunkedUpload;
import io.reelhook.twelvelabs.UploadedAsset;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A file over Twelve Labs' direct limit, sent with Twelve Labs' multipart upload while it still arrives. Its last chunk
 * waits until the file has passed its checks ({@link #release}): Twelve Labs' session completes only for a file that
 * Reelhook accepted, and a refused one's session is left to lapse with a chunk missing.
 */
final class LargeFile implements AutoCloseable {

    private final ChunkSource file;
    private final long size;
    private final CompletableFuture<Void> checked = new CompletableFuture<>();
    private final Future<UploadedAsset> sending;

    /** Starts sending {@code size} bytes of {@code file} on {@code senders}. */
    LargeFile(ChunkedUpload chunks, ExecutorService senders, ChunkSource file, String filename, long size) {
        this.file = file;
        this.size = size;
        ChunkSource gated = new Gated();
        this.sending = senders.submit(() -> chunks.upload(gated, filename, size));
    }

    long size() {
        return size;
    }

    /** The file passed its checks: the last chunk may go, and Twelve Labs gets every byte. */
    UploadedAsset release() throws IOException {
        checked.complete(null);
        try {
            return sending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sending.cancel(true);
            throw new InterruptedIOException("interrupted while the file was being sent");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Stops sending (the file was refused, or its upload broke off); Twelve Labs' session is left to lapse. */
    @Override
    public void close() {
        checked.completeExceptionally(new IOException("the file was refused"));
        sending.cancel(true);
    }

    private final class Gated implements ChunkSource {

        @Override
        public void awaitLength(long length) throws IOException {
            file.awaitLength(length);
            if (length >= size) {
                awaitCheck();
            }
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            if (offset + length >= size) {
                awaitCheck();
            }
            return file.open(offset, length);
        }

        private void awaitCheck() throws IOException {
            try {
                checked.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the file was being checked");
            } catch (ExecutionException e) {
                throw (IOException) e.getCause();
            }
        }
    }
}
