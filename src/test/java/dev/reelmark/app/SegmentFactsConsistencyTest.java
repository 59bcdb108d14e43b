package dev.reelmark.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.catalog.SegmentContext;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.provenance.ProvenanceService;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After the demo studio (clips, catalog and its generation receipts, as {@code reelmark demo} makes them), every
 * artifact that shows generation facts shows the same ones for every segment, with their source: the VFX sidecar
 * XML, the training dataset's metadata.jsonl, video_metadata.json, the tagging plan and the ledger mirror. After a
 * tag write, a clip without a receipt never gets its {@code People:} line as a dataset caption.
 */
class SegmentFactsConsistencyTest {
    static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    /** What the latest receipt of a segment says, as the provenance API answers it. */
    record Expected(long receiptId, String prompt, long seed, String model, String modelVersion, List<String> loras,
                    List<Double> weights) {
    }

    static Expected expected(TestHttp http, long segment) {
        JsonNode r = http.get("/api/segments/" + segment + "/provenance").json().get("latest");
        assertThat(r.isNull()).as("segment %d has a receipt", segment).isFalse();
        List<String> loras = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        r.get("loras").forEach(l -> {
            loras.add(l.get("lora_name").asText());
            weights.add(l.get("weight").doubleValue());
        });
        return new Expected(r.get("id").longValue(), r.get("prompt_text").asText(), r.get("seed").longValue(),
                r.get("model_name").asText(), r.get("model_version").asText(), loras, weights);
    }

    /** The generation facts object shared by every artifact (snake_case, from GenerationFacts.toJson). */
    static void assertFacts(String where, JsonNode facts, Expected e) {
        assertThat(facts.get("generation_source").asText()).as(where).isEqualTo("receipt");
        assertThat(facts.get("receipt_id").longValue()).as(where).isEqualTo(e.receiptId());
        assertThat(facts.get("prompt").asText()).as(where).isEqualTo(e.prompt());
        assertThat(facts.get("seed").longValue()).as(where).isEqualTo(e.seed());
        assertThat(facts.get("models").get(0).get("name").asText()).as(where).isEqualTo(e.model());
        assertThat(facts.get("models").get(0).get("version").asText()).as(where).isEqualTo(e.modelVersion());
        List<String> names = new ArrayList<>();
        List<Double> strengths = new ArrayList<>();
        facts.get("loras").forEach(l -> {
            names.add(l.get("name").asText());
            strengths.add(l.get("strength_model").doubleValue());
        });
        assertThat(names).as(where).isEqualTo(e.loras());
        assertThat(strengths).as(where).isEqualTo(e.weights());
    }

    static Document xml(String text) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The sidecar's {@code <param name=…>}/{@code <item>} encoding of JSON, back to JSON (text values). */
    static JsonNode fromXml(Element e) {
        List<Element> children = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) children.add((Element) nodes.item(i));
        if ("true".equals(e.getAttribute("null"))) return Json.MAPPER.nullNode();
        if (children.isEmpty()) {
            String text = e.getTextContent().strip();
            return text.matches("-?\\d+(\\.\\d+)?") ? Json.parse(text) : Json.MAPPER.getNodeFactory().textNode(text);
        }
        if (children.get(0).getTagName().equals("item")) {
            var array = Json.MAPPER.createArrayNode();
            children.forEach(c -> array.add(fromXml(c)));
            return array;
        }
        var object = Json.object();
        children.forEach(c -> object.set(c.getAttribute("name"), fromXml(c)));
        return object;
    }

    static long builtinId(TestHttp http, String name) {
        for (JsonNode t : http.get("/api/sidecar-templates").json().get("items")) if (t.get("name").asText().equals(name)) return t.get("id").longValue();
        throw new AssertionError("no template " + name);
    }

    static Map<Long, JsonNode> datasetRows(ApiHarness h, long project) throws Exception {
        var r = h.http.post("/api/projects/" + project + "/export-dataset",
                // every segment of the demo, finished or not: the facts are compared for each
                "{\"name\": \"facts\", \"include_videos\": false, \"frame_images\": true, \"include_unfinished\": true}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        Job job = h.app.jobs().awaitTerminal(r.json().get("job_id").longValue(), WAIT);
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.COMPLETED);
        JsonNode d = h.http.get("/api/projects/" + project + "/datasets/" + r.json().get("id").longValue()).json();
        Map<Long, JsonNode> rows = new HashMap<>();
        try (ZipFile zip = new ZipFile(Path.of(d.get("file_path").asText()).toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.getName().endsWith("/metadata.jsonl")) continue;
                try (var in = zip.getInputStream(e)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                        JsonNode row = Json.parse(line);
                        rows.put(row.get("segment_id").longValue(), row);
                    }
                }
            }
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void everyArtifactShowsTheSameGenerationFactsWithTheirSource(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Reelmark app = h.app;
            DemoStudio.Summary demo = new DemoStudio(app.catalog(), app.config().dataDir(), app.ffmpegTools()).build((d, t) -> { });
            long project = demo.projectId();
            assertThat(app.provenance().recordDemoReceipts(project)).isEqualTo(demo.segments());
            List<SegmentContext> segments = app.segmentFacts().scope(project, null);
            assertThat(segments).hasSize(demo.segments());
            Map<Long, Expected> expected = new HashMap<>();
            for (SegmentContext s : segments) expected.put(s.segmentId(), expected(h.http, s.segmentId()));
            // the demo's receipts differ per segment (seed) and between scenes (model version, LoRA versions)
            assertThat(expected.values().stream().map(Expected::seed).distinct().count()).isEqualTo(segments.size());

            // the demo clip with ComfyUI's graph in its comment names the same prompt and seed as its receipt
            SegmentContext comfy = segments.stream().filter(s -> s.segment().outputVideoPath().equals("media/chloe_martin/idle/segment_0.mp4"))
                    .findFirst().orElseThrow();
            JsonNode comment = Json.parse(app.segmentFacts().footage(comfy.segmentId()).probe().comment());
            Map<String, JsonNode> byClass = new HashMap<>();
            comment.get("prompt").fields().forEachRemaining(n -> byClass.putIfAbsent(n.getValue().get("class_type").asText(), n.getValue()));
            assertThat(byClass.get("KSampler").get("inputs").get("seed").longValue()).isEqualTo(expected.get(comfy.segmentId()).seed());
            assertThat(comment.get("prompt").get("6").get("inputs").get("text").asText()).isEqualTo(expected.get(comfy.segmentId()).prompt());
            assertThat(expected.get(comfy.segmentId()).seed()).isEqualTo(ProvenanceService.demoSeed(comfy.segmentId()));

            // 1. the VFX sidecar (Nuke XML): generation_source on the clip, every fact under generation_params
            long nukeXml = builtinId(h.http, "Nuke XML");
            for (SegmentContext s : segments) {
                JsonNode preview = h.http.get("/api/sidecar-templates/" + nukeXml + "/preview?segment_id=" + s.segmentId()).json();
                Document doc = xml(preview.get("content").asText());
                assertThat(doc.getDocumentElement().getAttribute("generation_source")).isEqualTo("receipt");
                JsonNode params = fromXml((Element) doc.getElementsByTagName("generation_params").item(0));
                assertFacts("sidecar of segment " + s.segmentId(), params, expected.get(s.segmentId()));
            }

            // 2. the training dataset's metadata.jsonl: one row per sample with the facts and their source
            Map<Long, JsonNode> rows = datasetRows(h, project);
            assertThat(rows).hasSize(segments.size());
            for (SegmentContext s : segments) {
                JsonNode row = rows.get(s.segmentId());
                Expected e = expected.get(s.segmentId());
                assertThat(row.get("generation_source").asText()).isEqualTo("receipt");
                assertThat(row.get("receipt_id").longValue()).isEqualTo(e.receiptId());
                assertThat(row.get("caption").asText()).isEqualTo(e.prompt());
                assertThat(row.get("prompt").asText()).isEqualTo(e.prompt());
                // seeds are decimal text (ComfyUI's are unsigned 64-bit), LoRA weights JSON text {name: strength}
                assertThat(row.get("seed").asText()).isEqualTo(Long.toUnsignedString(e.seed()));
                assertThat(row.get("model").asText()).isEqualTo(e.model());
                List<String> names = new ArrayList<>();
                List<Double> weights = new ArrayList<>();
                Json.parse(row.get("lora_weights").asText()).fields().forEachRemaining(l -> {
                    names.add(l.getKey());
                    weights.add(l.getValue().doubleValue());
                });
                assertThat(names).isEqualTo(e.loras());
                assertThat(weights).isEqualTo(e.weights());
            }

            // 3. video_metadata.json: per-segment provenance (which receipt, which model version) and technical info
            for (long scene : segments.stream().map(SegmentContext::sceneId).distinct().toList()) {
                JsonNode doc = h.http.get("/api/scenes/" + scene + "/metadata/preview").json();
                assertThat(app.metadata().schemas().validate("video_metadata", doc)).isEmpty();
                JsonNode provenance = doc.get("provenance");
                assertThat(provenance.get("generation_source").asText()).isEqualTo("receipt");
                List<SegmentContext> ofScene = segments.stream().filter(s -> s.sceneId() == scene).toList();
                assertThat(provenance.get("segments")).hasSize(ofScene.size());
                for (int i = 0; i < ofScene.size(); i++) {
                    JsonNode seg = provenance.get("segments").get(i);
                    assertThat(seg.get("segment_id").longValue()).isEqualTo(ofScene.get(i).segmentId());
                    assertFacts("video_metadata.json of scene " + scene, seg, expected.get(ofScene.get(i).segmentId()));
                }
                assertThat(provenance.get("segments_differ").toString()).contains("seed");
                JsonNode technical = doc.get("technical");
                assertThat(technical.get("per_segment")).hasSize(ofScene.size());
                List<String> resolutions = new ArrayList<>();
                technical.get("per_segment").forEach(t -> resolutions.add(t.get("resolution").asText()));
                assertThat(technical.get("segments_differ").toString().contains("resolution"))
                        .isEqualTo(resolutions.stream().distinct().count() > 1);
            }

            // 4. the tagging plan's provenance view
            JsonNode plan = h.http.get("/api/metadata/plan?per_page=100").json();
            int planned = 0;
            for (JsonNode item : plan.get("items")) {
                long segment = item.get("segment_ids").get(0).longValue();
                if (!expected.containsKey(segment)) continue;
                assertFacts("tagging plan of " + item.get("file_name").asText(), item.get("provenance"), expected.get(segment));
                planned++;
            }
            assertThat(planned).isEqualTo(segments.size());
            assertThat(plan.get("statistics").get("with_provenance").asInt()).isEqualTo(segments.size());

            // 5. the ledger mirror: generated-videos.json entries carry the segment's prompt and facts
            assertThat(h.http.post("/api/projects/" + project + "/ledger/mirror", "{\"follow\": false}").status()).isEqualTo(200);
            JsonNode ledger = Json.parse(Files.readString(app.config().dataDir().resolve("generated-videos.json")));
            int mirrored = 0;
            for (JsonNode entry : ledger) {
                long segment = entry.get("catalog").get("segmentId").longValue();
                assertThat(entry.get("prompt").asText()).isEqualTo(expected.get(segment).prompt());
                assertFacts("ledger entry of segment " + segment, entry.get("generation"), expected.get(segment));
                mirrored++;
            }
            assertThat(mirrored).isEqualTo(segments.size());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void afterATagWriteADatasetCaptionIsNeverThePeopleLine(Vendor vendor) throws Exception {
        try (ApiHarness h = new ApiHarness(vendor, dir)) {
            Reelmark app = h.app;
            DemoStudio.Summary demo = new DemoStudio(app.catalog(), app.config().dataDir(), app.ffmpegTools()).build((d, t) -> { });
            long project = demo.projectId();
            // no receipts: write the people of every writable clip into its comment tag
            JsonNode plan = h.http.get("/api/metadata/plan?per_page=100").json();
            var hashes = Json.MAPPER.createArrayNode();
            plan.get("items").forEach(i -> {
                if (i.get("can_update").asBoolean() && !"danger".equals(i.get("risk_level").asText())) hashes.add(i.get("file_hash").asText());
            });
            assertThat(hashes.size()).isGreaterThanOrEqualTo(demo.segments() - 1);
            var started = h.http.post("/api/metadata/write", Json.object().set("file_hashes", hashes).toString());
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            app.tagging().await(started.json().get("operation_id").asLong(), WAIT);
            JsonNode status = h.http.get("/api/metadata/operations/" + started.json().get("operation_id").asLong()).json();
            assertThat(status.get("operation").get("success_count").asInt()).as(status.toString()).isEqualTo(hashes.size());

            Map<Long, JsonNode> rows = datasetRows(h, project);
            assertThat(rows).isNotEmpty();
            int peopleComments = 0;
            for (SegmentContext s : app.segmentFacts().scope(project, null)) {
                JsonNode row = rows.get(s.segmentId());
                if (row == null) continue;
                String comment = app.segmentFacts().footage(s.segmentId()).probe().comment();
                if (comment != null && comment.startsWith("People: ")) {
                    peopleComments++;
                    // a clip without a receipt whose comment is no ComfyUI graph: source none, no prompt, no caption
                    assertThat(row.get("generation_source").asText()).isEqualTo("none");
                    // metadata.jsonl columns are never null (Hugging Face infers one type per column): unknown is ""
                    assertThat(row.get("prompt").asText()).isEmpty();
                    assertThat(row.get("caption").asText()).isEmpty();
                }
                assertThat(row.get("caption").asText("")).doesNotContain("People:");
                assertThat(row.get("prompt").asText("")).doesNotContain("People:");
            }
            assertThat(peopleComments).isGreaterThanOrEqualTo(rows.size() - 1);
        }
    }
}
