package dev.reelmark.metadata;

import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of {@code metadata_generations} (V3__metadata.sql); the only class that touches that table. */
final class MetadataStore {
    private static final RowMapper<MetadataGeneration> MAPPER = (rs, ctx) -> new MetadataGeneration(
            rs.getString("entity_type"), rs.getLong("entity_id"), rs.getString("file_type"), rs.getString("file_path"),
            Timestamps.format(Timestamps.read(rs, "generated_at")), Timestamps.format(Timestamps.read(rs, "source_updated_at")),
            rs.getString("source_digest"), rs.getString("schema_version"), rs.getString("file_hash"),
            Timestamps.format(Timestamps.read(rs, "created_at")), Timestamps.format(Timestamps.read(rs, "updated_at")),
            MediaUse.read(rs.getString("media")));

    private final Jdbi jdbi;

    MetadataStore(Database db) {
        this.jdbi = db.jdbi();
    }

    /** The row as stored after an upsert, and the file path it had before (null when new). */
    record Upserted(MetadataGeneration row, String previousPath) {
    }

    /** One row to record. */
    record Row(String entityType, long entityId, String fileType, String filePath, String generatedAt,
               String sourceUpdatedAt, String sourceDigest, String schemaVersion, String fileHash, List<MediaUse> media) {
        Row(String entityType, long entityId, String fileType, String filePath, String generatedAt,
            String sourceUpdatedAt, String sourceDigest, String schemaVersion, String fileHash) {
            this(entityType, entityId, fileType, filePath, generatedAt, sourceUpdatedAt, sourceDigest, schemaVersion, fileHash, null);
        }
    }

    /**
     * Inserts or replaces the rows of (entity_type, entity_id, file_type) in one transaction and returns them as
     * stored, in order. An existing row is only replaced by a generation at least as new as its own.
     */
    List<Upserted> upsertAll(List<Row> rows) {
        if (rows.isEmpty()) return List.of();
        return jdbi.inTransaction(h -> {
            Map<String, MetadataGeneration> before = new HashMap<>();
            rows.stream().collect(java.util.stream.Collectors.groupingBy(r -> r.entityType() + "\u0000" + r.fileType()))
                    .forEach((group, list) -> {
                        Row first = list.get(0);
                        List<Long> ids = list.stream().map(Row::entityId).distinct().toList();
                        for (int from = 0; from < ids.size(); from += 500) {
                            h.createQuery("SELECT * FROM metadata_generations WHERE entity_type = :t AND file_type = :f"
                                            + " AND entity_id IN (<ids>)").bind("t", first.entityType()).bind("f", first.fileType())
                                    .bindList("ids", ids.subList(from, Math.min(ids.size(), from + 500))).map(MAPPER)
                                    .forEach(g -> before.put(key(g.entityType(), g.entityId(), g.fileType()), g));
                        }
                    });
            List<Upserted> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                int changed = h.createUpdate("INSERT INTO metadata_generations (entity_type, entity_id, file_type, file_path, generated_at,"
                                + " source_updated_at, source_digest, schema_version, file_hash, media)"
                                + " VALUES (:entity_type, :entity_id, :file_type, :file_path, :generated_at, :source_updated_at,"
                                + " :source_digest, :schema_version, :file_hash, :media)"
                                + " ON CONFLICT (entity_type, entity_id, file_type) DO UPDATE SET file_path = excluded.file_path,"
                                + " generated_at = excluded.generated_at, source_updated_at = excluded.source_updated_at,"
                                + " source_digest = excluded.source_digest, schema_version = excluded.schema_version,"
                                + " file_hash = excluded.file_hash, media = excluded.media"
                                + " WHERE metadata_generations.generated_at <= excluded.generated_at")
                        .bind("entity_type", r.entityType()).bind("entity_id", r.entityId()).bind("file_type", r.fileType())
                        .bind("file_path", r.filePath()).bind("generated_at", r.generatedAt())
                        .bind("source_updated_at", r.sourceUpdatedAt()).bind("source_digest", r.sourceDigest())
                        .bind("schema_version", r.schemaVersion()).bind("file_hash", r.fileHash())
                        .bind("media", r.media() == null ? null : MediaUse.write(r.media()))
                        .execute();
                MetadataGeneration previous = before.get(key(r.entityType(), r.entityId(), r.fileType()));
                // Replaced (or new): the row is what was written; otherwise a newer generation stays, unchanged.
                MetadataGeneration stored = changed > 0
                        ? new MetadataGeneration(r.entityType(), r.entityId(), r.fileType(), r.filePath(), r.generatedAt(),
                        r.sourceUpdatedAt(), r.sourceDigest(), r.schemaVersion(), r.fileHash(),
                        previous == null ? null : previous.createdAt(), null, r.media())
                        : previous;
                out.add(new Upserted(stored, previous == null ? null : previous.filePath()));
                before.put(key(r.entityType(), r.entityId(), r.fileType()), stored);
            }
            return out;
        });
    }

    /** {@link #upsertAll} of one row. */
    Upserted upsert(String entityType, long entityId, String fileType, String filePath, String generatedAt,
                    String sourceUpdatedAt, String sourceDigest, String schemaVersion, String fileHash) {
        Upserted up = upsertAll(List.of(new Row(entityType, entityId, fileType, filePath, generatedAt, sourceUpdatedAt,
                sourceDigest, schemaVersion, fileHash))).get(0);
        return new Upserted(find(entityType, entityId, fileType).orElseThrow(), up.previousPath());
    }

    private static String key(String entityType, long entityId, String fileType) {
        return entityType + ":" + entityId + ":" + fileType;
    }

    Optional<MetadataGeneration> find(String entityType, long entityId, String fileType) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM metadata_generations WHERE entity_type = :t AND entity_id = :id AND file_type = :f")
                .bind("t", entityType).bind("id", entityId).bind("f", fileType).map(MAPPER).findOne());
    }

    /** The rows of these entities of one type, by entity id. */
    Map<Long, MetadataGeneration> findAll(String entityType, String fileType, Collection<Long> ids) {
        Map<Long, MetadataGeneration> result = new HashMap<>();
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            jdbi.useHandle(h -> h.createQuery("SELECT * FROM metadata_generations WHERE entity_type = :t AND file_type = :f"
                            + " AND entity_id IN (<ids>)")
                    .bind("t", entityType).bind("f", fileType).bindList("ids", chunk).map(MAPPER)
                    .forEach(g -> result.put(g.entityId(), g)));
        }
        return result;
    }

    List<MetadataGeneration> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM metadata_generations ORDER BY id").map(MAPPER).list());
    }

    void delete(String entityType, long entityId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM metadata_generations WHERE entity_type = :t AND entity_id = :id")
                .bind("t", entityType).bind("id", entityId).execute());
    }
}
