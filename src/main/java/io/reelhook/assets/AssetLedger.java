package io.reelhook.assets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.db.Jdbc;
import io.reelhook.task.EventSource;
import io.reelhook.task.EventWriter;
import io.reelhook.task.TaskEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place where asset and indexed-asset statuses change: each change moves the row and writes its event (the
 * outbox entry, docs/assets.md) in one transaction, holding the row's lock, so that per asset the events' sequence is
 * the order of the changes.
 */
@ApplicationScoped
class AssetLedger {

    /** An asset Twelve Labs has just made. */
    record NewAsset(
            String id,
            String method,
            String filename,
            String fileType,
            Long sizeBytes,
            String userMetadata,
            JsonNode detail,
            String indexId,
            Boolean enableVideoStream,
            String uploadId,
            boolean pollNow) {}

    private final DataSource db;
    private final EventWriter events;
    private final ObjectMapper json;
    private final AssetsConfig config;

    AssetLedger(DataSource db, EventWriter events, ObjectMapper json, AssetsConfig config) {
        this.db = db;
        this.events = events;
        this.json = json;
        this.config = config;
    }

    /** Records a new asset and its first event; nothing when it is recorded already. */
    @Transactional
    public Optional<TaskEvent> created(NewAsset asset) {
        String status = Progress.parse(
                        Progress.Kind.ASSET, asset.detail().path("status").asText(null))
                .orElse(Progress.PROCESSING)
                .wire();
        OffsetDateTime now = now();
        List<String> inserted = Jdbc.strings(
                db,
                """
                INSERT INTO asset (id, method, status, filename, file_type, size_bytes, user_metadata, detail, index_id,
                                   enable_video_stream, upload_id, created_at, updated_at, next_poll_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                RETURNING id""",
                asset.id(),
                asset.method(),
                status,
                asset.filename(),
                asset.fileType(),
                asset.sizeBytes(),
                asset.userMetadata(),
                asset.detail().toString(),
                asset.indexId(),
                asset.enableVideoStream(),
                asset.uploadId(),
                now,
                now,
                asset.pollNow() ? now.plus(config.pollFirst()) : null);
        if (inserted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(write(event(
                Progress.Kind.ASSET, asset.id(), null, asset.indexId(), status, null, EventSource.UPLOAD, null, now)));
    }

    /**
     * Records Twelve Labs' latest answer about an asset: its detail always, an event when its status moved. The next
     * poll comes sooner after a change, later after none.
     *
     * @return the event, with the asset's {@code index_id}
     */
    @Transactional
    public Optional<Moved> observed(String id, JsonNode detail, EventSource source) {
        return move(Progress.Kind.ASSET, "asset", id, detail, source, null);
    }

    /** Records an indexed asset Twelve Labs has just accepted, and its first event. */
    @Transactional
    public Optional<TaskEvent> indexed(
            String indexId,
            String id,
            String assetId,
            Boolean enableVideoStream,
            String userMetadata,
            JsonNode answer) {
        OffsetDateTime now = now();
        String status = Progress.parse(
                        Progress.Kind.INDEXED_ASSET, answer.path("status").asText(null))
                .orElse(Progress.PENDING)
                .wire();
        List<String> inserted = Jdbc.strings(
                db,
                """
                INSERT INTO indexed_asset (id, index_id, asset_id, status, enable_video_stream, user_metadata, detail,
                                           created_at, updated_at, next_poll_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)
                ON CONFLICT DO NOTHING
                RETURNING id""",
                id,
                indexId,
                assetId,
                status,
                enableVideoStream,
                userMetadata,
                answer.toString(),
                now,
                now,
                now.plus(config.pollFirst()));
        if (inserted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(write(
                event(Progress.Kind.INDEXED_ASSET, assetId, id, indexId, status, null, EventSource.UPLOAD, null, now)));
    }

    /** {@link #observed} for an indexed asset. */
    @Transactional
    public Optional<Moved> indexedObserved(String id, JsonNode detail, EventSource source) {
        return move(Progress.Kind.INDEXED_ASSET, "indexed_asset", id, detail, source, detail.path("system_metadata"));
    }

    /** What an asset's {@code index_id} asked for, unless it is indexed there already. */
    record IndexRequest(String indexId, Boolean enableVideoStream) {}

    Optional<IndexRequest> indexRequest(String assetId) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT a.index_id, a.enable_video_stream FROM asset a
                        WHERE a.id = ? AND a.index_id IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM indexed_asset i WHERE i.asset_id = a.id AND i.index_id = a.index_id)""")) {
            s.setString(1, assetId);
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? Optional.of(new IndexRequest(r.getString(1), (Boolean) r.getObject(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        }
    }

    /** The asset needs no more polls: it is indexed, or its indexing was refused for good. */
    @Transactional
    public void settled(String assetId) {
        Jdbc.update(db, "UPDATE asset SET next_poll_at = NULL WHERE id = ?", assetId);
    }

    /** A status change and the row's details that its consequences need. */
    record Moved(TaskEvent event, String assetId, String indexId) {}

    private Optional<Moved> move(
            Progress.Kind kind, String table, String id, JsonNode detail, EventSource source, JsonNode metadata) {
        OffsetDateTime now = now();
        String assetColumn = kind == Progress.Kind.ASSET ? "id" : "asset_id";
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT status, index_id, " + assetColumn + " FROM " + table + " WHERE id = ? FOR UPDATE")) {
            s.setString(1, id);
            String current;
            String indexId;
            String assetId;
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                current = r.getString(1);
                indexId = r.getString(2);
                assetId = r.getString(3);
            }
            Optional<Progress> found =
                    Progress.parse(kind, detail.path("status").asText(null));
            Progress known = Progress.parse(kind, current).orElseThrow();
            boolean moves = found.filter(known::canMoveTo).isPresent();
            String next = moves ? found.get().wire() : current;
            // a ready asset that is to be indexed stays due until its indexed asset is made (AssetPoller)
            boolean done = Progress.parse(kind, next).orElseThrow().terminal()
                    && !(kind == Progress.Kind.ASSET && indexId != null && "ready".equals(next));
            // after a change Twelve Labs is asked again soon; each unchanged answer doubles the wait
            Jdbc.update(
                    db,
                    "UPDATE " + table + " SET status = ?, detail = ?::jsonb, updated_at = CASE WHEN ? THEN ? ELSE"
                            + " updated_at END,"
                            + (kind == Progress.Kind.INDEXED_ASSET
                                    ? " indexed_at = CASE WHEN ? = 'ready' THEN coalesce(indexed_at, ?) END,"
                                    : " file_type = coalesce(file_type, ?), size_bytes = coalesce(size_bytes, ?::bigint),")
                            + " poll_attempts = CASE WHEN ? THEN 0 ELSE poll_attempts + 1 END,"
                            + " next_poll_at = CASE WHEN ? THEN NULL ELSE ? + least(make_interval(secs => ? * power(2,"
                            + " CASE WHEN ? THEN 0 ELSE poll_attempts + 1 END)), make_interval(secs => ?)) END"
                            + " WHERE id = ?",
                    next,
                    detail.toString(),
                    moves,
                    now,
                    kind == Progress.Kind.INDEXED_ASSET
                            ? next
                            : detail.path("file_type").asText(null),
                    kind == Progress.Kind.INDEXED_ASSET
                            ? now
                            : detail.path("size").isNumber()
                                    ? detail.path("size").asText()
                                    : null,
                    moves,
                    done,
                    now,
                    (double) config.pollFirst().toMillis() / 1000,
                    moves,
                    (double) config.pollMax().toMillis() / 1000,
                    id);
            if (!moves) {
                return Optional.empty();
            }
            TaskEvent event = event(
                    kind,
                    assetId,
                    kind == Progress.Kind.INDEXED_ASSET ? id : null,
                    indexId,
                    next,
                    current,
                    source,
                    metadata == null || !metadata.isObject() ? null : json.convertValue(metadata, MAP),
                    now);
            return Optional.of(new Moved(write(event), assetId, indexId));
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        }
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private static TaskEvent event(
            Progress.Kind kind,
            String assetId,
            String indexedAssetId,
            String indexId,
            String status,
            String previous,
            EventSource source,
            Map<String, Object> metadata,
            OffsetDateTime now) {
        boolean completes = kind == Progress.Kind.INDEXED_ASSET
                && Progress.parse(kind, status).orElseThrow().terminal();
        return new TaskEvent(
                UUID.randomUUID(),
                null,
                indexId,
                null,
                kind.prefix + "." + status,
                status,
                previous,
                source.wire(),
                true,
                completes,
                null,
                now,
                now,
                metadata,
                null,
                assetId,
                indexedAssetId);
    }

    private TaskEvent write(TaskEvent event) {
        try (Connection c = db.getConnection()) {
            events.insert(c, List.of(event));
            return event;
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
