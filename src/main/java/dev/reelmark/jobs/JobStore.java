package dev.reelmark.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The SQL behind jobs, for both vendors. Every write is one conditional UPDATE (so state rules hold under
 * concurrency) followed, in the same transaction, by a read of the row: SQLite's RETURNING does not show what the
 * updated_at trigger wrote, so rows are always read back.
 *
 * <p>Timestamps the runner writes (heartbeat, started, finished) come from the database clock, so runners on
 * several hosts sharing one PostgreSQL agree on what "stale" means.
 */
final class JobStore {
    static final String COLUMNS = "id, kind, status, params, state, result, error, progress_done, progress_total, "
            + "current_item, claimed_by, heartbeat_at, attempts, created_at, updated_at, started_at, finished_at";

    private final Database db;
    private final Vendor vendor;
    /** The database clock as an SQL expression producing the column's timestamp type. */
    private final String now;

    JobStore(Database db) {
        this.db = db;
        this.vendor = db.vendor();
        this.now = vendor == Vendor.POSTGRESQL ? "clock_timestamp()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
    }

    Database database() {
        return db;
    }

    // ---- reads ----

    Optional<Job> find(long id) {
        return db.jdbi().withHandle(h -> find(h, id));
    }

    private static Optional<Job> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    JobPage list(JobStatus status, String kind, int limit, Long after, boolean newestFirst) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (status != null) where.append(" AND status = :status");
        if (kind != null) where.append(" AND kind = :kind");
        return db.jdbi().withHandle(h -> {
            var count = h.createQuery("SELECT count(*) FROM jobs" + where);
            bindFilters(count, status, kind);
            long total = count.mapTo(Long.class).one();
            var query = h.createQuery("SELECT " + COLUMNS + " FROM jobs" + where
                    + (after != null ? (newestFirst ? " AND id < :after" : " AND id > :after") : "")
                    + (newestFirst ? " ORDER BY id DESC" : " ORDER BY id") + " LIMIT :limit");
            bindFilters(query, status, kind);
            if (after != null) query.bind("after", after.longValue());
            List<Job> rows = query.bind("limit", limit + 1).map((rs, ctx) -> map(rs)).list();
            boolean more = rows.size() > limit;
            List<Job> items = more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows);
            Long nextAfter = more ? items.get(items.size() - 1).id() : null;
            return new JobPage(items, total, nextAfter);
        });
    }

    private static void bindFilters(SqlStatement<?> statement, JobStatus status, String kind) {
        if (status != null) statement.bind("status", status.value());
        if (kind != null) statement.bind("kind", kind);
    }

    /** Whether a claimable job of one of these kinds exists: a cheap read before the claiming write. */
    boolean hasClaimable(Collection<String> kinds) {
        if (kinds.isEmpty()) return false;
        return db.jdbi().withHandle(h -> {
            var q = h.createQuery("SELECT id FROM jobs WHERE status = 'queued' AND claimed_by IS NULL AND kind IN ("
                    + placeholders("k", kinds.size()) + ") ORDER BY id LIMIT 1");
            bindAll(q, "k", kinds);
            return q.mapTo(Long.class).findOne().isPresent();
        });
    }

    // ---- writes by the service ----

    Job insert(String kind, JsonNode params) {
        return db.jdbi().inTransaction(h -> {
            long id = h.createQuery("INSERT INTO jobs (kind, status, params) VALUES (:kind, 'queued', :params) RETURNING id")
                    .bind("kind", kind)
                    .bind("params", Json.write(params))
                    .mapTo(Long.class).one();
            return find(h, id).orElseThrow();
        });
    }

    /** Sets {@code status} when the job is in one of {@code from}; empty when it is not (or does not exist). */
    Optional<Job> transition(long id, Collection<JobStatus> from, JobStatus to, boolean finish) {
        String sql = "UPDATE jobs SET status = :to" + (finish ? ", finished_at = " + now : "")
                + " WHERE id = :id AND status IN (" + placeholders("s", from.size()) + ") RETURNING id";
        return updateOne(sql, u -> {
            u.bind("to", to.value()).bind("id", id);
            bindAll(u, "s", from.stream().map(JobStatus::value).toList());
        });
    }

    // ---- writes by a runner ----

    /** Atomically takes the oldest claimable job of one of {@code kinds}. */
    Optional<Job> claim(String runner, Collection<String> kinds) {
        if (kinds.isEmpty()) return Optional.empty();
        String pick = "SELECT id FROM jobs WHERE status = 'queued' AND claimed_by IS NULL AND kind IN ("
                + placeholders("k", kinds.size()) + ") ORDER BY id LIMIT 1"
                + (vendor == Vendor.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
        String sql = "UPDATE jobs SET status = 'running', claimed_by = :runner, heartbeat_at = " + now
                + ", started_at = COALESCE(started_at, " + now + "), attempts = attempts + 1, error = NULL"
                + " WHERE id = (" + pick + ") AND status = 'queued' AND claimed_by IS NULL RETURNING id";
        return updateOne(sql, u -> {
            u.bind("runner", runner);
            bindAll(u, "k", kinds);
        });
    }

    /**
     * Saves progress (and state when {@code saveState}) of a job this runner owns, refreshing its heartbeat. Empty
     * when the runner no longer owns it. The returned status tells the caller whether to go on.
     */
    Optional<Job> saveProgress(long id, String runner, Long total, long done, String currentItem,
                               boolean saveState, JsonNode state) {
        String sql = "UPDATE jobs SET progress_done = :done, current_item = :item, heartbeat_at = " + now
                + (total != null ? ", progress_total = :total" : "")
                + (saveState ? ", state = :state" : "")
                + " WHERE id = :id AND claimed_by = :runner RETURNING id";
        return updateOne(sql, u -> {
            u.bind("done", done).bind("item", currentItem).bind("id", id).bind("runner", runner);
            if (total != null) u.bind("total", total.longValue());
            if (saveState) u.bind("state", jsonText(state));
        });
    }

    /** Completes a job this runner owns unless it was cancelled meanwhile. */
    Optional<Job> complete(long id, String runner, long total, String currentItem, JsonNode result) {
        String sql = "UPDATE jobs SET status = 'completed', result = :result, error = NULL, progress_total = :total,"
                + " progress_done = :total, current_item = :item, claimed_by = NULL, finished_at = " + now
                + " WHERE id = :id AND claimed_by = :runner AND status IN ('running', 'paused', 'queued') RETURNING id";
        return updateOne(sql, u -> u.bind("result", jsonText(result)).bind("total", total).bind("item", currentItem)
                .bind("id", id).bind("runner", runner));
    }

    /** Fails a job this runner owns unless it was cancelled meanwhile. */
    Optional<Job> fail(long id, String runner, String error) {
        String sql = "UPDATE jobs SET status = 'failed', error = :error, claimed_by = NULL, finished_at = " + now
                + " WHERE id = :id AND claimed_by = :runner AND status IN ('running', 'paused', 'queued') RETURNING id";
        return updateOne(sql, u -> u.bind("error", error).bind("id", id).bind("runner", runner));
    }

    /** Gives a job up: a running one goes back to the queue, a paused/queued/cancelled one keeps its status. */
    Optional<Job> release(long id, String runner) {
        String sql = "UPDATE jobs SET claimed_by = NULL, status = CASE WHEN status = 'running' THEN 'queued' ELSE status END"
                + " WHERE id = :id AND claimed_by = :runner RETURNING id";
        return updateOne(sql, u -> u.bind("id", id).bind("runner", runner));
    }

    /** {@link #release} for every job the runner still owns. */
    List<Job> releaseAll(String runner) {
        String sql = "UPDATE jobs SET claimed_by = NULL, status = CASE WHEN status = 'running' THEN 'queued' ELSE status END"
                + " WHERE claimed_by = :runner RETURNING id";
        return updateMany(sql, u -> u.bind("runner", runner));
    }

    int heartbeat(String runner, Collection<Long> ids) {
        if (ids.isEmpty()) return 0;
        return db.jdbi().withHandle(h -> {
            var u = h.createUpdate("UPDATE jobs SET heartbeat_at = " + now + " WHERE claimed_by = :runner AND id IN ("
                    + placeholders("i", ids.size()) + ")");
            u.bind("runner", runner);
            bindAll(u, "i", ids);
            return u.execute();
        });
    }

    /**
     * Frees every claim whose heartbeat is older than {@code staleAfter}: running jobs go back to the queue (keeping
     * their state and progress), other statuses just lose the dead owner.
     */
    List<Job> recoverStale(Duration staleAfter) {
        String cutoff = vendor == Vendor.POSTGRESQL
                ? "clock_timestamp() - make_interval(secs => :secs)"
                : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', :modifier)";
        String sql = "UPDATE jobs SET claimed_by = NULL, status = CASE WHEN status = 'running' THEN 'queued' ELSE status END"
                + " WHERE claimed_by IS NOT NULL AND (heartbeat_at IS NULL OR heartbeat_at < " + cutoff + ") RETURNING id";
        double secs = staleAfter.toMillis() / 1000.0;
        return updateMany(sql, u -> {
            if (vendor == Vendor.POSTGRESQL) u.bind("secs", secs);
            else u.bind("modifier", String.format(Locale.ROOT, "-%.3f seconds", secs));
        });
    }

    // ---- plumbing ----

    private Optional<Job> updateOne(String sql, Consumer<SqlStatement<?>> binder) {
        return db.jdbi().inTransaction(h -> {
            var q = h.createQuery(sql);
            binder.accept(q);
            Optional<Long> id = q.mapTo(Long.class).findFirst();
            return id.flatMap(i -> find(h, i));
        });
    }

    private List<Job> updateMany(String sql, Consumer<SqlStatement<?>> binder) {
        return db.jdbi().inTransaction(h -> {
            var q = h.createQuery(sql);
            binder.accept(q);
            List<Long> ids = q.mapTo(Long.class).list();
            List<Job> jobs = new ArrayList<>(ids.size());
            for (long id : ids) find(h, id).ifPresent(jobs::add);
            return jobs;
        });
    }

    private static String placeholders(String prefix, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(i == 0 ? ":" : ", :").append(prefix).append(i);
        return sb.toString();
    }

    private static void bindAll(SqlStatement<?> statement, String prefix, Collection<?> values) {
        int i = 0;
        for (Object v : values) statement.bind(prefix + i++, v);
    }

    private static String jsonText(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : Json.write(node);
    }

    static Job map(ResultSet rs) throws SQLException {
        long total = rs.getLong("progress_total");
        Long progressTotal = rs.wasNull() ? null : total;
        return new Job(
                rs.getLong("id"),
                rs.getString("kind"),
                JobStatus.of(rs.getString("status")),
                json(rs, "params"),
                json(rs, "state"),
                json(rs, "result"),
                rs.getString("error"),
                rs.getLong("progress_done"),
                progressTotal,
                rs.getString("current_item"),
                rs.getString("claimed_by"),
                Timestamps.read(rs, "heartbeat_at"),
                rs.getInt("attempts"),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"),
                Timestamps.read(rs, "started_at"),
                Timestamps.read(rs, "finished_at"));
    }

    private static JsonNode json(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : Json.parse(text);
    }
}
