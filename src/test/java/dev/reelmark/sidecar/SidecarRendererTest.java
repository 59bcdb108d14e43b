package dev.reelmark.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelmark.footage.GenerationFacts;
import dev.reelmark.footage.ProbeFacts;
import dev.reelmark.json.Json;
import dev.reelmark.media.MediaProbe;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renderers against golden files, on clips ffmpeg made at 23.976, 29.97 and 59.94 fps (720p, 1080p and a
 * 640x360 raster) whose names and texts are hostile: accents, emoji, formulas, control characters and TCL. Nuke
 * scripts are also read by the real TCL interpreter as Nuke reads them. {@code -Dreelmark.golden.update=true}
 * rewrites the golden files (review the diff).
 */
class SidecarRendererTest {
    static final String PWNED = "/tmp/pwned";
    static final String TCL_NAME = "[exec touch " + PWNED + "] $HOME {a} \\x \"q\"";
    static final String SCENE = "-2+3 [pwd] ${x}";
    static final String PROMPT = "=HYPERLINK(\"http://x\")\u0001 line\nbreak\u0085";
    static final Path GOLDEN = Path.of("src/test/resources/golden/sidecar");

    @TempDir
    static Path dir;
    static List<Clip> clips;

    @BeforeAll
    static void clips() {
        Path data = dir.resolve("data");
        clips = List.of(
                clip(1, 0, "dance", TCL_NAME, "media/ava/évènement 🎬.mov", RateClips.make(data.resolve("media/ava/évènement 🎬.mov"), "24000/1001", 1280, 720, 12)),
                clip(2, -2, SCENE, TCL_NAME, "media/ava/a b.mp4", RateClips.make(data.resolve("media/ava/a b.mp4"), "30000/1001", 1920, 1080, 6)),
                clip(3, 1, "dance", "Bob", "media/bob/fast.mp4", RateClips.make(data.resolve("media/bob/fast.mp4"), "60000/1001", 640, 360, 6)),
                clip(4, 2, "dance", "Bob", "media/bob/évènement 🎬.mp4", RateClips.make(data.resolve("media/bob/évènement 🎬.mp4"), "24000/1001", 1280, 720, 6)));
    }

    static Clip clip(long id, int seq, String scene, String character, String packaged, Path file) {
        ProbeFacts probe = ProbeFacts.of(new MediaProbe().probe(file));
        GenerationFacts facts = new GenerationFacts(GenerationFacts.Source.FILE_COMMENT, null, PROMPT, "blurry",
                BigInteger.valueOf(-2), "euler", null, 6.5, 30, null, null, null, List.of(), List.of(), List.of(), null);
        return new Clip(id, seq, "complete", 10 + id % 2, scene, "idle", 20, character, packaged, file, probe.toJson(), null,
                0.5, List.of("=bad", "ok"), facts, null, null).linked(packaged.substring(packaged.lastIndexOf('/') + 1), packaged);
    }

    static TemplateSpec spec(SidecarFormat format, String json) {
        return TemplateSpec.parse(format, Json.parse(json));
    }

    static String render(Consumer<ByteArrayOutputStream> r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.accept(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static void golden(String name, String actual) {
        dev.reelmark.testing.Golden.check("sidecar/" + name, actual);
    }

    @Test
    void xmlNamesAndReferencesTheVideoAsPackaged() throws Exception {
        TemplateSpec xml = spec(SidecarFormat.XML, "{\"root_element\": \"clip\", \"fields\": [\"file_name\", \"video_path\", \"clip_directory\","
                + " \"frame_rate\", \"framerate\", \"resolution\", \"frame_count\", \"character\", \"scene\", \"prompt\", \"seed\"]}");
        String text = render(out -> SidecarRenderer.xml(xml, clips.get(0), out));
        golden("evenement.xml", text);
        assertThat(text).contains("source=\"évènement 🎬.mov\" path=\"media/ava/évènement 🎬.mov\"").contains("<frame_rate>23.976</frame_rate>");
        assertThat(SidecarService.sidecarName(clips.get(0), "xml")).isEqualTo("évènement 🎬.xml");
    }

    @Test
    void resolveCsvKeepsNamesAndNumbersVerbatimAndGuardsOnlyFreeText() throws Exception {
        TemplateSpec csv = spec(SidecarFormat.CLIP_CSV, "{\"columns\": [{\"header\": \"File Name\", \"field\": \"file_name\"},"
                + " {\"header\": \"Clip Directory\", \"field\": \"clip_directory\"}, {\"header\": \"Description\", \"field\": \"prompt\"},"
                + " {\"header\": \"Scene\", \"field\": \"scene\"}, {\"header\": \"Take\", \"field\": \"sequence_index\"},"
                + " {\"header\": \"Seed\", \"field\": \"seed\"}, {\"header\": \"Keywords\", \"field\": \"failure_tags\"}]}");
        List<Clip> withFormulaName = new ArrayList<>(clips);
        withFormulaName.add(clips.get(2).linked("=cmd.mp4", "media/bob/=cmd.mp4"));
        String text = render(out -> SidecarRenderer.clipCsv(csv, withFormulaName, out));
        golden("resolve.csv", text);
        try (CSVParser p = CSVParser.parse(text, CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            List<CSVRecord> rows = p.getRecords();
            assertThat(rows.get(0).get("File Name")).isEqualTo("évènement 🎬.mov");
            assertThat(rows.get(0).get("Clip Directory")).isEqualTo("media/ava");
            assertThat(rows.get(1).get("Take")).isEqualTo("-2");                 // numeric column: untouched
            assertThat(rows.get(1).get("Seed")).isEqualTo("-2");
            assertThat(rows.get(1).get("Scene")).isEqualTo("'" + SCENE);          // free text: guarded
            assertThat(rows.get(0).get("Description")).isEqualTo("'=HYPERLINK(\"http://x\") line break");
            assertThat(rows.get(0).get("Keywords")).isEqualTo("'=bad, ok");
            assertThat(rows.get(4).get("File Name")).isEqualTo("=cmd.mp4");        // Resolve matches by it: verbatim
            assertThat(text.chars().filter(c -> c < 0x20 && c != '\r' && c != '\n').count()).isZero();
            assertThat(text).doesNotContain("\u0085").doesNotContain("\u0001");
        }
    }

    @Test
    void aleHasTheExactRateTheRealVideoFormatAndUniqueNames() throws Exception {
        TemplateSpec builtin = spec(SidecarFormat.ALE, "{\"columns\": [{\"header\": \"Name\", \"field\": \"editorial_name\"},"
                + " {\"header\": \"Tracks\", \"field\": \"tracks\"}, {\"header\": \"Start\", \"field\": \"start_tc\"},"
                + " {\"header\": \"End\", \"field\": \"end_tc\"}, {\"header\": \"Source File\", \"field\": \"file_name\"}]}");
        TemplateSpec byClipName = spec(SidecarFormat.ALE, "{\"columns\": [{\"header\": \"Name\", \"field\": \"clip_name\"},"
                + " {\"header\": \"Tracks\", \"field\": \"tracks\"}, {\"header\": \"Start\", \"field\": \"start_tc\"}, {\"header\": \"End\", \"field\": \"end_tc\"}]}");
        Map<String, String> expected = Map.of("23.976", "720", "29.97", "1080", "59.94", "CUSTOM");
        Map<String, List<Clip>> byRate = new TreeMap<>();
        for (Clip c : clips) byRate.computeIfAbsent(FrameRate.of(c.fps()).label(), k -> new ArrayList<>()).add(c);
        assertThat(byRate.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (var e : byRate.entrySet()) {
            String format = SidecarRenderer.videoFormat(e.getValue().get(0));
            assertThat(format).isEqualTo(expected.get(e.getKey()));
            String text = render(out -> SidecarRenderer.ale(builtin, e.getValue(), FrameRate.of(e.getValue().get(0).fps()), format, out));
            golden("avid_" + e.getKey() + "fps_" + format + ".ale", text);
            assertThat(text).contains("\nFPS\t" + e.getKey() + "\n").contains("\nVIDEO_FORMAT\t" + format + "\n");
        }
        // two clips named "évènement 🎬" at 23.976: Avid would merge them by Name, so the second is told apart
        String text = render(out -> SidecarRenderer.ale(byClipName, byRate.get("23.976"), FrameRate.of(24000 / 1001.0), "720", out));
        List<String> names = text.substring(text.indexOf("\nData\n") + 6).lines().map(l -> l.split("\t")[0]).toList();
        assertThat(names).containsExactly("évènement 🎬", "évènement 🎬 (segment 4)");
        assertThat(new HashSet<>(names)).hasSize(2);
        // timecodes count on the integer base: 12 frames at 23.976 end at 01:00:00:12
        assertThat(text).contains("\t01:00:00:00\t01:00:00:12\n");
    }

    @Test
    void nukeScriptRunsNoTclAndReadsBackVerbatimUnderTheRealInterpreter() throws Exception {
        Files.deleteIfExists(Path.of(PWNED + "-canary"));
        assertThat(Path.of(PWNED)).as("left over from elsewhere: remove " + PWNED).doesNotExist();
        TemplateSpec nk = spec(SidecarFormat.NK, "{\"fields\": [\"character\", \"scene\", \"prompt\", \"file_name\", \"video_path\"]}");
        String text = render(out -> SidecarRenderer.nk(nk, clips, 1, out));
        golden("read_nodes.nk", text);
        Path pkg = dir.resolve("pkg");
        Path script = pkg.resolve("nuke_read_nodes/nuke_read_nodes.nk");
        Files.createDirectories(script.getParent());
        Files.writeString(script, text);

        List<String[]> knobs = RateClips.nukeKnobs(script);
        assertThat(Path.of(PWNED)).as("a knob value ran a TCL command").doesNotExist();
        Map<String, String> first = knobsOf(knobs, "2"), second = knobsOf(knobs, "3"); // node 1 is the Root
        assertThat(first.get("rm_character")).isEqualTo(TCL_NAME);
        assertThat(first.get("label")).isEqualTo(TCL_NAME + " / dance #0");
        assertThat(second.get("rm_scene")).isEqualTo(SCENE);
        assertThat(first.get("rm_prompt")).isEqualTo(PROMPT.replace("\u0001", "")); // only what a script cannot hold is dropped
        assertThat(first.get("file")).isEqualTo("media/ava/évènement 🎬.mov");
        // the Root's project directory is the package root, against which Nuke resolves the relative files
        assertThat(Path.of(knobsOf(knobs, "1").get("project_directory")).normalize()).isEqualTo(pkg.toAbsolutePath().normalize());

        // the harness does evaluate like Nuke: an unescaped value runs its command
        Path canary = Path.of(PWNED + "-canary");
        Path naive = dir.resolve("naive.nk");
        Files.writeString(naive, "Read {\n rm_x \"[exec touch " + canary + "]\"\n}\n");
        RateClips.nukeKnobs(naive);
        assertThat(canary).exists();
        Files.delete(canary);
    }

    static Map<String, String> knobsOf(List<String[]> knobs, String node) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String[] k : knobs) if (k[0].equals(node)) out.put(k[2], k[3]);
        return out;
    }

    @Test
    void otioReferencesThePackagedFileByARelativeUrl() throws Exception {
        TemplateSpec otio = spec(SidecarFormat.OTIO, "{\"fields\": [\"frame_rate\", \"prompt\"]}");
        String text = render(out -> SidecarRenderer.otio(otio, "dance", List.of(clips.get(0), clips.get(2)), out));
        golden("dance.otio", text);
        JsonNode clip = Json.parse(text).get("tracks").get("children").get(0).get("children").get(0);
        assertThat(clip.get("media_references").get("DEFAULT_MEDIA").get("target_url").asText())
                .isEqualTo("media/ava/%C3%A9v%C3%A8nement%20%F0%9F%8E%AC.mov");
        assertThat(clip.get("source_range").get("duration").get("rate").asDouble()).isEqualTo(24000 / 1001.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void frameCsvStopsAtTheLastFrameAndReportsMetricsPastIt() throws Exception {
        TemplateSpec csv = spec(SidecarFormat.CSV, "{\"columns\": [\"frame\", \"timecode\", \"face_confidence\", \"motion_score\"]}");
        TreeMap<Long, ClipFacts.FrameRow> frames = new TreeMap<>();
        frames.put(3L, new ClipFacts.FrameRow(3, 0.9, 0.5, null, null));
        frames.put(20L, new ClipFacts.FrameRow(20, 0.8, 0.4, null, null));
        frames.put(25L, new ClipFacts.FrameRow(25, 0.8, 0.4, null, null));
        SidecarRenderer.PastTheEnd[] past = new SidecarRenderer.PastTheEnd[1];
        String text = render(out -> past[0] = SidecarRenderer.frameCsv(csv, clips.get(0), frames, out));
        golden("evenement_frames.csv", text);
        assertThat(text.split("\r\n")).hasSize(1 + 12);
        assertThat(past[0]).isEqualTo(new SidecarRenderer.PastTheEnd(12, 20, 25, 2));
        assertThat(past[0].message()).isEqualTo("2 frame metric(s) at frames 20..25 lie past the video's 12 frames; they were not written");
    }
}
