package io.reelhook.resumable;

import io.reelhook.db.Jdbc;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code resumable_upload}: the one place an upload's state lives (no instance keeps any in memory), so any instance
 * and a restarted one answer from it and from the spool file.
 */
@Singleton
public class ResumableStore {

    /** "tus1": the advisory lock class of resumable uploads (two-key locks, apart from the outbox's one-key lock). */
    static final int LOCK_CLASS = 0x74757331;
    /** "tus2": the hand-over's lock, apart from the PATCHes'. */
    private static final int HAND_OVER_LOCK_CLASS = 0x74757332;

    private static final String COLUMNS = "id, size, upload_offset, status, filename, index_id, user_metadata::text,"
            + " enable_video_stream, metadata_header, spool_path, asset_id, indexed_asset_id, error, created_at,"
            + " updated_at, expires_at";

    private final DataSource db;

    ResumableStore(DataSource db) {
        this.db = db;
    }

    /** Stores a new upload, offset 0, expiring {@code expireAfter} from now; returns it as stored. */
    ResumableUpload insert(
            String id,
            long size,
            UploadMetadata metadata,
            String metadataHeader,
            Path spoolPath,
            Duration expireAfter) {
        return one(
                        "INSERT INTO resumable_upload (id, size, status, filename, index_id, user_metadata,"
                                + " enable_video_stream, metadata_header, spool_path, expires_at)"
                                + " VALUES (?, ?, 'receiving', ?, ?, ?::jsonb, ?, ?, ?, now() + ?::double precision * interval '1 millisecond')"
                                + " RETURNING " + COLUMNS,
                        id,
                        size,
                        metadata.filename(),
                        metadata.indexId(),
                        metadata.userMetadata(),
                        metadata.enableVideoStream(),
                        metadataHeader,
                        spoolPath.toString(),
                        expireAfter.toMillis())
                .orElseThrow();
    }

    public Optional<ResumableUpload> find(String id) {
        return one("SELECT " + COLUMNS + " FROM resumable_upload WHERE id = ?", id);
    }

    /**
     * Moves a receiving upload from {@code from} to {@code to} (complete when that is its size) and pushes its expiry
     * out; empty when it is no longer receiving at {@code from} (terminated or expired meanwhile): nothing changes.
     */
    Optional<ResumableUpload> storeOffset(String id, long from, long to, Duration expireAfter) {
        return one(
                "UPDATE resumable_upload SET upload_offset = ?, updated_at = now(),"
                        + " status = CASE WHEN ? = size THEN 'complete' ELSE status END,"
                        + " expires_at = now() + ?::double precision * interval '1 millisecond'"
                        + " WHERE id = ? AND status = 'receiving' AND upload_offset = ? RETURNING " + COLUMNS,
                to,
                to,
                expireAfter.toMillis(),
                id,
                from);
    }

    /** Marks a receiving or failed upload terminated; false when it is in no such state. */
    boolean terminate(String id) {
        return Jdbc.update(
                        db,
                        "UPDATE resumable_upload SET status = 'terminated', updated_at = now()"
                                + " WHERE id = ? AND status IN ('receiving', 'failed')",
                        id)
                == 1;
    }

    /** Receiving uploads whose expiry has passed, oldest first. */
    List<ResumableUpload> expired(int limit) {
        return list(
                "SELECT " + COLUMNS + " FROM resumable_upload WHERE status = 'receiving' AND expires_at < now()"
                        + " ORDER BY expires_at LIMIT ?",
                limit);
    }

    /** Of {@code ids}, those that some row names and that are still receiving or complete (their files count). */
    List<String> live(String[] ids) {
        return Jdbc.strings(
                db,
                "SELECT id FROM resumable_upload WHERE id = ANY (?) AND status IN ('receiving', 'complete', 'failed')",
                (Object) ids);
    }

    /** Marks an upload expired if it still is receiving and past its expiry. */
    boolean expire(String id) {
        return Jdbc.update(
                        db,
                        "UPDATE resumable_upload SET status = 'expired', updated_at = now()"
                                + " WHERE id = ? AND status = 'receiving' AND expires_at < now()",
                        id)
                == 1;
    }

    /** Uploads that are complete and neither became an asset nor failed: not handed over yet. */
    List<ResumableUpload> completedNotHandedOver() {
        return list("SELECT " + COLUMNS
                + " FROM resumable_upload WHERE status = 'complete' AND asset_id IS NULL AND error IS NULL");
    }

    /** The asset made from a completed upload. */
    public void assetCreated(String id, String assetId) {
        Jdbc.update(db, "UPDATE resumable_upload SET asset_id = ?, updated_at = now() WHERE id = ?", assetId, id);
    }

    /** The indexed asset made from a completed upload's asset. */
    public void indexedAssetCreated(String id, String indexedAssetId) {
        Jdbc.update(
                db,
                "UPDATE resumable_upload SET indexed_asset_id = ?, updated_at = now() WHERE id = ?",
                indexedAssetId,
                id);
    }

    /** The indexed asset made from an asset, for the upload that brought the asset (if one did). */
    public void indexedAssetCreatedFor(String assetId, String indexedAssetId) {
        Jdbc.update(
                db,
                "UPDATE resumable_upload SET indexed_asset_id = ?, updated_at = now() WHERE asset_id = ?",
                indexedAssetId,
                assetId);
    }

    /** A completed upload could not become an asset: status {@code failed} with why. */
    public void failed(String id, String error) {
        Jdbc.update(
                db,
                "UPDATE resumable_upload SET status = 'failed', error = ?, updated_at = now() WHERE id = ?",
                error,
                id);
    }

    /**
     * Takes the upload's lock if no one holds it: a PostgreSQL advisory lock held by a connection of its own, so that
     * one PATCH at a time writes to an upload whichever instance serves it, and a dead instance's lock goes with its
     * connection. Empty when another holds it.
     */
    Optional<Lock> tryLock(String id) {
        return tryLock(LOCK_CLASS, id);
    }

    /**
     * The lock of an upload's hand-over to the asset pipeline, apart from its PATCH lock so that PATCHes on a complete
     * upload are still answered: one instance hands an upload over, even when another, starting, looks for leftovers.
     */
    Optional<Lock> tryHandOverLock(String id) {
        return tryLock(HAND_OVER_LOCK_CLASS, id);
    }

    private Optional<Lock> tryLock(int lockClass, String id) {
        Connection c = null;
        try {
            c = db.getConnection();
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                s.setInt(1, lockClass);
                s.setInt(2, id.hashCode());
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) {
                        Lock lock = new Lock(c, lockClass, id);
                        c = null;
                        return Optional.of(lock);
                    }
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the connection is gone, and with it any lock
                }
            }
        }
    }

    /** Whether some connection holds the upload's lock (a PATCH in progress). */
    boolean locked(String id) {
        return Jdbc.number(
                        db,
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
                                + " AND classid::bigint = ? AND objid::bigint = ?",
                        List.of((long) LOCK_CLASS, Integer.toUnsignedLong(id.hashCode())))
                > 0;
    }

    /** An upload's lock; closing it releases the lock and hands the connection back. */
    static final class Lock implements AutoCloseable {
        private final Connection connection;
        private final int lockClass;
        private final String id;

        private Lock(Connection connection, int lockClass, String id) {
            this.connection = connection;
            this.lockClass = lockClass;
            this.id = id;
        }

        @Override
        public void close() {
            try (Connection c = connection;
                    PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                s.setInt(1, lockClass);
                s.setInt(2, id.hashCode());
                s.execute();
            } catch (SQLException e) {
                // closing the connection below ends the session's locks in any case
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // already closed
                }
            }
        }
    }

    private Optional<ResumableUpload> one(String sql, Object... params) {
        List<ResumableUpload> rows = list(sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<ResumableUpload> list(String sql, Object... params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = Jdbc.prepare(c, sql, Arrays.asList(params));
                ResultSet r = s.executeQuery()) {
            List<ResumableUpload> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new ResumableUpload(
                        r.getString(1),
                        r.getLong(2),
                        r.getLong(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getString(7),
                        (Boolean) r.getObject(8),
                        r.getString(9),
                        Path.of(r.getString(10)),
                        r.getString(11),
                        r.getString(12),
                        r.getString(13),
                        r.getObject(14, OffsetDateTime.class),
                        r.getObject(15, OffsetDateTime.class),
                        r.getObject(16, OffsetDateTime.class)));
            }
            return rows;
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        }
    }
}
