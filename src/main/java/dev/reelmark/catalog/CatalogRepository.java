package dev.reelmark.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Timestamps;
import dev.reelmark.json.Json;
import dev.reelmark.json.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SQL for every catalog table, generated from its {@link EntityType}. Column and table names come only from the
 * model (never from input); values are always bound.
 */
final class CatalogRepository {
    private CatalogRepository() {
    }

    static long insert(Handle h, EntityType type, Map<String, Object> values) {
        if (values.isEmpty()) {
            return h.createQuery("INSERT INTO " + type.table() + " DEFAULT VALUES RETURNING id").mapTo(Long.class).one();
        }
        String columns = String.join(", ", values.keySet());
        String params = values.keySet().stream().map(c -> ":" + c).collect(Collectors.joining(", "));
        var query = h.createQuery("INSERT INTO " + type.table() + " (" + columns + ") VALUES (" + params + ") RETURNING id");
        values.forEach(query::bind);
        return query.mapTo(Long.class).one();
    }

    static boolean update(Handle h, EntityType type, long id, Map<String, Object> values) {
        String sets = values.keySet().stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "));
        var update = h.createUpdate("UPDATE " + type.table() + " SET " + sets + " WHERE id = :id").bind("id", id);
        values.forEach(update::bind);
        return update.execute() == 1;
    }

    static boolean delete(Handle h, EntityType type, long id) {
        return h.createUpdate("DELETE FROM " + type.table() + " WHERE id = :id").bind("id", id).execute() == 1;
    }

    static Optional<ObjectNode> find(Handle h, EntityType type, long id) {
        return h.createQuery("SELECT * FROM " + type.table() + " WHERE id = :id")
                .bind("id", id).map(rowMapper(type)).findOne();
    }

    static boolean exists(Handle h, String table, long id) {
        return h.createQuery("SELECT 1 FROM " + table + " WHERE id = :id").bind("id", id).mapTo(Integer.class).findOne().isPresent();
    }

    /** Keyset pagination in id order: stable under concurrent inserts. */
    static Page<ObjectNode> list(Handle h, EntityType type, Map<String, Object> filters, int limit, Long after) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        filters.keySet().forEach(column -> where.append(" AND ").append(column).append(" = :").append(column));
        var count = h.createQuery("SELECT count(*) FROM " + type.table() + where);
        filters.forEach(count::bind);
        long total = count.mapTo(Long.class).one();

        String sql = "SELECT * FROM " + type.table() + where + (after == null ? "" : " AND id > :after")
                + " ORDER BY id LIMIT :limit";
        var query = h.createQuery(sql).bind("limit", limit + 1);
        filters.forEach(query::bind);
        if (after != null) query.bind("after", after);
        List<ObjectNode> rows = new ArrayList<>(query.map(rowMapper(type)).list());
        Long next = null;
        if (rows.size() > limit) {
            rows.remove(limit);
            next = rows.get(limit - 1).get("id").longValue();
        }
        return new Page<>(rows, total, next);
    }

    /** Every row whose {@code column} is one of {@code values}, in id order (chunks of 500 values per query). */
    static List<ObjectNode> listIn(Handle h, EntityType type, String column, List<Long> values) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int from = 0; from < values.size(); from += 500) {
            List<Long> chunk = values.subList(from, Math.min(values.size(), from + 500));
            rows.addAll(h.createQuery("SELECT * FROM " + type.table() + " WHERE " + column + " IN (<values>) ORDER BY id")
                    .bindList("values", chunk).map(rowMapper(type)).list());
        }
        if (values.size() > 500) rows.sort(java.util.Comparator.comparingLong(r -> r.get("id").longValue()));
        return rows;
    }

    static RowMapper<ObjectNode> rowMapper(EntityType type) {
        return (rs, ctx) -> toJson(type, rs);
    }

    static ObjectNode toJson(EntityType type, ResultSet rs) throws SQLException {
        ObjectNode row = Json.object();
        row.put("id", rs.getLong("id"));
        for (Field field : type.fields()) {
            String name = field.name();
            switch (field.type()) {
                case TEXT, ENUM -> row.put(name, rs.getString(name));
                case INTEGER, REF -> {
                    long value = rs.getLong(name);
                    if (rs.wasNull()) row.putNull(name); else row.put(name, value);
                }
                case NUMBER -> {
                    double value = rs.getDouble(name);
                    if (rs.wasNull()) row.putNull(name); else row.put(name, value);
                }
                case BOOLEAN -> row.put(name, rs.getBoolean(name));
                case TEXT_LIST, OBJECT -> {
                    String json = rs.getString(name);
                    if (json == null) row.putNull(name); else row.set(name, Json.parse(json));
                }
            }
        }
        row.put("created_at", Timestamps.format(Timestamps.read(rs, "created_at")));
        row.put("updated_at", Timestamps.format(Timestamps.read(rs, "updated_at")));
        return row;
    }
}
