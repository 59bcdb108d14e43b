package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Database;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobService;
import dev.reelmark.testing.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docs/postgresql-least-privilege.sql, run as the schema's owner, leaves the server's role able to do everything the
 * server does (start up on the migrated schema, catalog writes, receipts, completion timing, usage counts,
 * regeneration drafts, deleting a segment with its receipts) and nothing else: no TRUNCATE, no DELETE or UPDATE of
 * receipts, no direct writes of the usage counts or the migration history, no DDL.
 */
class LeastPrivilegeRoleTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#postgresOnly")
    void theServerRoleCanDoWhatTheServerDoesAndNoMore(Vendor vendor) throws Exception {
        String role = "rm_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = TestDatabases.pgUrl();
        try (TestDatabases.TestDb owner = TestDatabases.fresh(vendor, dir)) {
            try {
                try (var conn = DriverManager.getConnection(base); var st = conn.createStatement()) {
                    st.execute("CREATE ROLE " + role + " LOGIN");
                }
                String script = Files.readString(Path.of("docs/postgresql-least-privilege.sql"))
                        .replace(":\"schema\"", "\"" + owner.schema() + "\"").replace(":\"app_role\"", "\"" + role + "\"");
                owner.db().jdbi().useHandle(h -> {
                    for (String statement : script.replaceAll("(?m)^--.*$", "").split(";")) {
                        if (!statement.isBlank()) h.execute(statement);
                    }
                });
                String appUrl = base.replaceAll("user=[^&]*", "user=" + role) + "&currentSchema=" + owner.schema();
                try (Database app = Database.openAndMigrate(appUrl)) { // start-up check on an up-to-date schema
                    exercise(app);
                }
            } finally {
                try (var conn = DriverManager.getConnection(base); var st = conn.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + owner.schema() + " CASCADE");
                    st.execute("DROP ROLE IF EXISTS " + role);
                }
            }
        }
    }

    private void exercise(Database app) throws Exception {
        CatalogService catalog = new CatalogService(app);
        JobService jobs = new JobService(app);
        ProvenanceService provenance = new ProvenanceService(app, catalog, jobs);
        long project = catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "P")).get("id").longValue();
        long ch = catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")).get("id").longValue();
        long st = catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")).get("id").longValue();
        long scene = catalog.create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s")).get("id").longValue();
        long seg = catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", 0)).get("id").longValue();
        long model = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan").put("version_label", "v1")).get("id").longValue();
        long lora = catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "motion").put("version_label", "v1")).get("id").longValue();
        ObjectNode body = Json.object().put("model_asset_id", model).put("prompt_text", "Ava waves").put("cfg_scale", 6.5).put("seed", 1)
                .put("resolution_width", 832).put("resolution_height", 480).put("steps", 30).put("sampler", "euler");
        body.putArray("loras").add(Json.object().put("asset_id", lora).put("weight", 0.5));
        long receipt = provenance.createReceipt(seg, body).get("id").longValue();
        provenance.createReceipt(seg, body);
        provenance.completeReceipt(receipt, java.time.Instant.parse("2026-11-01T10:00:00Z"), 1200);
        assertThat(provenance.assetUsage(lora, null, 10, null).get("total").asInt()).isEqualTo(2);
        // regeneration: a new version makes the segment stale; one batch writes the new take and its draft
        catalog.createVersion(CatalogModel.ASSETS, lora, Json.object().put("version_label", "v2"));
        var batch = provenance.regenerations().regenerateBatch(0, List.of(seg));
        assertThat(batch.regenerated()).isEqualTo(1);

        Jdbi jdbi = app.jdbi();
        for (String sql : List.of("TRUNCATE generation_receipts CASCADE", "TRUNCATE receipt_loras", "TRUNCATE asset_segment_usage",
                "DELETE FROM generation_receipts", "DELETE FROM receipt_loras", "UPDATE generation_receipts SET prompt_text = 'x'",
                "UPDATE receipt_loras SET weight = 1", "DELETE FROM asset_segment_usage",
                "INSERT INTO flyway_schema_history (installed_rank, description, type, script, installed_by, execution_time, success)"
                        + " VALUES (999, 'x', 'SQL', 'x', 'x', 0, true)",
                "DELETE FROM flyway_schema_history", "CREATE TABLE forged (id int)",
                "ALTER TABLE generation_receipts DISABLE TRIGGER ALL", "DROP TRIGGER generation_receipts_immutable ON generation_receipts",
                "CREATE TRIGGER t BEFORE INSERT ON asset_segment_usage FOR EACH ROW EXECUTE FUNCTION reelmark_usage_guard()")) {
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql))).as(sql)
                    .hasMessageFindingMatch("permission denied|must be owner");
        }
        // the legitimate delete: the segment, with its receipts, LoRA rows and usage rows (the cascade runs as the owner)
        catalog.delete(CatalogModel.SEGMENTS, seg);
        assertThat(count(jdbi, "generation_receipts")).isZero();
        assertThat(count(jdbi, "asset_segment_usage")).isZero();
        assertThat(count(jdbi, "regeneration_drafts")).isOne(); // the draft outlives the segment it replaces
    }

    private static long count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }
}
