package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.jobs.JobStatus;
import dev.reelmark.media.ClipSpec;
import dev.reelmark.media.ClipSynth;
import dev.reelmark.media.MediaProbe;
import dev.reelmark.media.SafeZip;
import dev.reelmark.testing.ApiHarness;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static dev.reelmark.sidecar.SidecarTemplatesApiTest.assertBadField;
import static dev.reelmark.sidecar.SidecarTemplatesApiTest.builtinId;
import static dev.reelmark.sidecar.SidecarTemplatesApiTest.parseXml;
import static org.assertj.core.api.Assertions.assertThat;

/** Sidecar export jobs on the demo studio, over real HTTP, on both databases. */
class SidecarExportApiTest {
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    static Job await(ApiHarness h, long jobId) throws InterruptedException {
        Job job = h.app.jobs().awaitTerminal(jobId, WAIT);
        assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.COMPLETED);
        return job;
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void exportsEveryTemplateForEveryDemoVideoAndZipsIt(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            Path data = DemoData.dataDir(h);
            List<Long> all = new ArrayList<>();
            h.http.get("/api/sidecar-templates").json().get("items").forEach(t -> all.add(t.get("id").longValue()));
            var r = h.http.post("/api/projects/" + project + "/export-sidecars", "{\"template_ids\": " + all + ", \"include_media\": true}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            Job job = await(h, r.json().get("id").longValue());
            JsonNode result = job.result();
            List<ObjectNode> segments = h.app.catalog().list(CatalogModel.SEGMENTS, Map.of(), 100, null).items();
            assertThat(result.get("videos").intValue()).isEqualTo(segments.size());
            assertThat(result.get("failed").intValue()).isZero();
            assertThat(job.progressDone()).isEqualTo(segments.size());
            Path out = Path.of(result.get("directory").asText());
            MediaProbe probe = new MediaProbe();

            for (ObjectNode seg : segments) {
                String stored = seg.get("output_video_path").asText();             // media/ava_reyes/idle/segment_0.mp4
                String stem = stored.substring(0, stored.lastIndexOf('.'));
                Path xml = out.resolve("nuke_xml").resolve(stem + ".xml");
                Path csv = out.resolve("after_effects_csv").resolve(stem + ".csv");
                assertThat(xml).as("sidecar named after " + stored).exists();
                assertThat(csv).exists();
                assertThat(out.resolve("resolve_xml").resolve(stem + ".xml")).exists();
                var probed = probe.probe(data.resolve(stored));
                Document doc = parseXml(Files.readString(xml));
                assertThat(doc.getDocumentElement().getTagName()).isEqualTo("clip");
                assertThat(doc.getElementsByTagName("resolution").item(0).getTextContent()).isEqualTo(probed.width() + "x" + probed.height());
                assertThat(doc.getElementsByTagName("codec").item(0).getTextContent()).isEqualTo(probed.videoCodec());
                try (CSVParser p = CSVParser.parse(Files.readString(csv), CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                    List<CSVRecord> rows = p.getRecords();
                    assertThat(p.getHeaderNames()).containsExactly("frame", "face_confidence", "motion_score", "quality_metric", "boundary_ssim");
                    long metrics = h.app.catalog().list(CatalogModel.FRAME_METRICS, Map.of("segment_id", seg.get("id").longValue()), 1, null).total();
                    assertThat(rows).hasSize((int) Math.max(probed.frameCount(), metrics));
                    if (metrics == 0) assertThat(rows.get(0).get("motion_score")).isEqualTo("null");
                    else assertThat(rows.get(0).get("motion_score")).isNotEqualTo("null");
                }
            }
            // Resolve metadata CSV: one row per clip, matched by File Name; Clip Directory relative to the package root,
            // whose video layout is the data directory's
            Path resolveCsv = out.resolve("davinci_resolve_metadata_csv/davinci_resolve_metadata_csv.csv");
            try (CSVParser p = CSVParser.parse(Files.readString(resolveCsv), CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                List<CSVRecord> rows = p.getRecords();
                assertThat(rows).hasSize(segments.size());
                assertThat(p.getHeaderNames()).startsWith("File Name", "Clip Directory");
                assertThat(data.resolve(rows.get(0).get("Clip Directory")).resolve(rows.get(0).get("File Name"))).exists();
            }
            // Avid ALE: one file per frame rate, every clip once
            int aleRows = 0;
            try (Stream<Path> ales = Files.list(out.resolve("avid_ale"))) {
                for (Path ale : ales.toList()) {
                    String text = Files.readString(ale);
                    assertThat(text).startsWith("Heading\nFIELD_DELIM\tTABS\n");
                    String data2 = text.substring(text.indexOf("\nData\n") + 6);
                    aleRows += (int) data2.lines().filter(l -> !l.isBlank()).count();
                }
            }
            assertThat(aleRows).isEqualTo(segments.size());
            // OTIO: one timeline per scene with its segments in order
            int otioClips = 0;
            Set<Long> scenes = new HashSet<>();
            segments.forEach(s -> scenes.add(s.get("scene_id").longValue()));
            try (Stream<Path> walk = Files.walk(out.resolve("opentimelineio_timeline"))) {
                List<Path> files = walk.filter(f -> f.toString().endsWith(".otio")).toList();
                assertThat(files).hasSize(scenes.size());
                for (Path f : files) {
                    JsonNode t = Json.parse(Files.readString(f));
                    JsonNode clips = t.get("tracks").get("children").get(0).get("children");
                    int last = -1;
                    for (JsonNode c : clips) {
                        int idx = c.get("metadata").get("reelmark").get("sequence_index").intValue();
                        assertThat(idx).isGreaterThan(last);
                        last = idx;
                        String url = c.get("media_references").get("DEFAULT_MEDIA").get("target_url").asText();
                        assertThat(data.resolve(java.net.URI.create(url).getPath())).exists();
                        otioClips++;
                    }
                }
            }
            assertThat(otioClips).isEqualTo(segments.size());
            String nk = Files.readString(out.resolve("nuke_read_nodes/nuke_read_nodes.nk"));
            assertThat(nk.split("\nRead \\{", -1).length - 1).isEqualTo(segments.size());
            // no receipts yet: every clip's generation facts say where they came from
            assertThat(nk).contains("rm_generation_source \"");
            assertThat(nk).doesNotContain("rm_generation_source \"receipt\"");

            // the ZIP download: every sidecar plus the videos under media/, safe names only
            byte[] zip = h.http.getBytes("/api/sidecar-exports/" + job.id() + "/download");
            Set<String> names = new HashSet<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    names.add(SafeZip.checkName(e.getName()));
                    in.readAllBytes(); // checks each entry's CRC
                    if (e.getName().endsWith(".mp4")) assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
                }
            }
            assertThat(names).contains("nuke_xml/" + segments.get(0).get("output_video_path").asText().replaceAll("\\.[a-z0-9]+$", ".xml"));
            assertThat(names).contains(segments.get(0).get("output_video_path").asText());
            assertThat(names.size()).isEqualTo(result.get("files").intValue() + segments.size());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void characterScopeMissingVideosFormulasAndBadRequests(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            long project = DemoData.build(h);
            Path data = DemoData.dataDir(h);
            long ava = DemoData.characters(h, project).get(0);
            long resolveCsv = builtinId(h.http, "DaVinci Resolve Metadata CSV");
            long nukeXml = builtinId(h.http, "Nuke XML");

            // a clip whose prompt is a spreadsheet formula and whose text has XML-hostile characters
            ObjectNode scene = h.app.catalog().list(CatalogModel.SCENES, Map.of("character_id", ava), 1, null).items().get(0);
            new ClipSynth().synthesize(ClipSpec.of(160, 90, 24, 0.5).withTag("comment", "=HYPERLINK(\"http://x\",\"<b>&\u0001\")"),
                    data.resolve("media/evil/=cmd.mp4"));
            long evil = h.app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene.get("id").longValue())
                    .put("sequence_index", 9).put("output_video_path", "media/evil/=cmd.mp4").put("status", "complete")).get("id").longValue();
            long gone = h.app.catalog().create(CatalogModel.SEGMENTS, Json.object().put("scene_id", scene.get("id").longValue())
                    .put("sequence_index", 10).put("output_video_path", "media/evil/vanished.mp4")).get("id").longValue();

            var preview = h.http.get("/api/sidecar-templates/" + resolveCsv + "/preview?segment_id=" + evil).json();
            try (CSVParser p = CSVParser.parse(new StringReader(preview.get("content").asText()), CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                CSVRecord row = p.getRecords().get(0);
                assertThat(row.get("File Name")).isEqualTo("=cmd.mp4"); // verbatim: Resolve matches clips by it
                assertThat(row.get("Description")).isEmpty(); // its comment is no ComfyUI graph: no prompt
            }
            // with a receipt whose prompt is a formula with XML-hostile characters, the receipt's prompt is shown, escaped
            long model = h.app.catalog().list(CatalogModel.ASSETS, Map.of("kind", "model"), 1, null).items().get(0).get("id").longValue();
            ObjectNode receipt = Json.object().put("model_asset_id", model).put("prompt_text", "=HYPERLINK(\"http://x\",\"<b>&\u0001\")")
                    .put("cfg_scale", 6.5).put("seed", 7).put("resolution_width", 160).put("resolution_height", 90)
                    .put("steps", 20).put("sampler", "euler");
            receipt.putArray("loras");
            assertThat(h.http.post("/api/segments/" + evil + "/receipts", receipt.toString()).status()).isEqualTo(201);
            preview = h.http.get("/api/sidecar-templates/" + resolveCsv + "/preview?segment_id=" + evil).json();
            try (CSVParser p = CSVParser.parse(new StringReader(preview.get("content").asText()), CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                assertThat(p.getRecords().get(0).get("Description")).startsWith("'=HYPERLINK(");
            }
            var xml = h.http.post("/api/sidecar-templates/preview", "{\"format\":\"xml\",\"segment_id\":" + evil
                    + ",\"template_json\":{\"root_element\":\"clip\",\"fields\":[\"prompt\",\"file_name\"]}}").json();
            Document doc = parseXml(xml.get("content").asText());
            assertThat(doc.getElementsByTagName("prompt").item(0).getTextContent()).isEqualTo("=HYPERLINK(\"http://x\",\"<b>&\")");
            assertThat(xml.get("file_name").asText()).isEqualTo("=cmd.xml");
            assertThat(doc.getDocumentElement().getAttribute("generation_source")).isEqualTo("receipt");

            var r = h.http.post("/api/projects/" + project + "/export-sidecars", "{\"template_ids\": [" + nukeXml + "], \"character_id\": " + ava + "}");
            Job job = await(h, r.json().get("id").longValue());
            JsonNode result = job.result();
            assertThat(result.get("failed").intValue()).isEqualTo(1);
            assertThat(result.get("failures").get(0).get("segment_id").longValue()).isEqualTo(gone);
            Path out = Path.of(result.get("directory").asText());
            try (Stream<Path> walk = Files.walk(out)) {
                List<String> files = walk.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).toList();
                assertThat(files).allMatch(f -> f.startsWith("nuke_xml/media/ava_reyes/") || f.startsWith("nuke_xml/media/evil/"));
                assertThat(files).contains("nuke_xml/media/evil/=cmd.xml");
            }

            String p = "/api/projects/" + project + "/export-sidecars";
            assertBadField(h.http.post(p, "{\"template_ids\": []}"), "template_ids");
            assertBadField(h.http.post(p, "{\"template_ids\": [" + nukeXml + ", 999]}"), "template_ids[1]");
            assertBadField(h.http.post(p, "{\"template_ids\": [" + nukeXml + "], \"character_id\": 999}"), "character_id");
            assertBadField(h.http.post(p, "{\"template_ids\": [" + nukeXml + "], \"scope\": \"all\"}"), "scope");
            assertThat(h.http.post("/api/projects/999/export-sidecars", "{\"template_ids\": [" + nukeXml + "]}").status()).isEqualTo(404);
            assertThat(h.http.get("/api/sidecar-exports/" + job.id() + "/download").status()).isEqualTo(200);
            assertThat(h.http.get("/api/sidecar-exports/999/download").status()).isEqualTo(404);
        }
    }
}
