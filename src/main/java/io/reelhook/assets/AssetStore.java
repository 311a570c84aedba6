package io.reelhook.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelhook.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads assets and indexed assets as Twelve Labs' API writes them: the last answer Twelve Labs gave about each (its
 * fields, known to Reelhook or not), with the status Reelhook holds.
 */
@ApplicationScoped
class AssetStore {

    /** One page of a list, with Twelve Labs' {@code page_info}. */
    record Page(List<ObjectNode> data, int page, int limit, long total) {}

    private final DataSource db;
    private final ObjectMapper json;

    AssetStore(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    Optional<ObjectNode> asset(String id) {
        return one("SELECT " + ASSET + " FROM asset WHERE id = ?", id).map(this::asset);
    }

    /** A page of assets, newest first; a null filter matches every asset. */
    Page assets(int page, int limit, String status, String filename, String indexId) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        for (String[] filter : new String[][] {{"status", status}, {"filename", filename}, {"index_id", indexId}}) {
            if (filter[1] != null) {
                where.append(" AND ").append(filter[0]).append(" = ?");
                params.add(filter[1]);
            }
        }
        long total = Jdbc.number(db, "SELECT count(*) FROM asset" + where, params);
        List<Object> paged = new ArrayList<>(params);
        paged.add(limit);
        paged.add((long) (page - 1) * limit);
        List<ObjectNode> rows = many(
                        "SELECT " + ASSET + " FROM asset" + where + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                        paged)
                .stream()
                .map(this::asset)
                .toList();
        return new Page(rows, page, limit, total);
    }

    Optional<ObjectNode> indexedAsset(String indexId, String id) {
        return one("SELECT " + INDEXED + " FROM indexed_asset WHERE index_id = ? AND id = ?", indexId, id)
                .map(this::indexedAsset);
    }

    Page indexedAssets(String indexId, int page, int limit) {
        long total = Jdbc.number(db, "SELECT count(*) FROM indexed_asset WHERE index_id = ?", List.of(indexId));
        List<ObjectNode> rows = many(
                        "SELECT " + INDEXED
                                + " FROM indexed_asset WHERE index_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                        List.of(indexId, limit, (long) (page - 1) * limit))
                .stream()
                .map(this::indexedAsset)
                .toList();
        return new Page(rows, page, limit, total);
    }

    private static final String ASSET = "id, method, status, filename, file_type, size_bytes, created_at,"
            + " user_metadata::text AS user_metadata, detail::text AS detail";
    private static final String INDEXED = "id, index_id, asset_id, status, created_at, updated_at, indexed_at,"
            + " user_metadata::text AS user_metadata, detail::text AS detail";

    /** Twelve Labs' asset: its last answer, then what Reelhook knows written over it. */
    private ObjectNode asset(Row r) {
        ObjectNode asset = r.detail();
        asset.put("_id", r.text("id"));
        asset.put("method", r.text("method"));
        asset.put("status", r.text("status"));
        putIfKnown(asset, "filename", r.text("filename"));
        putIfKnown(asset, "file_type", r.text("file_type"));
        if (r.number("size_bytes") != null && !asset.has("size")) {
            asset.put("size", r.number("size_bytes"));
        }
        asset.put("created_at", r.text("created_at"));
        r.json("user_metadata").ifPresent(m -> asset.set("user_metadata", m));
        return asset;
    }

    private ObjectNode indexedAsset(Row r) {
        ObjectNode indexed = r.detail();
        indexed.put("_id", r.text("id"));
        indexed.put("asset_id", r.text("asset_id"));
        indexed.put("status", r.text("status"));
        indexed.put("created_at", r.text("created_at"));
        indexed.put("updated_at", r.text("updated_at"));
        putIfKnown(indexed, "indexed_at", r.text("indexed_at"));
        r.json("user_metadata").ifPresent(m -> indexed.set("user_metadata", m));
        return indexed;
    }

    private static void putIfKnown(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** A row read as text, timestamps as Twelve Labs writes them (RFC 3339, UTC). */
    private final class Row {
        private final java.util.Map<String, Object> values = new java.util.HashMap<>();

        Row(ResultSet r) throws SQLException {
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                String column = r.getMetaData().getColumnLabel(i);
                Object value = r.getObject(i);
                if (value instanceof OffsetDateTime at) {
                    value = at.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                } else if (value instanceof java.sql.Timestamp at) {
                    value = at.toInstant().toString();
                } else if (value != null && !(value instanceof Number)) {
                    value = value.toString();
                }
                values.put(column, value);
            }
        }

        String text(String column) {
            Object value = values.get(column);
            return value == null ? null : value.toString();
        }

        Long number(String column) {
            return values.get(column) instanceof Number n ? n.longValue() : null;
        }

        Optional<JsonNode> json(String column) {
            String text = text(column);
            if (text == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(json.readTree(text));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored JSON is unreadable", e);
            }
        }

        ObjectNode detail() {
            return json("detail")
                    .filter(JsonNode::isObject)
                    .map(node -> (ObjectNode) node)
                    .orElseGet(json::createObjectNode);
        }
    }

    private Optional<Row> one(String sql, Object... params) {
        return many(sql, List.of(params)).stream().findFirst();
    }

    private List<Row> many(String sql, List<Object> params) {
        try (Connection c = db.getConnection();
                PreparedStatement s = Jdbc.prepare(c, sql, params);
                ResultSet r = s.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new Row(r));
            }
            return rows;
        } catch (SQLException e) {
            throw new Jdbc.DatabaseException(e);
        }
    }
}
