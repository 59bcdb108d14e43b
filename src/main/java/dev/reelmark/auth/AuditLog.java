package dev.reelmark.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.json.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The append-only audit log: one row per write (triggers refuse UPDATE and DELETE), and its search. */
public final class AuditLog {
    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /** One write: who, how, what (method, route pattern, entity and ids), the outcome and a short summary. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(long id, Instant at, String actor, String via, String method, String route, String path,
                        String entity, String entityId, JsonNode entityIds, int status, JsonNode summary) {
    }

    /** A new row, before it is stored. */
    public record NewEntry(String actor, String via, String method, String route, String path, String entity,
                           String entityId, ObjectNode entityIds, int status, ObjectNode summary) {
    }

    /** Filters of a search; null means any. */
    public record Filter(String actor, String entity, String entityId, Instant from, Instant to) {
    }

    /** A page of entries, newest first; {@code nextBefore} continues it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record EntryPage(List<Entry> items, long total, Long nextBefore) {
    }

    public long append(NewEntry e) {
        return db.jdbi().withHandle(h -> h.createQuery("INSERT INTO audit_log "
                        + "(actor, via, method, route, path, entity, entity_id, entity_ids, status, summary) VALUES "
                        + "(:actor, :via, :method, :route, :path, :entity, :entityId, :ids, :status, :summary) RETURNING id")
                .bind("actor", e.actor()).bind("via", e.via()).bind("method", e.method()).bind("route", e.route())
                .bind("path", e.path()).bind("entity", e.entity()).bind("entityId", e.entityId())
                .bind("ids", Json.write(e.entityIds() == null ? Json.object() : e.entityIds()))
                .bind("status", e.status())
                .bind("summary", Json.write(e.summary() == null ? Json.object() : e.summary()))
                .mapTo(Long.class).one());
    }

    public EntryPage search(Filter f, int limit, Long before) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> binds = new LinkedHashMap<>();
        if (f.actor() != null) {
            where.append(" AND actor = :actor");
            binds.put("actor", f.actor());
        }
        if (f.entity() != null) {
            where.append(" AND entity = :entity");
            binds.put("entity", f.entity());
        }
        if (f.entityId() != null) {
            where.append(" AND entity_id = :entityId");
            binds.put("entityId", f.entityId());
        }
        if (f.from() != null) {
            where.append(" AND at >= :from");
            binds.put("from", Timestamps.format(f.from()));
        }
        if (f.to() != null) {
            where.append(" AND at < :to");
            binds.put("to", Timestamps.format(f.to()));
        }
        return db.jdbi().withHandle(h -> {
            var count = h.createQuery("SELECT COUNT(*) FROM audit_log" + where);
            binds.forEach(count::bind);
            long total = count.mapTo(Long.class).one();
            var q = h.createQuery("SELECT id, at, actor, via, method, route, path, entity, entity_id, entity_ids, status, summary "
                    + "FROM audit_log" + where + (before != null ? " AND id < :before" : "") + " ORDER BY id DESC LIMIT :limit");
            binds.forEach(q::bind);
            if (before != null) q.bind("before", before);
            q.bind("limit", limit + 1);
            List<Entry> rows = new ArrayList<>(q.map((rs, c) -> new Entry(rs.getLong("id"), Timestamps.read(rs, "at"),
                    rs.getString("actor"), rs.getString("via"), rs.getString("method"), rs.getString("route"),
                    rs.getString("path"), rs.getString("entity"), rs.getString("entity_id"),
                    Json.parse(rs.getString("entity_ids")), rs.getInt("status"), Json.parse(rs.getString("summary"))))
                    .list());
            Long next = null;
            if (rows.size() > limit) {
                rows = new ArrayList<>(rows.subList(0, limit));
                next = rows.get(rows.size() - 1).id();
            }
            return new EntryPage(rows, total, next);
        });
    }
}
