package dev.reelmark.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.catalog.CatalogService;
import dev.reelmark.db.Vendor;
import dev.reelmark.http.ApiRouter;
import dev.reelmark.http.HttpServer;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobRunner;
import dev.reelmark.jobs.JobService;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.testing.TestDatabases;
import dev.reelmark.testing.TestHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Targeted regeneration settles: each stale segment gets one draft however often regeneration runs (also two jobs
 * queued before either ran), the API says which segments are already queued, a draft's planned inputs are readable
 * and survive the deletion of the segment it replaces, and a replaced segment whose new take has a receipt is
 * superseded, not stale. Over real HTTP, on SQLite and PostgreSQL.
 */
class RegenerationSettlesTest {
    @TempDir
    Path dir;
    private TestDatabases.TestDb tdb;
    private Javalin server;
    private JobRunner runner;
    private TestHttp http;
    private CatalogService catalog;
    private JobService jobs;
    private long project;
    private long model;
    private long motion1;
    private long workflow;
    private final List<Long> segments = new ArrayList<>();
    private final List<Long> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    void start(Vendor vendor) {
        tdb = TestDatabases.fresh(vendor, dir);
        catalog = new CatalogService(tdb.db());
        jobs = new JobService(tdb.db());
        ProvenanceService provenance = new ProvenanceService(tdb.db(), catalog, jobs);
        jobs.register(new RegenerateJob(provenance));
        ApiRouter router = new ApiRouter();
        new ProvenanceRoutes(provenance, new ProvenanceImporter(provenance, dir, MediaProbe::new)).register(router);
        server = HttpServer.create(router, "test").start("127.0.0.1", 0);
        http = new TestHttp(server.port());
        project = id(catalog.create(CatalogModel.PROJECTS, Json.object().put("name", "P")));
        long ch = id(catalog.create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava")));
        long st = id(catalog.create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle")));
        long scene = id(catalog.create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s1")));
        for (int i = 0; i < 3; i++) {
            segments.add(id(catalog.create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", i)
                    .put("output_video_path", "clips/seg" + i + ".mp4").put("seed_frame_path", "frames/seed" + i + ".png").put("status", "complete"))));
        }
        model = id(catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan").put("version_label", "v1").put("checksum_sha256", "1".repeat(64))));
        motion1 = id(catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "smooth-motion").put("version_label", "v1").put("checksum_sha256", "2".repeat(64))));
        workflow = id(catalog.create(CatalogModel.ASSETS, Json.object().put("kind", "workflow").put("name", "i2v").put("version_label", "1.0")));
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) runner.close();
        if (server != null) server.stop();
        if (tdb != null) tdb.close();
    }

    private static long id(JsonNode n) {
        return n.get("id").longValue();
    }

    private ObjectNode receiptBody(long lora, long seed) {
        ObjectNode b = Json.object().put("model_asset_id", model).put("workflow_asset_id", workflow)
                .put("prompt_text", "Ava waves").put("negative_prompt", "blurry").put("cfg_scale", 6.5).put("seed", seed)
                .put("resolution_width", 832).put("resolution_height", 480).put("steps", 30).put("sampler", "euler");
        b.putArray("loras").add(Json.object().put("asset_id", lora).put("weight", 0.45));
        return b;
    }

    private JsonNode post(String path, String body, int status) {
        var r = http.post(path, body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(status);
        return r.json();
    }

    private JsonNode get(String path) {
        var r = http.get(path);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r.json();
    }

    private JsonNode report() {
        return get("/api/projects/" + project + "/staleness-report");
    }

    private Job await(long jobId) throws InterruptedException {
        Job job = jobs.awaitTerminal(jobId, Duration.ofSeconds(60));
        assertThat(job.status()).as(String.valueOf(job.result())).isEqualTo(JobStatus.COMPLETED);
        return job;
    }

    private long draftsReplacing(long segment) {
        return tdb.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM regeneration_drafts WHERE replaces_segment_id = :s")
                .bind("s", segment).mapTo(Long.class).one());
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void regenerationSettles(Vendor vendor) throws Exception {
        start(vendor);
        for (int i = 0; i < 3; i++) post("/api/segments/" + segments.get(i) + "/receipts", receiptBody(motion1, 40 + i).toString(), 201);
        long motion2 = id(catalog.createVersion(CatalogModel.ASSETS, motion1, Json.object().put("version_label", "v2").put("checksum_sha256", "6".repeat(64))));
        assertThat(report().get("total_stale_segments").asInt()).isEqualTo(3);
        catalog.onChange(c -> { if (c.type() == CatalogModel.SEGMENTS && c.action().equals("created")) created.add(c.id()); });

        // two regenerations queued before either ran: the second finds the first's open drafts and creates none
        JsonNode first = post("/api/projects/" + project + "/regenerate-stale", "{}", 202);
        JsonNode second = post("/api/projects/" + project + "/regenerate-stale", "{}", 202);
        assertThat(first.get("segment_ids")).hasSize(3);
        assertThat(second.get("segment_ids")).hasSize(3); // nothing was drafted yet when it was queued
        runner = new JobRunner(jobs, JobRunner.Options.defaults().withWorkers(2).withPollInterval(Duration.ofMillis(20))).start();
        Job j1 = await(first.get("job").get("id").longValue());
        Job j2 = await(second.get("job").get("id").longValue());
        assertThat(j1.result().get("regenerated").asInt() + j2.result().get("regenerated").asInt()).isEqualTo(3);
        assertThat(j1.result().get("already_queued_count").asInt() + j2.result().get("already_queued_count").asInt()).isEqualTo(3);
        for (long s : segments) assertThat(draftsReplacing(s)).as("drafts of segment " + s).isEqualTo(1);
        // catalog listeners (metadata, ledger) heard of each new take, once
        assertThat(created).hasSize(3).doesNotHaveDuplicates().doesNotContainAnyElementsOf(segments);

        // running it again: the API says every stale segment is already queued, with its draft; no job
        JsonNode again = post("/api/projects/" + project + "/regenerate-stale", "{}", 202);
        assertThat(again.get("job").isNull()).isTrue();
        assertThat(again.get("segment_ids")).isEmpty();
        assertThat(again.get("already_queued")).hasSize(3);
        assertThat(again.get("message").asText()).contains("already queued");
        JsonNode selected = post("/api/projects/" + project + "/regenerate-stale", "{\"segment_ids\": [" + segments.get(1) + "]}", 202);
        assertThat(selected.get("job").isNull()).isTrue();
        assertThat(selected.get("already_queued").get(0).get("segment_id").longValue()).isEqualTo(segments.get(1));
        for (long s : segments) assertThat(draftsReplacing(s)).isEqualTo(1);

        JsonNode r = report();
        assertThat(r.get("total_stale_segments").asInt()).isEqualTo(3);
        assertThat(r.get("total_queued_segments").asInt()).isEqualTo(3);
        assertThat(r.get("total_superseded_segments").asInt()).isZero();
        Map<Long, Long> draftOf = new java.util.HashMap<>();
        for (JsonNode q : again.get("already_queued")) draftOf.put(q.get("segment_id").longValue(), q.get("draft_id").longValue());
        for (JsonNode s : r.get("stale_segments")) {
            assertThat(s.get("open_draft_id").longValue()).isEqualTo(draftOf.get(s.get("segment_id").longValue()));
        }

        // the planned inputs are readable in full, by draft id and on the new segment
        long a = segments.get(0), b = segments.get(1), c = segments.get(2);
        JsonNode draftA = get("/api/provenance/drafts/" + draftOf.get(a));
        assertThat(draftA.get("state").asText()).isEqualTo("open");
        assertThat(draftA.get("replaces").get("segment_id").longValue()).isEqualTo(a);
        assertThat(draftA.get("replaces").get("output_video_path").asText()).isEqualTo("clips/seg0.mp4");
        JsonNode planned = draftA.get("planned_inputs");
        assertThat(planned.get("loras").get(0).get("asset_id").longValue()).isEqualTo(motion2);
        assertThat(planned.get("loras").get(0).get("version").asText()).isEqualTo("v2");
        assertThat(planned.get("loras").get(0).get("hash").asText()).isEqualTo("6".repeat(64));
        assertThat(planned.get("loras").get(0).get("weight").doubleValue()).isEqualTo(0.45);
        assertThat(planned.get("seed").longValue()).isEqualTo(40);
        assertThat(planned.get("prompt_text").asText()).isEqualTo("Ava waves");
        assertThat(planned.get("model_version").asText()).isEqualTo("v1");
        assertThat(planned.get("inputs_hash").asText()).isEqualTo(draftA.get("planned_inputs_hash").asText());
        long newA = draftA.get("new_segment_id").longValue();
        ObjectNode takeA = catalog.get(CatalogModel.SEGMENTS, newA);
        assertThat(takeA.get("status").asText()).isEqualTo("pending");
        assertThat(takeA.get("sequence_index").intValue()).isZero();
        assertThat(takeA.get("seed_frame_path").asText()).isEqualTo("frames/seed0.png");
        assertThat(get("/api/segments/" + newA + "/regeneration-draft").get("id").longValue()).isEqualTo(draftOf.get(a));
        assertThat(get("/api/segments/" + newA + "/provenance").get("regenerated_from").get("id").longValue()).isEqualTo(draftOf.get(a));
        assertThat(http.get("/api/segments/" + a + "/regeneration-draft").status()).isEqualTo(404);
        assertThat(http.get("/api/provenance/drafts/999999").status()).isEqualTo(404);
        assertThat(http.get("/api/provenance/drafts/abc").status()).isEqualTo(400);

        // the new take of A is generated with the plan: A is superseded, not stale, and counted apart
        ObjectNode generated = receiptBody(motion2, 40);
        JsonNode receipt = post("/api/segments/" + newA + "/receipts", generated.toString(), 201);
        assertThat(receipt.get("inputs_hash").asText()).isEqualTo(planned.get("inputs_hash").asText());
        r = report();
        assertThat(r.get("total_stale_segments").asInt()).isEqualTo(2);
        assertThat(r.get("total_superseded_segments").asInt()).isEqualTo(1);
        JsonNode sup = r.get("superseded_segments").get(0);
        assertThat(sup.get("segment_id").longValue()).isEqualTo(a);
        assertThat(sup.get("superseded_by").longValue()).isEqualTo(newA);
        assertThat(sup.get("receipt_id").longValue()).isEqualTo(receipt.get("id").longValue());
        assertThat(r.get("stale_segments")).extracting(s -> s.get("segment_id").longValue()).containsExactly(b, c);
        assertThat(r.get("by_asset").get(0).get("affected_segments").asInt()).isEqualTo(2);
        JsonNode fwdA = get("/api/segments/" + a + "/provenance");
        assertThat(fwdA.get("stale").asBoolean()).isFalse();
        assertThat(fwdA.get("superseded_by").get("superseded_by").longValue()).isEqualTo(newA);
        assertThat(fwdA.get("regenerations").get(0).get("state").asText()).isEqualTo("settled");
        assertThat(get("/api/provenance/drafts/" + draftOf.get(a)).get("settled_by_receipt_id").longValue()).isEqualTo(receipt.get("id").longValue());
        var refused = http.post("/api/projects/" + project + "/regenerate-stale", "{\"segment_ids\": [" + a + "]}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("segment_ids[0]");
        assertThat(refused.json().get("message").asText()).contains("superseded by segment " + newA);

        // deleting the replaced segment B keeps its draft, what it replaced and the plan
        JsonNode before = get("/api/provenance/drafts/" + draftOf.get(b));
        catalog.delete(CatalogModel.SEGMENTS, b);
        JsonNode kept = get("/api/provenance/drafts/" + draftOf.get(b));
        assertThat(kept.get("replaces").get("exists").asBoolean()).isFalse();
        assertThat(kept.get("replaces").get("segment_id").longValue()).isEqualTo(b);
        assertThat(kept.get("replaces").get("receipt_id").longValue()).isEqualTo(before.get("replaces").get("receipt_id").longValue());
        assertThat(kept.get("replaces").get("inputs_hash").asText()).isEqualTo(before.get("replaces").get("inputs_hash").asText());
        assertThat(kept.get("planned_inputs")).isEqualTo(before.get("planned_inputs"));
        assertThat(catalog.find(CatalogModel.SEGMENTS, kept.get("new_segment_id").longValue())).isPresent();
        assertThat(report().get("total_stale_segments").asInt()).isEqualTo(1);

        // C's new take failed: its draft is abandoned, and C can be queued again (once)
        long newC = get("/api/provenance/drafts/" + draftOf.get(c)).get("new_segment_id").longValue();
        catalog.update(CatalogModel.SEGMENTS, newC, Json.object().put("status", "failed"));
        assertThat(get("/api/provenance/drafts/" + draftOf.get(c)).get("state").asText()).isEqualTo("abandoned");
        assertThat(report().get("stale_segments").get(0).get("open_draft_id").isNull()).isTrue();
        JsonNode retry = post("/api/projects/" + project + "/regenerate-stale", "{}", 202);
        assertThat(retry.get("segment_ids")).extracting(JsonNode::longValue).containsExactly(c);
        assertThat(await(retry.get("job").get("id").longValue()).result().get("regenerated").asInt()).isEqualTo(1);
        assertThat(draftsReplacing(c)).isEqualTo(2);
        assertThat(post("/api/projects/" + project + "/regenerate-stale", "{}", 202).get("job").isNull()).isTrue();
        assertThat(draftsReplacing(c)).isEqualTo(2);
    }

    /** The drafts of a job as the table holds them, by replaced segment (everything but ids and times). */
    private Map<Long, Map<String, Object>> draftsOfJob(long jobId) {
        Map<Long, Map<String, Object>> out = new java.util.TreeMap<>();
        tdb.db().jdbi().useHandle(h -> h.createQuery("SELECT d.replaces_segment_id, d.replaces_scene_id, d.replaces_sequence_index,"
                        + " d.replaces_output_video_path, d.replaces_status, d.replaces_receipt_id, d.replaces_inputs_hash,"
                        + " d.planned_inputs_hash, d.planned_inputs, ns.scene_id AS new_scene_id, ns.sequence_index AS new_sequence_index,"
                        + " ns.seed_frame_path AS new_seed_frame_path, ns.status AS new_status"
                        + " FROM regeneration_drafts d JOIN segments ns ON ns.id = d.new_segment_id WHERE d.job_id = :j")
                .bind("j", jobId).mapToMap().forEach(row -> {
                    Map<String, Object> m = new java.util.TreeMap<>();
                    row.forEach((k, v) -> m.put(k, k.equals("planned_inputs") ? Json.parse(v.toString())
                            : v instanceof Number n ? (Object) n.longValue() : String.valueOf(v)));
                    out.put(((Number) row.get("replaces_segment_id")).longValue(), m);
                }));
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void setBasedBatchesWriteWhatOneSegmentAtATimeWrites(Vendor vendor) {
        start(vendor);
        ProvenanceService provenance = new ProvenanceService(tdb.db(), catalog, jobs);
        Regenerations regenerations = provenance.regenerations();
        for (int i = 0; i < 3; i++) post("/api/segments/" + segments.get(i) + "/receipts", receiptBody(motion1, 70 + i).toString(), 201);
        long motion2 = id(catalog.createVersion(CatalogModel.ASSETS, motion1, Json.object().put("version_label", "v2").put("checksum_sha256", "7".repeat(64))));
        long jobA = jobs.submit(ProvenanceService.REGENERATE_KIND, Json.object().put("project_id", project).set("segment_ids", Json.MAPPER.createArrayNode())).id();
        long jobB = jobs.submit(ProvenanceService.REGENERATE_KIND, Json.object().put("project_id", project).set("segment_ids", Json.MAPPER.createArrayNode())).id();

        // a batch costs the same statements whatever its size: one segment and two segments, counted by Jdbi
        java.util.concurrent.atomic.AtomicInteger statements = new java.util.concurrent.atomic.AtomicInteger();
        tdb.db().jdbi().setSqlLogger(new org.jdbi.v3.core.statement.SqlLogger() {
            @Override
            public void logAfterExecution(org.jdbi.v3.core.statement.StatementContext context) {
                statements.incrementAndGet();
            }
        });
        Regenerations.BatchResult one = regenerations.regenerateBatch(jobA, List.of(segments.get(0)));
        int forOne = statements.getAndSet(0);
        Regenerations.BatchResult two = regenerations.regenerateBatch(jobA, List.of(segments.get(2), segments.get(1)));
        int forTwo = statements.getAndSet(0);
        tdb.db().jdbi().setSqlLogger(org.jdbi.v3.core.statement.SqlLogger.NOP_SQL_LOGGER);
        assertThat(one.regenerated()).isEqualTo(1);
        assertThat(two.regenerated()).isEqualTo(2);
        assertThat(forOne).isPositive();
        assertThat(forTwo).as("statements for a batch of two vs one").isEqualTo(forOne);
        Map<Long, Map<String, Object>> batched = draftsOfJob(jobA);
        assertThat(batched.keySet()).containsExactlyElementsOf(segments);

        // the new takes are given up, so the same segments can be regenerated again, one per batch
        regenerations.draftsOfJob(jobA).forEach(d -> catalog.update(CatalogModel.SEGMENTS, d.get("new_segment_id").longValue(),
                Json.object().put("status", "failed")));
        for (long seg : segments) assertThat(regenerations.regenerateBatch(jobB, List.of(seg)).regenerated()).isEqualTo(1);
        Map<Long, Map<String, Object>> single = draftsOfJob(jobB);
        for (long seg : segments) {
            Map<String, Object> b = new java.util.TreeMap<>(single.get(seg));
            b.put("new_status", "pending"); // job B's takes are pending; job A's were marked failed above
            Map<String, Object> a = new java.util.TreeMap<>(batched.get(seg));
            a.put("new_status", "pending");
            assertThat(b).as("segment " + seg).isEqualTo(a);
            assertThat(single.get(seg).get("new_status")).isEqualTo("pending");
            // and both are the plan of the segment's latest receipt, with the LoRA moved to its current version
            ObjectNode latest = provenance.latestReceipts(List.of(seg)).get(seg);
            JsonNode plan = Json.parse(provenance.plan(latest).toJson().toString()); // parsed like the stored column
            assertThat(a.get("planned_inputs")).isEqualTo(plan);
            assertThat(a.get("planned_inputs_hash")).isEqualTo(plan.get("inputs_hash").asText());
            assertThat(plan.get("loras").get(0).get("asset_id").longValue()).isEqualTo(motion2);
            assertThat(a.get("replaces_receipt_id")).isEqualTo(latest.get("id").longValue());
            assertThat(a.get("new_scene_id")).isEqualTo(a.get("replaces_scene_id"));
            assertThat(a.get("new_sequence_index")).isEqualTo(a.get("replaces_sequence_index"));
            assertThat(a.get("new_seed_frame_path")).isEqualTo("frames/seed" + segments.indexOf(seg) + ".png");
        }
    }
}
