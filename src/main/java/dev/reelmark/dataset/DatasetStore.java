package dev.reelmark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code dataset_exports}, for both vendors. */
final class DatasetStore {
    private static final String COLUMNS = "id, project_id, name, config_json, manifest_json, file_path, file_size_bytes, "
            + "sample_count, failed_count, status, job_id, error, completed_at, created_at, updated_at, warnings_json";
    private final Database db;
    private final String now;

    DatasetStore(Database db) {
        this.db = db;
        this.now = db.vendor() == Vendor.POSTGRESQL ? "clock_timestamp()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
    }

    DatasetExport insert(long projectId, String name, JsonNode config) {
        return db.jdbi().inTransaction(h -> {
            long id = h.createQuery("INSERT INTO dataset_exports (project_id, name, config_json) VALUES (:p, :n, :c) RETURNING id")
                    .bind("p", projectId).bind("n", name).bind("c", Json.write(config)).mapTo(Long.class).one();
            return find(h, id, true).orElseThrow();
        });
    }

    void setJob(long id, long jobId) {
        update("UPDATE dataset_exports SET job_id = :job WHERE id = :id", id, "job", jobId);
    }

    void status(long id, String status, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE dataset_exports SET status = :s, error = :e"
                        + (status.equals("completed") || status.equals("failed") || status.equals("cancelled") ? ", completed_at = " + now : "")
                        + " WHERE id = :id")
                .bind("s", status).bind("e", error).bind("id", id).execute());
    }

    void warnings(long id, JsonNode warnings) {
        update("UPDATE dataset_exports SET warnings_json = :w WHERE id = :id", id, "w", Json.write(warnings));
    }

    void complete(long id, JsonNode manifest, String filePath, long size, int samples, int failed) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE dataset_exports SET status = 'completed', error = NULL, manifest_json = :m, "
                        + "file_path = :f, file_size_bytes = :size, sample_count = :n, failed_count = :failed, completed_at = " + now
                        + " WHERE id = :id")
                .bind("m", Json.write(manifest)).bind("f", filePath).bind("size", size).bind("n", samples)
                .bind("failed", failed).bind("id", id).execute());
    }

    List<DatasetExport> list(long projectId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS.replace("manifest_json", "NULL AS manifest_json")
                        + " FROM dataset_exports WHERE project_id = :p ORDER BY id DESC")
                .bind("p", projectId).map((rs, ctx) -> map(rs)).list());
    }

    Optional<DatasetExport> find(long id, boolean withManifest) {
        return db.jdbi().withHandle(h -> find(h, id, withManifest));
    }

    private static Optional<DatasetExport> find(Handle h, long id, boolean withManifest) {
        String cols = withManifest ? COLUMNS : COLUMNS.replace("manifest_json", "NULL AS manifest_json");
        return h.createQuery("SELECT " + cols + " FROM dataset_exports WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    private void update(String sql, long id, String name, Object value) {
        db.jdbi().useHandle(h -> h.createUpdate(sql).bind("id", id).bind(name, value).execute());
    }

    private static DatasetExport map(ResultSet rs) throws SQLException {
        String manifest = rs.getString("manifest_json");
        long id = rs.getLong("id");
        long project = rs.getLong("project_id");
        String status = rs.getString("status");
        JsonNode config = Json.parse(rs.getString("config_json"));
        // a WebDataset export is a folder: its manifest lists the shards, each downloaded on its own
        String download = !"completed".equals(status) ? null : "/api/projects/" + project + "/datasets/" + id
                + (DatasetFormat.fromJson(config).webDataset() ? "/files/" + WebDatasetPackage.MANIFEST : "/download");
        return new DatasetExport(id, project, rs.getString("name"), config,
                manifest == null ? null : Json.parse(manifest), rs.getString("file_path"), longOrNull(rs, "file_size_bytes"),
                intOrNull(rs, "sample_count"), intOrNull(rs, "failed_count"), status,
                longOrNull(rs, "job_id"), rs.getString("error"), Timestamps.read(rs, "completed_at"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"),
                rs.getString("warnings_json") == null ? Json.MAPPER.createArrayNode() : Json.parse(rs.getString("warnings_json")),
                download);
    }

    private static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }
}
