package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.db.Vendor;
import dev.reelmark.testing.ApiHarness;
import dev.reelmark.testing.TestHttp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Sidecar template CRUD, validation and preview over real HTTP, on both databases. */
class SidecarTemplatesApiTest {
    @TempDir
    Path dir;

    static void assertBadField(TestHttp.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(field);
    }

    static Document parseXml(String xml) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static long builtinId(TestHttp http, String name) {
        for (JsonNode t : http.get("/api/sidecar-templates").json().get("items")) if (t.get("name").asText().equals(name)) return t.get("id").longValue();
        throw new AssertionError("no template " + name);
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void builtInsAreSeededAndCannotBeChangedOrDeleted(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            JsonNode list = h.http.get("/api/sidecar-templates").json();
            List<String> names = new ArrayList<>();
            list.get("items").forEach(t -> {
                names.add(t.get("name").asText());
                assertThat(t.get("is_builtin").booleanValue()).isTrue();
            });
            assertThat(names).containsExactly("Nuke XML", "After Effects CSV", "Resolve XML", "DaVinci Resolve Metadata CSV",
                    "Avid ALE", "OpenTimelineIO Timeline", "Nuke Read Nodes");
            JsonNode nuke = list.get("items").get(0);
            assertThat(nuke.get("format").asText()).isEqualTo("xml");
            assertThat(nuke.get("target_tool").asText()).isEqualTo("nuke");
            assertThat(nuke.get("template_json").get("root_element").asText()).isEqualTo("clip");
            assertThat(nuke.get("template_json").get("fields").toString()).contains("color_space", "generation_params");

            long id = nuke.get("id").longValue();
            var put = h.http.send("PUT", "/api/sidecar-templates/" + id, "{\"name\": \"Mine\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(409);
            assertThat(put.json().get("field").asText()).isEqualTo("is_builtin");
            var del = h.http.delete("/api/sidecar-templates/" + id);
            assertThat(del.status()).isEqualTo(409);
            assertThat(h.http.get("/api/sidecar-templates/" + id).json().get("name").asText()).isEqualTo("Nuke XML");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void customTemplatesAreCreatedReadUpdatedAndDeleted(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var created = h.http.post("/api/sidecar-templates", """
                    {"name": "Pipeline XML", "description": "ours", "format": "xml", "target_tool": "custom",
                     "template_json": {"root_element": "shot", "fields": ["resolution", "prompt"]}}""");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long id = created.json().get("id").longValue();
            assertThat(created.json().get("is_builtin").booleanValue()).isFalse();
            assertThat(created.json().get("created_at").asText()).endsWith("Z");

            var updated = h.http.send("PUT", "/api/sidecar-templates/" + id, """
                    {"format": "csv", "template_json": {"columns": ["frame", "motion_score"]}}""");
            assertThat(updated.status()).as(updated.body()).isEqualTo(200);
            assertThat(updated.json().get("format").asText()).isEqualTo("csv");
            assertThat(updated.json().get("name").asText()).isEqualTo("Pipeline XML");
            assertThat(updated.json().get("template_json").get("columns").toString()).isEqualTo("[\"frame\",\"motion_score\"]");

            var dup = h.http.post("/api/sidecar-templates", """
                    {"name": "Pipeline XML", "format": "otio", "template_json": {"fields": ["prompt"]}}""");
            assertThat(dup.status()).isEqualTo(409);

            assertThat(h.http.delete("/api/sidecar-templates/" + id).status()).isEqualTo(204);
            assertThat(h.http.get("/api/sidecar-templates/" + id).status()).isEqualTo(404);
            assertThat(h.http.get("/api/sidecar-templates").json().get("total").intValue()).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void badTemplatesAreRejectedNamingTheField(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var http = h.http;
            String p = "/api/sidecar-templates";
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"xml\",\"template_json\":{\"root_element\":\"clip\",\"fields\":[\"resolution\"],\"colour\":1}}"),
                    "template_json.colour");
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"xml\",\"template_json\":{\"root_element\":\"clip\",\"fields\":[\"resolution\",\"bitdepth\"]}}"),
                    "template_json.fields[1]");
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"csv\",\"template_json\":{\"columns\":[]}}"), "template_json.columns");
            for (String bad : List.of("1clip", "my clip", "xmlClip", "a<b", "", "clip:x")) {
                assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"xml\",\"template_json\":{\"root_element\":\"" + bad + "\",\"fields\":[\"codec\"]}}"),
                        "template_json.root_element");
            }
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"ale\",\"template_json\":{\"columns\":[{\"header\":\"Start\",\"field\":\"start_tc\"}]}}"),
                    "template_json.columns");
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"clip_csv\",\"template_json\":{\"columns\":[{\"header\":\"File Name\",\"field\":\"nope\"}]}}"),
                    "template_json.columns[0].field");
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"pdf\",\"template_json\":{}}"), "format");
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"xml\",\"template_json\":{\"root_element\":\"clip\",\"fields\":[\"codec\"]},\"is_builtin\":true}"), "is_builtin");
            assertBadField(http.post(p, "{\"format\":\"xml\",\"template_json\":{\"root_element\":\"clip\",\"fields\":[\"codec\"]}}"), "name");
            assertBadField(http.post(p, "{\"name\":\"a\",\"format\":\"csv\",\"template_json\":[1]}"), "template_json");
            // nothing was written by any of them
            assertThat(http.get(p).json().get("total").intValue()).isEqualTo(7);
            // the preview validates the same way
            assertBadField(http.post(p + "/preview", "{\"format\":\"csv\",\"template_json\":{\"columns\":[]}}"), "template_json.columns");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.reelmark.testing.TestDatabases#vendors")
    void previewRendersWellFormedEscapedXmlAndCsvWithNullsForTheSample(Vendor vendor) throws Exception {
        try (var h = new ApiHarness(vendor, dir)) {
            var xml = h.http.get("/api/sidecar-templates/" + builtinId(h.http, "Nuke XML") + "/preview").json();
            assertThat(xml.get("file_name").asText()).isEqualTo("scene_video.xml");
            assertThat(xml.get("sample").booleanValue()).isTrue();
            Document doc = parseXml(xml.get("content").asText());
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("clip");
            assertThat(doc.getElementsByTagName("resolution").item(0).getTextContent()).isEqualTo("1920x1080");
            assertThat(doc.getElementsByTagName("framerate").item(0).getTextContent()).isEqualTo("24.0");
            assertThat(doc.getElementsByTagName("color_space").item(0).getTextContent()).isEqualTo("bt709");
            // the prompt with quotes, <, > and & survives the round trip through a real XML parser
            assertThat(xml.get("content").asText()).contains("&lt;4K&gt; &amp; slow motion");
            assertThat(doc.getElementsByTagName("generation_params").item(0).getTextContent())
                    .contains("Ava dances under neon rain, \"wide\" shot <4K> & slow motion");

            // an unsaved template with a custom root and a field that is unknown on the sample (no video path in XML)
            var live = h.http.post("/api/sidecar-templates/preview",
                    "{\"format\":\"xml\",\"template_json\":{\"root_element\":\"shot_meta\",\"fields\":[\"prompt\",\"lora_weights\",\"quality_score\"]}}").json();
            Document d2 = parseXml(live.get("content").asText());
            assertThat(d2.getDocumentElement().getTagName()).isEqualTo("shot_meta");
            assertThat(d2.getElementsByTagName("quality_score").item(0).getTextContent()).isEqualTo("0.874");
            assertThat(d2.getElementsByTagName("lora_weights").item(0).getTextContent()).contains("ava-likeness.safetensors");

            var csv = h.http.get("/api/sidecar-templates/" + builtinId(h.http, "After Effects CSV") + "/preview").json();
            assertThat(csv.get("file_name").asText()).isEqualTo("scene_video.csv");
            String[] lines = csv.get("content").asText().split("\r\n");
            assertThat(lines).hasSize(121);
            assertThat(lines[0]).isEqualTo("frame,face_confidence,motion_score,quality_metric,boundary_ssim");
            assertThat(lines[1]).startsWith("0,").endsWith(",0.93");
            assertThat(lines[6]).startsWith("5,null,");
            assertThat(lines[101]).isEqualTo("100,null,null,null,null");

            var ale = h.http.get("/api/sidecar-templates/" + builtinId(h.http, "Avid ALE") + "/preview").json();
            assertThat(ale.get("content").asText()).startsWith("Heading\nFIELD_DELIM\tTABS\n").contains("\nFPS\t24\n")
                    .contains("Column\nName\tTracks\tStart\tEnd\t").contains("\nVIDEO_FORMAT\t1080\n")
                    .contains("\nAva Reyes — dance — scene_video (segment 0)\tV\t01:00:00:00\t01:00:05:00\t"); // Name unique: scene and segment
            var otio = h.http.get("/api/sidecar-templates/" + builtinId(h.http, "OpenTimelineIO Timeline") + "/preview").json();
            JsonNode timeline = dev.reelmark.json.Json.parse(otio.get("content").asText());
            assertThat(timeline.get("OTIO_SCHEMA").asText()).isEqualTo("Timeline.1");
            JsonNode clip = timeline.get("tracks").get("children").get(0).get("children").get(0);
            assertThat(clip.get("OTIO_SCHEMA").asText()).isEqualTo("Clip.2");
            assertThat(clip.get("source_range").get("duration").get("value").doubleValue()).isEqualTo(120.0);
            assertThat(clip.get("metadata").get("reelmark").get("lora_weights").get(0).get("strength_model").doubleValue()).isEqualTo(0.8);
            var nk = h.http.get("/api/sidecar-templates/" + builtinId(h.http, "Nuke Read Nodes") + "/preview").json();
            assertThat(nk.get("content").asText()).contains("Read {\n inputs 0\n file_type mov\n file \"media/ava_reyes/dance/scene_video.mp4\"") // relative to the package
                    .contains(" project_directory \"\\[file dirname \\[value root.name\\]\\]/..\"\n")
                    .contains(" last 120\n").contains("addUserKnob {1 rm_prompt l prompt}")
                    .contains("rm_prompt \"Ava dances under neon rain, \\\"wide\\\" shot <4K> & slow motion\"");

            assertThat(h.http.get("/api/sidecar-templates/999/preview").status()).isEqualTo(404);
            assertThat(h.http.get("/api/sidecar-templates/1/preview?segment_id=999").status()).isEqualTo(404);
        }
    }
}
