package dev.reelmark.provenance;

import dev.reelmark.errors.DomainException;
import dev.reelmark.http.ApiError;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PRD-069 acceptance criteria, over real HTTP, on SQLite and PostgreSQL. */
class ProvenanceApiTest {
    /** Pinned: the canonical encoding v1 of {@link #goldenInputs()} hashes to this on every database and run. */
    static final String GOLDEN = "5b276ce68e474cc7d1246bd4581333593c231bba7e9575ffbdeba496d6737a44";

    @TempDir
    Path dir;
    private TestDatabases.TestDb tdb;
    private Javalin server;
    private JobRunner runner;
    private TestHttp http;
    private CatalogService catalog;
    private JobService jobs;
    private ProvenanceService provenance;
    private Fixture f;

    record Fixture(long project, long scene1, long scene2, List<Long> segments, long model1, long model2, long motion1,
                   long motion2, long likeness, long workflow, long source) {
    }

    void start(Vendor vendor) {
        tdb = TestDatabases.fresh(vendor, dir);
        catalog = new CatalogService(tdb.db());
        jobs = new JobService(tdb.db());
        provenance = new ProvenanceService(tdb.db(), catalog, jobs);
        jobs.register(new RegenerateJob(provenance));
        ApiRouter router = new ApiRouter();
        new ProvenanceRoutes(provenance, new ProvenanceImporter(provenance, dir, MediaProbe::new)).register(router);
        server = HttpServer.create(router, "test").start("127.0.0.1", 0);
        http = new TestHttp(server.port());
        f = fixture();
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) runner.close();
        if (server != null) server.stop();
        if (tdb != null) tdb.close();
    }

    private long create(dev.reelmark.catalog.EntityType type, ObjectNode body) {
        return catalog.create(type, body).get("id").longValue();
    }

    private static String hex(char c) {
        return String.valueOf(c).repeat(64);
    }

    private Fixture fixture() {
        long project = create(CatalogModel.PROJECTS, Json.object().put("name", "P"));
        long ch = create(CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", "Ava"));
        long st = create(CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle"));
        long s1 = create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s1"));
        long s2 = create(CatalogModel.SCENES, Json.object().put("character_id", ch).put("scene_type_id", st).put("name", "s2"));
        List<Long> segs = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            segs.add(create(CatalogModel.SEGMENTS, Json.object().put("scene_id", i < 3 ? s1 : s2).put("sequence_index", i)
                    .put("output_video_path", "clips/seg" + i + ".mp4")));
        }
        long source = create(CatalogModel.IMAGES, Json.object().put("character_id", ch).put("image_type", "source")
                .put("filename", "ava.png").put("path", "img/ava.png").put("content_hash", hex('a')));
        long m1 = create(CatalogModel.ASSETS, Json.object().put("kind", "model").put("name", "wan").put("version_label", "v1").put("checksum_sha256", hex('1')).put("file_path", "assets/wan-v1.safetensors"));
        long mo1 = create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "smooth-motion").put("version_label", "v1").put("checksum_sha256", hex('2')));
        long like = create(CatalogModel.ASSETS, Json.object().put("kind", "lora").put("name", "ava-likeness").put("version_label", "v1").put("checksum_sha256", hex('3')));
        long wf = create(CatalogModel.ASSETS, Json.object().put("kind", "workflow").put("name", "i2v").put("version_label", "1.0").put("checksum_sha256", hex('4')));
        return new Fixture(project, s1, s2, segs, m1, 0, mo1, 0, like, wf, source);
    }

    private ObjectNode receiptBody(long model, long motion) {
        ObjectNode b = Json.object().put("model_asset_id", model).put("workflow_asset_id", f.workflow())
                .put("source_image_id", f.source()).put("prompt_text", "Ava waves, soft light")
                .put("negative_prompt", "blurry").put("cfg_scale", 6.5).put("seed", 42).put("resolution_width", 832)
                .put("resolution_height", 480).put("steps", 30).put("sampler", "euler");
        b.putArray("loras").add(Json.object().put("asset_id", motion).put("weight", 0.45))
                .add(Json.object().put("asset_id", f.likeness()).put("weight", 0.8));
        b.putObject("additional_params").put("scheduler", "normal").put("frames", 81);
        return b;
    }

    private JsonNode postReceipt(long segment, ObjectNode body) {
        var r = http.post("/api/segments/" + segment + "/receipts", body.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    static ReceiptInputs goldenInputs() {
        return new ReceiptInputs(1L, hex('a'), null, null, 9L, "i2v", "1.0", hex('4'), 2L, "wan", "v1", hex('1'),
                List.of(new ReceiptInputs.Lora(3L, "smooth-motion", "v1", hex('2'), 0.45),
                        new ReceiptInputs.Lora(4L, "ava-likeness", "v1", hex('3'), 0.8)),
                "Ava waves, soft light", "blurry", 6.5, 42, 832, 480, 30, "euler",
                Json.parse("{\"scheduler\":\"normal\",\"frames\":81}"));
    }

    @Test
    void inputsHashIsCanonicalAndPinnedByAGoldenValue() {
        ReceiptInputs in = goldenInputs();
        assertThat(in.inputsHash()).isEqualTo(GOLDEN);
        // LoRA order, JSON key order, number spelling and database ids do not matter ...
        ReceiptInputs reordered = new ReceiptInputs(77L, hex('a'), null, null, 1L, "i2v", "1.0", hex('4'), 5L, "wan", "v1", hex('1'),
                List.of(in.loras().get(1), new ReceiptInputs.Lora(99L, "smooth-motion", "v1", hex('2'), 0.450)),
                "Ava waves, soft light", "blurry", 6.50, 42, 832, 480, 30, "euler",
                Json.parse("{\"frames\":81.0,\"scheduler\":\"normal\"}"));
        assertThat(reordered.inputsHash()).isEqualTo(GOLDEN);
        // ... any input does.
        assertThat(in.withSeed(43).inputsHash()).isNotEqualTo(GOLDEN);
        assertThat(in.withModel(2L, "wan", "v2", hex('5')).inputsHash()).isNotEqualTo(GOLDEN);
        assertThat(in.withLoras(List.of(in.loras().get(0))).inputsHash()).isNotEqualTo(GOLDEN);
        assertThat(in.withLoras(List.of(in.loras().get(0), new ReceiptInputs.Lora(4L, "ava-likeness", "v1", hex('3'), 0.81))).inputsHash()).isNotEqualTo(GOLDEN);
        assertThat(InputsHash.number(-0.0)).isEqualTo("0");
        assertThat(InputsHash.number(1e21)).isEqualTo("1000000000000000000000");
        assertThat(InputsHash.number(6.50)).isEqualTo("6.5");
        assertThat(InputsHash.canonical(in)).startsWith("reelmark-generation-inputs/v1\n").contains("cfg_scale=6.5\n");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void receiptCapturesEveryInputAndTheSameInputsHashOnEveryVendor(Vendor vendor) {
        start(vendor);
        JsonNode r = postReceipt(f.segments().get(0), receiptBody(f.model1(), f.motion1()));
        assertThat(r.get("model_asset_id").longValue()).isEqualTo(f.model1());
        assertThat(r.get("model_version").asText()).isEqualTo("v1");
        assertThat(r.get("model_hash").asText()).isEqualTo(hex('1'));
        assertThat(r.get("workflow_hash").asText()).isEqualTo(hex('4'));
        assertThat(r.get("source_image_hash").asText()).isEqualTo(hex('a'));
        assertThat(r.get("loras")).hasSize(2);
        assertThat(r.get("loras").get(0).get("asset_id").longValue()).isEqualTo(f.motion1());
        assertThat(r.get("loras").get(0).get("weight").doubleValue()).isEqualTo(0.45);
        assertThat(r.get("cfg_scale").doubleValue()).isEqualTo(6.5);
        assertThat(r.get("additional_params").get("frames").asInt()).isEqualTo(81);
        assertThat(r.has("updated_at")).isFalse();
        // ids differ per database; names, versions, hashes and parameters are what is hashed
        assertThat(r.get("inputs_hash").asText()).isEqualTo(GOLDEN);
        ObjectNode stored = provenance.receipt(r.get("id").longValue());
        assertThat(ProvenanceService.inputsOf(stored).inputsHash()).isEqualTo(GOLDEN);
        // a second identical generation gives the same hash; a changed seed does not
        assertThat(postReceipt(f.segments().get(1), receiptBody(f.model1(), f.motion1())).get("inputs_hash").asText()).isEqualTo(GOLDEN);
        assertThat(postReceipt(f.segments().get(2), receiptBody(f.model1(), f.motion1()).put("seed", 7)).get("inputs_hash").asText()).isNotEqualTo(GOLDEN);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void badInputIsAClear400NamingTheFieldAndWritesNothing(Vendor vendor) {
        start(vendor);
        long seg = f.segments().get(0);
        assertThat(http.post("/api/segments/999999/receipts", receiptBody(f.model1(), f.motion1()).toString()).status()).isEqualTo(404);
        expect400(seg, receiptBody(999999, f.motion1()), "model_asset_id");
        expect400(seg, receiptBody(f.motion1(), f.motion1()), "model_asset_id"); // a LoRA is not a model
        expect400(seg, receiptBody(f.model1(), f.motion1()).put("steps", -5), "steps");
        ObjectNode nan = receiptBody(f.model1(), f.motion1());
        nan.put("cfg_scale", "NaN");
        expect400(seg, nan, "cfg_scale");
        ObjectNode heavy = receiptBody(f.model1(), f.motion1());
        ((ObjectNode) heavy.get("loras").get(1)).put("weight", 12.5);
        expect400(seg, heavy, "loras[1].weight");
        ObjectNode dup = receiptBody(f.model1(), f.motion1());
        dup.withArray("loras").add(Json.object().put("asset_id", f.motion1()).put("weight", 0.3));
        expect400(seg, dup, "loras[2].asset_id");
        ObjectNode unknownLora = receiptBody(f.model1(), f.motion1());
        ((ObjectNode) unknownLora.get("loras").get(0)).put("asset_id", 424242);
        expect400(seg, unknownLora, "loras[0].asset_id");
        expect400(seg, receiptBody(f.model1(), f.motion1()).put("prompt_text", "x".repeat(1_048_576)), "prompt_text");
        expect400(seg, receiptBody(f.model1(), f.motion1()).put("colour", "red"), "colour");
        assertThat(http.get("/api/segments/" + seg + "/provenance").json().get("receipts")).isEmpty();
    }

    private void expect400(long seg, ObjectNode body, String field) {
        var r = http.post("/api/segments/" + seg + "/receipts", body.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("message").asText()).startsWith(field + ":");
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void theDatabaseRefusesChangesToAReceiptExceptSettingTimingOnceAndCascadesFromItsSegment(Vendor vendor) {
        start(vendor);
        long seg = f.segments().get(0);
        long id = postReceipt(seg, receiptBody(f.model1(), f.motion1())).get("id").longValue();
        var jdbi = tdb.db().jdbi();
        for (String sql : List.of("UPDATE generation_receipts SET prompt_text = 'edited' WHERE id = " + id,
                "UPDATE generation_receipts SET seed = 1 WHERE id = " + id,
                "UPDATE generation_receipts SET model_hash = 'x' WHERE id = " + id,
                "UPDATE generation_receipts SET inputs_hash = 'x' WHERE id = " + id,
                "DELETE FROM generation_receipts WHERE id = " + id,
                "UPDATE receipt_loras SET weight = 1 WHERE receipt_id = " + id,
                "DELETE FROM receipt_loras WHERE receipt_id = " + id,
                // no LoRA can be added to a written receipt
                "INSERT INTO receipt_loras (receipt_id, segment_id, position, asset_id, lora_name, weight) VALUES ("
                        + id + ", " + seg + ", 2, " + f.likeness() + ", 'extra', 1.0)")) {
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(sql))).as(sql).hasMessageContaining("immutable");
        }
        // timing: allowed once (NULL → value), then refused
        jdbi.useHandle(h -> h.execute("UPDATE generation_receipts SET generation_completed_at = '2026-11-23T10:00:00.000Z',"
                + " generation_duration_ms = 1234 WHERE id = " + id));
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("UPDATE generation_receipts SET generation_duration_ms = 1 WHERE id = " + id)))
                .hasMessageContaining("immutable");
        assertThat(http.post("/api/receipts/" + id + "/complete", "{\"generation_duration_ms\": 5}").status()).isEqualTo(409);
        ObjectNode r = provenance.receipt(id);
        assertThat(r.get("generation_duration_ms").longValue()).isEqualTo(1234);
        assertThat(r.get("prompt_text").asText()).isEqualTo("Ava waves, soft light");
        // an asset version a receipt used cannot be deleted
        assertThat(catalogDeleteRefused(f.motion1())).isTrue();
        // deleting the segment cascades to its receipts and their LoRA rows
        catalog.delete(CatalogModel.SEGMENTS, seg);
        assertThat((long) jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM generation_receipts").mapTo(Long.class).one())).isZero();
        assertThat((long) jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM receipt_loras").mapTo(Long.class).one())).isZero();
    }

    private boolean catalogDeleteRefused(long asset) {
        try {
            catalog.delete(CatalogModel.ASSETS, asset);
            return false;
        } catch (dev.reelmark.errors.DomainException e) {
            return ApiError.statusOf(e) == 409;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void stalenessReportAndTargetedRegeneration(Vendor vendor) throws Exception {
        start(vendor);
        List<Long> s = f.segments();
        postReceipt(s.get(0), receiptBody(f.model1(), f.motion1()));
        postReceipt(s.get(1), receiptBody(f.model1(), f.motion1()));
        postReceipt(s.get(3), receiptBody(f.model1(), f.motion1()));
        // segment 2: an older receipt on v1, then a newer one on the same — latest decides
        postReceipt(s.get(2), receiptBody(f.model1(), f.motion1()));
        JsonNode fresh = http.get("/api/projects/" + f.project() + "/staleness-report").json();
        assertThat(fresh.get("total_stale_segments").asInt()).isZero();

        // a new LoRA version (through the catalog's version chain) makes every segment that used v1 stale
        long motion2 = catalog.createVersion(CatalogModel.ASSETS, f.motion1(), Json.object().put("version_label", "v2")
                .put("checksum_sha256", hex('6'))).get("id").longValue();
        // segment 2 is regenerated by hand on v2: its latest receipt is current, so it is not stale
        postReceipt(s.get(2), receiptBody(f.model1(), motion2));

        JsonNode report = http.get("/api/projects/" + f.project() + "/staleness-report").json();
        assertThat(report.get("total_stale_segments").asInt()).isEqualTo(3);
        assertThat(report.get("total_stale_scenes").asInt()).isEqualTo(2);
        assertThat(report.get("by_asset")).hasSize(1);
        JsonNode g = report.get("by_asset").get(0);
        assertThat(g.get("asset_type").asText()).isEqualTo("lora");
        assertThat(g.get("message").asText()).isEqualTo("3 segments across 2 scenes used smooth-motion v1 — you are on v2");
        assertThat(g.get("segment_ids")).extracting(JsonNode::longValue).containsExactly(s.get(0), s.get(1), s.get(3));

        // a new model version adds a second reason per segment
        catalog.createVersion(CatalogModel.ASSETS, f.model1(), Json.object().put("version_label", "v2").put("checksum_sha256", hex('7')));
        report = http.get("/api/projects/" + f.project() + "/staleness-report").json();
        assertThat(report.get("by_asset")).hasSize(2);
        assertThat(report.get("total_stale_segments").asInt()).isEqualTo(4);
        assertThat(report.get("next_after").isNull()).isTrue();
        // the report in pages of three: the totals and summary stay whole, the pages join up to every stale segment
        String base = "/api/projects/" + f.project() + "/staleness-report?limit=3";
        JsonNode page1 = http.get(base).json();
        assertThat(page1.get("stale_segments")).hasSize(3);
        assertThat(page1.get("total_stale_segments").asInt()).isEqualTo(4);
        assertThat(page1.get("by_asset")).hasSize(2);
        long cursor = page1.get("next_after").longValue();
        assertThat(cursor).isEqualTo(page1.get("stale_segments").get(2).get("segment_id").longValue());
        JsonNode page2 = http.get(base + "&after=" + cursor).json();
        assertThat(page2.get("stale_segments")).hasSize(1);
        assertThat(page2.get("next_after").isNull()).isTrue();
        List<Long> paged = new java.util.ArrayList<>();
        page1.get("stale_segments").forEach(x -> paged.add(x.get("segment_id").longValue()));
        page2.get("stale_segments").forEach(x -> paged.add(x.get("segment_id").longValue()));
        List<Long> whole = new java.util.ArrayList<>();
        report.get("stale_segments").forEach(x -> whole.add(x.get("segment_id").longValue()));
        assertThat(paged).isEqualTo(whole);
        var badLimit = http.get("/api/projects/" + f.project() + "/staleness-report?limit=0");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("field").asText()).isEqualTo("limit");
        // a cursor that is not a segment id is refused, naming the field
        for (String bad : List.of("abc", "-3", "0", "1.5")) {
            var badCursor = http.get(base + "&after=" + bad);
            assertThat(badCursor.status()).as("after=" + bad).isEqualTo(400);
            assertThat(badCursor.json().get("field").asText()).isEqualTo("after");
        }
        // a page boundary exactly at the end: a page of the last stale segment alone, then nothing
        long last = whole.get(whole.size() - 1);
        long beforeLast = whole.get(whole.size() - 2);
        JsonNode tail = http.get(base + "&after=" + beforeLast).json();
        assertThat(tail.get("stale_segments")).extracting(x -> x.get("segment_id").longValue()).containsExactly(last);
        assertThat(tail.get("next_after").isNull()).isTrue();
        JsonNode past = http.get(base + "&after=" + last).json();
        assertThat(past.get("stale_segments")).isEmpty();
        assertThat(past.get("next_after").isNull()).isTrue();
        assertThat(past.get("total_stale_segments").asInt()).isEqualTo(4);
        // limit equal to the stale count: one full page and no next page
        JsonNode exact = http.get("/api/projects/" + f.project() + "/staleness-report?limit=4").json();
        assertThat(exact.get("stale_segments")).hasSize(4);
        assertThat(exact.get("next_after").isNull()).isTrue();
        JsonNode onlyLora = http.get("/api/projects/" + f.project() + "/staleness-report?asset_id=" + motion2).json();
        assertThat(onlyLora.get("total_stale_segments").asInt()).isEqualTo(3);
        JsonNode fwd = http.get("/api/segments/" + s.get(0) + "/provenance").json();
        assertThat(fwd.get("stale").asBoolean()).isTrue();
        assertThat(fwd.get("stale_reasons")).hasSize(2);

        // reverse provenance: by chain, by version, for LoRAs and models alike
        JsonNode usage = http.get("/api/assets/" + f.motion1() + "/usage").json();
        assertThat(usage.get("total").asInt()).isEqualTo(5);
        assertThat(usage.get("segments").asInt()).isEqualTo(4);
        assertThat(http.get("/api/assets/" + motion2 + "/usage?version=v1").json().get("total").asInt()).isEqualTo(4);
        assertThat(http.get("/api/assets/" + motion2 + "/usage?version=v2").json().get("items").get(0).get("segment_id").longValue()).isEqualTo(s.get(2));
        assertThat(http.get("/api/assets/" + f.model1() + "/usage?version=1").json().get("total").asInt()).isEqualTo(5);
        assertThat(http.get("/api/assets/" + f.model1() + "/usage?version=v9").status()).isEqualTo(400);

        // targeted regeneration of two selected segments
        var bad = http.post("/api/projects/" + f.project() + "/regenerate-stale", "{\"segment_ids\": [" + 99999 + "]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("segment_ids[0]");
        var queued = http.post("/api/projects/" + f.project() + "/regenerate-stale", "{\"segment_ids\": [" + s.get(0) + "," + s.get(3) + "]}");
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        long jobId = queued.json().get("job").get("id").longValue();
        assertThat(queued.json().get("job").get("kind").asText()).isEqualTo("provenance.regenerate");
        runner = new JobRunner(jobs, JobRunner.Options.defaults().withPollInterval(Duration.ofMillis(50))).start();
        Job job = jobs.awaitTerminal(jobId, Duration.ofSeconds(30));
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.result().get("regenerated").asInt()).isEqualTo(2);
        long newSeg = job.result().get("drafts").get(0).get("new_segment_id").longValue();
        ObjectNode created = catalog.get(CatalogModel.SEGMENTS, newSeg);
        assertThat(created.get("status").asText()).isEqualTo("pending");
        assertThat(created.get("scene_id").longValue()).isEqualTo(f.scene1());
        assertThat(created.get("sequence_index").intValue()).isZero();
        assertThat(catalog.find(CatalogModel.SEGMENTS, s.get(0))).isPresent(); // old kept for comparison
        JsonNode planned = provenance.draftForNewSegment(newSeg).orElseThrow().get("planned_inputs");
        assertThat(planned.get("model_version").asText()).isEqualTo("v2");
        assertThat(planned.get("loras").get(0).get("version").asText()).isEqualTo("v2");
        assertThat(planned.get("loras").get(0).get("weight").doubleValue()).isEqualTo(0.45);
        assertThat(planned.get("seed").longValue()).isEqualTo(42);
        assertThat(http.get("/api/segments/" + s.get(0) + "/provenance").json().get("regenerations")).hasSize(1);

        // deleting a segment takes its receipts, and the usage counts follow (asset_segment_usage cascades)
        catalog.delete(CatalogModel.SEGMENTS, s.get(1));
        JsonNode after = http.get("/api/assets/" + f.motion1() + "/usage").json();
        assertThat(after.get("total").asInt()).isEqualTo(4);
        assertThat(after.get("segments").asInt()).isEqualTo(3);
        long direct = tdb.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM receipt_loras WHERE asset_id IN ("
                + f.motion1() + "," + motion2 + ")").mapTo(Long.class).one());
        assertThat(direct).isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void forwardProvenanceReturnsTheLatestReceiptAndEveryReceipt(Vendor vendor) {
        start(vendor);
        long seg = f.segments().get(0);
        postReceipt(seg, receiptBody(f.model1(), f.motion1()));
        long second = postReceipt(seg, receiptBody(f.model1(), f.motion1()).put("seed", 99)).get("id").longValue();
        // (query speed is measured by `reelmark bench provenance`, not asserted here)
        JsonNode fwd = http.get("/api/segments/" + seg + "/provenance").json();
        assertThat(fwd.get("latest").get("id").longValue()).isEqualTo(second);
        assertThat(fwd.get("latest").get("seed").longValue()).isEqualTo(99);
        assertThat(fwd.get("receipts")).hasSize(2);
        assertThat(fwd.get("stale").asBoolean()).isFalse();
        JsonNode none = http.get("/api/segments/" + f.segments().get(1) + "/provenance").json();
        assertThat(none.get("latest").isNull()).isTrue();
        assertThat(http.get("/api/segments/999999/provenance").status()).isEqualTo(404);
        var done = http.post("/api/receipts/" + second + "/complete", "{\"generation_duration_ms\": 4200}");
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("generation_duration_ms").longValue()).isEqualTo(4200);
    }

    @Test
    void everyEndpointIsDocumentedUnderTheProvenanceTag() {
        ApiRouter router = new ApiRouter();
        new ProvenanceRoutes(null, null).register(router);
        // The responses reuse the catalog's Segment and Asset and the jobs' Job schemas: take them from those features.
        ApiRouter others = new ApiRouter();
        new dev.reelmark.catalog.CatalogRoutes(null, null, null).register(others);
        new dev.reelmark.jobs.JobRoutes(null).register(others);
        for (String shared : List.of("Segment", "Asset", "Job")) router.schema(shared, others.schemas().get(shared));
        ObjectNode doc = dev.reelmark.http.OpenApi.document(router, "test");
        List<String> expected = List.of("/api/segments/{id}/receipts", "/api/receipts/{id}/complete", "/api/segments/{id}/provenance",
                "/api/assets/{id}/usage", "/api/projects/{id}/staleness-report", "/api/projects/{id}/regenerate-stale", "/api/provenance/import",
                "/api/provenance/drafts/{id}", "/api/segments/{id}/regeneration-draft", "/api/provenance/verify", "/api/receipts/{id}/comfy");
        assertThat(doc.get("paths").properties()).extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrderElementsOf(expected);
        String text = doc.toString();
        var refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z0-9_]+)").matcher(text);
        while (refs.find()) assertThat(doc.get("components").get("schemas").has(refs.group(1))).as(refs.group(1)).isTrue();
        doc.get("paths").forEach(path -> path.forEach(op -> {
            assertThat(op.get("tags").get(0).asText()).isEqualTo("provenance");
            assertThat(op.get("summary").asText()).isNotBlank();
            assertThat(op.get("responses").has("400")).isTrue();
        }));
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void aNewSourceImageVersionMakesItsSegmentsStale(Vendor vendor) {
        start(vendor);
        postReceipt(f.segments().get(0), receiptBody(f.model1(), f.motion1()));
        ObjectNode body = receiptBody(f.model1(), f.motion1());
        body.remove("source_image_id");
        postReceipt(f.segments().get(1), body);
        long v2 = catalog.createVersion(CatalogModel.IMAGES, f.source(), Json.object().put("filename", "ava-v2.png")
                .put("path", "img/ava-v2.png").put("content_hash", hex('b'))).get("id").longValue();
        JsonNode report = http.get("/api/projects/" + f.project() + "/staleness-report").json();
        assertThat(report.get("total_stale_segments").asInt()).isEqualTo(1);
        JsonNode g = report.get("by_asset").get(0);
        assertThat(g.get("asset_type").asText()).isEqualTo("source_image");
        assertThat(g.get("current_id").longValue()).isEqualTo(v2);
        assertThat(g.get("message").asText()).isEqualTo("1 segment across 1 scene used ava.png v1 — you are on v2");
        // the regeneration plan swaps in the new image and its hash
        ReceiptInputs planned = provenance.plan(provenance.receipt(http.get("/api/segments/" + f.segments().get(0) + "/provenance").json().get("latest").get("id").longValue()));
        assertThat(planned.sourceImageId()).isEqualTo(v2);
        assertThat(planned.sourceImageHash()).isEqualTo(hex('b'));
    }
}
