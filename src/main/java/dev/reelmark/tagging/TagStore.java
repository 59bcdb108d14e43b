package dev.reelmark.tagging;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.json.Json;
import dev.reelmark.tagging.TagRecords.Backup;
import dev.reelmark.tagging.TagRecords.CacheRow;
import dev.reelmark.tagging.TagRecords.NewItem;
import dev.reelmark.tagging.TagRecords.Operation;
import dev.reelmark.tagging.TagRecords.OperationItem;
import dev.reelmark.tagging.TagRecords.PlanEdit;
import dev.reelmark.tagging.TagRecords.SegmentPerson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of the tagging feature; the same statements run on SQLite and PostgreSQL. */
final class TagStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private final Jdbi jdbi;

    TagStore(Database db) {
        this.jdbi = db.jdbi();
    }

    Jdbi jdbi() {
        return jdbi;
    }

    // ---- segment people ----

    List<SegmentPerson> people(long segmentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM segment_people WHERE segment_id = :s ORDER BY id")
                .bind("s", segmentId).map((rs, c) -> person(rs)).list());
    }

    Optional<SegmentPerson> personByName(long segmentId, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM segment_people WHERE segment_id = :s AND name = :n")
                .bind("s", segmentId).bind("n", name).map((rs, c) -> person(rs)).findOne());
    }

    SegmentPerson addPerson(long segmentId, String name) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("INSERT INTO segment_people (segment_id, name) VALUES (:s, :n) RETURNING id")
                    .bind("s", segmentId).bind("n", name).mapTo(Long.class).one();
            return h.createQuery("SELECT * FROM segment_people WHERE id = :id").bind("id", id).map((rs, c) -> person(rs)).one();
        });
    }

    boolean deletePerson(long segmentId, long id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM segment_people WHERE id = :id AND segment_id = :s")
                .bind("id", id).bind("s", segmentId).execute()) > 0;
    }

    Map<Long, List<String>> peopleBySegment() {
        Map<Long, List<String>> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT segment_id, name FROM segment_people ORDER BY id").map((rs, c) -> {
            out.computeIfAbsent(rs.getLong("segment_id"), k -> new ArrayList<>()).add(rs.getString("name"));
            return null;
        }).list());
        return out;
    }

    private static SegmentPerson person(ResultSet rs) throws SQLException {
        return new SegmentPerson(rs.getLong("id"), rs.getLong("segment_id"), rs.getString("name"), Timestamps.read(rs, "created_at"));
    }

    // ---- file cache ----

    Map<String, CacheRow> cache() {
        Map<String, CacheRow> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT path, size_bytes, mtime_ms, fingerprint, format_name, comment, probe_error, "
                        + "people_key, has_xmp, ctime_ms FROM tag_file_cache")
                .map((rs, c) -> new CacheRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9) == 1, rs.getLong(10)))
                .forEach(r -> out.put(r.path(), r)));
        return out;
    }

    void saveCache(Collection<CacheRow> rows) {
        if (rows.isEmpty()) return;
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO tag_file_cache (path, size_bytes, mtime_ms, fingerprint, format_name, comment, probe_error, "
                    + "people_key, has_xmp, ctime_ms) "
                    + "VALUES (:path, :size, :mtime, :fp, :format, :comment, :error, :people, :xmp, :ctime) ON CONFLICT (path) DO UPDATE SET "
                    + "size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, fingerprint = excluded.fingerprint, "
                    + "format_name = excluded.format_name, comment = excluded.comment, probe_error = excluded.probe_error, "
                    + "people_key = excluded.people_key, has_xmp = excluded.has_xmp, ctime_ms = excluded.ctime_ms");
            for (CacheRow r : rows) {
                batch.bind("path", r.path()).bind("size", r.sizeBytes()).bind("mtime", r.mtimeMs()).bind("fp", r.fingerprint())
                        .bind("format", r.formatName()).bind("comment", r.comment()).bind("error", r.probeError())
                        .bind("people", r.peopleKey()).bind("xmp", r.hasXmp() ? 1 : 0).bind("ctime", r.ctimeMs()).add();
            }
            batch.execute();
        });
    }

    void clearCache() {
        jdbi.useHandle(h -> h.execute("DELETE FROM tag_file_cache"));
    }

    /** Forgets what was read from these paths (the "re-read" action); returns how many were cached. */
    int forget(Collection<String> paths) {
        return jdbi.withHandle(h -> {
            int n = 0;
            for (String p : paths) n += h.createUpdate("DELETE FROM tag_file_cache WHERE path = :p").bind("p", p).execute();
            return n;
        });
    }

    // ---- plan edits ----

    Map<String, PlanEdit> edits() {
        Map<String, PlanEdit> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT fingerprint, result_people, skip, preserve_comment FROM tag_plan_edits")
                .map((rs, c) -> edit(rs)).forEach(e -> out.put(e.fingerprint(), e)));
        return out;
    }

    private static PlanEdit edit(ResultSet rs) throws SQLException {
        String people = rs.getString("result_people");
        Object preserve = rs.getObject("preserve_comment");
        return new PlanEdit(rs.getString("fingerprint"), people == null ? null : strings(people), rs.getInt("skip") == 1,
                preserve == null ? null : ((Number) preserve).intValue() == 1);
    }

    void saveEdit(PlanEdit e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO tag_plan_edits (fingerprint, result_people, skip, preserve_comment) "
                        + "VALUES (:fp, :people, :skip, :preserve) ON CONFLICT (fingerprint) DO UPDATE SET "
                        + "result_people = excluded.result_people, skip = excluded.skip, preserve_comment = excluded.preserve_comment")
                .bind("fp", e.fingerprint()).bind("people", e.resultPeople() == null ? null : Json.write(e.resultPeople()))
                .bind("skip", e.skip() ? 1 : 0).bind("preserve", e.preserveComment() == null ? null : e.preserveComment() ? 1 : 0)
                .execute());
    }

    void deleteEdit(String fingerprint) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM tag_plan_edits WHERE fingerprint = :fp").bind("fp", fingerprint).execute());
    }

    // ---- operations ----

    long createOperation(String type, Long rollbackOf, String note, List<NewItem> items) {
        return jdbi.inTransaction(h -> {
            int skipped = (int) items.stream().filter(i -> !i.status().equals("pending")).count();
            boolean dry = type.equals(TagService.DRY_RUN);
            long id = h.createQuery("INSERT INTO tag_operations (operation_type, rollback_of, user_note, file_count, skipped_count, dry_run) "
                            + "VALUES (:t, :r, :n, :c, :s, :d) RETURNING id")
                    .bind("t", dry ? "write" : type).bind("d", dry ? 1 : 0).bind("r", rollbackOf).bind("n", note).bind("c", items.size()).bind("s", skipped)
                    .mapTo(Long.class).one();
            var batch = h.prepareBatch("INSERT INTO tag_operation_items (operation_id, seq, file_hash, file_path, status, "
                    + "previous_comment, new_comment, tags_added, tags_removed, rollback_item_id, error_message, processed_at, "
                    + "people_target, previous_people, new_people) "
                    + "VALUES (:op, :seq, :hash, :path, :status, :prev, :new, :added, :removed, :rb, :err, :at, :pt, :pp, :np)");
            int seq = 0;
            for (NewItem i : items) {
                batch.bind("op", id).bind("seq", seq++).bind("hash", i.fileHash()).bind("path", i.filePath())
                        .bind("status", i.status()).bind("prev", i.previousComment()).bind("new", i.newComment())
                        .bind("added", Json.write(i.tagsAdded())).bind("removed", Json.write(i.tagsRemoved()))
                        .bind("rb", i.rollbackItemId()).bind("err", i.errorMessage())
                        .bind("at", i.status().equals("pending") ? null : Timestamps.now())
                        .bind("pt", i.peopleTarget()).bind("pp", i.previousPeople()).bind("np", i.newPeople()).add();
            }
            if (!items.isEmpty()) batch.execute();
            return id;
        });
    }

    void setJob(long opId, long jobId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tag_operations SET job_id = :j WHERE id = :id").bind("j", jobId).bind("id", opId).execute());
    }

    void setStatus(long opId, String status, boolean finished, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tag_operations SET status = :s, error_message = COALESCE(:e, error_message), "
                        + "completed_at = " + (finished ? ":now" : "NULL") + " WHERE id = :id")
                .bind("s", status).bind("e", error).bind("now", Timestamps.now()).bind("id", opId).execute());
    }

    /** Recounts the items into the operation's counters. */
    void recount(long opId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tag_operations SET "
                + "success_count = (SELECT COUNT(*) FROM tag_operation_items WHERE operation_id = :id AND status = 'success'), "
                + "failure_count = (SELECT COUNT(*) FROM tag_operation_items WHERE operation_id = :id AND status IN ('failed', 'conflict')), "
                + "skipped_count = (SELECT COUNT(*) FROM tag_operation_items WHERE operation_id = :id AND status = 'skipped') "
                + "WHERE id = :id").bind("id", opId).execute());
    }

    Optional<Operation> operation(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tag_operations WHERE id = :id").bind("id", id)
                .map((rs, c) -> operation(rs)).findOne());
    }

    Optional<Operation> operationByJob(long jobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tag_operations WHERE job_id = :id").bind("id", jobId)
                .map((rs, c) -> operation(rs)).findOne());
    }

    record HistoryFilter(Instant start, Instant end, String status, String type, String file, String person) {
    }

    record HistoryPage(List<Operation> items, long total) {
    }

    HistoryPage history(HistoryFilter f, int page, int perPage) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> binds = new LinkedHashMap<>();
        if (f.start() != null) {
            where.append(" AND o.started_at >= :start");
            binds.put("start", Timestamps.format(f.start()));
        }
        if (f.end() != null) {
            where.append(" AND o.started_at <= :end");
            binds.put("end", Timestamps.format(f.end()));
        }
        if (f.status() != null) {
            where.append(" AND o.status = :status");
            binds.put("status", f.status());
        }
        // dry runs wrote nothing: listed only when asked for (type=dry_run)
        if (f.type() == null) where.append(" AND o.dry_run = 0");
        if (f.type() != null) {
            boolean dry = f.type().equals(TagService.DRY_RUN);
            where.append(" AND o.operation_type = :type AND o.dry_run = ").append(dry ? 1 : 0);
            binds.put("type", dry ? "write" : f.type());
        }
        if (f.file() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM tag_operation_items i WHERE i.operation_id = o.id AND "
                    + "(i.file_hash = :file OR i.file_hash_after = :file OR LOWER(i.file_path) LIKE :filelike))");
            binds.put("file", f.file());
            binds.put("filelike", "%" + f.file().toLowerCase() + "%");
        }
        if (f.person() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM tag_operation_items i WHERE i.operation_id = o.id AND "
                    + "(LOWER(CAST(i.tags_added AS TEXT)) LIKE :person OR LOWER(CAST(i.tags_removed AS TEXT)) LIKE :person "
                    + "OR LOWER(i.new_comment) LIKE :personline OR LOWER(i.new_people) LIKE :personkey))");
            binds.put("personkey", "%" + f.person().toLowerCase() + "%");
            String json = Json.write(f.person().toLowerCase());
            binds.put("person", "%" + json + "%");
            binds.put("personline", "%people:%" + f.person().toLowerCase() + "%");
        }
        return jdbi.withHandle(h -> {
            Query count = h.createQuery("SELECT COUNT(*) FROM tag_operations o" + where);
            binds.forEach(count::bind);
            long total = count.mapTo(Long.class).one();
            Query q = h.createQuery("SELECT o.* FROM tag_operations o" + where + " ORDER BY o.id DESC LIMIT :limit OFFSET :offset");
            binds.forEach(q::bind);
            q.bind("limit", perPage).bind("offset", (long) (page - 1) * perPage);
            return new HistoryPage(q.map((rs, c) -> operation(rs)).list(), total);
        });
    }

    private static Operation operation(ResultSet rs) throws SQLException {
        String type = rs.getInt("dry_run") == 1 ? TagService.DRY_RUN : rs.getString("operation_type");
        return new Operation(rs.getLong("id"), type, rs.getString("status"), longOrNull(rs, "job_id"),
                longOrNull(rs, "rollback_of"), rs.getInt("file_count"), rs.getInt("success_count"), rs.getInt("failure_count"),
                rs.getInt("skipped_count"), rs.getString("error_message"), rs.getString("user_note"),
                Timestamps.read(rs, "started_at"), Timestamps.read(rs, "completed_at"), Timestamps.read(rs, "updated_at"));
    }

    /** Paths with an item still to be written by an operation that has not finished (so no second one starts on them). */
    Map<String, Long> busyPaths() {
        Map<String, Long> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT i.file_path, i.operation_id FROM tag_operation_items i JOIN tag_operations o "
                        + "ON o.id = i.operation_id WHERE i.status IN ('pending', 'writing') AND o.status IN ('pending', 'in_progress', 'paused') "
                        + "AND o.dry_run = 0")
                .map((rs, c) -> {
                    out.put(rs.getString(1), rs.getLong(2));
                    return null;
                }).list());
        return out;
    }

    // ---- items and backups ----

    List<OperationItem> items(long opId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT i.*, (SELECT COUNT(*) FROM metadata_history b WHERE b.operation_item_id = i.id) AS backups "
                        + "FROM tag_operation_items i WHERE i.operation_id = :op ORDER BY i.seq")
                .bind("op", opId).map((rs, c) -> item(rs)).list());
    }

    Optional<OperationItem> item(long itemId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT i.*, (SELECT COUNT(*) FROM metadata_history b WHERE b.operation_item_id = i.id) AS backups "
                        + "FROM tag_operation_items i WHERE i.id = :id")
                .bind("id", itemId).map((rs, c) -> item(rs)).findOne());
    }

    private static OperationItem item(ResultSet rs) throws SQLException {
        return new OperationItem(rs.getLong("id"), rs.getLong("operation_id"), rs.getInt("seq"), rs.getString("file_hash"),
                rs.getString("file_hash_after"), rs.getString("file_path"), rs.getString("status"),
                rs.getString("previous_comment"), rs.getString("new_comment"), strings(rs.getString("tags_added")),
                strings(rs.getString("tags_removed")), longOrNull(rs, "rollback_item_id"), rs.getString("error_message"),
                Timestamps.read(rs, "processed_at"), rs.getLong("backups") > 0, rs.getString("write_path"),
                rs.getString("people_target"), rs.getString("previous_people"), rs.getString("new_people"),
                checks(rs.getString("checks")));
    }

    private static final TypeReference<List<TagWriter.Check>> CHECKS = new TypeReference<>() {
    };

    private static List<TagWriter.Check> checks(String json) {
        if (json == null) return null;
        try {
            return Json.MAPPER.readValue(json, CHECKS);
        } catch (Exception e) {
            throw new IllegalStateException("not a JSON array of checks: " + json, e);
        }
    }

    /** The outcome of one dry-run item: ok (success) or failed, with its checks. */
    void finishCheck(long itemId, boolean ok, String error, List<TagWriter.Check> checks) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tag_operation_items SET status = :s, error_message = :e, checks = :c, "
                        + "processed_at = :now WHERE id = :i")
                .bind("s", ok ? "success" : "failed").bind("e", error).bind("c", Json.write(checks))
                .bind("now", Timestamps.now()).bind("i", itemId).execute());
    }

    /** Saves the backup (once per item) and marks the item as being written, in one transaction. */
    void backupAndMarkWriting(long itemId, String fileHash, String originalComment, String probeJson) {
        jdbi.useTransaction(h -> {
            long existing = h.createQuery("SELECT COUNT(*) FROM metadata_history WHERE operation_item_id = :i")
                    .bind("i", itemId).mapTo(Long.class).one();
            if (existing == 0) {
                h.createUpdate("INSERT INTO metadata_history (operation_item_id, file_hash, original_comment, original_metadata_json) "
                                + "VALUES (:i, :h, :c, :j)")
                        .bind("i", itemId).bind("h", fileHash).bind("c", originalComment).bind("j", probeJson).execute();
            }
            h.createUpdate("UPDATE tag_operation_items SET status = 'writing' WHERE id = :i").bind("i", itemId).execute();
        });
    }

    void finishItem(long itemId, String status, String error, String hashAfter) {
        finishItem(itemId, status, error, hashAfter, null);
    }

    /** {@code writePath}: how the file was written (in_place, moov_rewritten, shifted, tags_extended, tags_moved, remux), null when it was not. */
    void finishItem(long itemId, String status, String error, String hashAfter, String writePath) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tag_operation_items SET status = :s, error_message = :e, "
                        + "file_hash_after = COALESCE(:a, file_hash_after), write_path = COALESCE(:w, write_path), processed_at = :now WHERE id = :i")
                .bind("s", status).bind("e", error).bind("a", hashAfter).bind("w", writePath).bind("now", Timestamps.now())
                .bind("i", itemId).execute());
    }

    // ---- batches (a parallel write records each batch of files in one transaction) ----

    /** The items of an operation with {@code from <= seq < to}, in order. */
    List<OperationItem> items(long opId, int from, int to) {
        return jdbi.withHandle(h -> h.createQuery("SELECT i.*, (SELECT COUNT(*) FROM metadata_history b WHERE b.operation_item_id = i.id) AS backups "
                        + "FROM tag_operation_items i WHERE i.operation_id = :op AND i.seq >= :from AND i.seq < :to ORDER BY i.seq")
                .bind("op", opId).bind("from", from).bind("to", to).map((rs, c) -> item(rs)).list());
    }

    /** One item's backup: the file's fingerprint, its comment and its full probe before the write. */
    record BackupRow(long itemId, String fileHash, String originalComment, String probeJson) {
    }

    /** {@link #backupAndMarkWriting} for a batch of items, in one transaction (an item's backup is still saved once). */
    void backupAndMarkWriting(List<BackupRow> rows) {
        if (rows.isEmpty()) return;
        jdbi.useTransaction(h -> {
            for (BackupRow r : rows) {
                long existing = h.createQuery("SELECT COUNT(*) FROM metadata_history WHERE operation_item_id = :i")
                        .bind("i", r.itemId()).mapTo(Long.class).one();
                if (existing == 0) {
                    h.createUpdate("INSERT INTO metadata_history (operation_item_id, file_hash, original_comment, original_metadata_json) "
                                    + "VALUES (:i, :h, :c, :j)")
                            .bind("i", r.itemId()).bind("h", r.fileHash()).bind("c", r.originalComment()).bind("j", r.probeJson()).execute();
                }
            }
            var mark = h.prepareBatch("UPDATE tag_operation_items SET status = 'writing' WHERE id = :i");
            for (BackupRow r : rows) mark.bind("i", r.itemId()).add();
            mark.execute();
        });
    }

    /** One item's outcome ({@link #finishItem}). */
    record Finish(long itemId, String status, String error, String hashAfter, String writePath) {
    }

    /** {@link #finishItem} for a batch of items, in one transaction. */
    void finishItems(List<Finish> rows) {
        if (rows.isEmpty()) return;
        String now = Timestamps.now();
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("UPDATE tag_operation_items SET status = :s, error_message = :e, "
                    + "file_hash_after = COALESCE(:a, file_hash_after), write_path = COALESCE(:w, write_path), processed_at = :now WHERE id = :i");
            for (Finish f : rows) {
                batch.bind("s", f.status()).bind("e", f.error()).bind("a", f.hashAfter()).bind("w", f.writePath()).bind("now", now)
                        .bind("i", f.itemId()).add();
            }
            batch.execute();
        });
    }

    /** Puts items marked writing but never started (a pause or cancel came first) back to pending. */
    void markPending(List<Long> itemIds) {
        if (itemIds.isEmpty()) return;
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("UPDATE tag_operation_items SET status = 'pending' WHERE id = :i AND status = 'writing'");
            for (long id : itemIds) batch.bind("i", id).add();
            batch.execute();
        });
    }

    /** {@link #deleteEdit} for many fingerprints, in one transaction. */
    void deleteEdits(List<String> fingerprints) {
        if (fingerprints.isEmpty()) return;
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("DELETE FROM tag_plan_edits WHERE fingerprint = :fp");
            for (String fp : fingerprints) batch.bind("fp", fp).add();
            batch.execute();
        });
    }

    /** Marks every pending item of a cancelled operation as skipped. */
    void skipPending(long opId, String reason) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tag_operation_items SET status = 'skipped', error_message = :e, processed_at = :now "
                        + "WHERE operation_id = :op AND status = 'pending'")
                .bind("e", reason).bind("now", Timestamps.now()).bind("op", opId).execute());
    }

    Optional<Backup> backupOf(long itemId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM metadata_history WHERE operation_item_id = :i").bind("i", itemId)
                .map((rs, c) -> new Backup(rs.getLong("id"), rs.getLong("operation_item_id"), rs.getString("file_hash"),
                        Timestamps.read(rs, "backup_timestamp"), rs.getString("original_comment"),
                        rs.getString("original_metadata_json")))
                .findOne());
    }

    int deleteBackupsBefore(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM metadata_history WHERE backup_timestamp < :c")
                .bind("c", Timestamps.format(cutoff)).execute());
    }

    /** Operations whose job is gone or not running but which never reached an end status (after a crash). */
    List<Operation> unfinished() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tag_operations WHERE status IN ('pending', 'in_progress', 'paused') ORDER BY id")
                .map((rs, c) -> operation(rs)).list());
    }

    static List<String> strings(String json) {
        if (json == null) return List.of();
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (Exception e) {
            throw new IllegalStateException("not a JSON array of strings: " + json, e);
        }
    }

    private static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    void withHandle(java.util.function.Consumer<Handle> c) {
        jdbi.useHandle(c::accept);
    }
}
