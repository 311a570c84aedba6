package io.reelhook.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.db.Jdbc;
import io.reelhook.twelvelabs.CompletedChunk;
import io.reelhook.twelvelabs.MultipartSession;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A resumable upload's Twelve Labs multipart session and the chunks it holds ({@code resumable_session}). */
@ApplicationScoped
class SessionStore {

    /** The session, and the chunks already in its storage (by index), reported or not. */
    record Saved(MultipartSession session, List<CompletedChunk> sent, List<CompletedChunk> unreported) {}

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final DataSource db;
    private final ObjectMapper json;

    SessionStore(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    Optional<Saved> find(String uploadId) {
        try (Connection c = db.getConnection()) {
            MultipartSession session;
            try (PreparedStatement s =
                    c.prepareStatement("SELECT session_id, asset_id, chunk_size, upload_headers::text, expires_at"
                            + " FROM resumable_session WHERE upload_id = ?")) {
                s.setString(1, uploadId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    OffsetDateTime expires = r.getObject(5, OffsetDateTime.class);
                    session = new MultipartSession(
                            r.getString(1),
                            r.getString(2),
                            List.of(),
                            json.readValue(r.getString(4), HEADERS),
                            r.getLong(3),
                            0,
                            expires == null ? null : expires.toInstant().toString());
                }
            }
            List<CompletedChunk> sent = new ArrayList<>();
            List<CompletedChunk> unreported = new ArrayList<>();
            try (PreparedStatement s =
                    c.prepareStatement("SELECT chunk_index, etag, size, reported FROM resumable_chunk"
                            + " WHERE upload_id = ? ORDER BY chunk_index")) {
                s.setString(1, uploadId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        CompletedChunk chunk = CompletedChunk.etag(r.getInt(1), r.getString(2), r.getLong(3));
                        sent.add(chunk);
                        if (!r.getBoolean(4)) {
                            unreported.add(chunk);
                        }
                    }
                }
            }
            return Optional.of(new Saved(session, sent, unreported));
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("resumable_session.upload_headers of " + uploadId, e);
        }
    }

    /** Stores {@code session} as the upload's, replacing a lapsed one and forgetting the chunks it held. */
    void replace(String uploadId, MultipartSession session) {
        String headers;
        try {
            headers = json.writeValueAsString(session.uploadHeaders());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // chunks first: a crash in between leaves the old session without chunks, whose bytes are then sent again
        Jdbc.update(db, "DELETE FROM resumable_chunk WHERE upload_id = ?", uploadId);
        Jdbc.update(
                db,
                "INSERT INTO resumable_session (upload_id, session_id, asset_id, chunk_size, upload_headers, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb, ?::timestamptz) ON CONFLICT (upload_id) DO UPDATE SET"
                        + " session_id = excluded.session_id, asset_id = excluded.asset_id,"
                        + " chunk_size = excluded.chunk_size, upload_headers = excluded.upload_headers,"
                        + " expires_at = excluded.expires_at, created_at = now()",
                uploadId,
                session.uploadId(),
                session.assetId(),
                session.chunkSize(),
                headers,
                session.expiresAt());
    }

    void sent(String uploadId, CompletedChunk chunk) {
        Jdbc.update(
                db,
                "INSERT INTO resumable_chunk (upload_id, chunk_index, etag, size) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (upload_id, chunk_index) DO UPDATE SET etag = excluded.etag,"
                        + " size = excluded.size, reported = false",
                uploadId,
                chunk.chunkIndex(),
                chunk.proof(),
                chunk.chunkSize());
    }

    void reported(String uploadId, List<CompletedChunk> chunks) {
        Integer[] indexes = chunks.stream().map(CompletedChunk::chunkIndex).toArray(Integer[]::new);
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE resumable_chunk SET reported = true WHERE upload_id = ? AND chunk_index = ANY (?)")) {
            s.setString(1, uploadId);
            s.setArray(2, c.createArrayOf("integer", indexes));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        }
    }
}
