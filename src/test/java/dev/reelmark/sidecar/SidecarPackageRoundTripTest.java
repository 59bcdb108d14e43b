package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelmark.catalog.CatalogModel;
import dev.reelmark.db.Vendor;
import dev.reelmark.json.Json;
import dev.reelmark.jobs.Job;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.Consumers;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.reelmark.sidecar.SidecarExportApiTest.await;
import static dev.reelmark.sidecar.SidecarTemplatesApiTest.parseXml;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sidecar export and a metadata delivery unpacked into a new folder by Python's zipfile: every name survives
 * (UTF-8 flagged), colliding names get distinct files with the right bytes, and every path any sidecar references
 * (XML, Resolve CSV, OTIO, the Nuke script through the real TCL interpreter, the metadata's video paths) resolves
 * to the packaged file.
 */
class SidecarPackageRoundTripTest {
    /** Stored path → ffmpeg rate, size, frames. */
    static final Map<String, Object[]> VIDEOS = new LinkedHashMap<>();

    static {
        VIDEOS.put("media/set/évènement 🎬.mov", new Object[]{"24000/1001", 1280, 720, 12});
        VIDEOS.put("media/set/a:b.mp4", new Object[]{"30000/1001", 320, 240, 90});  // ':' cannot unpack on Windows
        VIDEOS.put("media/set/a_b.mp4", new Object[]{"60000/1001", 320, 240, 6});
        VIDEOS.put("media/set/x.mp4", new Object[]{"30000/1001", 320, 240, 6});
        VIDEOS.put("media/set/x.mov", new Object[]{"30000/1001", 320, 240, 6});
    }

    @TempDir
    static Path cache;
    @TempDir
    Path dir;

    @BeforeAll
    static void videos() {
        VIDEOS.forEach((stored, v) -> RateClips.make(cache.resolve(stored), (String) v[0], (int) v[1], (int) v[2], (int) v[3]));
    }

    static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    static long create(ApiHarness h, dev.reelmark.catalog.EntityType type, ObjectNode body) {
        return h.app.catalog().create(type, body).get("id").longValue();
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void packagesUnpackedElsewhereResolveEveryPathAndKeepEveryName(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            Path data = DemoData.dataDir(h);
            long project = create(h, CatalogModel.PROJECTS, Json.object().put("name", "Round trip"));
            long type = create(h, CatalogModel.SCENE_TYPES, Json.object().put("project_id", project).put("name", "idle"));
            long character = create(h, CatalogModel.CHARACTERS, Json.object().put("project_id", project).put("name", SidecarRendererTest.TCL_NAME));
            long scene = create(h, CatalogModel.SCENES, Json.object().put("character_id", character).put("scene_type_id", type).put("name", "dance"));
            Map<String, Long> segments = new LinkedHashMap<>();
            int seq = 0;
            for (String stored : VIDEOS.keySet()) {
                Files.createDirectories(data.resolve(stored).getParent());
                Files.copy(cache.resolve(stored), data.resolve(stored));
                segments.put(stored, create(h, CatalogModel.SEGMENTS, Json.object().put("scene_id", scene).put("sequence_index", seq++)
                        .put("output_video_path", stored).put("status", "complete")));
            }
            // the character's portrait, named as a Mac user would (':' cannot be on Windows): packaged with the delivery
            Path portrait = data.resolve("images/Zoë: portrait.png");
            Files.createDirectories(portrait.getParent());
            Files.copy(cache.resolve("media/set/x.mp4"), portrait); // any bytes: metadata records the file, not pixels
            create(h, CatalogModel.IMAGES, Json.object().put("character_id", character).put("image_type", "source")
                    .put("filename", "Zoë: portrait.png").put("path", "images/Zoë: portrait.png"));
            long ninety = segments.get("media/set/a:b.mp4");
            for (int frame : new int[]{5, 120}) {
                create(h, CatalogModel.FRAME_METRICS, Json.object().put("segment_id", ninety).put("frame", frame).put("motion_score", 0.5));
            }
            List<Long> templates = new ArrayList<>();
            h.http.get("/api/sidecar-templates").json().get("items").forEach(t -> templates.add(t.get("id").longValue()));
            for (String name : List.of("nuke-xml", "Media")) {   // slugs "nuke_xml" (a built-in's) and "media" (the videos' folder)
                var r = h.http.post("/api/sidecar-templates", Json.object().put("name", name).put("format", "xml")
                        .set("template_json", Json.parse("{\"root_element\": \"clip\", \"fields\": [\"file_name\", \"video_path\"]}")).toString());
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                templates.add(r.json().get("id").longValue());
            }

            var r = h.http.post("/api/projects/" + project + "/export-sidecars", "{\"template_ids\": " + templates + ", \"include_media\": true}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            Job job = await(h, r.json().get("id").longValue());
            JsonNode result = job.result();
            assertThat(result.get("failed").intValue()).isZero();
            // templates with one folder name get one folder each and count their own files once
            JsonNode folders = result.get("folders");
            assertThat(folders.get("Nuke XML").asText()).isEqualTo("nuke_xml");
            assertThat(folders.get("nuke-xml").asText()).startsWith("nuke_xml_");
            assertThat(folders.get("Media").asText()).startsWith("media_");
            for (String t : List.of("Nuke XML", "nuke-xml", "Media", "Resolve XML", "After Effects CSV")) {
                assertThat(result.get("files_by_template").get(t).intValue()).as(t).isEqualTo(VIDEOS.size());
            }
            int sum = 0;
            for (JsonNode n : result.get("files_by_template")) sum += n.intValue();
            assertThat(result.get("files").intValue()).isEqualTo(sum);
            // the metric at frame 120 of the 90-frame video is a warning, not a 91st row
            assertThat(result.get("warnings")).hasSize(1);
            assertThat(result.get("warnings").get(0).get("segment_id").longValue()).isEqualTo(ninety);
            assertThat(result.get("warnings").get(0).get("message").asText()).contains("frames 120").contains("90 frames");

            // the same project as a metadata delivery with sidecars: the videos come along by default
            h.app.metadata().awaitIdle(Duration.ofSeconds(60));
            h.app.metadata().regenerateProject(project, false);
            long nukeXml = SidecarTemplatesApiTest.builtinId(h.http, "Nuke XML");
            long nukeNodes = SidecarTemplatesApiTest.builtinId(h.http, "Nuke Read Nodes");
            long resolveCsv = SidecarTemplatesApiTest.builtinId(h.http, "DaVinci Resolve Metadata CSV");
            var d = h.http.post("/api/projects/" + project + "/metadata/deliver",
                    "{\"format\": \"zip\", \"sidecar_template_ids\": [" + nukeXml + ", " + nukeNodes + ", " + resolveCsv + "]}");
            assertThat(d.status()).as(d.body()).isEqualTo(201);

            // Python's zipfile unpacks both packages into new folders and reports each entry's flags and hash
            Path zip = dir.resolve("export.zip");
            Files.write(zip, h.http.getBytes("/api/sidecar-exports/" + job.id() + "/download"));
            Path root = dir.resolve("unpacked"), root2 = dir.resolve("unpacked-delivery");
            JsonNode entries = Json.parse(Consumers.runPython("""
                    import hashlib, json, sys, zipfile
                    out = []
                    for path, target in zip(sys.argv[1::2], sys.argv[2::2]):
                        with zipfile.ZipFile(path) as z:
                            z.extractall(target)
                            out.append([{"name": i.filename, "utf8": bool(i.flag_bits & 0x800),
                                         "sha256": hashlib.sha256(z.read(i)).hexdigest()} for i in z.infolist()])
                    print(json.dumps(out))
                    """, Duration.ofSeconds(120), zip.toString(), root.toString(), d.json().get("path").asText(), root2.toString()));

            Map<String, String> packaged = new HashMap<>();
            for (JsonNode e : entries.get(0)) {
                assertThat(e.get("utf8").asBoolean()).as(e.get("name").asText() + " flagged UTF-8").isTrue();
                packaged.put(e.get("name").asText(), e.get("sha256").asText());
            }
            // the videos: own names, the Windows-hostile one renamed with a suffix, every one the right bytes
            long colon = segments.get("media/set/a:b.mp4"), xmov = segments.get("media/set/x.mov");
            Map<String, String> expected = Map.of("media/set/évènement 🎬.mov", "media/set/évènement 🎬.mov",
                    "media/set/a_b.mp4", "media/set/a_b.mp4", "media/set/a_b_segment" + colon + ".mp4", "media/set/a:b.mp4",
                    "media/set/x.mp4", "media/set/x.mp4", "media/set/x.mov", "media/set/x.mov");
            for (var e : expected.entrySet()) assertThat(packaged.get(e.getKey())).as(e.getKey()).isEqualTo(sha(data.resolve(e.getValue())));
            assertThat(packaged).containsKeys("nuke_xml/media/set/évènement 🎬.xml", "nuke_xml/media/set/a_b_segment" + colon + ".xml",
                    "nuke_xml/media/set/x.xml", "nuke_xml/media/set/x_segment" + xmov + ".xml", "after_effects_csv/media/set/évènement 🎬.csv");
            Map<Long, String> shaBySegment = new HashMap<>();
            for (var e : segments.entrySet()) shaBySegment.put(e.getValue(), sha(data.resolve(e.getKey())));

            checkReferences(root, "", shaBySegment, segments.size());
            checkReferences(root2, "sidecars/", shaBySegment, segments.size());
            try (CSVParser p = CSVParser.parse(Files.readString(root.resolve("after_effects_csv/media/set/a_b_segment" + colon + ".csv")),
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                assertThat(p.getRecords()).hasSize(90);
            }
            // ALE: exact rates, one file per rate and format, Names unique across the project
            Set<String> rates = new HashSet<>(), names = new HashSet<>();
            try (Stream<Path> ales = Files.list(root.resolve("avid_ale"))) {
                for (Path ale : ales.toList()) {
                    String text = Files.readString(ale);
                    String fps = text.lines().filter(l -> l.startsWith("FPS\t")).findFirst().orElseThrow().substring(4);
                    rates.add(fps);
                    assertThat(ale.getFileName().toString()).contains("_" + fps + "fps_");
                    for (String row : text.substring(text.indexOf("\nData\n") + 6).lines().toList()) assertThat(names.add(row.split("\t")[0])).as(row).isTrue();
                }
            }
            assertThat(rates).containsExactlyInAnyOrder("23.976", "29.97", "59.94");
            assertThat(names).hasSize(VIDEOS.size()).allMatch(n -> n.startsWith("dance — "));

            // the delivery: metadata files point at the packaged videos too, and every entry is flagged UTF-8
            for (JsonNode e : entries.get(1)) assertThat(e.get("utf8").asBoolean()).isTrue();
            try (Stream<Path> walk = Files.walk(root2)) {
                List<Path> metadata = walk.filter(p -> p.getFileName().toString().equals("video_metadata.json")).toList();
                assertThat(metadata).hasSize(1);
                for (JsonNode s : Json.parse(Files.readString(metadata.get(0))).get("segments")) {
                    Path video = root2.resolve(s.get("output_video_path").asText());
                    assertThat(video).as(s.toString()).exists();
                    assertThat(sha(video)).isEqualTo(shaBySegment.get(s.get("segment_id").longValue()));
                }
            }

            try (Stream<Path> walk = Files.walk(root2)) {
                List<Path> characters = walk.filter(p -> p.getFileName().toString().equals("metadata.json")).toList();
                assertThat(characters).hasSize(1);
                JsonNode image = Json.parse(Files.readString(characters.get(0))).get("source_image");
                assertThat(image.get("path").asText()).isEqualTo("images/Zoë_ portrait.png");
                assertThat(sha(root2.resolve(image.get("path").asText()))).isEqualTo(sha(portrait));
            }

            // server_paths: the files reference the videos where they are on this server (media already there)
            r = h.http.post("/api/projects/" + project + "/export-sidecars", "{\"template_ids\": [" + resolveCsv + ", " + nukeXml + "], \"server_paths\": true}");
            Path out = Path.of(await(h, r.json().get("id").longValue()).result().get("directory").asText());
            try (CSVParser p = CSVParser.parse(Files.readString(out.resolve("davinci_resolve_metadata_csv/davinci_resolve_metadata_csv.csv")),
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                for (CSVRecord row : p.getRecords()) {
                    Path dirOnServer = Path.of(row.get("Clip Directory"));
                    assertThat(dirOnServer).isAbsolute();
                    assertThat(dirOnServer.resolve(row.get("File Name"))).exists();
                }
            }
            Element clip = parseXml(Files.readString(out.resolve("nuke_xml/media/set/a_b_segment" + colon + ".xml"))).getDocumentElement();
            assertThat(clip.getAttribute("path")).isEqualTo(data.toRealPath().resolve("media/set/a:b.mp4").toString());
            assertThat(clip.getAttribute("source")).isEqualTo("a:b.mp4");
        }
    }

    /**
     * Every path the sidecars under {@code <root>/<prefix>} reference resolves inside {@code root} to the video of
     * that segment: XML {@code path}, Resolve's Clip Directory + File Name, OTIO target_url, and the Nuke script's
     * Read files against its project directory as the TCL interpreter evaluates them.
     */
    static void checkReferences(Path root, String prefix, Map<Long, String> shaBySegment, int videos) throws Exception {
        int xmls = 0;
        try (Stream<Path> walk = Files.walk(root.resolve(prefix + "nuke_xml"))) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".xml")).toList()) {
                Document doc = parseXml(Files.readString(f));
                Element e = doc.getDocumentElement();
                Path video = root.resolve(e.getAttribute("path"));
                assertThat(sha(video)).as(f.toString()).isEqualTo(shaBySegment.get(Long.parseLong(e.getAttribute("segment_id"))));
                assertThat(f.getFileName().toString()).startsWith(dev.reelmark.media.PortableNames.stem(e.getAttribute("source")));
                xmls++;
            }
        }
        assertThat(xmls).isEqualTo(videos);
        try (CSVParser p = CSVParser.parse(Files.readString(root.resolve(prefix + "davinci_resolve_metadata_csv/davinci_resolve_metadata_csv.csv")),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            List<CSVRecord> rows = p.getRecords();
            assertThat(rows).hasSize(videos);
            for (CSVRecord row : rows) assertThat(root.resolve(row.get("Clip Directory")).resolve(row.get("File Name"))).exists();
        }
        if (prefix.isEmpty()) {
            try (Stream<Path> walk = Files.walk(root.resolve("opentimelineio_timeline"))) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".otio")).toList()) {
                    for (JsonNode c : Json.parse(Files.readString(f)).get("tracks").get("children").get(0).get("children")) {
                        String url = c.get("media_references").get("DEFAULT_MEDIA").get("target_url").asText();
                        assertThat(root.resolve(URI.create(url).getPath())).as(url).exists();
                    }
                }
            }
        }
        Path script = root.resolve(prefix + "nuke_read_nodes/nuke_read_nodes.nk");
        List<String[]> knobs = RateClips.nukeKnobs(script);
        assertThat(Path.of(SidecarRendererTest.PWNED)).doesNotExist();
        Path projectDir = Path.of(SidecarRendererTest.knobsOf(knobs, "1").get("project_directory"));
        assertThat(projectDir.normalize()).isEqualTo(root.toAbsolutePath().normalize());
        int reads = 0;
        for (String[] k : knobs) {
            if (k[1].equals("Read") && k[2].equals("file")) {
                assertThat(projectDir.resolve(k[3])).as(k[3]).exists();
                reads++;
            }
            if (k[1].equals("Read") && k[2].equals("label")) assertThat(k[3]).startsWith(SidecarRendererTest.TCL_NAME + " / dance #");
        }
        assertThat(reads).isEqualTo(videos);
    }
}
