package io.reelhook.resumable;

import java.nio.file.Path;

/**
 * What becomes of a resumable upload's bytes: the asset pipeline implements it (io.reelhook.assets), so that this
 * package knows nothing of assets. Record the outcome with {@link ResumableStore#assetCreated},
 * {@link ResumableStore#indexedAssetCreated} or {@link ResumableStore#failed}, which {@code GET /api/v1/uploads/{id}}
 * shows.
 */
public interface CompletedUploads {

    /**
     * Bytes {@code [0, offset)} of {@code upload} are on disk (fsynced) and their offset is stored: they will not
     * change again and survive a restart. Called after every PATCH that added bytes (also one cut short), on the
     * PATCH's thread while it holds the upload's lock, in order of offset, before its answer: return quickly and do
     * slow work (sending chunks upstream) on a thread of your own. An exception is logged and does not fail the PATCH.
     */
    default void received(ResumableUpload upload, long offset) {}

    /**
     * The upload is complete (status {@code complete}, {@code offset == size}) and {@code file} holds all its bytes.
     * Called once, on a worker thread of the resumable pool, after the final PATCH's answer was decided (its answer does
     * not wait for this). The file stays where it is until this bean deletes it.
     */
    void completed(ResumableUpload upload, Path file);
}
