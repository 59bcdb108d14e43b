package dev.reelmark.provenance;

import dev.reelmark.db.Database;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V8 on a database that already has receipts and drafts (written at V7): the drafts keep their plans and gain what
 * they replace, they survive the deletion of that segment afterwards, and the rebuilt usage triggers keep counting.
 */
class SettleMigrationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void draftsAndUsageCarryOverToV8(Vendor vendor) throws Exception {
        String url;
        String schema = null;
        if (vendor == Vendor.SQLITE) {
            url = "jdbc:sqlite:" + dir.resolve("v7.db");
        } else {
            schema = "rm_test_v7_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            url = TestDatabases.pgUrl() + "&currentSchema=" + schema;
        }
        try (Database db = Database.open(url)) {
            var flyway = Flyway.configure().dataSource(db.dataSource()).locations(vendor.migrationLocation()).mixed(true).target("7");
            if (schema != null) flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
            flyway.load().migrate();
            var jdbi = db.jdbi();
            long[] ids = jdbi.inTransaction(h -> {
                long project = h.createQuery("INSERT INTO projects (name) VALUES ('p') RETURNING id").mapTo(Long.class).one();
                long ch = h.createQuery("INSERT INTO characters (project_id, name) VALUES (:p, 'c') RETURNING id").bind("p", project).mapTo(Long.class).one();
                long st = h.createQuery("INSERT INTO scene_types (project_id, name) VALUES (:p, 't') RETURNING id").bind("p", project).mapTo(Long.class).one();
                long scene = h.createQuery("INSERT INTO scenes (character_id, scene_type_id, name) VALUES (:c, :t, 's') RETURNING id")
                        .bind("c", ch).bind("t", st).mapTo(Long.class).one();
                long old = h.createQuery("INSERT INTO segments (scene_id, sequence_index, output_video_path, status) VALUES (:s, 3, 'clips/a.mp4', 'complete') RETURNING id")
                        .bind("s", scene).mapTo(Long.class).one();
                long fresh = h.createQuery("INSERT INTO segments (scene_id, sequence_index) VALUES (:s, 3) RETURNING id").bind("s", scene).mapTo(Long.class).one();
                long model = h.createQuery("INSERT INTO assets (kind, name, version_label) VALUES ('model', 'wan', 'v1') RETURNING id").mapTo(Long.class).one();
                long receipt = h.createQuery("INSERT INTO generation_receipts (segment_id, model_asset_id, model_name, prompt_text, cfg_scale, seed,"
                                + " resolution_width, resolution_height, steps, sampler, inputs_hash, generation_started_at)"
                                + " VALUES (:s, :m, 'wan', 'p', 6.5, 1, 832, 480, 30, 'euler', 'oldhash', '2026-11-01T10:00:00.000Z') RETURNING id")
                        .bind("s", old).bind("m", model).mapTo(Long.class).one();
                long draft = h.createQuery("INSERT INTO regeneration_drafts (job_id, old_segment_id, new_segment_id, old_receipt_id, planned_inputs,"
                                + " planned_inputs_hash) VALUES (7, :o, :n, :r, '{\"seed\": 1}', 'planned') RETURNING id")
                        .bind("o", old).bind("n", fresh).bind("r", receipt).mapTo(Long.class).one();
                return new long[]{old, fresh, model, receipt, draft};
            });
            assertThat(db.migrate().migrationsExecuted).isPositive();
            var row = jdbi.withHandle(h -> h.createQuery("SELECT * FROM regeneration_drafts WHERE id = :id").bind("id", ids[4]).mapToMap().one());
            assertThat(((Number) row.get("replaces_segment_id")).longValue()).isEqualTo(ids[0]);
            assertThat(((Number) row.get("replaces_sequence_index")).intValue()).isEqualTo(3);
            assertThat(row.get("replaces_output_video_path")).isEqualTo("clips/a.mp4");
            assertThat(row.get("replaces_status")).isEqualTo("complete");
            assertThat(row.get("replaces_inputs_hash")).isEqualTo("oldhash");
            assertThat(((Number) row.get("replaces_receipt_id")).longValue()).isEqualTo(ids[3]);
            assertThat(row.get("planned_inputs_hash")).isEqualTo("planned");
            // the replaced segment goes; the draft stays
            jdbi.useHandle(h -> h.execute("DELETE FROM segments WHERE id = ?", ids[0]));
            long drafts = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM regeneration_drafts").mapTo(Long.class).one());
            assertThat(drafts).isEqualTo(1L);
            // usage counts carried over and still kept by the rebuilt triggers
            jdbi.useHandle(h -> h.execute("INSERT INTO generation_receipts (segment_id, model_asset_id, model_name, prompt_text, cfg_scale, seed,"
                    + " resolution_width, resolution_height, steps, sampler, inputs_hash, generation_started_at)"
                    + " VALUES (?, ?, 'wan', 'p', 6.5, 1, 832, 480, 30, 'euler', 'h', '2026-11-01T10:00:00.000Z')", ids[1], ids[2]));
            long counted = jdbi.withHandle(h -> h.createQuery("SELECT receipts FROM asset_segment_usage WHERE segment_id = :s").bind("s", ids[1])
                    .mapTo(Long.class).one());
            assertThat(counted).isEqualTo(1L);
            // one draft per new segment
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO regeneration_drafts (job_id, replaces_segment_id, replaces_scene_id,"
                    + " replaces_sequence_index, replaces_status, replaces_receipt_id, replaces_inputs_hash, new_segment_id, planned_inputs,"
                    + " planned_inputs_hash) VALUES (8, 1, 1, 0, 'complete', 1, 'x', ?, '{}', 'x')", ids[1])))
                    .satisfies(e -> assertThat(dev.reelmark.db.SqlErrors.isUniqueViolation(e)).isTrue());
        } finally {
            if (schema != null) {
                try (var conn = DriverManager.getConnection(TestDatabases.pgUrl()); var st = conn.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }
}
