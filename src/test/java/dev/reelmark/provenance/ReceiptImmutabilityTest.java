package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.JobService;
import dev.reelmark.testing.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Immutability without holes, tried with SQL sent straight to the database on SQLite and PostgreSQL: REPLACE,
 * INSERT OR REPLACE and upserts of receipts and their LoRAs, TRUNCATE (PostgreSQL), and direct writes of the usage
 * counts are refused; the legitimate paths (new receipts, several receipts per segment, multi-row inserts, deleting
 * a segment with its receipts) still keep the usage counts exactly what the receipts say.
 */
class ReceiptImmutabilityTest {
    @TempDir
    Path dir;
    private TestDatabases.TestDb tdb;
    private Jdbi jdbi;
    private CatalogService catalog;
    private ProvenanceService provenance;
    private long scene;
    private long model;
    private long workflow;
    private long lora;
    private final List<Long> segments = new ArrayList<>();

    void start(Vendor vendor) {
        tdb = TestDatabases.fresh(vendor, dir);
        jdbi = tdb.db().jdbi();
        catalog = new CatalogService(tdb.db());
        provenance = new ProvenanceService(tdb.db(), catalog, new JobService(tdb.db()));
        long project = id(catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "P")));
        long ch = id(catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")));
        long st = id(catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
        scene = id(catalog.create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s")));
        for (int i = 0; i < 3; i++) segments.add(id(catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", i))));
        model = id(catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan").put("version_label", "v1")));
        workflow = id(catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "workflow").put("name", "i2v").put("version_label", "v1")));
        lora = id(catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "motion").put("version_label", "v1")));
    }

    @AfterEach
    void stop() throws Exception {
        if (tdb != null) tdb.close();
    }

    private static long id(JsonNode n) {
        return n.get("id").longValue();
    }

    private long receipt(long segment) {
        ObjectNode b = Json.object().put("model_asset_id", model).put("workflow_asset_id", workflow).put("prompt_text", "Ava waves")
                .put("cfg_scale", 6.5).put("seed", 42).put("resolution_width", 832).put("resolution_height", 480).put("steps", 30).put("sampler", "euler");
        b.putArray("loras").add(Json.object().put("asset_id", lora).put("weight", 0.45));
        return id(provenance.createReceipt(segment, b));
    }

    private long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** Every row of the usage table, and what the receipts say it should hold (asset, segment → receipts). */
    private Map<String, Long> usage() {
        Map<String, Long> m = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT asset_id, segment_id, receipts FROM asset_segment_usage")
                .map((rs, ctx) -> Map.entry(rs.getLong(1) + "/" + rs.getLong(2), rs.getLong(3))).forEach(e -> m.put(e.getKey(), e.getValue())));
        return m;
    }

    private Map<String, Long> usageFromReceipts() {
        Map<String, Long> m = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT asset_id, segment_id, sum(n) FROM ("
                        + " SELECT model_asset_id AS asset_id, segment_id, count(*) AS n FROM generation_receipts WHERE model_asset_id IS NOT NULL GROUP BY model_asset_id, segment_id"
                        + " UNION ALL SELECT workflow_asset_id, segment_id, count(*) FROM generation_receipts WHERE workflow_asset_id IS NOT NULL GROUP BY workflow_asset_id, segment_id"
                        + " UNION ALL SELECT asset_id, segment_id, count(*) FROM receipt_loras WHERE asset_id IS NOT NULL GROUP BY asset_id, segment_id"
                        + ") u GROUP BY asset_id, segment_id")
                .map((rs, ctx) -> Map.entry(rs.getLong(1) + "/" + rs.getLong(2), rs.getLong(3))).forEach(e -> m.put(e.getKey(), e.getValue())));
        return m;
    }

    private void refused(String sql, String message) {
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql))).as(sql).hasMessageContaining(message);
    }

    private String receiptRow(long id, long segment, String prompt) {
        return "(" + id + ", " + segment + ", " + model + ", 'wan', '" + prompt + "', 6.5, 1, 832, 480, 30, 'euler', 1, 'forged', '2026-11-01T10:00:00.000Z')";
    }

    private static final String RECEIPT_COLS = "(id, segment_id, model_asset_id, model_name, prompt_text, cfg_scale, seed,"
            + " resolution_width, resolution_height, steps, sampler, lora_count, inputs_hash, generation_started_at)";

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void noReceiptOrLoraCanBeWrittenTwiceAndTruncateIsRefused(Vendor vendor) {
        start(vendor);
        long seg = segments.get(0);
        long id = receipt(seg);
        ObjectNode before = provenance.receipt(id);
        String hash = before.get("inputs_hash").asText();
        List<String> statements = new ArrayList<>(List.of(
                "INSERT INTO generation_receipts " + RECEIPT_COLS + " VALUES " + receiptRow(id, seg, "forged")
                        + " ON CONFLICT (id) DO UPDATE SET prompt_text = excluded.prompt_text",
                // even the one change an UPDATE may make (timing, once) is refused through an upsert
                "INSERT INTO generation_receipts " + RECEIPT_COLS + " VALUES " + receiptRow(id, seg, "x")
                        + " ON CONFLICT (id) DO UPDATE SET generation_completed_at = '2026-11-02T10:00:00.000Z'",
                "INSERT INTO generation_receipts " + RECEIPT_COLS + " VALUES " + receiptRow(id, seg, "x") + " ON CONFLICT DO NOTHING",
                "INSERT INTO receipt_loras (receipt_id, segment_id, position, asset_id, lora_name, weight) VALUES ("
                        + id + ", " + seg + ", 0, " + lora + ", 'motion', 9.0) ON CONFLICT (receipt_id, position) DO UPDATE SET weight = 9.0"));
        if (vendor == Vendor.SQLITE) {
            statements.addAll(List.of(
                    "REPLACE INTO generation_receipts " + RECEIPT_COLS + " VALUES " + receiptRow(id, seg, "forged"),
                    "INSERT OR REPLACE INTO generation_receipts " + RECEIPT_COLS + " VALUES " + receiptRow(id, seg, "forged"),
                    "REPLACE INTO generation_receipts SELECT * FROM generation_receipts WHERE id = " + id,
                    "REPLACE INTO receipt_loras (receipt_id, segment_id, position, asset_id, lora_name, weight) VALUES ("
                            + id + ", " + seg + ", 0, " + lora + ", 'motion', 9.0)",
                    "INSERT OR REPLACE INTO receipt_loras (receipt_id, segment_id, position, asset_id, lora_name, weight) VALUES ("
                            + id + ", " + seg + ", 0, " + lora + ", 'motion', 9.0)"));
        }
        for (String sql : statements) refused(sql, "immutable");
        if (vendor == Vendor.POSTGRESQL) {
            // (a plain TRUNCATE generation_receipts already fails on receipt_loras' foreign key)
            refused("TRUNCATE generation_receipts", "cannot truncate a table referenced in a foreign key constraint");
            for (String sql : List.of("TRUNCATE generation_receipts CASCADE", "TRUNCATE receipt_loras",
                    "TRUNCATE receipt_loras CASCADE", "TRUNCATE segments CASCADE",
                    "TRUNCATE generation_receipts, receipt_loras, receipt_models, receipt_source_files, receipt_comfy_graphs")) {
                refused(sql, "immutable: TRUNCATE");
            }
            refused("TRUNCATE asset_segment_usage", "asset_segment_usage is kept by the receipt triggers: TRUNCATE asset_segment_usage is refused");
        }
        ObjectNode after = provenance.receipt(id);
        assertThat(after).isEqualTo(before);
        assertThat(ProvenanceService.inputsOf(after).inputsHash()).isEqualTo(hash);
        assertThat(after.get("loras").get(0).get("weight").doubleValue()).isEqualTo(0.45);
        assertThat(count("SELECT count(*) FROM generation_receipts")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM receipt_loras")).isEqualTo(1);
        assertThat(usage()).hasSize(3).isEqualTo(usageFromReceipts());
        // a new receipt (no key given) is still written
        long second = receipt(seg);
        assertThat(second).isGreaterThan(id);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void theUsageCountsAreWrittenOnlyByTheirTriggers(Vendor vendor) {
        start(vendor);
        long a = segments.get(0), b = segments.get(1), c = segments.get(2);
        receipt(a);
        receipt(a);
        receipt(b);
        Map<String, Long> truth = usage();
        assertThat(truth).isEqualTo(usageFromReceipts()).containsEntry(lora + "/" + a, 2L).hasSize(6);
        List<String> forged = new ArrayList<>(List.of(
                "INSERT INTO asset_segment_usage (asset_id, segment_id, receipts) VALUES (" + lora + ", " + c + ", 999)",
                "INSERT INTO asset_segment_usage (asset_id, segment_id, receipts) VALUES (" + lora + ", " + c + ", 1)",
                "INSERT INTO asset_segment_usage (asset_id, segment_id, receipts) VALUES (" + lora + ", " + a + ", 1)"
                        + " ON CONFLICT (asset_id, segment_id) DO UPDATE SET receipts = asset_segment_usage.receipts + 1000",
                "UPDATE asset_segment_usage SET receipts = receipts + 5 WHERE segment_id = " + a,
                "UPDATE asset_segment_usage SET segment_id = " + c + " WHERE segment_id = " + b,
                "DELETE FROM asset_segment_usage WHERE segment_id = " + a,
                "DELETE FROM asset_segment_usage"));
        if (vendor == Vendor.SQLITE) {
            forged.add("REPLACE INTO asset_segment_usage (asset_id, segment_id, receipts) VALUES (" + lora + ", " + a + ", 50)");
            forged.add("INSERT OR REPLACE INTO asset_segment_usage (asset_id, segment_id, receipts) VALUES (" + model + ", " + c + ", 7)");
        }
        for (String sql : forged) refused(sql, "asset_segment_usage is kept by the receipt triggers");
        assertThat(usage()).isEqualTo(truth);
        assertThat(provenance.assetUsage(lora, null, 100, null).get("total").asInt()).isEqualTo(3);

        // legitimate paths still keep it: a multi-row INSERT of receipts (rows and LoRA rows in one statement each) ...
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO generation_receipts (segment_id, model_asset_id, model_name, workflow_asset_id, prompt_text, cfg_scale, seed,"
                    + " resolution_width, resolution_height, steps, sampler, lora_count, inputs_hash, generation_started_at)"
                    + " SELECT id, " + model + ", 'wan', " + workflow + ", 'p', 6.5, 1, 832, 480, 30, 'euler', 1, 'h', '2026-11-01T10:00:00.000Z'"
                    + " FROM segments WHERE id IN (" + b + ", " + c + ")");
            h.execute("INSERT INTO receipt_loras (receipt_id, segment_id, position, asset_id, lora_name, weight)"
                    + " SELECT id, segment_id, 0, " + lora + ", 'motion', 0.5 FROM generation_receipts WHERE inputs_hash = 'h'");
        });
        // ... a receipt whose model and workflow are the same asset (counted twice) ...
        jdbi.useHandle(h -> h.execute("INSERT INTO generation_receipts (segment_id, model_asset_id, model_name, workflow_asset_id, prompt_text,"
                + " cfg_scale, seed, resolution_width, resolution_height, steps, sampler, inputs_hash, generation_started_at) VALUES ("
                + c + ", " + model + ", 'wan', " + model + ", 'p', 6.5, 1, 832, 480, 30, 'euler', 'h2', '2026-11-01T10:00:00.000Z')"));
        assertThat(usage()).isEqualTo(usageFromReceipts()).containsEntry(lora + "/" + c, 1L).containsEntry(model + "/" + c, 3L);
        // ... and deleting a segment takes its receipts, LoRA rows and usage rows
        catalog.delete(CatalogModel.SEGMENTS, a);
        assertThat(count("SELECT count(*) FROM generation_receipts WHERE segment_id = " + a)).isZero();
        assertThat(count("SELECT count(*) FROM receipt_loras WHERE segment_id = " + a)).isZero();
        assertThat(count("SELECT count(*) FROM asset_segment_usage WHERE segment_id = " + a)).isZero();
        assertThat(usage()).isEqualTo(usageFromReceipts());
        assertThat(provenance.assetUsage(lora, null, 100, null).get("total").asInt()).isEqualTo(3);
        // deleting the scene cascades through segments the same way
        catalog.delete(CatalogModel.SCENES, scene);
        assertThat(count("SELECT count(*) FROM generation_receipts")).isZero();
        assertThat(usage()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aSecondModelOfTheGenerationIsCountedByItsTriggerAndStillNoDirectWrite(Vendor vendor) {
        start(vendor);
        long low = id(catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan-low").put("version_label", "v1")));
        long seg = segments.get(1);
        ObjectNode params = Json.object().put("model_count", 2);
        ReceiptInputs in = new ReceiptInputs(null, null, null, null, null, null, null, null, model, "wan", "v1", null,
                List.of(), "Ava waves", null, 6.5, 7, 832, 480, 30, "euler", params)
                .withModels(List.of(new ReceiptInputs.Model("high_noise", model, "wan", "v1", null),
                        new ReceiptInputs.Model("low_noise", low, "wan-low", "v1", null)));
        provenance.record(seg, in, java.time.Instant.parse("2026-11-01T10:00:00Z"), null, null, "import");
        provenance.record(seg, in.withSeed(8), java.time.Instant.parse("2026-11-01T11:00:00Z"), null, null, "import");
        assertThat(usage()).containsEntry(low + "/" + seg, 2L).containsEntry(model + "/" + seg, 2L);
        refused("UPDATE asset_segment_usage SET receipts = 5 WHERE asset_id = " + low, "asset_segment_usage");
        assertThat(usage()).containsEntry(low + "/" + seg, 2L);
    }
}
